# `make bench`: measurements, never assertions (tests/bench.sh writes
# doc/bench.md). The helper programs are built for it only, never installed.
EXTRA_PROGRAMS = tests/bench_audit
tests_bench_audit_SOURCES = tests/bench_audit.c
tests_bench_audit_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS) $(YAML_CFLAGS) $(CURL_CFLAGS)
tests_bench_audit_LDADD = $(CK_CORE_LDADD)
if HAVE_CMOCKA
# a journal of N events signed by the fixed test keys (the session fixture's)
EXTRA_PROGRAMS += tests/bench_journal
tests_bench_journal_SOURCES = tests/bench_journal.c tests/session_fixture.c tests/session_fixture.h
tests_bench_journal_CFLAGS = $(CK_TEST_CFLAGS)
tests_bench_journal_LDADD = $(CK_TEST_LDADD)
endif
CLEANFILES += $(EXTRA_PROGRAMS)
bench: ckwizard $(EXTRA_PROGRAMS)
	$(SHELL) $(top_srcdir)/tests/bench.sh $(abs_top_builddir)/ckwizard $(top_srcdir)
.PHONY: bench
EXTRA_DIST += tests/bench.sh tests/bench_live.py tests/bench_wizard.py tests/bench_yaml.c \
	tests/bench_verify_raw.c
# The peak memory by mapping, run by hand (doc/bench.md, Fourth round).
EXTRA_DIST += tests/bench_smaps.py
