# Steps: the catalogue, command rendering and quoting, evidence. Owner: [steps].
noinst_LIBRARIES += libcksteps.a
libcksteps_a_SOURCES = src/steps.h src/steps_names.c
libcksteps_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
ckwizard_SOURCES += src/cli_runbook.c
