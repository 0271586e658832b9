#!/bin/sh
# crash_boundaries.sh: every write and fsync boundary of a scripted session,
# stopped at one after the other by an LD_PRELOAD library
# (tests/crashshim.c): first killed there with SIGKILL, then the call failed
# with ENOSPC, then with EIO. Three sessions, between them every writer a
# rehearsal uses: a scripted rehearsal (the session's creation, plan.yaml,
# sim.json, the journal), `operator enroll` with a passphrase and a signing
# PIN (the key store), and `report -o` (a report).
#
# A first run of each session lists its boundaries ("N op file"); then for
# each N and each way of stopping, the checks below. The kill points are
# chosen, not timed, so each run is the same on every machine.
#
# After a kill at N:
# - the process died there (the boundary was reached);
# - the session is absent (killed before its directory was moved into place)
#   or its journal holds exactly the lines written before N, the first lines
#   of the uninterrupted run; `verify` accepts it; it resumes; and it holds
#   every event a screen dumped before the kill had shown as recorded
#   (as tests/crash_rehearsal.sh reads the dumps);
# - an enrollment left nothing, or a pair that `operator export` reads; a
#   second enrollment then either refuses (the pair is there) or succeeds;
#   a .pin is never left empty; no temporary is left after the second;
# - a report is absent or whole, and the same command then writes it.
# After ENOSPC or EIO at N: no crash; the same, except that the journal holds
# at least the lines written before N; and when anything was not written
# (a shorter journal, no key, no report, an exit status that is not 0),
# the output or a screen says why (the error's text) and what to do (a
# recognised phrase). A failure that is not reported must have changed
# nothing (a directory fsync after a whole file replaced another, a stale
# temporary that cannot be removed): it is counted as tolerated and listed.
#
# Then the key backups `--execute` writes (tests/rest_probe against the fake
# Azure, from an empty tenant): killed at each boundary, every backup file
# under its name is whole (the fake's blob, complete) or absent; with ENOSPC
# and EIO (at the first backup's boundaries; at all with CK_BOUNDARY_FULL=1:
# each run takes seconds), none is left partial under its name and the
# failure says so and what to do. The writers these sessions do not reach
# are in tests/crash_writers.sh.
#
# CK_BOUNDARY_FULL=1 runs the whole 17-event rehearsal (tests/rehearsal17.keys);
# by default (`make check`) the rehearsal stops after its CK_BOUNDARY_DUMPS
# (5) first screens: 7 events, the last from the step screen, whose message
# line must show a long error whole. doc/reliability.md has the figures.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
FULL=${CK_BOUNDARY_FULL:-0}
CUT=${CK_BOUNDARY_DUMPS:-5}
export TERM=xterm-256color CK_SRCDIR
. "$TDATA/crash_lib.sh"
CLOCK=1795435200
tap_plan 12
cd "$TMP" || exit 1
[ -f "$SHIM" ] || { tap_not_ok "the test library $SHIM is built (make check builds it)"; tap_done; }
cp "$PLANS/contoso-exchange.yaml" plan.yaml
printf 'q<Enter>' >quit.keys
if [ "$FULL" = 1 ]; then
	cp "$TDATA/rehearsal17.keys" full.keys
else
	python3 -c 'import sys; s = open(sys.argv[1]).read().split("<Dump>")
print("<Dump>".join(s[:int(sys.argv[2])]) + "<Dump>", end="")' "$TDATA/rehearsal17.keys" "$CUT" >full.keys
fi

rehearse() { # DIR KEYS DUMP
	"$CKW" rehearse plan.yaml --dir "$1" --idle-lock 0 --ui-clock $CLOCK \
		--ui-script "$2" --ui-dump "$3"
}
whole_dumps() {
	[ -s "$1" ] || { echo 0; return; }
	awk '/^-- screen [0-9]+: /{ if (n) done += (rows >= 24); n++; rows = 0; next }
	     { rows++ } END { if (n) done += (rows >= 24); print done + 0 }' "$1"
}
recorded() { # K: journal lines once the script has run up to its K-th <Dump>
	[ "$1" -eq 0 ] && { echo 0; return; }
	[ -f "rec.$1" ] || {
		python3 -c 'import sys; s = open("full.keys").read().split("<Dump>")
print("<Dump>".join(s[:int(sys.argv[1])]) + "<Dump>", end="")' "$1" >"pre$1.keys"
		rehearse "pre$1" "pre$1.keys" "pre$1.dump" >/dev/null 2>&1
		lines "pre$1/journal.jsonl" >"rec.$1"
	}
	cat "rec.$1"
}

