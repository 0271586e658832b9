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
#
# Then the sign-in: the same faults (and wrongjson, emptyjson) on each
# endpoint of the device-code sign-in (the device-code request, the token
# poll, the refresh that buys the other resources' tokens; the fake tells
# the last two apart by the form's grant_type), each code approved as the
# operator it is shown for; and the ways the az command (tests/azure/az-stub)
# can fail, on side A. Each cell must end with exit 3, a line saying that
# the side was not checked, what failed, its cause and what to do, no
# "holds" line for a side that could not sign in, no crash; and no token
# may be in any output (checked once, over every cell's files).
# CK_FAULT_SIGNIN: all (every endpoint x fault, every az fault), or none;
# default: a 503 and an empty answer to the device-code request, a truncated
# answer to the poll, an empty one to the refresh, and
# every az fault but the hang (30 seconds).
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
TENANT=6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b
LOGIN_AT="login.fake.test/$TENANT/oauth2/v2.0"
# a cell: endpoint|fault|the fake's match|grant_type (- any)|what the line names
SIGNIN_ALL=$(for f in $FAULTS wrongjson emptyjson; do
	echo "device code request|$f|$LOGIN_AT/devicecode|-|device sign-in could not start"
	echo "token poll|$f|$LOGIN_AT/token|urn:ietf:params:oauth:grant-type:device_code|device sign-in failed|sign-in for side"
	echo "token refresh|$f|$LOGIN_AT/token|refresh_token|token refresh failed"
done)
AZ_FAULTS_ALL="fail expired-login hang notjson notoken notjwt huge crash expiredtoken"
case ${CK_FAULT_SIGNIN:-some} in
all) SIGNIN=$SIGNIN_ALL AZ_FAULTS=$AZ_FAULTS_ALL ;;
none) SIGNIN="" AZ_FAULTS="" ;;
*) SIGNIN=$(echo "$SIGNIN_ALL" | grep -E '^(device code request\|(503|emptyjson)|token poll\|truncate|token refresh\|emptyjson)\|')
	AZ_FAULTS="fail expired-login notjson notoken notjwt huge crash expiredtoken" ;;
esac
nsignin=$(echo "$SIGNIN" | grep -c .)
tap_plan $((nrows * nf + 1 + nsignin + $(echo "$AZ_FAULTS" | wc -w) + 1))
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
done <<EOF
$ROWS
EOF
hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
echo "$table" | sed 's/^/# /'

