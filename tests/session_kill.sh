#!/bin/sh
# session_kill.sh: the real binary killed (SIGKILL) at random early moments of
# starting a session, many times over: whatever is left either opens (and
# verifies) or is absent, and the next start leaves no temporary directory.
# The moments are random, the assertions are not timing: every outcome is
# checked the same way. Also: `rehearse` without a terminal creates nothing.
# (tests/test_session_create kills at each point of creation through a seam.)
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
RUNS=40
tap_plan 4
cd "$TMP" || exit 1
cp "$PLANS/contoso-exchange.yaml" plan.yaml
printf 'q<Enter>' >quit.keys

# 1. No terminal: refused (exit 2) before anything exists.
if run_ck 2 notty.out rehearse plan.yaml --dir nt </dev/null && grep -q "needs a terminal" notty.out &&
	[ ! -e nt ] && [ -z "$(ls -A . | grep '^\.nt\.')" ]; then
	tap_ok "rehearse without a terminal exits 2 and creates nothing"
else
	tap_not_ok "rehearse without a terminal exits 2 and creates nothing" "$(cat notty.out; ls -la)"
fi

# 2-3. Kills, each after a random delay of 0-119 ms (a start takes tens of ms,
# most of it fsync); the process may also have finished by then.
delays=$(python3 -c 'import random; print(" ".join("0.%03d" % random.randrange(120) for _ in range('$RUNS')))')
bad="" present=0 absent=0
i=0
for delay in $delays; do
	i=$((i + 1))
	d=k$i
	"$CKW" rehearse plan.yaml --dir $d --idle-lock 0 --ui-script quit.keys >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if [ -e $d ]; then
		present=$((present + 1))
		"$CKW" verify $d/journal.jsonl >v$i.out 2>&1
		vrc=$?
		[ $vrc -eq 3 ] || bad="$bad $d(verify exit $vrc: $(head -3 v$i.out))"
	else
		absent=$((absent + 1))
	fi
	# Either way the same command opens it now.
	if ! "$CKW" rehearse plan.yaml --dir $d --idle-lock 0 --ui-script quit.keys >o$i.out 2>&1; then
		bad="$bad $d(does not open: $(cat o$i.out))"
	fi
done
if [ -z "$bad" ]; then
	tap_ok "$RUNS kills: every session left opens and verifies, or is absent ($present present, $absent absent)"
else
	tap_not_ok "$RUNS kills: every session left opens and verifies, or is absent" "$bad"
fi
left=$(ls -A . | grep '\.ckw-new\.' || true)
if [ -z "$left" ]; then
	tap_ok "no temporary directory is left once each was started again"
else
	tap_not_ok "no temporary directory is left once each was started again" "$left"
fi

# 4. What an older version left (only plan.yaml): named, with the command.
mkdir old && cp plan.yaml old/plan.yaml
if run_ck 4 old.out rehearse plan.yaml --dir old --ui-script quit.keys &&
	grep -q "half-made" old.out && grep -q "rm -r -- 'old'" old.out && [ -f old/plan.yaml ]; then
	tap_ok "a half-made directory of an older version is named, with how to remove it"
else
	tap_not_ok "a half-made directory of an older version is named" "$(cat old.out)"
fi
tap_done
