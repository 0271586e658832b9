#!/bin/sh
# crash_writers.sh: the writers tests/crash_boundaries.sh does not reach,
# stopped at each of their write and fsync boundaries by the same LD_PRELOAD
# library (tests/crashshim.c, helpers in tests/crash_lib.sh): killed with
# SIGKILL, then the call failed with ENOSPC, then with EIO.
#
# - The simulator performing every step of plans/contoso-exchange.yaml
#   (tests/rest_probe --simulate: backend_perform then the save of sim.json,
#   as a rehearsal's perform does): sim.json rewritten through its temporary
#   after each step, and the two key backups (the writer --execute's backups
#   use). After a kill: sim.json absent (killed before its first rename) or
#   whole, opened again by the simulator's strict reader; each backup under
#   its name the same bytes as in the uninterrupted run. After ENOSPC or EIO:
#   no crash; the same; a save or a backup that failed is reported with the
#   error and what to do; one not reported changed nothing (tolerated, listed).
#   `make check` stops at the boundaries of every save and backup from the
#   step before the first backup to the step after the second;
#   CK_BOUNDARY_FULL=1 at all of them.
# - A perform in the wizard (a rehearsal, the plan verified, the first step
#   performed): sim.json saved, then the journal line.
# - A plan amendment (the plan file changed, both sign): the journal line,
#   then plan-v2.yaml kept beside the first.
# - The request to co-sign of a shared session (two terminals, as
#   tests/ui_screens_two.sh drives them): cosign.request through its
#   temporary and a rename, withdrawn when the asking terminal quits.
#   For these three, after a kill: the journal holds exactly the lines
#   written before, verifies and resumes; a file the writer leaves is absent
#   or whole. After ENOSPC or EIO: no crash, nothing written before lost, and
#   what was not written or recorded is said with the error and what to do.
# - The reports the wizard writes when a closed session is opened (the same
#   writer as `report -o` and the closing): a closed rehearsal
#   (tests/journals/rehearsal-v1.jsonl) opened with its reports removed.
#   After a kill: each report absent or the same bytes as in the
#   uninterrupted run, the journal untouched, and opening it again writes
#   the missing ones. After ENOSPC or EIO: no crash; the same; and each report
#   not written is listed on the end screen and in the goodbye lines with the
#   error and what to do.
# doc/reliability.md has the figures.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
FULL=${CK_BOUNDARY_FULL:-0}
export TERM=xterm-256color CK_SRCDIR
. "$TDATA/crash_lib.sh"
PROBE="$CK_BUILDDIR/tests/rest_probe"
CLOCK=1795435200
tap_plan 12
cd "$TMP" || exit 1
[ -f "$SHIM" ] || { tap_not_ok "the test library $SHIM is built (make check builds it)"; tap_done; }
cp "$PLANS/contoso-exchange.yaml" plan.yaml

# 1. The simulator, uninterrupted, with the library counting.
simulate() { # DIR, then the prefix (shim ...) if any
	dir=$1
	shift
	rm -rf "$dir"
	mkdir "$dir"
	"$@" "$PROBE" --simulate plan.yaml "$dir" >"$dir.out" 2>&1
}
simulate sref shim 0 count sim.log
SN=$(lines sim.log)
SB=$(ls sref | grep -c '\.backup$')
# the boundaries stopped at in make check: from the save before the first
# backup's write to the save after the second backup
first=$(awk '$2 == "write" && $3 ~ /\.backup\./ { print $1; exit }' sim.log)
last=$(awk '$3 ~ /\.backup/ { n = $1 } END { print n + 0 }' sim.log)
if [ "$SN" -gt 0 ] && [ "$SB" = 2 ] && [ -n "$first" ] && ! grep -q '^!' sref.out; then
	tap_ok "the simulator performs the ceremony: $SN boundaries ($(summary sim.log)), $SB backups"
else
	tap_not_ok "the simulator's boundaries are counted" "$(cat sref.out)" "$(tail -5 sim.log)"