# ---- the sign-in endpoints ----
SIGNIN_TODO="$TODO|az login|sign in|install|--sign-in device"
SIGNIN_CAUSE='HTTP [0-9]{3}|not JSON|unusable|timed out|no answer|redirect|access_token|accessToken|exit [0-9]|killed by signal|more than expected|expired|not a JWT'
# approve OUT PID: approve each code OUT shows, as the operator it names,
# until PID ends (the codes appear on the screen, not at fixed times)
approve() {
	while kill -0 "$2" 2>/dev/null; do
		sed -n 's/^Sign-in for operator [AB] ([^,]*, \([^)]*\)).* enter the code \([0-9A-F]*\)$/\1 \2/p' \
			"$1" 2>/dev/null | while read -r upn code; do
			[ -e "$TMP/approved-$code" ] && continue
			hook "$FAKE_PORT" /test/approve "{\"upn\":\"$upn\",\"user_code\":\"$code\"}" \
				>/dev/null 2>&1 && : >"$TMP/approved-$code"
		done
		sleep 0.2
	done
}
# judge_signin OUT RC SIDES NAME: sets why (empty: as required) and line
# (side A's, after "nothing checked: ")
judge_signin() {
	why=""
	line=$(grep -m1 "^side A: nothing checked: " "$1" | cut -c26-)
	[ "$2" = 3 ] || why="$why exit $2;"
	[ "$2" -lt 128 ] || why="$why killed by signal $(($2 - 128)) (9: the watchdog, a hang);"
	grep -q "runtime error\|AddressSanitizer\|LeakSanitizer" "$1" && why="$why sanitizer report;"
	for s in $3; do
		grep -q "^side $s: nothing checked: " "$1" || why="$why side $s not refused;"
		grep -q "^holds *$s " "$1" && why="$why side $s: $(grep -c "^holds *$s " "$1") checks hold;"
	done
	if [ -z "$line" ]; then
		why="$why no line for side A;"
		return
	fi
	echo "$line" | grep -Eq "$4" || why="$why what failed is not named;"
	echo "$line" | grep -Eq "$SIGNIN_CAUSE" || why="$why the cause is not named;"
	echo "$line" | grep -Eiq "$SIGNIN_TODO" || why="$why no hint of what to do;"
}
stable="| Sign-in endpoint | Fault | Exit | Checks that hold | The line for side A, after \"nothing checked:\" (first 220 characters) |
|---|---|---|---|---|"
srow() { stable="$stable
| $1 | $2 | $3 | $4 | $(echo "$5" | cut -c1-220 | sed 's/|/\\|/g') |"; }
while IFS='|' read -r kind f match grant name; do
	[ -n "$kind" ] || continue
	hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
	g=""
	[ "$grant" = - ] || g=",\"grant\":\"$grant\""
	hook "$FAKE_PORT" /test/fault "{\"name\":\"$f\",\"match\":\"$match\",\"method\":\"POST\",\"count\":1000,\"seconds\":$((TIMEOUT + 2))$g}" >/dev/null
	OUT="$TMP/out-signin-$(echo "$kind" | tr ' ' _)-$f"
	: >"$OUT"
	timeout -s KILL $WATCHDOG "$CKW" audit "$PLAN" --ca-bundle "$TMP/ca.pem" \
		--endpoints "$TMP/ep" --sign-in device --timeout $TIMEOUT >"$OUT" 2>&1 &
	pid=$!
	approve "$OUT" $pid
	wait $pid
	rc=$?
	judge_signin "$OUT" $rc "A B" "$name"
	srow "$kind" "$f" $rc "$(grep -c '^holds' "$OUT")" "$line"
	if [ -z "$why" ]; then
		tap_ok "sign-in, $kind, $f: exit 3, nothing holds, named, cause and what to do"
	else
		tap_not_ok "sign-in, $kind, $f:$why" "$(head -20 "$OUT")"
	fi
done <<EOF
$SIGNIN
EOF
hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
# The az command, failing on side A only: side B still signs in and holds.
for f in $AZ_FAULTS; do
	echo "$f" >"$TMP/azA/fault"
	OUT="$TMP/out-signin-az-$f"
	# shellcheck disable=SC2086
	timeout -s KILL $WATCHDOG "$CKW" audit "$PLAN" --ca-bundle "$TMP/ca.pem" \
		--endpoints "$TMP/ep" $AZ --timeout $TIMEOUT >"$OUT" 2>&1
	rc=$?
	judge_signin "$OUT" $rc A "az|token"
	grep -q "^holds *B " "$OUT" || why="$why side B holds nothing;"
	# az's own words are in the line, not on the screen beside it
	case $f in
	fail) echo "$line" | grep -q "Max retries exceeded" || why="$why az's error is not in the line;" ;;
	expired-login) echo "$line" | grep -q "AADSTS700082" || why="$why az's error is not in the line;" ;;
	huge) echo "$line" | grep -q "more than expected" || why="$why the cause is not named;" ;;
	crash) echo "$line" | grep -q "signal 11" || why="$why the cause is not named;" ;;
	hang) echo "$line" | grep -q "no answer in" || why="$why the cause is not named;" ;;
	esac
	grep -q "^ERROR: " "$OUT" && why="$why az's standard error printed raw;"
	srow "az command" "$f" $rc "$(grep -c '^holds' "$OUT") (side B)" "$line"
	if [ -z "$why" ]; then
		tap_ok "sign-in, az command, $f: exit 3, side A refused, named, cause and what to do"
	else
		tap_not_ok "sign-in, az command, $f:$why" "$(head -20 "$OUT")"
	fi
done
rm -f "$TMP/azA/fault"
echo "$stable" | sed 's/^/# /'
if token_canary; then tap_ok "no token in any output: $(cat "$TMP/canary")"; else
	tap_not_ok "a token in an output" "$(cat "$TMP/canary")"; fi
[ "$tap_failed" -eq 0 ]
