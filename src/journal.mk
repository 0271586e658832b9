# Journal: operator keys, signed hash-chained journal, session and dual control,
# reports, verify. Owner: [journal].
noinst_LIBRARIES += libckjournal.a
libckjournal_a_SOURCES = src/secret.h src/secret.c
libckjournal_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
ckwizard_SOURCES += src/cli_journal.c src/cli_operator.c
# [journal]: operator keys and the journal file.
libckjournal_a_SOURCES += src/keys.h src/keys.c src/passphrase.c \
	src/journal.h src/journal_int.h src/journal.c src/journal_form.c src/journal_read.c
if HAVE_CMOCKA
check_PROGRAMS += tests/test_keys tests/test_journal
TESTS += tests/test_keys tests/test_journal
tests_test_keys_SOURCES = tests/test_keys.c
tests_test_keys_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_keys_LDADD = $(CK_TEST_LDADD)
tests_test_journal_SOURCES = tests/test_journal.c
tests_test_journal_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_journal_LDADD = $(CK_TEST_LDADD)
endif
libckjournal_a_SOURCES += src/keystore.h src/keystore.c
dist_doc_DATA += doc/journal.md