# 1. The rehearsal, uninterrupted, with the library counting.
shim 0 count ref.log "$CKW" rehearse plan.yaml --dir ref --idle-lock 0 --ui-clock $CLOCK \
	--ui-script full.keys --ui-dump ref.dump >ref.out 2>&1
N=$(lines ref.log)
R=$(awk '$2 == "rename" && $3 == "ref" { print $1 }' ref.log)
REF_LINES=$(lines ref/journal.jsonl)
if [ "$N" -gt 0 ] && [ -n "$R" ] && [ "$REF_LINES" -gt 1 ]; then
	tap_ok "the rehearsal: $N boundaries, $REF_LINES events, moved into place at boundary $R ($(summary ref.log))"
else
	tap_not_ok "the rehearsal's boundaries are counted" "$(cat ref.out)" "$(cat ref.log)"
fi

# check_session D K MODE: the session D after stopping at K; sets $bad
check_session() {
	d=$1 k=$2 mode=$3 j=$1/journal.jsonl
	wrote=$(before ref.log "$k" '^write .*journal\.jsonl$')
	have=$(lines "$j")
	head -n "$have" ref/journal.jsonl >exp
	if [ "$mode" = kill ]; then
		[ "$k" -le "$R" ] && want=0 || want=$wrote
		[ "$have" -eq "$want" ] || bad="$bad $d(journal has $have lines, $want were written before)"
		need=$(recorded "$(whole_dumps "$d.dump")")
		[ "$have" -ge "$need" ] || bad="$bad $d(the screen showed $need events recorded, journal has $have)"
	else
		# once created (moved into place, the parent fsync'd), nothing goes
		[ "$k" -le $((R + 1)) ] || [ "$have" -ge "$wrote" ] ||
			bad="$bad $d(journal has $have lines, $wrote were written before)"
	fi
	[ -s "$j" ] || return 0
	head -n "$have" "$j" | cmp -s - exp || bad="$bad $d(lines differ from the uninterrupted run)"
	if [ "$(tail -c1 "$j" | od -An -tx1 | tr -d ' ')" != 0a ]; then
		"$CKW" verify "$j" >"$d.v" 2>&1
		grep -qi torn "$d.v" || bad="$bad $d(torn tail not reported)"
		return 0
	fi
	"$CKW" verify "$j" >"$d.v" 2>&1
	[ $? -eq 3 ] || bad="$bad $d(verify: $(head -2 "$d.v" | tr '\n' ' '))"
}
# resume D: the same command opens it (or starts it again) and quits
resume() {
	d=$1 j=$1/journal.jsonl
	have=$(lines "$j")
	head -n "$have" ref/journal.jsonl >exp
	rehearse "$d" quit.keys "$d.resume.dump" >"$d.r" 2>&1 ||
		{ bad="$bad $d(does not resume: $(head -3 "$d.r" | tr '\n' ' '))"; return; }
	head -n "$have" "$j" | cmp -s - exp || bad="$bad $d(resume changed the journal)"
	"$CKW" verify "$j" >"$d.w" 2>&1
	[ $? -eq 3 ] || bad="$bad $d(verify after resume: $(head -2 "$d.w" | tr '\n' ' '))"
}

# 2. Killed at each boundary.
bad="" absent=0 hist=""
k=0
while [ $k -lt "$N" ]; do
	k=$((k + 1))
	d=k$k
	shim $k kill /dev/null "$CKW" rehearse plan.yaml --dir $d --idle-lock 0 --ui-clock $CLOCK \
		--ui-script full.keys --ui-dump $d.dump >$d.out 2>&1
	rc=$?
	[ $rc -eq 137 ] || { bad="$bad $d(not killed at $(op ref.log $k): exit $rc)"; continue; }
	[ -d $d ] && [ -s $d/journal.jsonl ] || absent=$((absent + 1))
	check_session $d $k kill
	resume $d
	hist="$hist $(lines $d/journal.jsonl)"
