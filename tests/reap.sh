#!/bin/sh
# tests/reap.py, the end-to-end tests' check that nothing they started
# outlives them: it names and kills a leftover, waits for a process that is
# ending anyway, and leaves alone what another test (another HOME) started.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
REAP="$CK_SRCDIR/tests/reap.py"
tap_plan 4
others=
trap 'for p in $others; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

if python3 "$REAP" "HOME=$HOME" 1 >"$TMP/none.out" 2>&1; then
	tap_ok "no process left: exit 0"
else
	tap_not_ok "no process left: exit 0" "$(cat "$TMP/none.out")"
fi

# A leftover: detached from this shell, as a wizard is once its tmux server
# is gone. sleep's argument makes it recognisable.
setsid sleep 314 </dev/null >/dev/null 2>&1 &
left=$!
others="$others $left"
python3 "$REAP" "HOME=$HOME" 1 >"$TMP/left.out" 2>&1
st=$?
sleep 0.2
if [ "$st" -eq 1 ] && grep -q "^# leftover process [0-9]*, .*killed: sleep 314" "$TMP/left.out" &&
   ! kill -0 "$left" 2>/dev/null; then
	tap_ok "a leftover is named, killed, and fails the test (exit 1)"
else
	tap_not_ok "a leftover is named, killed, and fails the test (exit 1)" \
		"exit $st" "$(cat "$TMP/left.out")" "$(ps -o pid,stat,args -p "$left" 2>&1)"
fi

# A process ending by itself within the grace time is waited for.
sleep 1 &
if python3 "$REAP" "HOME=$HOME" 20 >"$TMP/ending.out" 2>&1; then
	tap_ok "a process that ends within the grace time is waited for: exit 0"
else
	tap_not_ok "a process that ends within the grace time is waited for: exit 0" "$(cat "$TMP/ending.out")"
fi
wait

# Another test's process (another HOME) is none of this test's business.
HOME="$TMP/another-home" setsid sleep 271 </dev/null >/dev/null 2>&1 &
other=$!
others="$others $other"
python3 "$REAP" "HOME=$HOME" 1 >"$TMP/other.out" 2>&1
st=$?
if [ "$st" -eq 0 ] && kill -0 "$other" 2>/dev/null; then
	tap_ok "another test's process is left alone"
else
	tap_not_ok "another test's process is left alone" "exit $st" "$(cat "$TMP/other.out")"
fi
tap_done
