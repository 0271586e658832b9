#!/bin/sh
# report_cli.sh: `ckwizard report` on the sample journal: the three formats,
# deterministic output, -o never overwrites and creates 0600, a journal that
# does not verify renders nothing. The HTML is also loaded in headless
# Chromium and asserted on its DOM (a screenshot is kept in $CK_BUILDDIR).
. "$(dirname "$0")/tap.sh"
tap_plan 9
J="$TDATA/journals/sample.jsonl"
HEAD=$(tail -n 1 "$J" | sed 's/.*"hash":"\([0-9a-f]*\)".*/\1/')

for f in md html json; do
	"$CKW" report "$J" --format $f > "$TMP/a.$f" 2>&1
	"$CKW" report "$J" --format $f > "$TMP/b.$f" 2>&1
	if cmp -s "$TMP/a.$f" "$TMP/b.$f" && grep -q "$HEAD" "$TMP/a.$f"; then
		tap_ok "$f: deterministic, with the journal head"
	else tap_not_ok "$f: deterministic, with the journal head" "$(head -5 "$TMP/a.$f")"; fi
done

if run_ck 0 "$TMP/o" report "$J" --format md -o "$TMP/r.md" &&
   [ "$(stat -c %a "$TMP/r.md")" = 600 ] && cmp -s "$TMP/r.md" "$TMP/a.md"; then
	tap_ok "-o writes the same bytes, mode 0600"
else tap_not_ok "-o writes the same bytes, mode 0600" "$(cat "$TMP/o")"; fi
if run_ck 5 "$TMP/o" report "$J" -o "$TMP/r.md" && grep -q "never overwritten" "$TMP/o"; then
	tap_ok "-o never overwrites"
else tap_not_ok "-o never overwrites" "$(cat "$TMP/o")"; fi
if run_ck 2 "$TMP/o" report "$J" --format pdf; then tap_ok "unknown format: exit 2"
else tap_not_ok "unknown format: exit 2" "$(cat "$TMP/o")"; fi
sed '7s/"yes"/"yeS"/' "$J" > "$TMP/edited.jsonl"
if run_ck 1 "$TMP/o" report "$TMP/edited.jsonl" && grep -q "does not verify" "$TMP/o"; then
	tap_ok "a journal that does not verify renders no report"
else tap_not_ok "a journal that does not verify renders no report" "$(cat "$TMP/o")"; fi

# The HTML in a real browser engine: what a reviewer sees is in the DOM.
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
	tap_not_ok "HTML in headless Chromium" "chromium is not installed (see .ci/deps)"
	tap_not_ok "HTML screenshot"
	tap_done
fi
chrome() {
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --user-data-dir="$TMP/chrome" "$@" 2>/dev/null
}
chrome --dump-dom "file://$TMP/a.html" > "$TMP/dom.html"
if grep -q "<code id=\"head\">$HEAD</code>" "$TMP/dom.html" &&
   grep -q "<h1>Customer Key ceremony report: Contoso</h1>" "$TMP/dom.html" &&
   grep -q "<table id=\"steps-table\">" "$TMP/dom.html" &&
   grep -q "Second sitting a day late" "$TMP/dom.html" &&
   [ "$(grep -o 'class="st st-done"' "$TMP/dom.html" | wc -l)" -ge 4 ] &&
   ! grep -qi "<script" "$TMP/dom.html"; then
	tap_ok "HTML in headless Chromium: head hash, steps, deviation, no script"
else tap_not_ok "HTML in headless Chromium: head hash, steps, deviation, no script" "$(head -c 600 "$TMP/dom.html")"; fi
chrome --screenshot="$TMP/report.png" --window-size=1200,1600 "file://$TMP/a.html"
if [ -s "$TMP/report.png" ]; then
	cp "$TMP/report.png" "$CK_BUILDDIR/report-sample.png" 2>/dev/null
	tap_ok "HTML screenshot kept for a look: report-sample.png"
else tap_not_ok "HTML screenshot"; fi
tap_done
