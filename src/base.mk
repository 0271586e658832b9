# Base: allocation, buffers, diagnostics, text safety, hashing, secrets.
noinst_LIBRARIES += libckbase.a
libckbase_a_SOURCES = src/ck.h src/util.c src/util.h src/buf.c src/buf.h src/lookalike.c src/lookalike.h \
	src/diag.c src/diag.h src/text.c src/text.h src/hash.c src/hash.h src/pubkey.c src/pubkey_rsa.c src/pubkey.h \
	src/secret.c src/secret.h src/fileread.c src/fileread.h
libckbase_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)

if HAVE_CMOCKA
check_PROGRAMS += tests/test_base
TESTS += tests/test_base
tests_test_base_SOURCES = tests/test_base.c
tests_test_base_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_base_LDADD = $(CK_TEST_LDADD)
endif
