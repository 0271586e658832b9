# Steps: the catalogue, command rendering and quoting, evidence.
noinst_LIBRARIES += libcksteps.a
libcksteps_a_SOURCES = src/steps.h src/steps_int.h src/steps_names.c src/steps_table.c src/steps_keys.c src/steps_manage.c src/steps_offboard.c \
	src/catalogue.c src/catalogue_query.c src/steps_version.c src/evidence_version.c src/evidence_access.c src/steps_perms.c src/steps_render.c src/steps_vars.c src/steps_hsm.c src/steps_hsm_vars.c src/steps_text.c src/evidence_fail.c src/evidence.c \
	src/quote.c src/quote.h src/runbook.c src/runbook.h
libcksteps_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
ckwizard_SOURCES += src/cli_runbook.c

if HAVE_CMOCKA
check_PROGRAMS += tests/test_steps
TESTS += tests/test_steps
tests_test_steps_SOURCES = tests/test_steps.c tests/steps_fixture.h tests/seed_coverage.h
tests_test_steps_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_steps_CPPFLAGS = $(AM_CPPFLAGS) -DCK_TEST_SRCDIR='"$(abs_top_srcdir)"'
tests_test_steps_LDADD = $(CK_TEST_LDADD)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/test_quote tests/test_evidence tests/test_steps_render
TESTS += tests/test_quote tests/test_evidence tests/test_steps_render
tests_test_steps_render_SOURCES = tests/test_steps_render.c tests/steps_fixture.h
tests_test_steps_render_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_steps_render_LDADD = $(CK_TEST_LDADD)
tests_test_quote_SOURCES = tests/test_quote.c
tests_test_quote_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_quote_LDADD = $(CK_TEST_LDADD)
tests_test_evidence_SOURCES = tests/test_evidence.c tests/steps_fixture.h
tests_test_evidence_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_evidence_LDADD = $(CK_TEST_LDADD)
endif

# Regenerate the runbook golden files after an intended change to the
# catalogue; read `git diff tests/golden` before committing them.
runbook-golden: ckwizard
	CK_REGEN_GOLDEN=1 CK_SRCDIR='$(abs_top_srcdir)' CK_BUILDDIR='$(abs_top_builddir)' \
		$(SHELL) $(top_srcdir)/tests/runbook_golden.sh
.PHONY: runbook-golden
EXTRA_DIST += tests/golden/runbook-contoso-exchange.powershell.md \
	tests/golden/runbook-contoso-exchange.bash.md tests/golden/runbook-contoso-exchange.json
EXTRA_DIST += doc/steps.md
