#!/bin/sh
# report_schema.sh: the JSON report's keys are exactly those documented in
# doc/report-schema.md: a key emitted but not documented fails, and so does
# a documented key that no sample report emits.
. "$(dirname "$0")/tap.sh"
tap_plan 2
for j in sample sample-v2 rehearsal-v1 live-v2; do
	"$CKW" report "$TDATA/journals/$j.jsonl" --format json > "$TMP/$j.json" 2>&1
done
python3 - "$TMP/sample.json" "$TMP/sample-v2.json" "$TMP/rehearsal-v1.json" "$TMP/live-v2.json" > "$TMP/emitted.raw" <<'PY'
import json, sys
def walk(v, p, out):
    if isinstance(v, dict):
        for k, x in v.items():
            q = (p + '.' if p else '') + k
            out.add(q)
            walk(x, q, out)
    elif isinstance(v, list):
        for x in v:
            walk(x, p + '[]', out)
out = set()
for f in sys.argv[1:]:
    walk(json.load(open(f)), '', out)
print('\n'.join(sorted(out)))
PY
sort "$TMP/emitted.raw" > "$TMP/emitted"
sed -n 's/^| `\([^`]*\)` |.*/\1/p' "$CK_SRCDIR/doc/report-schema.md" | sort > "$TMP/documented"
undoc=$(comm -23 "$TMP/emitted" "$TMP/documented")
unused=$(comm -13 "$TMP/emitted" "$TMP/documented")
if [ -s "$TMP/emitted" ] && [ -z "$undoc" ]; then tap_ok "every key emitted is documented"
else tap_not_ok "every key emitted is documented" "not in doc/report-schema.md:" $undoc; fi
if [ -s "$TMP/documented" ] && [ -z "$unused" ]; then tap_ok "every key documented is emitted"
else tap_not_ok "every key documented is emitted" "documented but never emitted:" $unused; fi
tap_done
