#!/bin/sh
# fault_steps.sh: network faults inside the wizard's live checks and
# --execute performs, through the seam the session calls (tests/rest_probe:
# the REST backend's batch of checks, and describe + perform per step, whose
# results the session records as they are). Each fault switch of the fake
# Azure (tests/azure/fake.py) is turned on for every request of one method to
# one resource, in three ways:
#   check  the tenant as planned, the fault on the resource's GET: the steps
#          that read it are "unavailable", never pass (verified) or fail;
#   look   an empty tenant, --execute, the fault on the GET a perform looks
#          with first: the step is not pass, and nothing is written to a
#          resource the perform could not look at;
#   write  an empty tenant, --execute, the fault on the write itself (PUT or
#          POST): the step is not pass.
# and two faults of the whole connection: a server certificate from another
# CA, and an expired one (check and perform); and side A's sign-in failing
# (the az command's faults, tests/azure/az-stub), check. Every message about an
# affected step must name the resource, the cause (HTTP status, time-out,
# closed connection, what was wrong with the answer, the certificate) and
# what to do. Prints the table doc/reliability.md shows, as TAP comments.
# CK_STEP_FAULTS: "all" (every fault), or a space-separated list; CK_STEP_KINDS:
# "all" or a comma-separated list of the resources below; CK_STEP_TLS: "all"
# or "other-ca". The defaults are make check's small set (a truncated answer
# on a key, an access policy and a backup; a 503 on the provider; side A's
# az sign-in failing; a certificate from another CA).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
PLAN="$PLANS/contoso-exchange.yaml"
PROBE="$CK_BUILDDIR/tests/rest_probe"
ALL_FAULTS="429 500 503 slow drop truncate badjson wrongjson emptyjson redirect expired"
FAULTS=${CK_STEP_FAULTS:-truncate}
[ "$FAULTS" = all ] && FAULTS=$ALL_FAULTS
S1=0a1b2c3d-1111-4aaa-8bbb-000000000001
VA=Contoso-CK-EX-NA-VaultA1
# kind|fake's match (host+path)|steps that read it (side A)|write method|write match|name in messages
# kind;fake's match (host+path);steps that read it (side A);write method;write match;name in
# messages;the step that writes it
ALL_KINDS="feature;$S1/providers/Microsoft.Features/providers/Microsoft.Resources/features/mandatoryRetentionPeriodEnabled;^retention\.[a-z]*/A$;POST;$S1/providers/Microsoft.Features/providers/Microsoft.Resources/features/mandatoryRetentionPeriodEnabled/register;mandatoryRetentionPeriodEnabled;^retention\.register/A$
provider;$S1/providers/Microsoft.KeyVault;^provider\.register/A$;POST;$S1/providers/Microsoft.KeyVault/register;Microsoft.KeyVault;^provider\.register/A$
resource group;resourcegroups/Contoso-CK-EX-NA-RGA;^rg\.create/.*/A$;PUT;resourcegroups/Contoso-CK-EX-NA-RGA;Contoso-CK-EX-NA-RGA;^rg\.create/.*/A$
vault;vaults/$VA?;^vault\.(create|admins|service|access_check|softdelete|validate)/.*/A$;PUT;vaults/$VA?;$VA[ :];^vault\.create/.*/A$
access policy;vaults/$VA?;^vault\.(admins|service)/.*/A$;PUT;$VA/accessPolicies/add;$VA[ :];^vault\.(admins|service)/.*/A$
key;vaulta1.vault.fake.test/keys/$VA-Key001;^(key\.(create|expiry|recovery|uri)|vault\.validate)/.*/A$;POST;$VA-Key001/create;$VA-Key001;^key\.create/.*/A$
backup;vaulta1.vault.fake.test/keys/$VA-Key001;^key\.backup/.*/A$;POST;$VA-Key001/backup;$VA-Key001;^key\.backup/.*/A$"
KINDS=${CK_STEP_KINDS:-key,access policy,backup}
# CK_STEP_EXTRA: more cells, "kind:fault" comma-separated (default, when
# neither list above is given: a 503 on the provider, one of the slow faults
# on a resource the perform writes early, its check, look and write)
EXTRA=${CK_STEP_EXTRA-}
[ -n "${CK_STEP_FAULTS:-}${CK_STEP_KINDS:-}${CK_STEP_EXTRA+x}" ] || EXTRA="provider:503"
# a row: its faults;kind;the rest of its ALL_KINDS line
ROWS=$(echo "$ALL_KINDS" | while IFS=';' read -r kind rest; do
	case ",$KINDS," in *",all,"* | *",$kind,"*) echo "$FAULTS;$kind;$rest" ;; esac
	for x in $(echo "$EXTRA" | tr ' ,' '_ '); do
		[ "$(echo "${x%%:*}" | tr _ ' ')" = "$kind" ] && echo "${x#*:};$kind;$rest"
	done