fi
picked() { # K: stopped at in this run?
	[ "$FULL" = 1 ] && return 0
	[ "$1" -ge $((first - 6)) ] && [ "$1" -le $((last + 6)) ]
}
# sim_left D K: sim.json whole and opened again, each backup whole; sets $bad
sim_left() {
	d=$1 k=$2
	if [ -e "$d/sim.json" ]; then
		PROBE_SIM_STEPS=0 "$PROBE" --simulate plan.yaml "$d" >"$d.open" 2>&1 ||
			bad="$bad $d(at $(op sim.log "$k"): sim.json not opened again: $(head -c 200 "$d.open"))"
	elif [ "$k" -gt "$(awk '$2 == "rename" { print $1; exit }' sim.log)" ]; then
		bad="$bad $d(sim.json lost after it was in place)"
	fi
	for f in "$d"/*.backup; do
		[ -e "$f" ] || continue
		cmp -s "$f" "sref/${f##*/}" || bad="$bad $d(a partial backup ${f##*/}: $(wc -c <"$f") bytes)"
	done
}
for mode in kill ENOSPC EIO; do
	ERRTEXT=$(errtext $mode)
	bad="" n=0 told_=0 saves=0 tolerated="" nosim=0 k=0
	while [ $k -lt "$SN" ]; do
		k=$((k + 1))
		picked $k || continue
		n=$((n + 1))
		d=s$mode$k
		simulate $d shim $k $mode /dev/null
		rc=$?
		stopped_as_asked $rc sim.log $k $d || continue
		[ -e $d/sim.json ] || nosim=$((nosim + 1))
		sim_left $d $k
		[ $mode = kill ] && continue
		# not written: a save refused (its error here; what to do is the
		# session's, on the step screen, part 2), a backup missing, a
		# step not as before (its error and what to do in its result)
		if grep -q "^! .* save failed: .*$ERRTEXT" $d.out; then
			saves=$((saves + 1))
		elif told $d.out; then
			told_=$((told_ + 1))
		elif grep -q '^!' $d.out || [ "$(ls $d | grep -c '\.backup$')" != "$SB" ] ||
			! cmp -s $d.out sref.out; then
			bad="$bad $d(at $(op sim.log $k), exit $rc: not said with \"$ERRTEXT\" and what to do: $(grep -v ' pass ' $d.out | head -3 | tr '\n' ' '))"
		else
			tolerated="$tolerated; $(op sim.log $k)"
		fi
	done
	if [ -z "$bad" ]; then
		case $mode in
		kill) tap_ok "the simulator killed at $n of its $SN boundaries: sim.json absent ($nosim, before its first rename) or whole and opened again, every backup under its name whole" ;;
		*) tap_ok "the simulator with $mode at $n of its $SN boundaries: no crash, sim.json whole and opened again, no partial backup; $saves saves refused with the error, $told_ backups not written said so with the error and what to do; changed nothing: $(tally "$tolerated")" ;;
		esac
	else
		tap_not_ok "the simulator, $mode at each boundary" "$bad"
	fi
done

# 2. A simulated perform in the wizard: a rehearsal with both operators,
# the plan approved and verified, then the first step performed (its
# owner's PIN): sim.json saved, then the journal line. Stopped at each
# boundary from the perform on (the ones before are crash_boundaries.sh's).
{
	sed -n '/^<Enter>rehearse/,/s5678<Enter><Dump>/p' "$TDATA/rehearsal17.keys"
	printf 'p1234<Enter><Dump>'
} >perform.keys
printf 'q<Enter>' >quit.keys
rehearse() { # DIR KEYS
	"$CKW" rehearse plan.yaml --dir "$1" --idle-lock 0 --ui-clock $CLOCK \
		--ui-script "$2" --ui-dump "$1.dump" >"$1.out" 2>&1
}
shim 0 count perform.log "$CKW" rehearse plan.yaml --dir pref --idle-lock 0 --ui-clock $CLOCK \
	--ui-script perform.keys --ui-dump pref.dump >pref.out 2>&1
PN=$(lines perform.log)
P0=$(awk '$2 == "unlink" && $3 ~ /sim\.json\.tmp$/ { n = $1 } END { print n + 0 }' perform.log)
PL=$(lines pref/journal.jsonl)
if [ "$P0" -gt 0 ] && tail -1 pref/journal.jsonl | grep -q '"type":"step.perform"'; then
	tap_ok "a perform in the wizard: boundaries $P0 to $PN of the rehearsal ($(awk -v p="$P0" '$1 >= p' perform.log | summary /dev/stdin))"
