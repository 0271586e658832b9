#!/bin/sh
# event_literals.sh: an event type is named in one place, the rule table
# (src/session/rules.c): writers name events by enum sess_ev and readers read
# the typed state the rules fill. A string literal of an event type anywhere
# else in src/ or ui/ fails, except where the same word means something else
# (listed below with why).
. "$(dirname "$0")/tap.sh"
tap_plan 2
cd "$CK_SRCDIR" || exit 1
TABLE=src/session/rules.c
types=$(sed -n 's/^[[:space:]]*\[SEV_[A-Z_]*\][[:space:]]*=[[:space:]]*{ "\([a-z.]*\)".*/\1/p' "$TABLE")
n=$(printf '%s\n' "$types" | grep -c .)
if [ "$n" -ge 19 ]; then tap_ok "the rule table names $n event types"
else tap_not_ok "the rule table names $n event types" "expected at least 19 in $TABLE"; fi
# FILE:LITERAL pairs where the word is not an event type: a diagnostic's
# severity, a line of a simulated check's detail, and the words the reports
# use for a deviation or a note (what they show, read from the typed state).
allowed='src/diag.c:"note"
src/azure/sim_access.c:"note"
src/azure/sim_arm.c:"note"
src/azure/sim_keys.c:"note"
src/azure/sim_m365.c:"note"
src/report/json.c:"deviation"
src/report/v1.c:"deviation"
src/report/walk.c:"deviation"
src/report/walk.c:"note"'
# Literals in code only: comments may name events.
found=$(python3 - "$TABLE" "$allowed" $types <<'PY'
import os, re, sys
table, allowed, types = sys.argv[1], set(sys.argv[2].split('\n')), sys.argv[3:]
lit = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
for top in ('src', 'ui'):
    for d, _, files in os.walk(top):
        for name in sorted(files):
            f = os.path.join(d, name)
            if not name.endswith(('.c', '.h')) or f == table:
                continue
            code = open(f, encoding='utf-8', errors='replace').read()
            code = re.sub(r'/\*.*?\*/', ' ', code, flags=re.S)
            code = re.sub(r'//[^\n]*', ' ', code)
            for m in lit.finditer(code):
                if m.group(1) in types and '%s:"%s"' % (f, m.group(1)) not in allowed:
                    print('%s:"%s"' % (f, m.group(1)))
PY
)
if [ -z "$found" ]; then tap_ok "no event type literal outside the rule table"
else tap_not_ok "no event type literal outside the rule table" $found; fi
tap_done
