# Whole-program tests (shell, TAP). Each area adds its scripts here with +=.
TESTS += tests/cli_basics.sh tests/layers.sh tests/manpage.sh
EXTRA_DIST += tests/cli_basics.sh tests/layers.sh tests/manpage.sh
TESTS += tests/operator_enroll.sh
EXTRA_DIST += tests/operator_enroll.sh tests/operator_pty.py
TESTS += tests/runbook_golden.sh tests/runbook_cli.sh
EXTRA_DIST += tests/runbook_golden.sh tests/runbook_cli.sh
