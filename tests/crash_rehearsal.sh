#!/bin/sh
# crash_rehearsal.sh: a scripted rehearsal (--ui-script, doc/wizard.md) killed
# with SIGKILL at random moments, each kill followed by a resume; then
# `report -o` and `operator enroll` killed the same way. Kills at every write
# and fsync boundary, chosen rather than random, are tests/crash_boundaries.sh. The moments are
# random, the assertions are not timing: every outcome is checked the same way.
#
# What the screen reported as recorded is known without trusting the clock:
# the key script takes a <Dump> right after each action that records, the
# dump file is flushed at each <Dump> and survives SIGKILL (only the process
# dies, the page cache stays), and the journal of a rehearsal with a pinned
# clock is byte-for-byte the same on every run (Ed25519 signatures are
# deterministic). So after a kill with D whole dumps written, the journal
# must hold at least the lines the same script, cut after its D-th <Dump>,
# leaves; and its lines must be the first lines of the uninterrupted run.
#
# CK_CRASH_RUNS (default 8, as `make check` runs it) sets the number of kills
# of the rehearsal; doc/reliability.md has the figures for 200.
# CK_CRASH_SIDE_RUNS (default 4) the kills of `report` and of `enroll`.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
RUNS=${CK_CRASH_RUNS:-8}
SIDE=${CK_CRASH_SIDE_RUNS:-4}
export TERM=xterm-256color CK_SRCDIR
CLOCK=1795435200
tap_plan 7
cd "$TMP" || exit 1
cp "$PLANS/contoso-exchange.yaml" plan.yaml
cp "$TDATA/rehearsal17.keys" full.keys
printf 'q<Enter>' >quit.keys

rehearse() { # DIR KEYS DUMP
	"$CKW" rehearse plan.yaml --dir "$1" --idle-lock 0 --ui-clock $CLOCK \
		--ui-script "$2" --ui-dump "$3"
}
# lines FILE: whole lines (ending in a line feed)
lines() { tr -dc '\n' <"$1" | wc -c; }
# whole_dumps FILE: screens written completely (a header and 24 rows)
whole_dumps() {
	[ -s "$1" ] || { echo 0; return; }
	awk '/^-- screen [0-9]+: /{ if (n) done += (rows >= 24); n++; rows = 0; next }
	     { rows++ } END { if (n) done += (rows >= 24); print done + 0 }' "$1"
}
# recorded K: journal lines once the script has run up to its K-th <Dump>
recorded() {
	[ "$1" -eq 0 ] && { echo 0; return; }
	[ -f "rec.$1" ] || {
		python3 -c 'import sys; s = open("full.keys").read().split("<Dump>")
print("<Dump>".join(s[:int(sys.argv[1])]) + "<Dump>", end="")' "$1" >"pre$1.keys"
		rehearse "pre$1" "pre$1.keys" "pre$1.dump" >/dev/null 2>&1
		lines "pre$1/journal.jsonl" >"rec.$1"
	}
	cat "rec.$1"
}

# 1. The uninterrupted run: the reference journal.
DUMPS=$(grep -o '<Dump>' full.keys | wc -l)
t0=$(date +%s.%N)
if rehearse ref full.keys ref.dump >ref.out 2>&1 && [ "$(lines ref/journal.jsonl)" -eq 17 ] &&
	[ "$(whole_dumps ref.dump)" -eq "$DUMPS" ]; then
	tap_ok "the scripted rehearsal records 17 events and takes $DUMPS screens"
else
	tap_not_ok "the scripted rehearsal records 17 events" "$(cat ref.out; wc -l ref/journal.jsonl)"
fi

# 2. The kills, spread over the time the uninterrupted run took (only to
# choose the moments: nothing below depends on the clock).
span=$(python3 -c "import time; print(time.time() - $t0)")
delays=$(python3 -c 'import random; print(" ".join("%.3f" % random.uniform(0, '"$span"') for _ in range('"$RUNS"')))')
bad="" absent=0 done_=0 torn=0 hist="" shown=0
i=0
for delay in $delays; do
	i=$((i + 1))
	d=k$i
	# exec: the kill reaches ckwizard itself, not a shell around it
	(exec "$CKW" rehearse plan.yaml --dir $d --idle-lock 0 --ui-clock $CLOCK \
		--ui-script full.keys --ui-dump $d.dump >/dev/null 2>&1) &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	seen=$(whole_dumps $d.dump)
	[ "$seen" -eq "$DUMPS" ] && done_=$((done_ + 1))
	if [ ! -e $d ]; then
		absent=$((absent + 1))
		[ "$seen" -eq 0 ] || bad="$bad $d(no session after $seen screens)"
		continue
	fi
	j=$d/journal.jsonl
	have=$(lines $j)
	need=$(recorded "$seen")
	[ "$need" -gt 0 ] && shown=$((shown + 1))
	hist="$hist $have"
	[ "$have" -ge "$need" ] ||
		bad="$bad $d(screen showed $seen recorded screens = $need events, journal has $have)"
	head -n "$have" ref/journal.jsonl >exp
	head -n "$have" $j | cmp -s - exp ||
		bad="$bad $d(journal lines differ from the uninterrupted run)"
	if [ -s $j ] && [ "$(tail -c1 $j | od -An -tx1 | tr -d ' ')" != 0a ]; then
		torn=$((torn + 1))
		"$CKW" verify $j >v$i.out 2>&1
		grep -qi "torn" v$i.out || bad="$bad $d(torn tail not reported: $(head -2 v$i.out))"
		continue
	fi
	"$CKW" verify $j >v$i.out 2>&1
	vrc=$?
	[ $vrc -eq 3 ] || bad="$bad $d(verify exit $vrc: $(head -3 v$i.out))"
	# Resume: the same command opens it, and the journal keeps every line.
	rehearse $d quit.keys $d.resume.dump >o$i.out 2>&1 ||
		bad="$bad $d(does not resume: $(cat o$i.out))"
	head -n "$have" $j | cmp -s - exp || bad="$bad $d(resume changed the journal)"
	"$CKW" verify $j >w$i.out 2>&1
	[ $? -eq 3 ] || bad="$bad $d(verify after resume: $(head -3 w$i.out))"