done)
TODO='run again|run the step again|sign in again|try again|check |pass --|retry|later|ask |grant'
CAUSE='HTTP [0-9]{3}|not JSON|unusable|timed out|no answer|redirect|certificate|in the answer'
export PROBE_TIMEOUT=1  # each request's limit: a slow answer is a time-out
WATCHDOG=300            # a hang, not an answer (nothing asserts a time)

fake_tenant "$PLAN" --lifetime 3600
PORT=$FAKE_PORT  # fake_start sets FAKE_PORT again for the second fake
mkdir "$TMP/work"
# execute: perform every step ckwizard writes, from $TMP/work (backups land there)
execute() { (cd "$TMP/work" && rm -f ./*.backup && timeout -s KILL $WATCHDOG "$PROBE" --execute "$PLAN" \
	"$TMP/ep" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB") >"$1" 2>&1; }
check() { timeout -s KILL $WATCHDOG "$PROBE" "$PLAN" "${2:-$TMP/ep}" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB" >"$1" 2>&1; }
reset() {
	hook "$PORT" /test/clear-faults '{}' >/dev/null
	hook "$PORT" /test/empty '{}' >/dev/null
}
fault() { # NAME METHOD MATCH
	hook "$PORT" /test/fault "{\"name\":\"$1\",\"method\":\"$2\",\"match\":\"$3\",\"count\":100000,\"seconds\":3}" >/dev/null
}

# judge OUT REGEX NAME: every step of OUT matching REGEX: not pass, not
# pending, its line naming NAME, a cause and what to do. Sets why, res
# (statuses seen), msg (the first message).
judge() {
	why="" res="" msg=""
	# (a step ckwizard does not write is not performed: the session says so;
	# a describe refused for another reason is judged like a result)
	lines=$({ grep -E "^[^ ]+ [a-z]+ " "$1" | grep -v '^[=!] ' | grep -v '^sign-in '
		grep '^! ' "$1" | grep -v ": ckwizard does not write this step yet$" | cut -c3-; } |
		grep -v " unavailable no live check for this step yet" |
		grep -v "^key\.backup/[^ ]* unavailable No backup of key .* is recorded yet" | awk -v re="$2" '$1 ~ re')
	lines_judged=$lines
	if [ -z "$lines" ]; then
		why="no line for the steps"
		return
	fi
	res=$(echo "$lines" | awk '{ print $2 }' | sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep=", " }')
	echo "$lines" | grep -Eq '^[^ ]+ (pass|pending) ' &&
		why="$why marked $(echo "$lines" | grep -E '^[^ ]+ (pass|pending) ' | head -1 | cut -d' ' -f1-2);"
	for id in $(echo "$lines" | awk '{ print $1 }'); do
		# its line without the requests it describes, and its values ("= ID arg")
		m=$({ grep -F "$id " "$1" | grep -v '^= ' | sed '/^! /!s/ | .*//'
			grep -F "= $id summary " "$1"; } | tr '\n' ' ')
		# shellcheck disable=SC2254 # $3 is a pattern: the vault's name, not the start of its key's
		case "$m" in *$3*) ;; *) why="$why $id: $3 not named;" ;; esac
		echo "$m" | grep -Eq "$CAUSE" || why="$why $id: no cause;"
		echo "$m" | grep -Eiq "$TODO" || why="$why $id: nothing to do;"
		[ -n "$msg" ] || msg=$(echo "$m" | cut -c1-220)
	done
	grep -q "runtime error\|AddressSanitizer\|LeakSanitizer" "$1" && why="$why sanitizer report;"
}

