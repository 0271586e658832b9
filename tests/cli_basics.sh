#!/bin/sh
# The command table drives --help, help COMMAND and dispatch.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 7
run_ck 0 "$TMP/o" --help && grep -q '^  check ' "$TMP/o" && grep -q '^  verify ' "$TMP/o" \
	&& tap_ok "--help lists the commands" || tap_not_ok "--help lists the commands" "$(cat "$TMP/o")"
run_ck 0 "$TMP/o" --version && grep -Eq '^ckwizard [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/o" \
	&& tap_ok "--version" || tap_not_ok "--version" "$(cat "$TMP/o")"
run_ck 0 "$TMP/o" help check && grep -q 'usage: ckwizard check PLAN' "$TMP/o" \
	&& tap_ok "help check" || tap_not_ok "help check" "$(cat "$TMP/o")"
run_ck 0 "$TMP/o" verify --help && grep -q -- '--head HASH' "$TMP/o" \
	&& tap_ok "verify --help" || tap_not_ok "verify --help" "$(cat "$TMP/o")"
run_ck 2 "$TMP/o" frobnicate && grep -q "no command 'frobnicate'" "$TMP/o" \
	&& tap_ok "unknown command exits 2" || tap_not_ok "unknown command exits 2" "$(cat "$TMP/o")"
run_ck 2 "$TMP/o" && grep -q 'usage: ckwizard COMMAND' "$TMP/o" \
	&& tap_ok "no command exits 2 with usage" || tap_not_ok "no command exits 2" "$(cat "$TMP/o")"
run_ck 2 "$TMP/o" rehearse "$PLANS/contoso-exchange.yaml" --dir "$TMP/fx" --fault vault-nme-taken \
	&& grep -q "unknown simulator fault 'vault-nme-taken'" "$TMP/o" && [ ! -e "$TMP/fx" ] \
	&& tap_ok "a mistyped --fault is a usage error and creates nothing" \
	|| tap_not_ok "a mistyped --fault is a usage error and creates nothing" "$(cat "$TMP/o")"
tap_done