else
	tap_not_ok "a perform in the wizard is recorded" "$(tail -3 pref.out)" "$(tail -3 pref/journal.jsonl)"
fi
bad="" told_=0 tolerated=""
for mode in kill ENOSPC EIO; do
	ERRTEXT=$(errtext $mode)
	k=$((P0 - 1))
	while [ $k -lt "$PN" ]; do
		k=$((k + 1))
		d=p$mode$k
		shim $k $mode /dev/null "$CKW" rehearse plan.yaml --dir $d --idle-lock 0 \
			--ui-clock $CLOCK --ui-script perform.keys --ui-dump $d.dump >$d.out 2>&1
		rc=$?
		stopped_as_asked $rc perform.log $k $d || continue
		have=$(lines $d/journal.jsonl)
		wrote=$(before perform.log $k '^write .*journal\.jsonl$')
		head -n "$have" pref/journal.jsonl | cmp -s - $d/journal.jsonl ||
			bad="$bad $d(the journal is not the uninterrupted run's first lines)"
		if [ $mode = kill ]; then
			[ "$have" -eq "$wrote" ] || bad="$bad $d(journal has $have lines, $wrote were written)"
		else
			[ "$have" -ge "$wrote" ] || bad="$bad $d(journal has $have lines, $wrote were written)"
			if told $d.out $d.dump; then
				told_=$((told_ + 1))
			elif [ "$have" -lt "$PL" ] || [ $rc -ne 0 ]; then
				bad="$bad $d(at $(op perform.log $k), $have events: not said with \"$ERRTEXT\" and what to do: $(tail -4 $d.dump | tr '\n' ' '))"
			else
				tolerated="$tolerated; $(op perform.log $k)"
			fi
		fi
		# sim.json whole (the session opens it), verify, resume
		"$CKW" verify $d/journal.jsonl >$d.v 2>&1
		[ $? -eq 3 ] || bad="$bad $d(verify: $(head -2 $d.v | tr '\n' ' '))"
		rehearse $d quit.keys >/dev/null 2>&1 || bad="$bad $d(does not resume: $(head -3 $d.out | tr '\n' ' '))"
		head -n "$have" pref/journal.jsonl | cmp -s - $d/journal.jsonl || bad="$bad $d(resume changed the journal)"
	done
done
if [ -z "$bad" ]; then
	tap_ok "a perform in the wizard killed, then ENOSPC and EIO, at each of its $((PN - P0 + 1)) boundaries: each journal holds what was written and resumes with its sim.json; $told_ failures said what was not recorded and what to do; changed nothing: $(tally "$tolerated")"
else
	tap_not_ok "a perform in the wizard stopped at each boundary" "$bad"
fi

# 3. A plan amendment: the session above, up to the plan verified, quit; a
# line added to the plan file; opened again, both operators sign the
# amendment (s, Enter, both PINs): the journal line, then plan-v2.yaml kept
# beside the first. Stopped at each boundary from the amendment's line on.
sed -n '/^<Enter>rehearse/,/s5678<Enter><Dump>/p' "$TDATA/rehearsal17.keys" >verified.keys
printf '<Enter>rehearse-alice<Enter>rehearse-bob<Enter><Dump>s<Dump><Enter><Dump>1234<Enter><Dump>5678<Enter><Dump>' >amend.keys
cp plan.yaml amend.yaml
"$CKW" rehearse amend.yaml --dir amend0 --idle-lock 0 --ui-clock $CLOCK --ui-script verified.keys \
	--ui-dump amend0.dump >amend0.out 2>&1
echo '# amended: a line for the record' >>amend.yaml
amend() { # DIR KEYS, then the prefix (shim ...) if any
	dir=$1 keys=$2
	shift 2
	"$@" "$CKW" rehearse amend.yaml --dir "$dir" --idle-lock 0 --ui-clock $CLOCK \
		--ui-script "$keys" --ui-dump "$dir.dump" >"$dir.out" 2>&1
}
cp -r amend0 aref
amend aref amend.keys shim 0 count amend.log
AN=$(lines amend.log)
A0=$(before amend.log "$AN" '^write .*journal\.jsonl$')  # the amendment is the last line
A0=$(awk -v w="$A0" '$2 == "write" && $3 ~ /journal\.jsonl$/ && ++c == w { print $1 }' amend.log)
AL=$(lines aref/journal.jsonl)
if [ -n "$A0" ] && cmp -s aref/plan-v2.yaml amend.yaml && tail -1 aref/journal.jsonl | grep -q '"type":"plan.amend"'; then
	tap_ok "an amendment: boundaries $A0 to $AN of its sitting ($(awk -v p="$A0" '$1 >= p' amend.log | summary /dev/stdin))"