done
# Events per killed journal, as "events:count" pairs.
dist=$(for h in $hist; do echo "$h"; done | sort -n | uniq -c | awk '{ printf " %s:%s", $2, $1 }')
if [ -z "$bad" ]; then
	tap_ok "$RUNS kills: every journal verifies, resumes and holds all the screen showed as recorded ($absent before the session existed, $done_ after the script ended, $shown after the screen had shown something recorded, $torn torn tails; events:sessions$dist)"
else
	tap_not_ok "$RUNS kills: every journal verifies, resumes and holds all the screen showed as recorded" "$bad"
fi

# 3-4. `report -o` killed at random moments: the file is absent or whole
# (the same bytes as an uninterrupted report), never a stub.
"$CKW" report ref/journal.jsonl --format html -o ref.html >/dev/null 2>&1
bad="" whole=0 none=0 part=0
i=0
for delay in $(python3 -c 'import random; print(" ".join("%.3f" % random.uniform(0, 0.08) for _ in range('"$SIDE"')))'); do
	i=$((i + 1))
	"$CKW" report ref/journal.jsonl --format html -o r$i.html >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if [ ! -e r$i.html ]; then
		none=$((none + 1))
	elif cmp -s r$i.html ref.html; then
		whole=$((whole + 1))
	else
		part=$((part + 1))
		bad="$bad r$i.html($(wc -c <r$i.html) of $(wc -c <ref.html) bytes)"
	fi
done
if [ -z "$bad" ]; then
	tap_ok "$SIDE kills of report -o: $whole whole, $none absent, none partial"
else
	tap_not_ok "$SIDE kills of report -o: a partial report was left ($part)" "$bad"
fi
# Whatever a kill left, the same command then succeeds or says why.
if [ "$part" -eq 0 ]; then
	tap_ok "no partial report to block a retry"
else
	i=$(echo "$bad" | sed 's/^ r\([0-9]*\)\.html.*/\1/')
	"$CKW" report ref/journal.jsonl --format html -o r$i.html >retry.out 2>&1
	tap_not_ok "a partial report blocks the retry" "$(cat retry.out)"
fi

# 5. `report -o` killed in the middle of its write, every time: the file-size
# limit (ulimit -f 1: 1 KiB) sends SIGXFSZ on the first write past it. No
# stub under the name, and the same command then writes it whole.
# (no exec: the inner shell reaps it and says so on its own stderr)
sh -c 'ulimit -f 1 && "$0" report ref/journal.jsonl --format html -o big.html; exit $?' "$CKW" \
	>/dev/null 2>&1
xrc=$?
"$CKW" report ref/journal.jsonl --format html -o big.html >big.out 2>&1
if [ $xrc -gt 128 ] && cmp -s big.html ref.html; then
	tap_ok "report killed mid-write (signal $((xrc - 128))): nothing under its name, the retry writes it whole"
else
	tap_not_ok "report killed mid-write (exit $xrc)" "$(cat big.out)" "$(ls -la)"
fi

# 6-7. `operator enroll` killed at random moments: nothing, or a whole pair
# (export prints it); a private key without its .pub (killed between the two
# links) is undone by the next enrollment, which then succeeds. Every
# boundary, chosen rather than random, is tests/crash_boundaries.sh's.
bad="" whole=0 none=0 half=0
i=0
for delay in $(python3 -c 'import random; print(" ".join("%.3f" % random.uniform(0, 0.6) for _ in range('"$SIDE"')))'); do
	i=$((i + 1))
	export XDG_CONFIG_HOME="$TMP/enroll$i"
	ops="$XDG_CONFIG_HOME/ckwizard/operators"
	echo "pass phrase number $i" >pass$i
	"$CKW" operator enroll --name "Carol Chu" --upn carol@contoso.com \
		--passphrase-fd 0 <pass$i >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if [ ! -e "$ops/carol@contoso.com.key" ] && [ ! -e "$ops/carol@contoso.com.pub" ]; then
		none=$((none + 1))
	elif "$CKW" operator export carol@contoso.com >x$i.out 2>&1; then
		whole=$((whole + 1))
	else
		half=$((half + 1))
		"$CKW" operator enroll --name "Carol Chu" --upn carol@contoso.com \
			--passphrase-fd 0 <pass$i >e$i.out 2>&1 &&
			"$CKW" operator export carol@contoso.com >x$i.out 2>&1 ||
			bad="$bad enroll$i($(ls -A "$ops" | tr '\n' ' ')export: $(head -1 x$i.out); enroll again: $(head -2 e$i.out | tr '\n' ' '))"
	fi
done
if [ -z "$bad" ]; then
	tap_ok "$SIDE kills of operator enroll: $whole whole, $none absent, $half a private key without its .pub (enrolling again succeeds)"
else
	tap_not_ok "$SIDE kills of operator enroll: a state enrolling again does not clear" "$bad"
fi
export XDG_CONFIG_HOME="$TMP/home/.config"
tap_check "enroll after the kills still works in a fresh place" sh -c \
	"echo 'pass phrase again' | '$CKW' operator enroll --name 'Dan Do' --upn dan@contoso.com --passphrase-fd 0"
tap_done
