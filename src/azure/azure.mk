# Azure: the backend seam (backend.h) and the simulator; the REST backend comes
# in a later issue. Owner: [wizard].
noinst_LIBRARIES += libckazure.a
libckazure_a_SOURCES = src/azure/backend_names.c
libckazure_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
