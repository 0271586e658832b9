# The figures of doc/reliability.md, each a script that prints TAP. `make
# check` runs small versions of them; the doc gives the command that runs each
# at the size of its figure.
TESTS += tests/crash_rehearsal.sh
EXTRA_DIST += tests/crash_rehearsal.sh tests/rehearsal17.keys
TESTS += tests/fault_matrix.sh
EXTRA_DIST += tests/fault_matrix.sh
TESTS += tests/bypass_table.sh
EXTRA_DIST += tests/bypass_table.sh tests/bypass_table.py
TESTS += tests/secrets_canary.sh
EXTRA_DIST += tests/secrets_canary.sh tests/canary_scan.py
TESTS += tests/e2e_term_matrix.sh
EXTRA_DIST += tests/e2e_term_matrix.sh tests/e2e/term_matrix.py
TESTS += tests/fault_steps.sh
EXTRA_DIST += tests/fault_steps.sh
TESTS += tests/e2e_storms.sh
EXTRA_DIST += tests/e2e_storms.sh tests/e2e/storms.py tests/e2e/stormlib.py
TESTS += tests/e2e_tmux_resize_queue.sh
EXTRA_DIST += tests/e2e_tmux_resize_queue.sh tests/e2e/tmux_resize_queue.py
TESTS += tests/e2e_signals_random.sh
EXTRA_DIST += tests/e2e_signals_random.sh tests/e2e/signals_random.py
# Every write and fsync boundary of a session, killed or failed by a small
# LD_PRELOAD library: built for the tests only, never installed.
TESTS += tests/crash_boundaries.sh tests/crash_writers.sh
EXTRA_DIST += tests/crash_boundaries.sh tests/crash_writers.sh tests/crash_lib.sh tests/crashshim.c
check_DATA = tests/crashshim.so
CLEANFILES += tests/crashshim.so
tests/crashshim.so: tests/crashshim.c
	@$(MKDIR_P) tests
	$(AM_V_CC)$(CC) $(CFLAGS) -std=c11 -Wall -Wextra -shared -fPIC -o $@ $(srcdir)/tests/crashshim.c -ldl
