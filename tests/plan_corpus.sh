#!/bin/sh
# plan_corpus.sh: every broken plan in tests/plans-bad/ gets exactly the
# diagnostic its first line announces ("# expect: ID LINE EXIT"), and hostile
# inputs made at run time (not committed: some are large or not files at all)
# get their loader ID and exit code 2 at once. No timing here: see make bench.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"

corpus=$(ls "$TDATA"/plans-bad/*.yaml)
n_corpus=$(printf '%s\n' "$corpus" | wc -l)
tap_plan $((n_corpus + 18))

for f in $corpus; do
	name=$(basename "$f")
	read -r _ _ id line code <"$f"
	"$CKW" check "$f" >"$TMP/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$code" ] && grep -q ":$line:[0-9]*: [a-z]*\[$id\]: " "$TMP/out"; then
		tap_ok "$name: $id at line $line, exit $code"
	else
		tap_not_ok "$name: want $id at line $line, exit $code; got exit $rc" "$(cat "$TMP/out")"
	fi
done

# hostile NAME ID ARG: check ARG, expect exit 2 and the loader ID.
hostile() {
	name=$1 id=$2 arg=$3
	"$CKW" check "$arg" >"$TMP/out" 2>&1
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "error\[$id\]" "$TMP/out"; then
		tap_ok "hostile $name: $id, exit 2"
	else
		tap_not_ok "hostile $name: want $id and exit 2, got exit $rc" "$(head -c 2000 "$TMP/out")"
	fi
}

py() { python3 -c "$1" >"$2"; }

py 'print("a: " + "[" * 100000 + "]" * 100000)' "$TMP/deep.yaml"
hostile "100k-deep nesting" L008 "$TMP/deep.yaml"
py 'print("a: " + "{a: " * 100000 + "}" * 100000)' "$TMP/deep-map.yaml"
hostile "100k-deep mappings" L008 "$TMP/deep-map.yaml"
# billion laughs: refused at the first anchor, never expanded
py 'print("a: &a [x, x, x, x, x, x, x, x, x]\n" + "\n".join("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]" % ((chr(98 + i), chr(98 + i)) + (chr(97 + i),) * 9) for i in range(20)))' "$TMP/laughs.yaml"
hostile "alias bomb" L011 "$TMP/laughs.yaml"
py 'print("a: " + "x" * 900000)' "$TMP/huge-scalar.yaml"
hostile "huge scalar" L009 "$TMP/huge-scalar.yaml"
py 'print("a: " + "x" * 2000000)' "$TMP/huge-file.yaml"
hostile "file over 1 MiB" L003 "$TMP/huge-file.yaml"
py 'print("a: [" + ", ".join(["1"] * 200000) + "]")' "$TMP/many.yaml"
hostile "200k values" L010 "$TMP/many.yaml"
py 'print("\n".join("k%d: 1" % i for i in range(40000)) + "\nk17: 2")' "$TMP/dupkeys.yaml"
hostile "40k keys with a duplicate" L014 "$TMP/dupkeys.yaml"
# random bytes with a fixed seed: an invalid UTF-8 sequence comes first
python3 -c 'import random, sys; r = random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(65536)))' >"$TMP/random.yaml"
hostile "random bytes" L005 "$TMP/random.yaml"
hostile "a directory" L002 "$TMP"
hostile "/dev/zero" L002 /dev/zero
hostile "/dev/null" L002 /dev/null
: >"$TMP/empty.yaml"
hostile "an empty file" L004 "$TMP/empty.yaml"
mkfifo "$TMP/fifo"
hostile "a FIFO without writer" L002 "$TMP/fifo"
hostile "a missing file" L001 "$TMP/no-such-plan.yaml"
printf 'a: x\000y\n' >"$TMP/nul.yaml"
hostile "a NUL byte" L006 "$TMP/nul.yaml"
printf 'a: \342\200\256evil\n' >"$TMP/rlo.yaml"
hostile "U+202E" L006 "$TMP/rlo.yaml"
printf 'a: \300\257\n' >"$TMP/overlong.yaml"
hostile "overlong UTF-8" L005 "$TMP/overlong.yaml"

# A symlink to a valid plan is followed: plans kept in shared folders are legit.
ln -s "$PLANS/contoso-exchange.yaml" "$TMP/link.yaml"
if "$CKW" check "$TMP/link.yaml" >"$TMP/out" 2>&1; then
	tap_ok "a symlink to a valid plan is read"
else
	tap_not_ok "a symlink to a valid plan is read" "$(cat "$TMP/out")"
fi
tap_done
