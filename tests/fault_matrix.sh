#!/bin/sh
# fault_matrix.sh: every fault switch of the fake Azure (tests/azure/fake.py:
# 429, 500, 503, slow, drop, truncate, badjson, redirect, expired) against
# `ckwizard audit`, on each kind of resource it reads (subscription, feature,
# provider, resource group, vault, key, Graph user). The fault stays on for
# every attempt. Each cell must end with exit 3 ("could not check
# everything"), a line naming the resource, the cause (the HTTP status or what
# was wrong with the answer) and what to do, no crash (no signal, no
# sanitizer report), and within a watchdog far above the bound --timeout sets
# (the watchdog only tells a hang from an answer; nothing asserts a time).
# Prints the table doc/reliability.md shows, as TAP comments.
# CK_FAULT_KINDS: the resources, comma-separated, or all (default: Graph user,
# as `make check` runs it).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
PLAN="$PLANS/contoso-exchange.yaml"
FAULTS="429 500 503 slow drop truncate badjson redirect expired"
# kind|fake's match|the name the message must carry
ALL="subscription|subscriptions/0a1b2c3d-1111-4aaa-8bbb-000000000001?|0a1b2c3d-1111-4aaa-8bbb-000000000001
feature|features/mandatoryRetentionPeriodEnabled|mandatoryRetentionPeriodEnabled
provider|0a1b2c3d-2222-4aaa-8bbb-000000000002/providers/Microsoft.KeyVault?|Microsoft.KeyVault
resource group|resourcegroups/Contoso-CK-EX-NA-RGA?|Contoso-CK-EX-NA-RGA
vault|vaults/Contoso-CK-EX-NA-VaultA1?|Contoso-CK-EX-NA-VaultA1
key|vaulta1.vault.fake.test/keys/Contoso-CK-EX-NA-VaultA1-Key001|Contoso-CK-EX-NA-VaultA1-Key001
Graph user|graph.fake.test/v1.0/users/bob|bob@contoso.example"
KINDS=${CK_FAULT_KINDS:-Graph user}
ROWS=$(echo "$ALL" | while IFS='|' read -r kind m n; do
	case ",$KINDS," in *",all,"* | *",$kind,"*) echo "$kind|$m|$n" ;; esac
done)
nrows=$(echo "$ROWS" | wc -l)
nf=$(echo "$FAULTS" | wc -w)
tap_plan $((nrows * nf + 1))
fake_tenant "$PLAN" --lifetime 3600
AZ="--sign-in az --az-config-A $TMP/azA --az-config-B $TMP/azB"
TIMEOUT=2     # --timeout: each request's limit
WATCHDOG=120  # a hang, not an answer: far above 4 attempts x (TIMEOUT + back-off)
# What a message may say to do (doc/azure.md, "Failures").
TODO='run again|sign in again|try again|check |pass --|retry|later|ask |grant'

OUT="$TMP/clean"
# shellcheck disable=SC2086 # AZ is a list of options on purpose
"$CKW" audit "$PLAN" --ca-bundle "$TMP/ca.pem" --endpoints "$TMP/ep" $AZ >"$OUT" 2>&1
if [ $? = 0 ]; then tap_ok "without faults: exit 0"; else tap_not_ok "without faults" "$(head "$OUT")"; fi

table="| Resource | Fault | Exit | Requests to it | Message (first line about it) |"
table="$table
|---|---|---|---|---|"
echo "$ROWS" | {
while IFS='|' read -r kind match name; do
	for f in $FAULTS; do
		hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
		hook "$FAKE_PORT" /test/fault "{\"name\":\"$f\",\"match\":\"$match\",\"count\":1000,\"seconds\":$((TIMEOUT + 2))}" >/dev/null
		before=$(wc -l <"$TMP/main/requests.log")
		OUT="$TMP/out-$(echo "$kind" | tr ' ' _)-$f"
		# shellcheck disable=SC2086
		timeout -s KILL $WATCHDOG "$CKW" audit "$PLAN" --ca-bundle "$TMP/ca.pem" \
			--endpoints "$TMP/ep" $AZ --timeout $TIMEOUT >"$OUT" 2>&1
		rc=$?
		m=${match%\?}
		tries=$(tail -n +$((before + 1)) "$TMP/main/requests.log" | grep -ciF "$m")
		line=$(grep -m1 "^UNCHECKED.*$name" "$OUT" || true)
		why=""
		[ $rc = 3 ] || why="$why exit $rc;"
		[ $rc -lt 128 ] || why="$why killed by signal $((rc - 128)) (137: the watchdog, a hang);"
		grep -q "runtime error\|AddressSanitizer\|LeakSanitizer" "$OUT" && why="$why sanitizer report;"
		[ -n "$line" ] || why="$why no UNCHECKED line naming $name;"
		echo "$line" | grep -Eq "HTTP [0-9]{3}|not JSON|timed out|no answer|redirect|unusable" ||
			why="$why the cause is not named;"
		echo "$line" | grep -Eiq "$TODO" || why="$why no hint of what to do;"
		short=$(echo "$line" | sed 's/|/\\|/g' | cut -c1-200)
		table="$table
| $kind | $f | $rc | $tries | $short |"
		if [ -z "$why" ]; then
			tap_ok "$kind, $f: exit 3, named, cause and what to do"
		else
			tap_not_ok "$kind, $f:$why" "$(head -20 "$OUT")"
		fi
	done
done
hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
echo "$table" | sed 's/^/# /'
[ "$tap_failed" -eq 0 ]
}
