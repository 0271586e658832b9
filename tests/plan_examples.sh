#!/bin/sh
# plan_examples.sh: every example plan passes check (warnings allowed), and
# check/show speak text and JSON as documented.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"

plans=$(ls "$PLANS"/*.yaml)
n=$(printf '%s\n' "$plans" | wc -l)
tap_plan $((n * 3 + 9))

json_ok() { python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$1"; }

for p in $plans; do
	name=$(basename "$p")
	if run_ck 0 "$TMP/out" check "$p"; then
		tap_ok "$name passes check"
	else
		tap_not_ok "$name passes check" "$(cat "$TMP/out")"
	fi
	if "$CKW" show "$p" >"$TMP/show" 2>/dev/null && grep -q "^Data encryption policies" "$TMP/show"; then
		tap_ok "$name: show prints the inventory"
	else
		tap_not_ok "$name: show prints the inventory" "$(head -20 "$TMP/show")"
	fi
	if "$CKW" show --format json "$p" >"$TMP/show.json" 2>/dev/null && json_ok "$TMP/show.json"; then
		tap_ok "$name: show --format json is JSON"
	else
		tap_not_ok "$name: show --format json is JSON" "$(head -20 "$TMP/show.json")"
	fi
done

ex="$PLANS/contoso-exchange.yaml"
"$CKW" show "$ex" >"$TMP/show" 2>/dev/null
for want in "Contoso-CK-EX-NA-VaultA1" "Contoso-CK-EX-NA-VaultB1-Key001" \
	"https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/Contoso-CK-EX-NA-VaultA1-Key001" \
	"DEMO KEY"; do
	if grep -qF "$want" "$TMP/show"; then
		tap_ok "show names $want"
	else
		tap_not_ok "show names $want" "$(cat "$TMP/show")"
	fi
done

"$CKW" check --format json "$ex" >"$TMP/check.json"
if python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["valid"] is True and o["exit"] == 0 and o["errors"] == 0, o
assert [d["id"] for d in o["diagnostics"]] == ["CK015", "CK015", "CK052", "CK052"], o
assert o["diagnostics"][0]["line"] > 0 and o["diagnostics"][0]["path"] == "operators.A.key"
' "$TMP/check.json"; then
	tap_ok "check --format json: valid, two CK015 and two CK052 warnings with positions"
else
	tap_not_ok "check --format json: valid, two CK015 and two CK052 warnings with positions" "$(cat "$TMP/check.json")"
fi

if "$CKW" show --format json "$PLANS/woodgrove-large.yaml" 2>/dev/null | python3 -c '
import json, sys
o = json.load(sys.stdin)
vaults = [s["vault"] for d in o["deps"] for s in d["sides"]]
assert len(o["deps"]) == 56 and len(vaults) == 112 and len(set(vaults)) == 112
assert max(len(v) for v in vaults) <= 24
'; then
	tap_ok "the large plan expands to 56 DEPs and 112 distinct vault names of at most 24 characters"
else
	tap_not_ok "the large plan expands to 56 DEPs and 112 distinct vault names"
fi

run_ck 2 "$TMP/out" check && tap_ok "check without a plan is a usage error (2)" ||
	tap_not_ok "check without a plan is a usage error (2)" "$(cat "$TMP/out")"
run_ck 2 "$TMP/out" check --format xml "$ex" && tap_ok "check --format xml is a usage error (2)" ||
	tap_not_ok "check --format xml is a usage error (2)" "$(cat "$TMP/out")"
bad="$TDATA/plans-bad/ck031-same-region.yaml"
if run_ck 1 "$TMP/out" show "$bad" && grep -q "error\[CK031\]" "$TMP/out"; then
	tap_ok "show on a plan with errors exits 1 and says why"
else
	tap_not_ok "show on a plan with errors exits 1 and says why" "$(cat "$TMP/out")"
fi
tap_done
