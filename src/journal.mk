# Journal: operator keys, signed hash-chained journal, session and dual control,
# reports, verify. Owner: [journal].
noinst_LIBRARIES += libckjournal.a
libckjournal_a_SOURCES = src/secret.h src/secret.c
libckjournal_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
ckwizard_SOURCES += src/cli_journal.c src/cli_operator.c
