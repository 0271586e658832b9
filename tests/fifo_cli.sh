#!/bin/sh
# Every file ckwizard reads is a regular file of bounded size, or a clear
# refusal (src/fileread.h): a FIFO in place of a journal, plan, report or key
# is refused at once. Each run has a time limit, so a regression fails here
# rather than hanging the suite.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 8
cd "$TMP" || exit 1
mkfifo fifo || exit 1
J="$TDATA/journals/sample.jsonl"
LIMIT=20

# refused NAME WANT_TEXT ARGS...: exits non-zero within the limit and says why.
refused() {
	name=$1 want=$2
	shift 2
	timeout -k 5 "$LIMIT" "$CKW" "$@" </dev/null >out 2>&1
	rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		tap_not_ok "$name: hangs (killed after ${LIMIT}s)" "$(cat out)"
	elif [ "$rc" -eq 0 ]; then
		tap_not_ok "$name: exit 0" "$(cat out)"
	elif ! grep -q "$want" out; then
		tap_not_ok "$name: exit $rc without '$want'" "$(cat out)"
	else
		tap_ok "$name (exit $rc)"
	fi
}

refused "check FIFO" "pipe" check fifo
refused "verify FIFO" "pipe" verify fifo
refused "report FIFO" "pipe" report fifo
refused "verify J --plan FIFO" "pipe" verify "$J" --plan fifo
refused "verify J --report FIFO" "pipe" verify "$J" --report fifo
refused "audit PLAN --endpoints FIFO" "pipe" audit "$PLANS/contoso-exchange.yaml" --endpoints fifo

# A session directory whose journal is a FIFO: refused when resumed.
mkdir -m 700 sess
cp "$PLANS/contoso-exchange.yaml" plan.yaml
mkfifo sess/journal.jsonl
refused "a session whose journal is a FIFO" "not a regular file" \
	rehearse plan.yaml --dir sess --idle-lock 0 --ui-script /dev/null

# --key-A FIFO: the key is read when operator A unlocks; the screen says
# why and the wizard goes on (here: the script ends, the wizard leaves).
printf '<Enter>rehearse-alice<Enter><Dump>' >keys
timeout -k 5 "$LIMIT" "$CKW" rehearse plan.yaml --dir keyfifo --key-A fifo --idle-lock 0 \
	--ui-script keys --ui-dump dump </dev/null >out 2>&1
rc=$?
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	tap_not_ok "rehearse --key-A FIFO: hangs (killed after ${LIMIT}s)" "$(cat out)"
elif ! grep -q "pipe" dump; then
	tap_not_ok "rehearse --key-A FIFO: the screen does not say why (exit $rc)" "$(cat out)" \
		"$(cat dump 2>/dev/null)"
else
	tap_ok "rehearse --key-A FIFO is refused on the screen (exit $rc)"
fi
tap_done