else
	tap_not_ok "an amendment is recorded and its version kept" "$(tail -3 aref.out)" "$(ls aref)"
fi
bad="" told_=0 tolerated="" kept=0
for mode in kill ENOSPC EIO; do
	ERRTEXT=$(errtext $mode)
	k=$((A0 - 1))
	while [ $k -lt "$AN" ]; do
		k=$((k + 1))
		d=a$mode$k
		cp -r amend0 $d
		amend $d amend.keys shim $k $mode /dev/null
		rc=$?
		stopped_as_asked $rc amend.log $k $d || continue
		have=$(lines $d/journal.jsonl)
		wrote=$(( $(lines amend0/journal.jsonl) + $(before amend.log $k '^write .*journal\.jsonl$') ))
		head -n "$have" aref/journal.jsonl | cmp -s - $d/journal.jsonl ||
			bad="$bad $d(the journal is not the uninterrupted run's first lines)"
		[ "$have" -ge "$wrote" ] || bad="$bad $d(journal has $have lines, $wrote were written)"
		[ $mode != kill ] || [ "$have" -eq "$wrote" ] || bad="$bad $d(journal has $have lines, $wrote were written)"
		if [ -e $d/plan-v2.yaml ]; then
			cmp -s $d/plan-v2.yaml amend.yaml || bad="$bad $d(a partial plan-v2.yaml)"
			kept=$((kept + 1))
		fi
		if [ $mode != kill ]; then
			if told $d.out $d.dump; then
				told_=$((told_ + 1))
			elif [ "$have" -lt "$AL" ] || [ ! -e $d/plan-v2.yaml ] || [ $rc -ne 0 ]; then
				bad="$bad $d(at $(op amend.log $k), $have events: not said with \"$ERRTEXT\" and what to do: $(tail -4 $d.dump | tr '\n' ' '))"
			else
				tolerated="$tolerated; $(op amend.log $k)"
			fi
		fi
		"$CKW" verify $d/journal.jsonl >$d.v 2>&1
		[ $? -eq 3 ] || bad="$bad $d(verify: $(head -2 $d.v | tr '\n' ' '))"
		# opened again: resumes; the amendment not recorded is asked again,
		# one recorded is not recorded twice, and its version is kept
		amend $d quit.keys || bad="$bad $d(does not resume: $(head -3 $d.out | tr '\n' ' '))"
		head -n "$have" aref/journal.jsonl | cmp -s - $d/journal.jsonl || bad="$bad $d(resume changed the journal)"
		[ "$have" -lt "$AL" ] || cmp -s $d/plan-v2.yaml amend.yaml ||
			bad="$bad $d(the amendment is recorded, plan-v2.yaml is not there after resuming)"
	done
done
if [ -z "$bad" ]; then
	tap_ok "an amendment killed, then ENOSPC and EIO, at each of its $((AN - A0 + 1)) boundaries: each journal holds what was written, verifies and resumes; plan-v2.yaml absent or whole ($kept kept); $told_ failures said what was not written and what to do; changed nothing: $(tally "$tolerated")"
else
	tap_not_ok "an amendment stopped at each boundary" "$bad"
fi

# 4. The request to co-sign of a shared session (two terminals, as
# tests/ui_screens_two.sh drives them): Alice, at her terminal, asks for a
# skip; Bob, joined at his, waits. Alice's terminal is stopped at each
# boundary from the request on (cosign.request through its temporary and a
# rename; withdrawn when she quits); Bob's is ended by the test.
SPACES=$(printf '%60s' '')
printf '%s' "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>s1234<Enter>5678<Enter><Home>$SPACES s5678<Enter>q<Enter>" >shared.keys
"$CKW" rehearse plan.yaml --dir shared0 --idle-lock 0 --ui-clock $CLOCK --ui-script shared.keys \
	>shared0.out 2>&1
