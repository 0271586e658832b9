#!/bin/sh
# shared_cli.sh: two real processes, one per operator, append 1,000 notes to
# one session in turn (each re-reading and re-verifying the other's lines
# under the append lock before its own), and `ckwizard verify` holds the
# result: every line chained, signed and allowed by the rules.
. "$(dirname "$0")/tap.sh"
tap_plan 3
DRV="$CK_BUILDDIR/tests/shared_append"
W="$TMP/w"
mkdir -p "$W"
# The plan of the unit tests (operators of seeds 0x11 and 0x22).
if ! ( cd "$W" && CK_SRCDIR="$CK_SRCDIR" "$DRV" plan ) >"$TMP/p.out" 2>&1; then
	tap_not_ok "plan written" "$(cat "$TMP/p.out")"
	exit 1
fi
( cd "$W" && "$DRV" A 500 >"$TMP/a.out" 2>&1 ) &
PA=$!
# B joins once A has made the session (it appears whole, renamed in).
i=0
while [ ! -f "$W/s/journal.jsonl" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
( cd "$W" && "$DRV" B 500 >"$TMP/b.out" 2>&1 ) &
PB=$!
ra=0; rb=0
wait $PA || ra=$?
wait $PB || rb=$?
if [ $ra -eq 0 ] && [ $rb -eq 0 ]; then tap_ok "two processes appended 500 notes each"
else tap_not_ok "two processes appended 500 notes each" "A: $ra $(cat "$TMP/a.out")" "B: $rb $(cat "$TMP/b.out")"; fi

notes=$(grep -c '"type":"note"' "$W/s/journal.jsonl")
# Taking turns: the two writers' notes are interleaved, not one block after
# the other (each note is preceded by the other's at least once).
switches=$(grep -o '"type":"note","actor":"[AB]"' "$W/s/journal.jsonl" | uniq | wc -l)
if [ "$notes" -eq 1000 ] && [ "$switches" -gt 2 ]; then tap_ok "1,000 notes, interleaved ($switches runs)"
else tap_not_ok "1,000 notes, interleaved" "notes: $notes, runs: $switches"; fi

# Exit 3: valid, the ceremony still open.
# (The plan is never verified in this journal: notes need no verified plan.)
if run_ck 3 "$TMP/v" verify "$W/s/journal.jsonl" &&
   grep -q "^ok    signatures: 1004," "$TMP/v" && grep -q "^ok    dual control" "$TMP/v"; then
	tap_ok "ckwizard verify holds the shared journal"
else tap_not_ok "ckwizard verify holds the shared journal" "$(sed 's/^/# /' "$TMP/v")"; fi
tap_done
