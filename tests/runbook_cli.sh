#!/bin/sh
# `ckwizard runbook`: options, exit codes, refusal of plans with errors, the
# management tasks on request, JSON that agrees with the Markdown, and bash
# blocks that the real sh parses.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 17
EX="$PLANS/contoso-exchange.yaml"
ALL="$PLANS/contoso-all.yaml"

run_ck 2 "$TMP/o" runbook && grep -q 'which plan' "$TMP/o" \
	&& tap_ok "no plan: exit 2" || tap_not_ok "no plan: exit 2" "$(cat "$TMP/o")"
run_ck 2 "$TMP/o" runbook --format pdf "$EX" && grep -q 'md or json' "$TMP/o" \
	&& tap_ok "bad --format: exit 2" || tap_not_ok "bad --format: exit 2" "$(cat "$TMP/o")"
run_ck 2 "$TMP/o" runbook --shell=zsh "$EX" && grep -q 'powershell or bash' "$TMP/o" \
	&& tap_ok "bad --shell: exit 2" || tap_not_ok "bad --shell: exit 2" "$(cat "$TMP/o")"
run_ck 2 "$TMP/o" runbook "$TMP/none.yaml" && ! grep -q '^# Customer Key' "$TMP/o" \
	&& tap_ok "missing plan: exit 2, no runbook" || tap_not_ok "missing plan" "$(cat "$TMP/o")"
if "$CKW" runbook "$TDATA/plans-bad/ck010-subscription-id.yaml" >"$TMP/o" 2>"$TMP/e"; then
	tap_not_ok "plan with errors refused" "exit 0"
else
	rc=$?
	[ "$rc" -eq 1 ] && [ ! -s "$TMP/o" ] && grep -q 'CK010' "$TMP/e" \
		&& tap_ok "plan with errors: exit 1, diagnostics, no runbook" \
		|| tap_not_ok "plan with errors: exit 1" "exit $rc" "$(cat "$TMP/o" "$TMP/e")"
fi

# Offboarding a Managed HSM plan has no steps yet: refused, never a crash
# or an empty ceremony.
run_ck 2 "$TMP/o" runbook --offboarding "$PLANS/contoso-hsm.yaml" \
	&& grep -q 'Managed HSMs has no steps yet' "$TMP/o" && ! grep -q 'offboard\.' "$TMP/o" \
	&& grep -q 'Remove-AzKeyVaultRoleAssignment): do it by hand' "$TMP/o" \
	&& tap_ok "--offboarding of a Managed HSM plan: exit 2, says why and what to do" \
	|| tap_not_ok "--offboarding of a Managed HSM plan" "$(cat "$TMP/o")"
"$CKW" rehearse "$PLANS/contoso-hsm.yaml" --offboarding --dir "$TMP/off" </dev/null >"$TMP/o" 2>&1
[ $? -ne 0 ] && [ ! -e "$TMP/off" ] && grep -q 'Managed HSMs has no steps yet' "$TMP/o" \
	&& grep -q 'Remove-AzKeyVaultRoleAssignment' "$TMP/o" \
	&& tap_ok "rehearse --offboarding of a Managed HSM plan: refused, no session made" \
	|| tap_not_ok "rehearse --offboarding of a Managed HSM plan" "$(cat "$TMP/o")"
# The recovery rehearsal's offline restore-blob: the keys under a passphrase
# need --passwords (the Azure CLI reads the key files with none otherwise)
run_ck 0 "$TMP/o" runbook --management --shell bash "$PLANS/contoso-hsm.yaml" \
	&& grep -q "restore-blob --sd-file .*--sd-wrapping-keys 'sd-officer-1.key'" "$TMP/o" \
	&& grep -q "add --passwords with each officer's, in the keys' order" "$TMP/o" \
	&& tap_ok "the recovery rehearsal says restore-blob needs the officers' passphrases" \
	|| tap_not_ok "restore-blob and --passwords" "$(grep -n restore-blob "$TMP/o")"
# An HSM plan's audit needs the HSMs' DNS suffix: an endpoints file without
# one is refused before any connection (tests/audit_hsm.sh audits HSM plans).
printf '%s\n' "authority = https://login.fake.test" "arm = https://management.fake.test" \
	"vault-suffix = vault.fake.test" "graph = https://graph.fake.test" >"$TMP/ep-nohsm"
run_ck 2 "$TMP/o" audit "$PLANS/contoso-hsm.yaml" --endpoints "$TMP/ep-nohsm" \
	&& grep -q 'must name hsm-suffix' "$TMP/o" \
	&& tap_ok "audit of a Managed HSM plan without hsm-suffix: refused (exit 2), says why" \
	|| tap_not_ok "audit of a Managed HSM plan without hsm-suffix" "$(cat "$TMP/o")"

