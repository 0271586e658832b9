#!/bin/sh
# secrets_canary.sh: canary secrets through a whole ceremony, then a search
# for them everywhere it could have left them. Two operators enrolled with
# canary passphrases (random, unique to this run); `run --live` against the
# fake Azure (tests/azure/fake.py), each operator signing in (the az sign-in),
# the plan approved and verified; `audit` (every check over REST) by az and by
# device code; a rehearsal with the same keys; reports in every format; then
# `verify`. Every token the fake issued is a canary too.
# Searched: every file under the test's directory (session directories,
# reports, screen dumps, HOME with the keystore, stdout and stderr of every
# command) except the inputs the test itself wrote (the passphrase files) and
# the fake's own records; every file created under /tmp meanwhile. Each
# secret is looked for raw, in base64 and base64url (at the three alignments
# a secret can have inside a longer encoded text), URL-encoded and in hex.
# Then the process itself: while it holds an unlocked key (waiting for a
# device-code sign-in) its core limit is 0, and a SIGSEGV leaves no core file
# where a control process of the same shell leaves one.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; [ -n "${wpid:-}" ] && kill -9 "$wpid" 2>/dev/null; rm -rf "$TMP"' EXIT
tap_plan 10
# Everything below runs under umask 000: ckwizard must set its own modes.
umask 000
export TERM=xterm-256color CK_SRCDIR
cd "$TMP" || exit 1
touch "$TMP/start-marker"
mkdir in out
rnd() { od -An -N9 -tx1 /dev/urandom | tr -d ' \n'; }
PASS_A="canary-pass-A-$(rnd)"
PASS_B="canary-pass-B-$(rnd)"
PIN_A="cnrypinA$(rnd)"
PIN_B="cnrypinB$(rnd)"
echo "$PASS_A" >in/pa
echo "$PASS_B" >in/pb
echo "$PIN_A" >in/pina
echo "$PIN_B" >in/pinb
for s in A B; do
	[ $s = A ] && n="Alice Ames" u=alice@contoso.example || n="Bob Berg" u=bob@contoso.example
	l=$(echo $s | tr AB ab)
	"$CKW" operator enroll --name "$n" --upn $u --passphrase-fd 0 --pin-fd 3 <in/p$l \
		3<in/pin$l >out/enroll$s.out 2>&1
done
ka=$(sed -n 's/^  key: "\(.*\)"$/\1/p' out/enrollA.out)
kb=$(sed -n 's/^  key: "\(.*\)"$/\1/p' out/enrollB.out)
awk -v a="$ka" -v b="$kb" '/^    key: "ed25519:/ { n++; sub(/"ed25519:[^"]*"/, "\"" (n == 1 ? a : b) "\"") } { print }' \
	"$PLANS/contoso-exchange.yaml" >plan.yaml
if [ -n "$ka" ] && [ -n "$kb" ] && grep -q "$kb" plan.yaml; then
	tap_ok "two operators enrolled with canary passphrases and signing PINs"
else
	tap_not_ok "two operators enrolled with canary passphrases" "$(cat out/enroll*.out)"
fi
fake_tenant plan.yaml --lifetime 900
AZ="--sign-in az --az-config-A $TMP/azA --az-config-B $TMP/azB"
LIVE="--live --endpoints $TMP/ep --ca-bundle $TMP/ca.pem"

# 2. run --live: A opens the sitting and B joins, each signing in to Azure
# (the tokens name who they are), A approves, B verifies (every checklist item
# ticked), a note, quit.
SP=$(printf '%60s' '')
cat >in/live.keys <<EOF
<Enter>$PASS_A<Enter>$PASS_B<Enter><Dump>
s$PIN_A<Enter><Dump>$PIN_B<Enter><Home>$SP s$PIN_B<Enter><Dump>
nnote from the live run<Enter><Dump>
EOF
# shellcheck disable=SC2086 # lists of options on purpose
"$CKW" run plan.yaml --dir live $LIVE $AZ --idle-lock 0 --ui-script in/live.keys \
	--ui-dump out/live.dump >out/live.out 2>out/live.err
rc=$?
signins=$(grep -c '"type":"azure.signin"' live/journal.jsonl 2>/dev/null)
checks=$(grep -c '"type":"step.check"' live/journal.jsonl 2>/dev/null)
if [ $rc = 0 ] && [ "${signins:-0}" -ge 2 ] && grep -q '"type":"plan.verify"' live/journal.jsonl && "$CKW" verify live/journal.jsonl >out/live.verify 2>&1 ||
	[ $? = 3 ]; then
	tap_ok "run --live: both operators signed in ($signins sign-ins recorded), plan verified ($checks step checks: the first step with one needs six steps done before it)"
