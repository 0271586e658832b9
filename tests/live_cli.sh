#!/bin/sh
# run --live's options: refused before any session directory exists when
# mistyped or given without --live; --execute is refused until performing is
# authorized step by step.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 5
PLAN="$PLANS/contoso-exchange.yaml"
cd "$TMP" || exit 1
try() { "$CKW" run "$PLAN" --dir "$TMP/s" "$@" >"$TMP/out" 2>&1; RC=$?; }

try --cloud public
[ "$RC" = 2 ] && grep -q -- "--cloud is for live mode: add --live" "$TMP/out" && [ ! -e "$TMP/s" ]
[ $? = 0 ] && tap_ok "a live option without --live is a usage error" || tap_not_ok "without --live" "$RC $(cat "$TMP/out")"
try --live --sign-in cert
[ "$RC" = 2 ] && grep -q "sign-in is device or az for a ceremony" "$TMP/out" && [ ! -e "$TMP/s" ]
[ $? = 0 ] && tap_ok "--sign-in cert is for audit, not a ceremony" || tap_not_ok "cert" "$RC $(cat "$TMP/out")"
try --live --cloud public --endpoints /nonexistent
[ "$RC" = 2 ] && grep -q -- "--cloud or --endpoints, not both" "$TMP/out"
[ $? = 0 ] && tap_ok "--cloud and --endpoints together refused" || tap_not_ok "both" "$RC $(cat "$TMP/out")"
try --live --endpoints "$TMP/missing.ep"
[ "$RC" = 2 ] && [ ! -e "$TMP/s" ]
[ $? = 0 ] && tap_ok "an unreadable endpoints file is a usage error" || tap_not_ok "endpoints" "$RC $(cat "$TMP/out")"
try --execute
[ "$RC" = 2 ] && grep -q -- "--execute is for live mode: add --live" "$TMP/out" && [ ! -e "$TMP/s" ]
[ $? = 0 ] && tap_ok "--execute without --live is a usage error" || tap_not_ok "execute" "$RC $(cat "$TMP/out")"
tap_done
