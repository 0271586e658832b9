# Journal: operator keys, signed hash-chained journal, session and dual control,
# reports, verify.
noinst_LIBRARIES += libckjournal.a
libckjournal_a_SOURCES =
libckjournal_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
ckwizard_SOURCES += src/cli_journal.c src/cli_operator.c
# Operator keys and the journal file.
libckjournal_a_SOURCES += src/keys.h src/keys.c src/passphrase.c \
	src/journal.h src/journal_int.h src/journal.c src/journal_shared.c src/journal_form.c src/journal_read.c
if HAVE_CMOCKA
check_PROGRAMS += tests/test_keys tests/test_journal
TESTS += tests/test_keys tests/test_journal
tests_test_keys_SOURCES = tests/test_keys.c
tests_test_keys_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_keys_LDADD = $(CK_TEST_LDADD)
check_PROGRAMS += tests/test_pubkey
TESTS += tests/test_pubkey
tests_test_pubkey_SOURCES = tests/test_pubkey.c
tests_test_pubkey_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_pubkey_LDADD = $(CK_TEST_LDADD)
tests_test_journal_SOURCES = tests/test_journal.c
tests_test_journal_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_journal_LDADD = $(CK_TEST_LDADD)
endif
libckjournal_a_SOURCES += src/keystore.h src/keystore.c
# Signing PINs: the gate in front of an unlocked key (single-keyboard mode).
libckjournal_a_SOURCES += src/pin.h src/pin.c src/session/pin_gate.c
dist_doc_DATA += doc/journal.md doc/report-schema.md
# An event type is named once, in the rule table; files do not call in circles.
TESTS += tests/event_literals.sh tests/call_cycles.sh
EXTRA_DIST += tests/event_literals.sh tests/call_cycles.sh
# The session (state rebuilt from the journal, dual control),
# reports and verify. The demo operators' keys are installed for rehearsals.
libckjournal_a_SOURCES += src/session.h src/session/session_int.h src/session/rule_ctx.h \
	src/session/names.c src/session/clock.c src/session/alloc.c src/session/plan.c \
	src/session/diff.c src/session/state.c src/session/rule_ctx.c src/session/rules_step.c \
	src/session/rules.c src/session/blocker.c src/session/torn.c src/session/simulator.c src/session/record.c \
	src/session/operators.c src/session/act_plan.c src/session/act_step.c src/session/precheck.c \
	src/session/precheck_act.c src/session/shadow.c src/session/reports.c \
	src/session/verify_cmd.c src/session/view_text.c \
	src/session/act_ceremony.c src/session/act_live.c src/session/rules_live.c \
	src/session/rules_authorize.c src/session/act_execute.c src/session/rules_presence.c src/session/presence.c src/session/cosign.c src/session/cosign_req.c src/session/newfile.c \
	src/session/create.c src/session/view.c src/session/session.c src/session/shared.c \
	src/report.h src/report/lang.c src/report/render.c src/report/model.h src/report/model.c src/report/fmt.h \
	src/report/walk.c src/report/terminals.h src/report/terminals.c src/report/words.c src/report/steps.c src/report/md.c src/report/html.c \
	src/report/json.c src/report/v1.h src/report/v1.c src/report/v1_walk.c src/report/v1_md.c \
	src/report/v1_html.c \
	src/verify.h src/verify.c
demokeysdir = $(pkgdatadir)/demo-operators
dist_demokeys_DATA = plans/demo-operators/alice.key plans/demo-operators/bob.key \
	plans/demo-operators/alice.pin plans/demo-operators/bob.pin
if HAVE_CMOCKA
check_PROGRAMS += tests/test_session tests/test_report tests/test_verify
TESTS += tests/test_session tests/test_report tests/test_verify
tests_test_session_SOURCES = tests/test_session.c tests/session_fixture.c tests/session_fixture.h
tests_test_session_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_session_LDADD = $(CK_TEST_LDADD)
tests_test_report_SOURCES = tests/test_report.c tests/session_fixture.c tests/session_fixture.h
tests_test_report_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_report_LDADD = $(CK_TEST_LDADD)
check_PROGRAMS += tests/test_session_create
TESTS += tests/test_session_create
tests_test_session_create_SOURCES = tests/test_session_create.c tests/session_fixture.c tests/session_fixture.h
tests_test_session_create_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_session_create_LDADD = $(CK_TEST_LDADD)
check_PROGRAMS += tests/test_verify_forged
TESTS += tests/test_verify_forged
tests_test_verify_forged_SOURCES = tests/test_verify_forged.c tests/session_fixture.c tests/session_fixture.h
tests_test_verify_forged_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_verify_forged_LDADD = $(CK_TEST_LDADD)
tests_test_verify_SOURCES = tests/test_verify.c tests/session_fixture.c tests/session_fixture.h
tests_test_verify_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_verify_LDADD = $(CK_TEST_LDADD)
endif
CLEANFILES += report-sample.png
# The long test files split so that each reads at once: the journal's crash,
# torn-tail and I/O-failure tests, and the session's forged-journal (replay)
# tests, each in its own binary; what they share in a fixture.
if HAVE_CMOCKA
check_PROGRAMS += tests/test_journal_crash tests/test_session_forged tests/test_session_live
TESTS += tests/test_journal_crash tests/test_session_forged tests/test_session_live
tests_test_journal_SOURCES += tests/journal_fixture.c tests/journal_fixture.h
tests_test_journal_crash_SOURCES = tests/test_journal_crash.c tests/journal_fixture.c tests/journal_fixture.h
tests_test_journal_crash_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_journal_crash_LDADD = $(CK_TEST_LDADD)
tests_test_session_forged_SOURCES = tests/test_session_forged.c tests/session_fixture.c tests/session_fixture.h
tests_test_session_forged_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_session_forged_LDADD = $(CK_TEST_LDADD)
tests_test_session_live_SOURCES = tests/test_session_live.c tests/live_fixture.c tests/live_fixture.h \
	tests/session_fixture.c tests/session_fixture.h
