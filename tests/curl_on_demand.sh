#!/bin/sh
# curl_on_demand.sh: ckwizard does not link libcurl; it loads it when a
# command first uses the network (src/azure/curl_dl.c). The commands that
# never do (check, show, verify, --version) start without it and the ~28
# libraries it brings (doc/bench.md: most of the cost of a bare start).
# The dynamic loader's own log (LD_DEBUG=files) says what was loaded.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 4
cd "$TMP" || exit 1
PLAN="$PLANS/contoso-exchange.yaml"

tap_not_linked libcurl
for cmd in check show; do
	LD_DEBUG=files "$CKW" $cmd "$PLAN" >"$cmd.out" 2>"$cmd.ld"
	if grep -q 'file=libcurl' "$cmd.ld"; then
		tap_not_ok "$cmd runs without loading libcurl" "$(grep 'file=' "$cmd.ld" | head)"
	elif ! grep -q 'file=libyaml' "$cmd.ld"; then
		tap_not_ok "$cmd runs without loading libcurl" "no loader log: $(head -5 "$cmd.ld")"
	else
		tap_ok "$cmd runs without loading libcurl"
	fi
done
# A network command loads it: audit against an address nobody listens on
# (loopback, port 9) fails to connect, after libcurl is loaded.
printf '%s\n' "name = nowhere" "authority = https://login.nowhere.test" \
	"arm = https://management.nowhere.test" "vault-suffix = vault.nowhere.test" \
	"graph = https://graph.nowhere.test" "connect-to = ::127.0.0.1:9" >ep
LD_DEBUG=files "$CKW" audit "$PLAN" --endpoints ep --sign-in device --side A \
	</dev/null >audit.out 2>audit.ld
if grep -q 'file=libcurl' audit.ld; then
	tap_ok "audit loads libcurl"
else
	tap_not_ok "audit loads libcurl" "$(grep -v '^ *[0-9]*:' audit.ld | head; grep 'file=' audit.ld | head)"
fi
tap_done