# two DIR, then the prefix (shim ...) for Alice's terminal if any
two() {
	dir=$1
	shift
	rm -f "$dir.a-in" "$dir.b-in" "$dir.a-done"
	printf '%s' "<Enter>rehearse-alice<Enter><Touch $dir.a-in><Await $dir.b-in><Tick>SThe licences are checked by procurement<Enter><Dump>q<Enter>" >"$dir.a.keys"
	printf '%s' "<Await $dir.a-in><Enter>rehearse-bob<Enter><Touch $dir.b-in><Await $dir.a-done>q<Enter>" >"$dir.b.keys"
	"$@" "$CKW" rehearse plan.yaml --dir "$dir" --as A --idle-lock 0 --ui-clock $CLOCK \
		--ui-script "$dir.a.keys" --ui-dump "$dir.dump" >"$dir.out" 2>&1 &
	apid=$!
	i=0
	while [ ! -e "$dir.a-in" ] && [ $i -lt 600 ] && kill -0 $apid 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
	"$CKW" join "$dir" --as B --idle-lock 0 --ui-clock $CLOCK --ui-script "$dir.b.keys" \
		--ui-dump "$dir.b.dump" >"$dir.b.out" 2>&1 &
	bpid=$!
	wait $apid
	arc=$?
	touch "$dir.a-done" # Bob's terminal quits
	wait $bpid
	return $arc
}
cp -r shared0 cref
two cref shim 0 count cosign.log
CN=$(lines cosign.log)
C0=$(awk '$3 ~ /cosign\.request/ { print $1; exit }' cosign.log)
C1=$(awk '$3 ~ /cosign\.request/ { n = $1 } END { print n + 0 }' cosign.log)
CL=$(lines cref/journal.jsonl)
if [ -n "$C0" ] && [ ! -e cref/cosign.request ]; then
	tap_ok "a request to co-sign: boundaries $C0 to $C1 of Alice's terminal ($(awk -v p="$C0" -v q="$C1" '$1 >= p && $1 <= q' cosign.log | summary /dev/stdin))"
else
	tap_not_ok "a request to co-sign is written and withdrawn" "$(cat cref.out)" "$(cat cosign.log)"