done
if [ -z "$bad" ]; then
	tap_ok "killed at each of the rehearsal's $N boundaries: each journal verifies, resumes and holds exactly what was written before and all the screen showed ($absent before the session was in place)"
else
	tap_not_ok "killed at each of the rehearsal's $N boundaries" "$bad"
fi

# 3-4. ENOSPC, then EIO, at each boundary.
for mode in ENOSPC EIO; do
	ERRTEXT=$(errtext $mode)
	bad="" told_=0 tolerated="" k=0
	while [ $k -lt "$N" ]; do
		k=$((k + 1))
		d=$mode$k
		shim $k $mode /dev/null "$CKW" rehearse plan.yaml --dir $d --idle-lock 0 \
			--ui-clock $CLOCK --ui-script full.keys --ui-dump $d.dump >$d.out 2>&1
		rc=$?
		[ $rc -lt 128 ] && ! grep -q 'Sanitizer' $d.out ||
			{ bad="$bad $d(crashed at $(op ref.log $k): exit $rc)"; continue; }
		check_session $d $k $mode
		if told $d.out $d.dump; then
			told_=$((told_ + 1))
		elif [ $rc -ne 0 ] || [ "$(lines $d/journal.jsonl)" -lt "$REF_LINES" ]; then
			bad="$bad $d(at $(op ref.log $k), exit $rc, $(lines $d/journal.jsonl) events: no message with \"$ERRTEXT\" and what to do: $(head -c 300 $d.out | tr '\n' ' '))"
		else
			tolerated="$tolerated; $(op ref.log $k)"
		fi
		resume $d
	done
	if [ -z "$bad" ]; then
		tap_ok "$mode at each of the rehearsal's $N boundaries: no crash, nothing written before is lost, $told_ said what was not written and what to do, the rest were not reported and changed nothing (${tolerated#; }), and each resumes or starts again"
	else
		tap_not_ok "$mode at each of the rehearsal's $N boundaries" "$bad"
	fi
done

# 5-7. operator enroll: killed, then ENOSPC, then EIO, at each boundary.
echo "pass phrase for the boundaries" >pass
echo "482916" >pin
enroll() { # XDG_CONFIG_HOME, then the prefix (shim ...) if any
	home=$1
	shift
	XDG_CONFIG_HOME=$home "$@" "$CKW" operator enroll --name "Carol Chu" --upn carol@contoso.com \
		--passphrase-fd 0 --pin-fd 3 <pass 3<pin
}
enroll "$TMP/eref" shim 0 count enroll.log >eref.out 2>&1
EN=$(lines enroll.log)
ops=ckwizard/operators
for mode in kill ENOSPC EIO; do
	ERRTEXT=$(errtext $mode)
	bad="" none=0 pair=0 nopin=0 told_=0 tolerated="" k=0
	while [ $k -lt "$EN" ]; do
		k=$((k + 1))
		h="$TMP/e$mode$k"
		enroll "$h" shim $k $mode /dev/null >e$mode$k.out 2>&1
		rc=$?
		o="$h/$ops/carol@contoso.com"
		if [ $mode = kill ]; then
			[ $rc -eq 137 ] || { bad="$bad e$k(not killed at $(op enroll.log $k): exit $rc)"; continue; }
		elif [ $rc -ge 128 ]; then
			bad="$bad e$mode$k(crashed at $(op enroll.log $k): exit $rc)"
			continue
		fi
		[ ! -e "$o.pin" ] || grep -q '^ckwizard-pin ' "$o.pin" ||
			bad="$bad e$mode$k(a .pin that is not one: $(wc -c <"$o.pin") bytes)"
		if [ -e "$o.pub" ]; then
			[ -e "$o.pin" ] || nopin=$((nopin + 1))
			XDG_CONFIG_HOME=$h "$CKW" operator export carol@contoso.com >x.out 2>&1 ||
				bad="$bad e$mode$k(a pair export cannot read: $(head -1 x.out))"
			pair=$((pair + 1))
			if [ $mode != kill ]; then
				if told e$mode$k.out; then
					told_=$((told_ + 1))
				elif [ $rc -ne 0 ] || [ ! -e "$o.pin" ]; then
					bad="$bad e$mode$k(exit $rc at $(op enroll.log $k), not told: $(head -c 300 e$mode$k.out))"
				else
					tolerated="$tolerated; $(op enroll.log $k)"
				fi
			fi
			enroll "$h" >e$mode$k.again 2>&1 && bad="$bad e$mode$k(enrolled over a pair)"
		else
			none=$((none + 1))
			if [ $mode != kill ]; then
				told e$mode$k.out && told_=$((told_ + 1)) ||
					bad="$bad e$mode$k(exit $rc at $(op enroll.log $k), not told: $(head -c 300 e$mode$k.out))"
			fi
			enroll "$h" >e$mode$k.again 2>&1 &&
				XDG_CONFIG_HOME=$h "$CKW" operator export carol@contoso.com >/dev/null 2>&1 ||
				bad="$bad e$mode$k(the second enrollment fails: $(head -2 e$mode$k.again | tr '\n' ' '); left: $(ls -A "$h/$ops" | tr '\n' ' '))"
			# and clears what the first left (with a pair, a hidden second
			# name of each file may stay: the command refuses before looking)
			left=$(ls -A "$h/$ops" 2>/dev/null | grep '\.new$')
			[ -z "$left" ] || bad="$bad e$mode$k(temporaries left after the second enrollment: $left)"
		fi
	done
	if [ -z "$bad" ]; then
		case $mode in
		kill) tap_ok "operator enroll killed at each of its $EN boundaries ($(summary enroll.log)): $none left no operator (enrolling again works), $pair a usable pair ($nopin without a .pin: the wizard asks for one), never a key without its .pub" ;;
		*) tap_ok "operator enroll with $mode at each of its $EN boundaries: $none enrolled nothing, $pair a usable pair; $told_ said why and what to do; changed nothing: ${tolerated#; }" ;;
		esac
	else
		tap_not_ok "operator enroll, $mode at each of its $EN boundaries" "$bad"
	fi
