#!/bin/sh
# end_reports.sh: the end screen of a closed ceremony lists as written only
# the reports whose files hold what the journal renders. A file that was in
# a report's place before, or a symbolic link there, is said to be refused
# and why; one missing is written when the closed session is resumed. On the
# real binary, resuming the closed rehearsal of tests/journals with a key
# script (--ui-script/--ui-dump, test mode).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
export TERM=xterm-256color
tap_plan 5
cd "$TMP" || exit 1

# The closed rehearsal's session directory: its journal and its plan.
mkdir -m 700 d
cp "$TDATA/journals/rehearsal-v1.jsonl" d/journal.jsonl
head -1 d/journal.jsonl | python3 -c 'import json, sys
sys.stdout.write(json.loads(sys.stdin.read())["payload"]["plan"])' >plan.yaml
cp plan.yaml d/plan.yaml
chmod 600 d/journal.jsonl d/plan.yaml
echo "not this session's report" >d/report.md
echo outside >outside.html
ln -s ../outside.html d/report.html
printf '<Dump>q<Enter>' >quit.keys

"$CKW" rehearse plan.yaml --dir d --idle-lock 0 --ui-clock 1795435200 --ui-script quit.keys \
	--ui-dump end.dump >end.out 2>&1
rc=$?
# The screen's list, from its first report heading to the head hash.
sed -n '/Reports/,/Journal head hash/p' end.dump >list.txt
if [ $rc -eq 0 ] && grep -q 'written:' list.txt &&
	sed -n '/Reports written:/,/Reports not written/p' list.txt | grep -q 'd/report.json' &&
	! sed -n '/Reports written:/,/Reports not written/p' list.txt | grep -q 'report.md\|report.html'; then
	tap_ok "the end screen lists as written only the report it wrote (json)"
else
	tap_not_ok "the end screen lists as written only the report it wrote (json)" \
		"exit $rc" "$(cat end.out list.txt)"
fi
if sed -n '/not written/,$p' list.txt | tr -s ' \n' '  ' |
	grep -q 'd/report.md: a file with other content was there before' &&
	sed -n '/not written/,$p' list.txt | tr -s ' \n' '  ' | grep -q 'd/report.html: a symbolic link'; then
	tap_ok "the refused reports are listed as not written, each with why"
else
	tap_not_ok "the refused reports are listed as not written, each with why" "$(cat list.txt)"
fi
if [ "$(cat outside.html)" = outside ] && [ -L d/report.html ] &&
	[ "$(cat d/report.md)" = "not this session's report" ]; then
	tap_ok "nothing overwritten, nothing written through the link"
else
	tap_not_ok "nothing overwritten, nothing written through the link" "$(ls -la d)"
fi
if grep -q 'Report NOT written: d/report.md' end.out && grep -q 'Report written: d/report.json' end.out; then
	tap_ok "the goodbye lines say which reports were written"
else
	tap_not_ok "the goodbye lines say which reports were written" "$(cat end.out)"
fi
# Resumed again after the foreign file is removed: written, and listed.
rm d/report.md
"$CKW" rehearse plan.yaml --dir d --idle-lock 0 --ui-clock 1795435200 --ui-script quit.keys \
	--ui-dump again.dump >again.out 2>&1
if "$CKW" report d/journal.jsonl -o fresh.md >/dev/null 2>&1 && cmp -s fresh.md d/report.md &&
	sed -n '/Reports written:/,/not written/p' again.dump | grep -q 'd/report.md'; then
	tap_ok "a missing report is written when the closed session is resumed"
else
	tap_not_ok "a missing report is written when the closed session is resumed" \
		"$(cat again.out again.dump)"
fi
tap_done
