#!/bin/sh
# Bad input at the edges of the command line: empty values, floods of
# problems, terminals that cannot show the wizard. Each is refused clearly
# or bounded, and nothing is created.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 6

# --fault '' names no fault: a usage error, not "no faults".
run_ck 2 "$TMP/o" rehearse "$PLANS/contoso-exchange.yaml" --dir "$TMP/f1" --fault '' \
	&& grep -qE 'empty fault name|"" is empty' "$TMP/o" && [ ! -e "$TMP/f1" ] \
	&& tap_ok "--fault '' is a usage error and creates nothing" \
	|| tap_not_ok "--fault '' is a usage error and creates nothing" "$(cat "$TMP/o")"
run_ck 2 "$TMP/o" rehearse "$PLANS/contoso-exchange.yaml" --dir "$TMP/f2" --fault rbac-on \
	--fault '' && grep -qE 'empty fault name|"" is empty' "$TMP/o" && [ ! -e "$TMP/f2" ] \
	&& tap_ok "an empty --fault beside a good one is refused too" \
	|| tap_not_ok "an empty --fault beside a good one is refused too" "$(cat "$TMP/o")"

# 60,000 problems: the first 1000 by position are printed, then a count of
# the rest; the totals and the exit code still count them all.
{
	echo "ckwizard: 1"
	echo "officers:"
	i=0
	while [ $i -lt 600 ]; do
		echo "  - bogus"; echo "  - bogus"; echo "  - bogus"; echo "  - bogus"; echo "  - bogus"
		i=$((i + 1))
	done
} >"$TMP/many.yaml"
run_ck 1 "$TMP/o" check "$TMP/many.yaml"
lines=$(wc -l <"$TMP/o")
if [ "$lines" -eq 2002 ] && grep -q "many.yaml: 2007 more problems not shown" "$TMP/o" \
	&& grep -q "many.yaml: 3007 errors" "$TMP/o" && head -1 "$TMP/o" | grep -q ":1:1: error\[CK003\]"; then
	tap_ok "diagnostics are capped at 1000 with a count of the rest"
else
	tap_not_ok "diagnostics are capped at 1000 with a count of the rest" "$lines lines" \
		"$(head -3 "$TMP/o")" "$(tail -3 "$TMP/o")"
fi
run_ck 1 "$TMP/o" check --format json "$TMP/many.yaml"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (len(d["diagnostics"]) == 1000 and d["errors"] == 3007 and d["not_shown"] == 2007))' "$TMP/o"; then
	tap_ok "check --format json: 1000 diagnostics, all counted, not_shown given"
else
	tap_not_ok "check --format json: 1000 diagnostics, all counted, not_shown given" "$(head -c 300 "$TMP/o")"
fi
# A terminal that cannot move the cursor is refused as an unknown one is.
# (An unknown TERM is not run here: ncurses keeps what its failed newterm
# allocated, which LeakSanitizer reports in the sanitizer build.)
printf '<Dump>q<Enter>' >"$TMP/keys"
for t in dumb; do
	TERM=$t "$CKW" rehearse "$PLANS/contoso-exchange.yaml" --dir "$TMP/t-$t" --idle-lock 0 \
		--ui-script "$TMP/keys" --ui-dump "$TMP/dump-$t" >"$TMP/o" 2>&1
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "TERM=$t" "$TMP/o" && grep -q "TERM=xterm" "$TMP/o" \
		&& [ ! -s "$TMP/dump-$t" ]; then
		tap_ok "TERM=$t is refused with a hint, no screen drawn"
	else
		tap_not_ok "TERM=$t is refused with a hint, no screen drawn" "exit $rc" "$(cat "$TMP/o")"
	fi
done
# Combining marks in plan text take no column: the header keeps the
# REHEARSAL label at the right edge, and the screen dump holds the whole
# line (it read 80 code points, so marks pushed the label out of it).
python3 - "$PLANS/contoso-exchange.yaml" "$TMP/marks.yaml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
name = "Conto" + "e\u0301" * 30 + "s Holdings Worldwide Incorporated Limited Partners"
s = s.replace("  name: Contoso\n", '  name: "' + name + '"\n', 1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
"$CKW" rehearse "$TMP/marks.yaml" --dir "$TMP/marks" --idle-lock 0 --ui-script "$TMP/keys" \
	--ui-dump "$TMP/dump-marks" >"$TMP/o" 2>&1
if python3 - "$TMP/dump-marks" <<'PY'
import sys, unicodedata
line = open(sys.argv[1], encoding="utf-8").read().split("\n")[1]
cols = sum(0 if unicodedata.combining(c) else 1 for c in line)
print(cols, repr(line))
sys.exit(not (line.endswith(" REHEARSAL") and cols == 79 and "\u0301" in line))
PY
then
	tap_ok "combining marks in the header leave REHEARSAL at the right edge"
else
	tap_not_ok "combining marks in the header leave REHEARSAL at the right edge" \
		"$(head -2 "$TMP/dump-marks")" "$(cat "$TMP/o")"
fi
tap_done
