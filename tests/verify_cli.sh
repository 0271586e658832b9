#!/bin/sh
# verify_cli.sh: `ckwizard verify` on the sample ceremony journal: exit codes
# (0 holds, 3 valid but open, 1 fails, 2 bad usage), the anchors it names,
# the first failing line. tests/journals/README says how the sample is made.
. "$(dirname "$0")/tap.sh"
tap_plan 15
J="$TDATA/journals/sample.jsonl"
P="$TDATA/journals/sample-plan.yaml"
HEAD=$(tail -n 1 "$J" | sed 's/.*"hash":"\([0-9a-f]*\)".*/\1/')

if run_ck 0 "$TMP/o" verify "$J" --plan "$P" --head "$HEAD" &&
   grep -q "ok    plan anchor" "$TMP/o" && grep -q "ok    head anchor" "$TMP/o" &&
   grep -q "^VALID: the ceremony is closed" "$TMP/o"; then
	tap_ok "sample holds with plan and head anchors (exit 0)"
else tap_not_ok "sample holds with plan and head anchors (exit 0)" "$(cat "$TMP/o")"; fi

if run_ck 0 "$TMP/o" verify "$J" && grep -q "plan anchor not checked" "$TMP/o" &&
   grep -q "head anchor not checked" "$TMP/o"; then
	tap_ok "without anchors it says which it did not check"
else tap_not_ok "without anchors it says which it did not check" "$(cat "$TMP/o")"; fi

# A session directory works as well as its journal file.
mkdir "$TMP/sess" && cp "$J" "$TMP/sess/journal.jsonl"
if run_ck 0 "$TMP/o" verify "$TMP/sess"; then tap_ok "a session directory is accepted"
else tap_not_ok "a session directory is accepted" "$(cat "$TMP/o")"; fi

# One changed character in a note: the first failing line is named.
sed '5s/both match/both matcH/' "$J" > "$TMP/edited.jsonl"
if run_ck 1 "$TMP/o" verify "$TMP/edited.jsonl" && grep -q "line 5" "$TMP/o"; then
	tap_ok "an edited line fails (exit 1) and is named"
else tap_not_ok "an edited line fails (exit 1) and is named" "$(cat "$TMP/o")"; fi

# Cut after line 20: valid, open (exit 3); the head noted on paper says otherwise.
head -n 20 "$J" > "$TMP/cut.jsonl"
if run_ck 3 "$TMP/o" verify "$TMP/cut.jsonl" && grep -q "still open" "$TMP/o"; then
	tap_ok "a cut journal is valid but open (exit 3)"
else tap_not_ok "a cut journal is valid but open (exit 3)" "$(cat "$TMP/o")"; fi
if run_ck 1 "$TMP/o" verify "$TMP/cut.jsonl" --head "$HEAD" && grep -q "FAIL  head anchor" "$TMP/o"; then
	tap_ok "the head anchor catches the cut (exit 1)"
else tap_not_ok "the head anchor catches the cut (exit 1)" "$(cat "$TMP/o")"; fi

# Another plan than the team's.
sed 's/name: Contoso$/name: Contoso Ltd/' "$P" > "$TMP/other.yaml"
if run_ck 1 "$TMP/o" verify "$J" --plan "$TMP/other.yaml" && grep -q "FAIL  plan anchor" "$TMP/o"; then
	tap_ok "the plan anchor catches another plan (exit 1)"
else tap_not_ok "the plan anchor catches another plan (exit 1)" "$(cat "$TMP/o")"; fi

# A report re-renders byte for byte; an edited one does not.
"$CKW" report "$J" --format html -o "$TMP/r.html"
if run_ck 0 "$TMP/o" verify "$J" --report "$TMP/r.html" && grep -q "ok    report anchor" "$TMP/o"; then
	tap_ok "a report anchor that re-renders holds"
else tap_not_ok "a report anchor that re-renders holds" "$(cat "$TMP/o")"; fi
sed 's/Alice Ames/Alice Ames (absent)/' "$TMP/r.html" > "$TMP/r2.html"
if run_ck 1 "$TMP/o" verify "$J" --report "$TMP/r2.html"; then tap_ok "an edited report fails"
else tap_not_ok "an edited report fails" "$(cat "$TMP/o")"; fi

if run_ck 2 "$TMP/o" verify; then tap_ok "no journal: bad usage (exit 2)"
else tap_not_ok "no journal: bad usage (exit 2)" "$(cat "$TMP/o")"; fi
if run_ck 2 "$TMP/o" verify "$J" --bogus; then tap_ok "unknown option: bad usage (exit 2)"
else tap_not_ok "unknown option: bad usage (exit 2)" "$(cat "$TMP/o")"; fi
if run_ck 2 "$TMP/o" verify "$TMP/nonexistent.jsonl"; then tap_ok "missing journal: exit 2"
else tap_not_ok "missing journal: exit 2" "$(cat "$TMP/o")"; fi

# Old records stay valid: journals recorded in journal format 1 (results as
# sentences) replay under their own rules, and reports rendered by report
# format 1 verify as what they are (tests/journals/README).
R="$TDATA/journals/rehearsal-v1.jsonl"
if run_ck 0 "$TMP/o" verify "$R" && grep -q "VALID" "$TMP/o"; then
	tap_ok "a journal-format-1 rehearsal still verifies"
else tap_not_ok "a journal-format-1 rehearsal still verifies" "$(cat "$TMP/o")"; fi
bad=""
for j in sample rehearsal; do
	jf="$TDATA/journals/$j.jsonl"
	[ "$j" = rehearsal ] && jf="$R"
	for f in md html json; do
		run_ck 0 "$TMP/o" verify "$jf" --report "$TDATA/journals/$j-report-v1.$f" &&
			grep -q "is valid, rendered in report format 1" "$TMP/o" || bad="$bad $j.$f"
	done
done
if [ -z "$bad" ]; then tap_ok "reports of report format 1 verify as format 1"
else tap_not_ok "reports of report format 1 verify as format 1" "failed:$bad" "$(cat "$TMP/o")"; fi
"$CKW" report "$J" --format html > "$TMP/now.html" 2>&1
if run_ck 0 "$TMP/o" verify "$J" --report "$TMP/now.html" &&
   grep -q "re-renders byte for byte (HTML)" "$TMP/o"; then
	tap_ok "today's report verifies as today's format"
else tap_not_ok "today's report verifies as today's format" "$(cat "$TMP/o")"; fi
tap_done