done

# 8-9. report -o: killed, then ENOSPC and EIO, at each boundary.
"$CKW" report ref/journal.jsonl --format html -o whole.html >/dev/null 2>&1
shim 0 count report.log "$CKW" report ref/journal.jsonl --format html -o rref.html >/dev/null 2>&1
RN=$(lines report.log)
# A report's name must outlive a power loss, not only a kill: its directory
# is fsync'd after the link, as the journal's and the backups' are.
if awk '$2 == "link" && $3 ~ /rref\.html$/ { l = $1 } l && $1 > l && $2 == "fsync" && $3 !~ /rref/ { d = 1 } END { exit !d }' report.log; then
	tap_ok "report -o fsyncs the directory after linking the report"
else
	tap_not_ok "report -o fsyncs the directory after linking the report" "$(cat report.log)"
fi
for mode in kill errors; do
	bad="" none=0 whole=0 told_=0 tolerated=""
	for m in $([ $mode = kill ] && echo kill || echo ENOSPC EIO); do
		ERRTEXT=$(errtext $m)
		k=0
		while [ $k -lt "$RN" ]; do
			k=$((k + 1))
			f=r$m$k.html
			shim $k $m /dev/null "$CKW" report ref/journal.jsonl --format html -o $f >$f.out 2>&1
			rc=$?
			if [ $m = kill ]; then
				[ $rc -eq 137 ] || { bad="$bad $f(not killed: exit $rc)"; continue; }
			elif [ $rc -ge 128 ]; then
				bad="$bad $f(crashed: exit $rc)"
				continue
			fi
			if [ ! -e $f ]; then
				none=$((none + 1))
				if [ $m != kill ]; then
					told $f.out && told_=$((told_ + 1)) ||
						bad="$bad $f(at $(op report.log $k), not told: $(head -c 300 $f.out))"
				fi
				"$CKW" report ref/journal.jsonl --format html -o $f >$f.again 2>&1 && cmp -s $f whole.html ||
					bad="$bad $f(the same command fails: $(head -2 $f.again))"
			elif cmp -s $f whole.html; then
				whole=$((whole + 1))
				[ $m = kill ] || [ $rc -ne 0 ] || tolerated="$tolerated; $(op report.log $k)"
			else
				bad="$bad $f(partial: $(wc -c <$f) bytes)"
			fi
		done
	done
	if [ -z "$bad" ]; then
		case $mode in
		kill) tap_ok "report -o killed at each of its $RN boundaries ($(summary report.log)): $none absent (the same command then writes it), $whole whole, none partial" ;;
		*) tap_ok "report -o with ENOSPC and EIO at each of its $RN boundaries: $none absent, each said why and what to do ($told_), $whole whole (changed nothing: ${tolerated#; })" ;;
		esac
	else
		tap_not_ok "report -o, $mode at each of its $RN boundaries" "$bad"
	fi
