#!/bin/sh
# tests/figures/crash.sh BUILDDIR [RUNS]: kill -9 at random moments of a
# scripted rehearsal (doc/reliability.md, crash safety). Not part of
# `make check`: it takes minutes and its kill moments are random.
#
# The rehearsal (key script, pinned clock, deterministic signatures): both
# operators unlock, the author approves, the verifier verifies, then 40 notes,
# each followed by a screen dump. A reference run gives the whole journal.
# Each run is killed (SIGKILL) after a random delay within the reference
# run's duration, then:
#   - the directory is absent (killed before it was moved into place), or
#     `verify` accepts the journal (exit 3: valid, ceremony open);
#   - the journal is a byte prefix of the reference journal (nothing
#     reordered, rewritten or half-written);
#   - no lost confirmation: every dumped screen that says "Recorded: the
#     note." has its note in the journal (the screen says so after fsync);
#   - the session resumes (the wizard opens it and quits, exit 0) and still
#     verifies.
# Prints one Markdown table row per outcome and a summary.
set -u
B=${1:?usage: crash.sh BUILDDIR [RUNS]}
RUNS=${2:-60}
CKW="$B/ckwizard"
SRC=${CK_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ckw-crash.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export TERM=xterm-256color CK_SRCDIR="$SRC" LC_ALL=C.UTF-8 TZ=UTC
cd "$TMP" || exit 1
cp "$SRC/plans/contoso-exchange.yaml" plan.yaml
SP=$(printf '%60s' '')
{
	printf '%s' "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>s<Enter><Enter>rehearse-bob<Enter>"
	printf '%s' "<Home>$SP<Dump>s<Dump>"
	i=1
	while [ $i -le 40 ]; do printf 'nnote %d<Enter><Dump>' $i; i=$((i + 1)); done
	printf 'q<Enter>'
} >run.keys
printf 'q<Enter>' >quit.keys
wiz() { "$CKW" rehearse plan.yaml --dir "$1" --idle-lock 0 --ui-clock 1795435200 --ui-script "$2" --ui-dump "$3"; }

t0=$(date +%s.%N)
wiz ref run.keys ref.dump >/dev/null 2>&1 || { echo "reference run failed"; exit 1; }
t1=$(date +%s.%N)
dur=$(echo "$t1 - $t0" | bc)
refnotes=$(grep -c '"type":"note"' ref/journal.jsonl)
echo "reference: $(wc -l <ref/journal.jsonl) events ($refnotes notes) in ${dur}s"

absent=0 verified=0 bad=0 prefix_bad=0 lost=0 resume_bad=0 shown_total=0 kept_total=0
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	d=k$i
	delay=$(python3 -c "import random; print('%.3f' % random.uniform(0, $dur))")
	"$CKW" rehearse plan.yaml --dir $d --idle-lock 0 --ui-clock 1795435200 \
		--ui-script run.keys --ui-dump $d.dump >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if [ ! -e $d ]; then
		absent=$((absent + 1))
		continue
	fi
	"$CKW" verify $d/journal.jsonl >$d.verify 2>&1
	rc=$?
	if [ $rc -eq 3 ]; then
		verified=$((verified + 1))
	else
		bad=$((bad + 1))
		echo "run $i (delay $delay): verify exit $rc: $(head -2 $d.verify)"
	fi
	if ! cmp -s -n "$(wc -c <$d/journal.jsonl)" $d/journal.jsonl ref/journal.jsonl; then
		prefix_bad=$((prefix_bad + 1))
		echo "run $i: journal is not a prefix of the reference"
	fi
	# screens dumped whole (a screen is its header and 24 lines) saying a note was recorded
	shown=$(awk '/^-- screen /{if (n == 24 && rec) c++; n = 0; rec = 0; next} {n++} /Recorded: the note\./{rec = 1}
		END {if (n == 24 && rec) c++; print c + 0}' $d.dump 2>/dev/null)
	kept=$(grep -c '"type":"note"' $d/journal.jsonl)
	shown_total=$((shown_total + shown))
	kept_total=$((kept_total + kept))
	if [ "$shown" -gt "$kept" ]; then
		lost=$((lost + 1))
		echo "run $i: $shown notes shown recorded, $kept in the journal"
	fi
	wiz $d quit.keys $d.resume.dump >$d.resume 2>&1
	rrc=$?
	"$CKW" verify $d/journal.jsonl >/dev/null 2>&1
	vrc=$?
	if [ $rrc -ne 0 ] || [ $vrc -ne 3 ]; then
		resume_bad=$((resume_bad + 1))
		echo "run $i: resume exit $rrc, then verify exit $vrc: $(head -3 $d.resume)"
	fi
done
echo
echo "| Runs | Directory absent | Journal verifies (exit 3) | Verify fails | Not a prefix of the reference | Notes shown recorded / in journals | Lost confirmations | Resume fails |"
echo "|---|---|---|---|---|---|---|---|"
echo "| $RUNS | $absent | $verified | $bad | $prefix_bad | $shown_total / $kept_total | $lost | $resume_bad |"
