#!/bin/sh
# call_cycles.sh: no circle of calls between the files of the journal layer
# (journal, session, reports, verify: libckjournal.a). A file calls only
# files below it, so each can be read, tested and changed knowing what it
# depends on (doc/STYLE.md). The graph comes from the objects themselves:
# file A calls file B when A uses a symbol B defines (nm).
. "$(dirname "$0")/tap.sh"
tap_plan 2
AR="$CK_BUILDDIR/libckjournal.a"
if [ ! -f "$AR" ] || ! command -v nm >/dev/null; then
	tap_not_ok "the journal layer's objects can be read" "$AR or nm missing"
	tap_not_ok "no circle of calls between its files"
	tap_done
fi
nm -A "$AR" > "$TMP/nm" 2>/dev/null
n=$(sed -n 's/^[^:]*:\([^:]*\.o\):.*/\1/p' "$TMP/nm" | sort -u | wc -l)
if [ "$n" -ge 10 ]; then tap_ok "the journal layer's objects can be read ($n files)"
else tap_not_ok "the journal layer's objects can be read" "only $n objects in $AR"; fi
cycles=$(python3 - "$TMP/nm" <<'PY'
import collections, re, sys
defs, uses = {}, collections.defaultdict(set)
for line in open(sys.argv[1]):
    m = re.match(r'^[^:]*:([^:]+\.o):\s*(?:[0-9a-f]+\s+)?([A-Za-z])\s+(\S+)$', line.rstrip('\n'))
    if not m:
        continue
    obj, kind, sym = m.groups()
    obj = re.sub(r'^lib\w+_a-', '', obj)[:-2]
    if kind == 'U':
        uses[obj].add(sym)
    elif kind in 'TDBR':
        defs[sym] = obj
graph = collections.defaultdict(set)
for a, syms in uses.items():
    for s in syms:
        if s in defs and defs[s] != a:
            graph[a].add(defs[s])
index, low, stack, on, out = {}, {}, [], set(), []
def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on.add(v)
    for w in sorted(graph[v]):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            out.append(sorted(comp))
for v in sorted(set(graph) | set(defs.values())):
    if v not in index:
        visit(v)
for comp in out:
    print('circle: ' + ' '.join(comp))
    for a in comp:
        for b in sorted(graph[a] & set(comp)):
            syms = sorted(s for s in uses[a] if defs.get(s) == b)
            print('  %s -> %s (%s)' % (a, b, ', '.join(syms[:4])))
PY
)
if [ -z "$cycles" ]; then tap_ok "no circle of calls between its files"
else
	old_ifs=$IFS; IFS='
'
	tap_not_ok "no circle of calls between its files" $cycles
	IFS=$old_ifs
fi
tap_done