done

# 10-11. The backups of --execute, against the fake Azure.
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
PROBE="$CK_BUILDDIR/tests/rest_probe"
# One fake serves every run below (twenty and more probes, each seconds in a
# sanitizer build): its lifetime must outlast them all.
fake_tenant "$PLANS/contoso-exchange.yaml" --lifetime 1800
probe() { # DIR, then the prefix (shim ...) if any
	dir=$1
	shift
	hook "$FAKE_PORT" /test/empty '{}' >/dev/null
	mkdir -p "$TMP/$dir"
	(cd "$TMP/$dir" && "$@" "$PROBE" --execute "$PLANS/contoso-exchange.yaml" "$TMP/ep" "$TMP/ca.pem" \
		"$TMP/azA" "$TMP/azB") >"$TMP/$dir.out" 2>&1
}
# whole_backups DIR: each *.backup is the fake's blob, complete; prints how many
whole_backups() {
	python3 - "$TMP/$1" <<'PY'
import json, os, sys
d, n = sys.argv[1], 0
for f in sorted(os.listdir(d)):
    if not f.endswith(".backup"):
        continue
    raw = open(os.path.join(d, f), "rb").read()
    try:
        assert raw.startswith(b"fake-akv-backup:")
        json.loads(raw[len(b"fake-akv-backup:"):])
    except Exception:
        print("%s is not a whole backup (%d bytes)" % (f, len(raw)))
        sys.exit(1)
    n += 1
print(n)
PY
}
probe bref shim 0 count "$TMP/backup.log"
BN=$(lines backup.log)
BW=$(whole_backups bref)
if [ "$BN" -gt 0 ] && [ "$BW" = 2 ]; then
	tap_ok "--execute from an empty tenant writes $BW backups: $BN boundaries ($(summary backup.log))"
else
	tap_not_ok "--execute writes its backups" "$BW" "$(tail -5 "$TMP/bref.out")"
fi
bad="" k=0 seen=""
while [ $k -lt "$BN" ]; do
	k=$((k + 1))
	probe bkill$k env CKW_SHIM_AT=$k CKW_SHIM_MODE=kill LD_PRELOAD="$SHIM"
	w=$(whole_backups bkill$k) || bad="$bad bkill$k(at $(op backup.log $k): $w)"
	seen="$seen $w"
done
# ENOSPC and EIO: at each boundary of the first backup (each run takes
# seconds), and at every one with CK_BOUNDARY_FULL=1.
errs=""
# (the first half: two backups, each written the same way)
BE=$((BN / 2))
[ "$FULL" = 1 ] && BE=$BN
for mode in ENOSPC EIO; do
	ERRTEXT=$(errtext $mode)
	k=0
	while [ $k -lt "$BE" ]; do
		k=$((k + 1))
		probe b$mode$k env CKW_SHIM_AT=$k CKW_SHIM_MODE=$mode LD_PRELOAD="$SHIM"
		w=$(whole_backups b$mode$k) || bad="$bad b$mode$k(at $(op backup.log $k): $w)"
		if [ "$w" != 2 ]; then
			grep "$ERRTEXT; nothing was written under that name" "$TMP/b$mode$k.out" >b.said &&
				told b.said ||
				bad="$bad b$mode$k(at $(op backup.log $k), $w backups, not said with what to do: $(grep 'key.backup' "$TMP/b$mode$k.out" | head -3))"
		fi
		errs="$errs $w"
	done
done
if [ -z "$bad" ]; then
	tap_ok "--execute killed at each of its $BN backup boundaries: every backup under its name whole, never short (backups left per kill:$seen); ENOSPC and EIO at the first $BE of them: none partial, each failure said so and what to do (backups left:$errs)"
else
	tap_not_ok "--execute stopped at each backup boundary" "$bad"
fi
tap_done