table="| Resource | Mode | Fault | Steps: results | Wrongly verified | Write sent | Message (first affected step, first 220 characters) |
|---|---|---|---|---|---|---|"
wrong_total=0 cells=0
row() { table="$table
| $1 | $2 | $3 | $4 | $5 | $6 | $(echo "$7" | sed 's/|/\\|/g') |"; }

# Without faults: every step ckwizard writes is written, and then every check holds.
reset
execute "$TMP/e0"
check "$TMP/c0"
if grep -q "^performed 18$" "$TMP/e0" &&
	! grep -E "^[^ =!]+ [a-z]+ " "$TMP/e0" | grep -v "^sign-in" | grep -vq " pass " &&
	[ "$(grep -c ' pass ' "$TMP/c0")" -ge 26 ] &&
	# (a backup's check needs its recorded file, which the probe's checks do not hand over)
	! grep -v '^sign-in [AB] ok ' "$TMP/c0" | grep -v ' pass \| no live check for this step yet$' |
		grep -v '^key\.backup/[^ ]* unavailable No backup of key .* is recorded yet' |
		grep -v '^retention\.verify/[AB] pending ' | grep -q .; then
	tap_ok "without faults: 18 steps written, then every check holds (retention.verify pending: Microsoft finishes it)"
else
	tap_not_ok "without faults" "$(grep -v '^[=!] ' "$TMP/e0" | grep -v ' pass ' | head -20)" \
		"$(grep -v ' pass ' "$TMP/c0" | head -20)"
fi

OUT="$TMP/out"
while IFS=';' read -r rfaults kind match steps wmeth wmatch name writer; do
	[ -n "$kind" ] || continue
	for f in $rfaults; do
		for mode in check look write; do
			# a backup has no check and reads the key by backing it up; the
			# access policies are read with the vault (its rows)
			case "$kind,$mode" in backup,check | backup,look | "access policy,look" | "access policy,check") continue ;; esac
			reset
			before=0
			if [ $mode = check ]; then
				execute "$TMP/populate"
				fault "$f" GET "$match"
				check "$OUT"
			else
				if [ $mode = look ]; then fault "$f" GET "$match"; else fault "$f" "$wmeth" "$wmatch"; fi
				before=$(wc -l <"$TMP/main/requests.log")
				execute "$OUT"
			fi
			rc=$?
			cells=$((cells + 1))
			# a write's fault concerns the step that writes: the others may
			# read what a slow write did after all
			if [ $mode = write ]; then judge "$OUT" "$writer" "$name"; else judge "$OUT" "$steps" "$name"; fi
			[ $rc -lt 128 ] || why="$why killed by signal $((rc - 128)) (9: the watchdog, a hang);"
			wrong=$(echo "$why" | grep -o "marked [^;]* pass" | wc -l | tr -d ' ')
			wrong_total=$((wrong_total + wrong))
			sent=-
			if [ $mode = write ] && [ "$wmeth" = POST ]; then
				# a POST creates (a key: a new version each time): after a
				# time-out or a closed connection it may have reached Azure,
				# so it is never sent again
				# (the attempts, as the message counts them: the fake's log
				# misses a request whose client has gone)
				# (in the step's own lines: its summary, or the
				# arguments of a failed write)
				sent=$(awk -v re="$writer" '($1 == "=" ? $2 : $1) ~ re' "$OUT" |
					sed -n 's/.*no answer after \([0-9]*\) attempt.*/\1/p' | head -1)
				case $f in slow | drop) [ "$sent" = 1 ] || why="$why the POST sent ${sent:-?} times;" ;; esac
				[ -n "$sent" ] || sent=-
			fi
			if [ $mode = look ]; then
				# a look that failed is not a refused write: nothing was sent
				echo "$lines_judged" | grep -q " rest-write-failed" &&
					why="$why a failed look recorded as a failed write;"
				# a write that reached the fake for the resource it could not look at
				sent=$(tail -n +$((before + 1)) "$TMP/main/requests.log" | grep -E "^(PUT|POST|PATCH) " |
					grep -cF "${wmatch%\?}")
				[ "$sent" = 0 ] || why="$why $sent write(s) sent without a look;"
			fi
			row "$kind" "$mode" "$f" "$res" "$wrong" "$sent" "$msg"
			if [ -z "$why" ]; then
				tap_ok "$kind, $mode, $f: not verified, named, cause and what to do"
			else
				tap_not_ok "$kind, $mode, $f:$why" "$(grep -v '^= .* [a-zA-Z_ ]*: ' "$OUT" | head -40)"
			fi
		done
	done
done <<EOF
$ROWS
EOF

