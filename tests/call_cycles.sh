#!/bin/sh
# call_cycles.sh: no circle of calls between the files of any library the
# build makes (every noinst_LIBRARIES entry in Makefile.am and its fragments).
# A file calls only files below it in its library, so each can be read,
# tested and changed knowing what it depends on (doc/STYLE.md says the order
# inside each library). The graph comes from the objects themselves: file A
# calls file B when A uses a symbol B defines (nm). A function pointer stored
# in a table counts as a use too, so a lower file must not name an upper
# file's functions even to hand them around.
. "$(dirname "$0")/tap.sh"
libs=$(find "$CK_SRCDIR" -name .git -prune -o \( -name Makefile.am -o -name '*.mk' \) -type f \
	-exec cat {} + | sed -n 's/^noinst_LIBRARIES[[:space:]]*+*=[[:space:]]*//p' |
	tr -s '[:space:]' '\n' | grep '\.a$' | sort -u)
nlibs=$(printf '%s\n' "$libs" | grep -c .)
tap_plan $((nlibs + 1))
if [ "$nlibs" -ge 6 ] && command -v nm >/dev/null && command -v ar >/dev/null; then
	tap_ok "the Makefiles name $nlibs libraries: $(echo "$libs" | paste -sd ' ' -)"
else
	tap_not_ok "the Makefiles name the libraries, and nm and ar are there" "found: $libs"
fi
for lib in $libs; do
	AR="$CK_BUILDDIR/$lib"
	if [ ! -f "$AR" ] || ! nm -A "$AR" > "$TMP/nm" 2>/dev/null; then
		tap_not_ok "$lib: no circle of calls between its files" "$AR missing or unreadable"
		continue
	fi
	n=$(sed -n 's/^[^:]*:\([^:]*\.o\):.*/\1/p' "$TMP/nm" | sort -u | wc -l)
	if [ "$n" -lt 1 ]; then
		tap_not_ok "$lib: no circle of calls between its files" "no object in $AR"
		continue
	fi
	# A library of one file (libckcurses_dl.a: the binary's ncurses, built
	# with ncurses' flags) has no two files to call each other.
	if [ "$n" -eq 1 ]; then
		tap_ok "$lib: one file, no circle of calls possible"
		continue
	fi
	# Two sources with one base name (src/x/a.c, src/y/a.c) would be one
	# node of the graph and could hide a circle: the test refuses to guess.
	dup=$(ar t "$AR" 2>/dev/null | sort | uniq -d | tr '\n' ' ')
	if [ -n "$dup" ]; then
		tap_not_ok "$lib: no circle of calls between its files" \
			"objects with the same name, the graph cannot tell them apart: $dup"
		continue
	fi
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
    elif kind in 'TDBRVW':
        defs[sym] = obj
graph = collections.defaultdict(set)
for a, syms in uses.items():
    for s in syms:
        if s in defs and defs[s] != a:
            graph[a].add(defs[s])
sys.setrecursionlimit(10000)
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
	if [ -z "$cycles" ]; then tap_ok "$lib: no circle of calls between its $n files"
	else
		old_ifs=$IFS; IFS='
'
		# shellcheck disable=SC2086 # one diagnostic line per line of $cycles
		tap_not_ok "$lib: no circle of calls between its files" $cycles
		IFS=$old_ifs
	fi
done
tap_done