tests_test_session_live_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_session_live_LDADD = $(CK_TEST_LDADD)
# The same, when a side cannot ask Azure (a refresh refused, a sign-in refused).
check_PROGRAMS += tests/test_session_refresh
TESTS += tests/test_session_refresh
tests_test_session_refresh_SOURCES = tests/test_session_refresh.c tests/live_fixture.c \
	tests/live_fixture.h tests/session_fixture.c tests/session_fixture.h
tests_test_session_refresh_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_session_refresh_LDADD = $(CK_TEST_LDADD)
endif
# test_session.c still read long: resume, amendments, failed writes and torn
# tails in their own binary.
if HAVE_CMOCKA
check_PROGRAMS += tests/test_session_resume
TESTS += tests/test_session_resume
tests_test_session_resume_SOURCES = tests/test_session_resume.c tests/session_fixture.c tests/session_fixture.h
tests_test_session_resume_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_session_resume_LDADD = $(CK_TEST_LDADD)
endif
if HAVE_CMOCKA
check_PROGRAMS += tests/test_session_view
TESTS += tests/test_session_view
tests_test_session_view_SOURCES = tests/test_session_view.c tests/session_fixture.c tests/session_fixture.h
tests_test_session_view_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_session_view_LDADD = $(CK_TEST_LDADD)
endif
# What a session directory must be (not world-writable, not a link) and what
# the loser of two simultaneous starts is told.
if HAVE_CMOCKA
check_PROGRAMS += tests/test_session_dir
TESTS += tests/test_session_dir
tests_test_session_dir_SOURCES = tests/test_session_dir.c tests/session_fixture.c tests/session_fixture.h
tests_test_session_dir_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_session_dir_LDADD = $(CK_TEST_LDADD)
endif

check_PROGRAMS += tests/test_session_precheck
TESTS += tests/test_session_precheck
tests_test_session_precheck_SOURCES = tests/test_session_precheck.c tests/session_fixture.c tests/session_fixture.h
tests_test_session_precheck_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_session_precheck_LDADD = $(CK_TEST_LDADD)
# Two terminals on one session: turns at the append lock, forged appends
# refused, presence; two real processes appending 1,000 lines in turn.
if HAVE_CMOCKA
check_PROGRAMS += tests/test_session_shared tests/shared_append
TESTS += tests/test_session_shared tests/shared_cli.sh
EXTRA_DIST += tests/shared_cli.sh
tests_test_session_shared_SOURCES = tests/test_session_shared.c tests/shared_fixture.c \
	tests/shared_fixture.h tests/session_fixture.c tests/session_fixture.h
tests_test_session_shared_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_session_shared_LDADD = $(CK_TEST_LDADD)
tests_shared_append_SOURCES = tests/shared_append.c tests/shared_fixture.c \
	tests/shared_fixture.h tests/session_fixture.c tests/session_fixture.h
tests_shared_append_CFLAGS = $(CK_TEST_CFLAGS)
tests_shared_append_LDADD = $(CK_TEST_LDADD)
endif
if HAVE_CMOCKA
check_PROGRAMS += tests/test_pin
TESTS += tests/test_pin
tests_test_pin_SOURCES = tests/test_pin.c tests/session_fixture.c tests/session_fixture.h
tests_test_pin_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_pin_LDADD = $(CK_TEST_LDADD)
endif
if HAVE_CMOCKA
check_PROGRAMS += tests/test_precheck_act
TESTS += tests/test_precheck_act
tests_test_precheck_act_SOURCES = tests/test_precheck_act.c tests/session_fixture.c tests/session_fixture.h
tests_test_precheck_act_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_precheck_act_LDADD = $(CK_TEST_LDADD)
endif
