#!/bin/sh
# tests/figures/secrets.sh BUILDDIR: canaries (doc/reliability.md, secrets).
# Not part of `make check`.
#
# 1. Tokens: audits of plans/contoso-exchange.yaml against the fake Azure
#    (text, JSON, the large plan, and with faults that make ckwizard print
#    the failing request), every output kept; every token the fake issued
#    (its tokens.txt) is looked for raw, base64, URL-encoded and by its
#    signature part in every output and every file under the test directory.
# 2. Passphrases: a scripted rehearsal under umask 000 (both operators
#    unlock with their passphrases, approve, verify, notes), its screen dumps,
#    its stdout/stderr, the session directory and the reports rendered from
#    its journal are searched for both passphrases (raw, base64, URL-encoded,
#    hex) and every file's mode is listed: expected 0600 (files) and 0700
#    (directories) whatever the umask.
set -u
B=${1:?usage: secrets.sh BUILDDIR}
export CK_SRCDIR=${CK_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)} CK_BUILDDIR=$B
. "$CK_SRCDIR/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
PLAN="$PLANS/contoso-exchange.yaml"
fake_tenant "$PLAN" --lifetime 3600
AZ="--sign-in az --az-config-A $TMP/azA --az-config-B $TMP/azB"
mkdir -p "$TMP/out"
n=0
aud() {
	n=$((n + 1))
	p=$1
	shift
	"$CKW" audit "$p" --ca-bundle "$TMP/ca.pem" --endpoints "$TMP/ep" --timeout 1 $AZ "$@" \
		>"$TMP/out/audit$n.txt" 2>&1
}
aud "$PLAN"
aud "$PLAN" --format json
aud "$PLANS/woodgrove-large.yaml"
for f in 500 truncate redirect expired; do
	hook "$FAKE_PORT" /test/fault "{\"name\":\"$f\",\"match\":\"vaults/Contoso-CK-EX-NA-VaultA1?\",\"count\":100}" >/dev/null
	aud "$PLAN"
	aud "$PLAN" --format json
	hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
done
cat "$TMP"/*/tokens.txt >"$TMP/all-tokens"
python3 - "$TMP" "$TMP/all-tokens" <<'PY'
import base64, os, sys, urllib.parse
root, toks = sys.argv[1], [t.strip() for t in open(sys.argv[2]) if t.strip()]
needles = set()
for t in toks:
    for form in (t, base64.b64encode(t.encode()).decode(), urllib.parse.quote(t, safe=""),
                 t.split(".")[2] if t.count(".") == 2 else t):
        needles.add(form.encode())
skip = {"tokens.txt", "requests.log", "all-tokens"}
files = size = hits = 0
for d, _, fs in os.walk(root):
    for f in fs:
        if f in skip:
            continue
        data = open(os.path.join(d, f), "rb").read()
        files += 1
        size += len(data)
        for nd in needles:
            if nd in data:
                hits += 1
                print("FOUND in", os.path.join(d, f))
print("| tokens (audit) | %d tokens issued, %d forms | %d files, %d bytes (outputs of %d audits) | %d |"
      % (len(toks), len(needles), files, size, len([x for x in os.listdir(os.path.join(root, "out"))]), hits))
PY

# 2. passphrases, under umask 000
mkdir -p "$TMP/r"
cd "$TMP/r" || exit 1
cp "$PLAN" plan.yaml
SP=$(printf '%60s' '')
{
	printf '%s' "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>s<Enter><Enter>rehearse-bob<Enter>"
	printf '%s' "<Home>$SP<Dump>s<Dump>nnote 1<Enter><Dump>q<Enter>"
} >run.keys
(umask 000 && TERM=xterm-256color "$CKW" rehearse plan.yaml --dir s --idle-lock 0 \
	--ui-clock 1795435200 --ui-script run.keys --ui-dump run.dump >run.out 2>&1)
(umask 000 && "$CKW" report s/journal.jsonl -o rep.md && "$CKW" report s/journal.jsonl --format json -o rep.json \
	&& "$CKW" report s/journal.jsonl --format html -o rep.html) >rep.out 2>&1
python3 - "$TMP/r" <<'PY'
import base64, os, stat, sys, urllib.parse
root = sys.argv[1]
needles = set()
for p in ("rehearse-alice", "rehearse-bob"):
    for form in (p, base64.b64encode(p.encode()).decode(), urllib.parse.quote(p, safe=""),
                 p.encode().hex()):
        needles.add(form.encode())
files = size = hits = 0
modes = {}
for d, ds, fs in os.walk(root):
    for x in ds:
        m = stat.S_IMODE(os.lstat(os.path.join(d, x)).st_mode)
        if d != root or x == "s":
            modes.setdefault("dir %o" % m, []).append(os.path.relpath(os.path.join(d, x), root))
    for f in fs:
        path = os.path.join(d, f)
        if f == "run.keys":  # the key script holds them on purpose
            continue
        data = open(path, "rb").read()
        files += 1
        size += len(data)
        for nd in needles:
            if nd in data:
                hits += 1
                print("FOUND in", path)
        made = not (d == root and f in ("plan.yaml", "run.out", "rep.out", "run.dump"))
        if made:
            m = stat.S_IMODE(os.lstat(path).st_mode)
            modes.setdefault("file %o" % m, []).append(os.path.relpath(path, root))
print("| passphrases (rehearsal) | 2 passphrases, %d forms | %d files, %d bytes (session, dumps, output, reports) | %d |"
      % (len(needles), files, size, hits))
print()
print("Modes under umask 000 of what ckwizard created:")
for k, v in sorted(modes.items()):
    print("- %s: %s" % (k, ", ".join(sorted(v))))
PY