else
	tap_not_ok "run --live (exit $rc, $signins sign-ins, $checks checks)" "$(cat out/live.out out/live.err)" \
		"$(tail -30 out/live.dump)"
fi

# 3. audit, az and device code (each operator approves the code as themselves).
# shellcheck disable=SC2086
"$CKW" audit plan.yaml --endpoints "$TMP/ep" --ca-bundle "$TMP/ca.pem" $AZ >out/audit-az.out 2>out/audit-az.err
r1=$?
# shellcheck disable=SC2086
"$CKW" audit plan.yaml --endpoints "$TMP/ep" --ca-bundle "$TMP/ca.pem" $AZ --format json \
	>out/audit-json.out 2>out/audit-json.err
PLAN=plan.yaml
audit_device "$FAKE_PORT" "$TMP/ep" out/audit-dev '{"upn":"alice@contoso.example"}' \
	'{"upn":"bob@contoso.example"}'
r2=$RC
if [ $r1 = 0 ] && [ $r2 = 0 ]; then
	tap_ok "audit by az and by device code: all holds"
else
	tap_not_ok "audit (az exit $r1, device exit $r2)" "$(cat out/audit-az.out out/audit-dev.err | head -20)"
fi

# 3b. audit with a vault request failing (500, a truncated answer, a redirect,
# an expired token), text and JSON: ckwizard prints the failing request, the
# place a token would most likely slip into an output.
bad=""
for f in 500 truncate redirect expired; do
	hook "$FAKE_PORT" /test/fault "{\"name\":\"$f\",\"match\":\"vaults/Contoso-CK-EX-NA-VaultA1?\",\"count\":100}" >/dev/null
	for fmt in text json; do
		# shellcheck disable=SC2086
		"$CKW" audit plan.yaml --endpoints "$TMP/ep" --ca-bundle "$TMP/ca.pem" $AZ --timeout 1 \
			--format $fmt >out/audit-$f.$fmt 2>&1
		r=$?
		[ $r = 3 ] && grep -q 'Contoso-CK-EX-NA-VaultA1' out/audit-$f.$fmt || bad="$bad $f/$fmt(exit $r)"
	done
	hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
done
if [ -z "$bad" ]; then
	tap_ok "audit with a failing vault request (500, truncate, redirect, expired; text and JSON): each names the vault and could not check everything (exit 3)"
else
	tap_not_ok "audit with a failing vault request" "$bad" "$(head -5 out/audit-500.text)"
fi

# 4. A rehearsal with the same keys and passphrases, and every report.
sed "s/rehearse-alice/$PASS_A/g; s/rehearse-bob/$PASS_B/g; s/1234/$PIN_A/g; s/5678/$PIN_B/g" \
	"$TDATA/rehearsal17.keys" >in/reh.keys
"$CKW" rehearse plan.yaml --dir reh --idle-lock 0 --ui-script in/reh.keys --ui-dump out/reh.dump \
	>out/reh.out 2>out/reh.err
rc=$?
for j in live reh; do
	for f in md html json; do
		"$CKW" report $j/journal.jsonl --format $f -o out/$j-report.$f >out/report-$j-$f.out 2>&1
	done
	"$CKW" verify $j/journal.jsonl --report out/$j-report.html >out/verify-$j.out 2>&1
done
if [ $rc = 0 ] && [ "$(wc -l <reh/journal.jsonl)" -eq 17 ] && [ -s out/reh-report.json ] &&
	[ -s out/live-report.html ]; then
	tap_ok "a rehearsal with the canary keys (17 events) and reports in three formats for both"
else
	tap_not_ok "the rehearsal with the canary keys (exit $rc)" "$(cat out/reh.out out/reh.err)"
fi

# 5. The process that holds unlocked keys: a rehearsal with both operators
# present (both passphrases typed), then keys that change nothing, long
# enough to look at it: its limits, then SIGSEGV.
mkdir core-run && cd core-run || exit 1
python3 -c 'import sys; print("<Enter>%s<Enter>%s<Enter><Dump>" % (sys.argv[1], sys.argv[2]) + "<Down><Up>" * 3000)' \
	"$PASS_A" "$PASS_B" >../in/core.keys
