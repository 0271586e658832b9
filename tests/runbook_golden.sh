#!/bin/sh
# The runbook of the small example plan, byte for byte, in each form: a change
# to any step's text, command or order shows up here as a diff to review.
# Regenerate after an intended change (then read the diff before committing):
#   make runbook-golden        (or CK_REGEN_GOLDEN=1 sh tests/runbook_golden.sh)
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
# 2026-01-01 00:00 UTC: the date in backup file names.
export SOURCE_DATE_EPOCH=1767225600
GOLD="$TDATA/golden"
tap_plan 3
for form in powershell.md bash.md json; do
	case $form in
	powershell.md) set -- --shell powershell ;;
	bash.md) set -- --shell bash ;;
	json) set -- --format json ;;
	esac
	want="$GOLD/runbook-contoso-exchange.$form"
	if ! "$CKW" runbook "$@" "$PLANS/contoso-exchange.yaml" >"$TMP/out" 2>"$TMP/err"; then
		tap_not_ok "runbook $form" "exit $?" "$(cat "$TMP/err")"
		continue
	fi
	if [ "${CK_REGEN_GOLDEN:-0}" = 1 ]; then
		cp "$TMP/out" "$want"
		tap_ok "runbook $form (regenerated $want)"
	elif diff -u "$want" "$TMP/out" >"$TMP/diff" 2>&1; then
		tap_ok "runbook $form matches $want"
	else
		tap_not_ok "runbook $form differs from $want (make runbook-golden if intended)" \
			"$(head -40 "$TMP/diff")"
	fi
done
tap_done
