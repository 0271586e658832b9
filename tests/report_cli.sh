#!/bin/sh
# report_cli.sh: `ckwizard report` on the sample journal: the three formats,
# deterministic output, -o never overwrites and creates 0600, a journal that
# does not verify renders nothing. On the live sample (run --live --execute):
# each step's observer in Azure and the authorization and co-signature of
# what was performed, in every format. The HTML is also loaded in headless
# Chromium and asserted on its DOM (a screenshot is kept in $CK_BUILDDIR).
. "$(dirname "$0")/tap.sh"
tap_plan 12
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

# The live sample: who observed or performed each step in Azure (the
# identity its sign-in named), and what was authorized and co-signed.
L="$TDATA/journals/live-v2.jsonl"
for f in md html json; do "$CKW" report "$L" --format $f >"$TMP/live.$f" 2>&1; done
python3 - "$L" "$TMP/live.json" >"$TMP/live-json.out" 2>&1 <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rep = json.load(open(sys.argv[2]))
signin = {e["payload"]["subscription"]: (e["seq"], e["payload"]) for e in ev if e["type"] == "azure.signin"}
observed = {e["payload"]["step"]: e for e in ev
            if e["type"] in ("step.check", "step.perform") and "observer" in e["payload"]}
assert observed, "the sample has no observed step"
n = 0
for st in rep["steps"]:
    res = st["result"]
    e = observed.get(st["id"])
    if not e or not res or res["at"]["line"] != e["seq"]:
        assert not res or "observer" not in res or e, st["id"]
        continue
    line, si = signin[st["id"].rsplit("/", 1)[-1]]
    want = {"upn": si["upn"], "oid": si["oid"], "tenant": si["tenant"], "signed_in": line}
    assert res["observer"] == want, (st["id"], res.get("observer"), want)
    n += 1
auth = {e["payload"]["step"]: e for e in ev if e["type"] == "step.authorize"}
cos = {e["payload"]["step"]: e for e in ev if e["type"] == "step.cosign"}
perf = {e["payload"]["step"]: e for e in ev if e["type"] == "step.perform"}
done = [st for st in rep["steps"] if "azure_perform" in st]
assert sorted(st["id"] for st in done) == sorted(perf), ([st["id"] for st in done], list(perf))
for st in done:
    p, i = st["azure_perform"], st["id"]
    assert p["authorized"]["line"] == auth[i]["seq"] and p["authorized_by"] == auth[i]["actor"], p
    assert p["cosigned"]["line"] == cos[i]["seq"] and p["cosigned_by"] == cos[i]["actor"], p
    assert p["performed"]["line"] == perf[i]["seq"] and p["status"] == perf[i]["payload"]["status"], p
    assert json.loads(p["requests"]) == auth[i]["payload"]["requests"], p
    assert p["observer"]["upn"] == perf[i]["payload"]["observer"]["upn"], p
print("%d results with their observer, %d performs with authorization and co-signature" % (n, len(done)))
PY
if [ $? = 0 ]; then
	tap_ok "live sample, JSON: $(cat "$TMP/live-json.out")"
else tap_not_ok "live sample, JSON: observers and authorizations" "$(cat "$TMP/live-json.out")"; fi
A_ID="alice@contoso.example (object 11111111-1111-4111-8111-111111111111, tenant 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b)"
B_ID="bob@contoso.example (object 22222222-2222-4222-8222-222222222222, tenant 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b)"
ok=0
for f in md html; do
	grep -q "Checked by Alice Ames (A), signed in as $A_ID at " "$TMP/live.$f" &&
		grep -q "Checked by Bob Berg (B), signed in as $B_ID at " "$TMP/live.$f" &&
		grep -q "Authorized by Alice Ames (A) at 2026-11-23 12:23:00 UTC, co-signed by Bob Berg (B) at 2026-11-23 12:23:00 UTC: the writes " "$TMP/live.$f" &&
		grep -q "Performed in Azure by Alice Ames (A), signed in as $A_ID at " "$TMP/live.$f" || ok=1
done
if [ $ok = 0 ]; then
	tap_ok "live sample, Markdown and HTML: each check and perform names who observed it in Azure; the perform its authorization and co-signature"
else tap_not_ok "live sample, Markdown and HTML" "$(grep -n "Checked by\|Authorized\|Performed" "$TMP/live.md" | head -8)"; fi
if ! grep -q "signed in as\|Authorized by\|Performed in Azure" "$TMP/a.md" && ! grep -q '"observer"\|"azure_perform"' "$TMP/a.json"; then
	tap_ok "a guide session's report names no Azure identity and no authorization"
else tap_not_ok "guide report with live parts" "$(grep -n "signed in as\|Authorized by" "$TMP/a.md" | head -3)"; fi

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