fi
bad="" told_=0 tolerated="" left=0
for mode in kill ENOSPC EIO; do
	ERRTEXT=$(errtext $mode)
	k=$((C0 - 1))
	while [ $k -lt "$C1" ]; do
		k=$((k + 1))
		d=c$mode$k
		cp -r shared0 $d
		two $d shim $k $mode /dev/null
		rc=$?
		stopped_as_asked $rc cosign.log $k $d || continue
		stale=""
		if [ -e $d/cosign.request ]; then
			left=$((left + 1))
			# whole, one line; "stale" when its prev is no longer the
			# journal's head (a line was appended since: never co-signable)
			stale=$(python3 -c 'import json, sys
r = json.loads(open(sys.argv[1]).read())
head = json.loads(open(sys.argv[2]).read().splitlines()[-1])["hash"]
print("stale" if r["prev"] != head else "")' $d/cosign.request $d/journal.jsonl) &&
				[ "$(lines $d/cosign.request)" = 1 ] ||
				bad="$bad $d(a partial cosign.request: $(wc -c <$d/cosign.request) bytes)"
		fi
		if [ $mode != kill ]; then
			if told $d.out $d.dump; then
				told_=$((told_ + 1))
			elif [ -e $d/cosign.request ] && [ -z "$stale" ] || [ $rc -ne 0 ] ||
				op cosign.log $k | grep -q '^\(write\|fsync\|rename\) '; then
				bad="$bad $d(at $(op cosign.log $k): not said with \"$ERRTEXT\" and what to do: $(tail -4 $d.dump | tr '\n' ' '))"
			else
				tolerated="$tolerated; $(op cosign.log $k)"
			fi
		fi
		"$CKW" verify $d/journal.jsonl >$d.v 2>&1
		[ $? -eq 3 ] || bad="$bad $d(verify: $(head -2 $d.v | tr '\n' ' '))"
		have=$(lines $d/journal.jsonl)
		cp $d/journal.jsonl $d.j
		# Alice alone opens it again and quits: the journal keeps its lines
		"$CKW" rehearse plan.yaml --dir $d --as A --idle-lock 0 --ui-clock $CLOCK \
			--ui-script quit.keys --ui-dump $d.r.dump >$d.r 2>&1 ||
			bad="$bad $d(does not resume: $(head -3 $d.r | tr '\n' ' '))"
		head -n "$have" $d/journal.jsonl | cmp -s - $d.j || bad="$bad $d(resume changed the journal)"
		"$CKW" verify $d/journal.jsonl >/dev/null 2>&1
		[ $? -eq 3 ] || bad="$bad $d(verify after resume)"
	done
done
if [ -z "$bad" ]; then
	tap_ok "a request to co-sign killed, then ENOSPC and EIO, at each of its $((C1 - C0 + 1)) boundaries: never partial ($left left whole), each journal verifies and resumes; $told_ failures said what was not written and what to do; changed nothing: $(tally "$tolerated")"
else
	tap_not_ok "a request to co-sign stopped at each boundary" "$bad"
fi

# 5. The reports written when a closed session is opened again.
mkdir -m 700 closed
cp "$TDATA/journals/rehearsal-v1.jsonl" closed/journal.jsonl
head -1 closed/journal.jsonl | python3 -c 'import json, sys
sys.stdout.write(json.loads(sys.stdin.read())["payload"]["plan"])' >closed/plan.yaml
cp closed/plan.yaml plan1.yaml
chmod 600 closed/journal.jsonl closed/plan.yaml
printf '<Dump>q<Enter>' >end.keys
open_closed() { # DIR, then the prefix (shim ...) if any
	dir=$1
	shift
	"$@" "$CKW" rehearse plan1.yaml --dir "$dir" --idle-lock 0 --ui-clock $CLOCK \
		--ui-script end.keys --ui-dump "$dir.dump" >"$dir.out" 2>&1
}
cp -r closed rref
open_closed rref shim 0 count reports.log
RN=$(lines reports.log)
bad=""
for x in md html json; do [ -s rref/report.$x ] || bad="$bad report.$x"; done
if [ "$RN" -gt 0 ] && [ -z "$bad" ]; then
	tap_ok "opening a closed session writes its three reports: $RN boundaries ($(summary reports.log))"
else
	tap_not_ok "opening a closed session writes its reports" "$bad" "$(cat rref.out)"
fi
bad="" absent=0 told_=0 tolerated=""
for mode in kill ENOSPC EIO; do
	ERRTEXT=$(errtext $mode)
	k=0
	while [ $k -lt "$RN" ]; do
		k=$((k + 1))
		d=r$mode$k
		cp -r closed $d
		open_closed $d shim $k $mode /dev/null
		rc=$?
		stopped_as_asked $rc reports.log $k $d || continue
		cmp -s $d/journal.jsonl closed/journal.jsonl || bad="$bad $d(the journal changed)"
		missing=""
		for x in md html json; do
			if [ ! -e $d/report.$x ]; then
				missing="$missing $x"
				absent=$((absent + 1))
			elif ! cmp -s $d/report.$x rref/report.$x; then
				bad="$bad $d(a partial report.$x: $(wc -c <$d/report.$x) bytes)"
			fi
		done
		if [ $mode != kill ]; then
			if [ -n "$missing" ]; then
				# each one missing, with the error and what to do, on the
				# end screen and in the goodbye lines
				for x in $missing; do
					grep -A3 "report.$x" $d.dump >$d.said.dump
					grep "report.$x" $d.out >$d.said.out
					told $d.said.dump && told $d.said.out ||
						bad="$bad $d(report.$x not written at $(op reports.log $k), not said with \"$ERRTEXT\" and what to do: $(grep "report.$x" $d.out))"
				done
				told_=$((told_ + 1))
			else
				tolerated="$tolerated; $(op reports.log $k)"
			fi
		fi
		# opened again: the missing ones written, all whole
		open_closed $d >/dev/null 2>&1
		for x in md html json; do
			cmp -s $d/report.$x rref/report.$x || bad="$bad $d(report.$x not written when opened again)"
		done
	done
done
if [ -z "$bad" ]; then
	tap_ok "a closed session's reports killed, then ENOSPC and EIO, at each of their $RN boundaries: $absent reports absent in all, none partial, the journal untouched, each opened again writes them; $told_ failures said which report and why with what to do; changed nothing: $(tally "$tolerated")"
else
	tap_not_ok "a closed session's reports stopped at each boundary" "$bad"
fi
tap_done