# Under the sanitizer build ASan would catch the signal and abort (134):
# leave SIGSEGV to the kernel, as in a release build.
(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0" exec "$CKW" rehearse ../plan.yaml \
	--dir sess --idle-lock 0 --ui-script ../in/core.keys --ui-dump dump >out 2>err) &
wpid=$!
n=0
until grep -q "keyboard: " dump 2>/dev/null || [ $n -ge 600 ]; do sleep 0.1; n=$((n + 1)); done
grep "core file" /proc/$wpid/limits >limits 2>&1
kill -SEGV $wpid
wait $wpid
src=$?
wpid=""
cd .. || exit 1
# The control: the same shell, a core limit raised, the same signal.
mkdir control && (cd control && ulimit -c unlimited 2>/dev/null && exec sleep 30) &
cpid=$!
sleep 0.5
kill -SEGV $cpid
wait $cpid
crc=$?
sleep 0.5
cores=$(find core-run -mindepth 1 -name 'core*' | wc -l)
ccores=$(find control -mindepth 1 -name 'core*' | wc -l)
if grep -q "Max core file size *0 *0" core-run/limits && [ $src = 139 ] && [ "$cores" = 0 ]; then
	tap_ok "holding both unlocked keys: core limit 0 ($(tr -s ' ' <core-run/limits)); SIGSEGV (exit $src) left $cores core files (a control process: exit $crc, $ccores; core_pattern $(cat /proc/sys/kernel/core_pattern))"
else
	tap_not_ok "core dump attempt" "limits: $(cat core-run/limits)" "exit $src, cores $cores" \
		"$(cat core-run/err)" "$(tail -25 core-run/dump)"
fi

# 6-8. The search.
cat "$TMP"/main/tokens.txt >in/tokens 2>/dev/null
find /tmp -xdev -newer "$TMP/start-marker" -type f ! -path "$TMP/*" 2>/dev/null >in/tmpfiles
python3 "$TDATA/canary_scan.py" "$TMP" "$TMP/in/tokens" "$PASS_A" "$PASS_B" "$PIN_A" "$PIN_B" <in/tmpfiles >in/scan 2>&1
src=$?
if [ $src = 0 ]; then
	tap_ok "no secret in any file: $(cat in/scan)"
else
	tap_not_ok "a secret was found" "$(cat in/scan)"
fi
# The search can fail: a passphrase planted in each form, inside longer text.
mkdir -p plant/in plant/main
python3 - plant "$PASS_A" <<'PY'
import base64, sys, urllib.parse
d, p = sys.argv[1], sys.argv[2].encode()
forms = {"raw": p, "url": urllib.parse.quote(p.decode() + " /", safe="").encode(), "hex": p.hex().encode(),
         "b64": base64.b64encode(b"x" + p + b"yz"), "b64url": base64.urlsafe_b64encode(b"\xff\xfe" + p)}
for name, data in forms.items():
    open("%s/%s" % (d, name), "wb").write(b"text before " + data + b" text after\n")
PY
echo tok >plant/in/tokens
python3 "$TDATA/canary_scan.py" "$TMP/plant" "$TMP/plant/in/tokens" "$PASS_A" </dev/null >in/plant 2>&1
found=0
for f in raw url hex b64 b64url; do grep -q "plant/$f " in/plant && found=$((found + 1)); done
if [ $found = 5 ]; then
	tap_ok "the search finds a passphrase planted raw, URL-encoded, in hex, base64 and base64url"
else
	tap_not_ok "the search finds only $found of 5 planted forms" "$(cat in/plant)"
fi
# Modes under umask 000: what ckwizard wrote (sessions, keystore, reports,
# the screen dumps of --ui-dump).
find live reh "$XDG_CONFIG_HOME/ckwizard" >in/written
ls out/*-report.* out/*.dump >>in/written
modes=$(while read -r f; do
	m=$(stat -c %a "$f")
	if [ -d "$f" ]; then [ "$m" = 700 ] || echo "$f $m"; else [ "$m" = 600 ] || echo "$f $m"; fi
done <in/written)
n=$(wc -l <in/written)
if [ -z "$modes" ]; then
	tap_ok "under umask 000: $n files and directories ckwizard wrote, every file 0600, every directory 0700"
else
	tap_not_ok "under umask 000: modes other than 0600/0700" "$modes"
fi
files=$(ls out | wc -l)
tap_ok "stdout and stderr of every command were among them ($files files in out/)"
tap_done
