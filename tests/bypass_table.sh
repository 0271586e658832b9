#!/bin/sh
# bypass_table.sh: dual control against one operator alone, on the real
# binary: two scripted rehearsals (tests/rehearsal17.keys) recorded at two
# times, then tests/bypass_table.py writes each attempt into a copy of the
# first journal and hands it to `ckwizard verify`. Prints the table
# doc/reliability.md shows (TAP comments).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
export TERM=xterm-256color CK_SRCDIR
cd "$TMP" || exit 1
cp "$PLANS/contoso-exchange.yaml" plan.yaml
for clock in 1795435200 1795521600; do
	if ! "$CKW" rehearse plan.yaml --dir s$clock --idle-lock 0 --ui-clock $clock \
		--ui-script "$TDATA/rehearsal17.keys" --ui-dump d$clock >r$clock.out 2>&1; then
		echo "1..1"
		tap_not_ok "the scripted rehearsal runs" "$(cat r$clock.out)"
		exit 1
	fi
done
mkdir work
python3 "$TDATA/bypass_table.py" "$CKW" s1795435200/journal.jsonl s1795521600/journal.jsonl \
	"$PLANS/demo-operators" work