run_ck 0 "$TMP/plain.md" runbook "$ALL" && run_ck 0 "$TMP/mgmt.md" runbook --management "$ALL" \
	&& ! grep -q 'manage\.' "$TMP/plain.md" && grep -q '^`manage.roll/MW/A`$' "$TMP/mgmt.md" \
	&& grep -q '^## 7\. Management tasks$' "$TMP/mgmt.md" \
	&& tap_ok "--management adds the management tasks" \
	|| tap_not_ok "--management adds the management tasks" "$(tail -5 "$TMP/mgmt.md")"

# every step appears once, with its id alone on a line under its heading
n_md=$(sed -n 's/^- Steps: \([0-9]*\)$/\1/p' "$TMP/mgmt.md")
id_re='^`[a-z][a-z_.]*\(/[^ `]*\)\{0,1\}`$'
n_ids=$(grep -c "$id_re" "$TMP/mgmt.md")
n_uniq=$(grep "$id_re" "$TMP/mgmt.md" | sort -u | wc -l)
[ -n "$n_md" ] && [ "$n_md" -eq "$n_ids" ] && [ "$n_ids" -eq "$n_uniq" ] \
	&& tap_ok "every step once ($n_md)" || tap_not_ok "every step once" "$n_md $n_ids $n_uniq"

if run_ck 0 "$TMP/j" runbook --format json --management "$ALL" && python3 - "$TMP/j" "$n_md" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
steps = d["steps"]
ids = [s["id"] for s in steps]
assert len(steps) == int(sys.argv[2]), (len(steps), sys.argv[2])
assert len(set(ids)) == len(ids)
seen = set()
for s in steps:
    for p in s["prereqs"]:
        assert p in seen, (s["id"], p)
    seen.add(s["id"])
    assert s["owner"] in ("A", "B")
PY
then tap_ok "JSON agrees with the Markdown; prerequisites come first"
else tap_not_ok "JSON agrees with the Markdown" "$(head -c 300 "$TMP/j")"; fi

# the bash blocks of the bash runbook parse with the real sh
run_ck 0 "$TMP/b.md" runbook --shell bash --management "$ALL"
awk '/^```bash$/ {on=1; next} /^```$/ {on=0} on' "$TMP/b.md" >"$TMP/b.sh"
[ -s "$TMP/b.sh" ] && sh -n "$TMP/b.sh" 2>"$TMP/e" \
	&& tap_ok "bash blocks parse with sh -n ($(wc -l <"$TMP/b.sh") lines)" \
	|| tap_not_ok "bash blocks parse with sh -n" "$(cat "$TMP/e")"

# every per-subscription block selects its subscription first (the
# workstation check and the subscription's own check name it themselves;
# service principals are tenant-wide, in Entra ID, not in a subscription)
awk '/^```bash$/ {getline; print}' "$TMP/b.md" \
	| grep -v -e '^az account set --subscription ' -e '^az version' -e '^az account show ' \
		-e '^az ad sp ' \
	| grep '^az ' >"$TMP/first" || true
[ ! -s "$TMP/first" ] && tap_ok "each az block starts with az account set" \
	|| tap_not_ok "each az block starts with az account set" "$(head -5 "$TMP/first")"

grep -q 'Register-SPODataEncryptionPolicy' "$TMP/mgmt.md" \
	&& grep -q '^# NOT READY: Register-SPODataEncryptionPolicy .*<key version from step key.uri/SP-NAM/A>' "$TMP/mgmt.md" \
	&& tap_ok "SharePoint registration waits for the recorded key versions" \
	|| tap_not_ok "SharePoint registration placeholders" "$(grep -n SPOData "$TMP/mgmt.md" | head -3)"

# a full disk is reported, not ignored
"$CKW" runbook "$EX" >/dev/full 2>"$TMP/e"; rc=$?
[ "$rc" -eq 5 ] && grep -q 'No space' "$TMP/e" && tap_ok "output to a full disk: exit 5" \
	|| tap_not_ok "output to a full disk: exit 5" "exit $rc" "$(cat "$TMP/e")"

# plan text that Markdown or HTML would act on stays text
sed 's/^  name: Contoso$/  name: "Contoso <img src=x> [a](b) | *c*"/' "$EX" >"$TMP/evil.yaml"
run_ck 0 "$TMP/evil.md" runbook "$TMP/evil.yaml" \
	&& head -1 "$TMP/evil.md" | grep -qF 'Contoso \<img src=x\> \[a\](b) \| \*c\*' \
	&& tap_ok "plan text is escaped in the Markdown" \
	|| tap_not_ok "plan text is escaped in the Markdown" "$(head -1 "$TMP/evil.md")"
tap_done
