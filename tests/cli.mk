# Whole-program tests (shell, TAP). Each area adds its scripts here with +=.
TESTS += tests/cli_basics.sh tests/layers.sh tests/manpage.sh tests/cli_options.sh tests/self_contained.sh tests/journal_doc.sh
EXTRA_DIST += tests/cli_basics.sh tests/layers.sh tests/manpage.sh
TESTS += tests/operator_enroll.sh
EXTRA_DIST += tests/operator_enroll.sh tests/operator_pty.py
TESTS += tests/runbook_golden.sh tests/runbook_cli.sh
EXTRA_DIST += tests/runbook_golden.sh tests/runbook_cli.sh
TESTS += tests/steps_doc.sh
EXTRA_DIST += tests/steps_doc.sh
TESTS += tests/cost_counts.sh tests/crypto_on_demand.sh tests/curses_on_demand.sh
TESTS += tests/binary_relocs.sh tests/yaml_on_demand.sh
EXTRA_DIST += tests/binary_relocs.sh tests/yaml_on_demand.sh
EXTRA_DIST += tests/cost_counts.sh tests/crypto_on_demand.sh tests/curses_on_demand.sh
# End-to-end tests: the real binary in a private tmux server (tests/e2e/*.py drive it).
TESTS += tests/e2e_terminal.sh
EXTRA_DIST += tests/e2e_terminal.sh tests/e2e/tmuxdrv.py tests/e2e/terminal.py
TESTS += tests/reap.sh
EXTRA_DIST += tests/reap.sh tests/reap.py
TESTS += tests/report_cli.sh tests/verify_cli.sh tests/report_schema.sh tests/fifo_cli.sh
EXTRA_DIST += tests/report_cli.sh tests/verify_cli.sh tests/report_schema.sh tests/fifo_cli.sh tests/journals/README tests/journals/sample.jsonl tests/journals/sample-v2.jsonl tests/journals/live-v2.jsonl tests/journals/sample-plan.yaml tests/journals/rehearsal-v1.jsonl \
	tests/journals/sample-report-v1.md tests/journals/sample-report-v1.html tests/journals/sample-report-v1.json \
	tests/journals/rehearsal-report-v1.md tests/journals/rehearsal-report-v1.html tests/journals/rehearsal-report-v1.json
TESTS += tests/e2e_rehearsal.sh
EXTRA_DIST += tests/e2e_rehearsal.sh tests/e2e/rehearsal.py
TESTS += tests/e2e_faults.sh
EXTRA_DIST += tests/e2e_faults.sh
TESTS += tests/e2e_service.sh tests/e2e_hsm.sh tests/e2e_live.sh
EXTRA_DIST += tests/e2e_service.sh tests/e2e_hsm.sh tests/e2e_live.sh tests/e2e/live.py \
	tests/e2e/live_ceremony.py
TESTS += tests/e2e_signin_faults.sh
EXTRA_DIST += tests/e2e_signin_faults.sh tests/e2e/signin_faults.py
TESTS += tests/e2e_refresh_faults.sh
EXTRA_DIST += tests/e2e_refresh_faults.sh tests/e2e/refresh_faults.py
TESTS += tests/e2e_offboarding.sh
EXTRA_DIST += tests/e2e_offboarding.sh
TESTS += tests/e2e_amend.sh
EXTRA_DIST += tests/e2e_amend.sh
TESTS += tests/dumpable.sh
EXTRA_DIST += tests/dumpable.sh tests/ptrace_probe.py
TESTS += tests/e2e_signals.sh
EXTRA_DIST += tests/e2e_signals.sh tests/e2e/signals.py
TESTS += tests/e2e_hangup.sh
EXTRA_DIST += tests/e2e_hangup.sh tests/e2e/hangup.py
# Two terminals, one ceremony: each operator at their own ckwizard.
TESTS += tests/e2e_two_terminals.sh tests/e2e_two_users.sh tests/e2e_two_amend_witness.sh
EXTRA_DIST += tests/e2e_two_terminals.sh tests/e2e_two_users.sh tests/e2e/two_terminals.py \
	tests/e2e_two_amend_witness.sh tests/e2e/two_amend_witness.py
TESTS += tests/session_kill.sh
EXTRA_DIST += tests/session_kill.sh
TESTS += tests/e2e_paste.sh
EXTRA_DIST += tests/e2e_paste.sh tests/e2e/paste.py
TESTS += tests/limits_cli.sh
EXTRA_DIST += tests/limits_cli.sh