# The sign-in: side A's az command fails (tests/azure/az-stub's faults); the
# checks run. Every step of side A must be unavailable, never pass; the
# sign-in line must say what failed, its cause and what to do.
AZ_FAULTS="fail expired-login notjson notoken notjwt huge crash expiredtoken"
[ "${CK_STEP_FAULTS:-}" = all ] && AZ_FAULTS="$AZ_FAULTS hang"
reset
execute "$TMP/populate"
for f in $AZ_FAULTS; do
	echo "$f" >"$TMP/azA/fault"
	check "$OUT"
	rc=$?
	rm -f "$TMP/azA/fault"
	cells=$((cells + 1))
	why=""
	[ $rc -lt 128 ] || why="$why killed by signal $((rc - 128)) (9: the watchdog, a hang);"
	grep -q "runtime error\|AddressSanitizer\|LeakSanitizer" "$OUT" && why="$why sanitizer report;"
	line=$(grep -m1 "^sign-in A refused " "$OUT" | cut -c18-)
	[ -n "$line" ] || why="$why sign-in A not refused;"
	echo "$line" | grep -Eq "az|token" || why="$why what failed is not named;"
	echo "$line" | grep -Eiq "$TODO|az login|sign in|install|--sign-in device" || why="$why nothing to do;"
	lines=$(grep -E '^[^ =!]+/A [a-z]+ ' "$OUT")
	# no step of side A listed at all would pass the count below unseen;
	# a step without a sign-in was not checked: unavailable, never failed
	if [ -z "$lines" ]; then
		why="$why no step of side A listed;"
	else
		other=$(echo "$lines" | grep -Evc '^[^ ]+ unavailable ')
		[ "$other" = 0 ] || why="$why $other steps of side A not unavailable;"
	fi
	res=$(echo "$lines" | awk '{ print $2 }' | sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep=", " }')
	wrong=$(echo "$lines" | grep -Ec '^[^ ]+ (pass|pending) ')
	[ "$wrong" = 0 ] || why="$why $wrong steps of side A marked pass or pending;"
	wrong_total=$((wrong_total + wrong))
	row "sign-in (az, side A)" check "$f" "$res" "$wrong" - "$line"
	if [ -z "$why" ]; then
		tap_ok "sign-in, az $f: side A refused, no step of it verified, named, cause and what to do"
	else
		tap_not_ok "sign-in, az $f:$why" "$(head -20 "$OUT")"
	fi
done

# The connection itself: a certificate from another CA, an expired one.
fake_ca other
fake_server_cert ca expired expired
fake_start expired expired --lifetime 3600
endpoints_file "$(cat "$TMP/expired/portno")" "$TMP/ep-expired"
TLS="other-ca expired"
[ "${CK_STEP_TLS:-other-ca}" = all ] || TLS=other-ca
for tls in $TLS; do
	if [ $tls = other-ca ]; then ep="$TMP/ep" ca="$TMP/other.pem"; else ep="$TMP/ep-expired" ca="$TMP/ca.pem"; fi
	reset
	execute "$TMP/populate"
	timeout -s KILL $WATCHDOG "$PROBE" "$PLAN" "$ep" "$ca" "$TMP/azA" "$TMP/azB" >"$OUT" 2>&1
	cells=$((cells + 1))
	judge "$OUT" '^(retention|provider|rg|vault|key)\..*/A$' "certificate"
	wrong=$(echo "$why" | grep -o "marked [^;]* pass" | wc -l | tr -d ' ')
	wrong_total=$((wrong_total + wrong))
	row "every resource" check "$tls" "$res" "$wrong" - "$msg"
	[ -z "$why" ] && tap_ok "$tls certificate, check: nothing verified, named, cause and what to do" ||
		tap_not_ok "$tls certificate, check:$why" "$(head -20 "$OUT")"
	reset
	before=$(wc -l <"$TMP/main/requests.log")
	(cd "$TMP/work" && rm -f ./*.backup && timeout -s KILL $WATCHDOG "$PROBE" --execute "$PLAN" "$ep" "$ca" \
		"$TMP/azA" "$TMP/azB") >"$OUT" 2>&1
	cells=$((cells + 1))
	judge "$OUT" '^(retention|provider|rg|vault|key)\..*/A$' "certificate"
	wrong=$(echo "$why" | grep -o "marked [^;]* pass" | wc -l | tr -d ' ')
	wrong_total=$((wrong_total + wrong))
	row "every resource" perform "$tls" "$res" "$wrong" - "$msg"
	[ -z "$why" ] && tap_ok "$tls certificate, perform: nothing written or verified, named, cause and what to do" ||
		tap_not_ok "$tls certificate, perform:$why" "$(head -20 "$OUT")"
done

echo "$table" | sed 's/^/# /'
echo "# cells: $cells; steps wrongly marked verified: $wrong_total"
tap_plan "$tap_n"
[ "$tap_failed" -eq 0 ]
