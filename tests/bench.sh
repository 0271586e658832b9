#!/bin/sh
# bench.sh CKWIZARD SRCDIR: measurements, never assertions (`make bench`).
# Times `check` and `show` on the large example plan (median of repeated runs)
# beside a program where libyaml merely parses it, how fast hostile inputs are
# refused, and `audit` against the local fake beside curl, the Azure CLI and
# the floor (tests/bench_live.py), then writes doc/bench.md with the machine
# it ran on. Timing uses python3's monotonic clock around each run.
# Repetitions: BENCH_RUNS (default 21), BENCH_LIVE_RUNS (11), BENCH_AZ_RUNS (11),
# BENCH_JOURNAL_RUNS (11), BENCH_REPORT_RUNS (5); BENCH_JOURNAL_EVENTS (100000).
set -u
CKW=${1:?usage: bench.sh CKWIZARD SRCDIR}
SRC=${2:?usage: bench.sh CKWIZARD SRCDIR}
RUNS=${BENCH_RUNS:-21}
OUT="$SRC/doc/bench.md"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ckw-bench.XXXXXX")
TDATA="$SRC/tests"
# shellcheck source=tests/azure/lib.sh
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC

# median_ms RUNS ARGS...: "WALL ms | CPU ms", the medians of RUNS runs (CPU is
# user+system of the child: less sensitive to other work on the machine).
median_ms() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
wall, cpu = [], []
for _ in range(runs):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall.append((time.monotonic() - t) * 1000)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
wall.sort(); cpu.sort()
print("%.1f ms | %.1f ms" % (wall[len(wall) // 2], cpu[len(cpu) // 2]))
PY
}

# irs CMD...: instructions executed (callgrind), or "n/a" without valgrind
irs() {
	command -v valgrind >/dev/null || { echo n/a; return; }
	valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$@" >/dev/null 2>"$TMP/cg.err"
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$TMP/cg.err" | tail -1
}

# gen_plan N OUT: tests/gen/base.yaml grown to N DEPs (N-1 Exchange DEPs and
# the SharePoint one; N=1: Exchange only), names kept short enough for the rules
gen_plan() {
	python3 - "$SRC/tests/gen/base.yaml" "$1" >"$2" <<'PY'
import sys
base = open(sys.argv[1]).read().replace("prefix: Contoso", "prefix: C")
n = int(sys.argv[2])
i, j = base.index("    policies:\n"), base.index("  sharepoint:\n")
head = base[:i].replace('-RG{side}"', '-RG{side}{vault_seq}"')
pol = "".join("      - name: P%d\n        regions: { A: eastus2, B: westus2 }\n"
              "        mailboxes: [m%d@contoso.example]\n" % (k, k) for k in range(max(n - 1, 1)))
print(head + "    policies:\n" + pol + (base[j:] if n > 1 else ""), end="")
PY
}

py() { python3 -c "$1" >"$2"; }
py 'print("a: " + "[" * 100000 + "]" * 100000)' "$TMP/deep.yaml"
py 'print("a: &a [x, x, x, x, x, x, x, x, x]\n" + "\n".join("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]" % ((chr(98 + i), chr(98 + i)) + (chr(97 + i),) * 9) for i in range(20)))' "$TMP/laughs.yaml"
py 'print("a: " + "x" * 900000)' "$TMP/scalar.yaml"
py 'print("a: " + "x" * 2000000)' "$TMP/big.yaml"
py 'print("a: [" + ", ".join(["1"] * 200000) + "]")' "$TMP/many.yaml"
py 'print("\n".join("k%d: 1" % i for i in range(40000)) + "\nk17: 2")' "$TMP/dupkeys.yaml"
python3 -c 'import random, sys; r = random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(65536)))' >"$TMP/random.yaml"
: >"$TMP/empty.yaml"
# Near the value bound: 6300 Exchange DEPs with a mailbox each (rules run on all).
python3 - "$SRC/tests/gen/base.yaml" >"$TMP/bulk.yaml" <<'PY'
import sys
base = open(sys.argv[1]).read()
head = base[:base.index("    policies:\n")].replace('-RG{side}"', '-RG{side}{vault_seq}"')
print(head + "    policies:\n" + "".join(
    "      - name: P%d\n        regions: { A: eastus2, B: westus2 }\n        mailboxes: [m%d@x.example]\n" % (i, i)
    for i in range(6300)), end="")
PY

large="$SRC/plans/woodgrove-large.yaml"

# The Azure CLI is a bench-only dependency, looked up before the az stub the
# audit signs in with goes first in PATH.
BUILD=$(dirname "$CKW")
BENCH_AUDIT="$BUILD/tests/bench_audit"
BENCH_JOURNAL="$BUILD/tests/bench_journal"
AZ_CLI=$(command -v az || true)
[ -n "$AZ_CLI" ] || echo "bench: the Azure CLI comparison needs 'apt-get install azure-cli'; skipped" >&2
# scale_row LABEL PLAN COMMAND...: the audit of PLAN by COMMAND against a fake of
# its own (tests/bench_live.py with BENCH_ROW)
scale_row() {
	label=$1 plan=$2
	shift 2
	"$CKW" show "$plan" --format json >"$TMP/plan.json" 2>/dev/null
	n_scale=$((n_scale + 1))
	fake_start "s$n_scale" srv --timing-log "$TMP/s$n_scale/timing" --lifetime 3600
	endpoints_file "$FAKE_PORT" "$TMP/ep-s"
	az_user "$TMP/azA" alice@contoso.example "$FAKE_PORT"
	az_user "$TMP/azB" bob@contoso.example "$FAKE_PORT"
	BENCH_ROW=$label BENCH_LOG="$TMP/s$n_scale/timing" PATH="$TMP/bin:$PATH" \
		python3 "$SRC/tests/bench_live.py" "$CKW" "$TMP" "$FAKE_PORT" "${BENCH_LIVE_RUNS:-11}" "$plan" "$@"
	kill "$(cat "$TMP/s$n_scale/pid")" 2>/dev/null
}

# scale: the audit's time and memory as the inventory grows, to 1,000 vaults
# (beyond the rules' caps: tests/bench_audit, the audit without the rules)
scale() {
	n_scale=0
	a="--ca-bundle $TMP/ca.pem --endpoints $TMP/ep-s --sign-in az --az-config-A $TMP/azA --az-config-B $TMP/azB"
	for n in 1 10; do
		gen_plan $n "$TMP/p$n.yaml"
		# shellcheck disable=SC2086 # a is a list of options
		scale_row "$n DEP(s), generated" "$TMP/p$n.yaml" "$CKW" audit "$TMP/p$n.yaml" $a
	done
	# shellcheck disable=SC2086
	scale_row "56 DEPs, woodgrove-large" "$large" "$CKW" audit "$large" $a
	if [ -x "$BENCH_AUDIT" ]; then
		scale_row "56 DEPs, woodgrove-large, without the rules" "$large" \
			"$BENCH_AUDIT" "$large" "$TMP/ep-s" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB"
		gen_plan 500 "$TMP/p500.yaml"
		scale_row "500 DEPs beyond the caps, without the rules" "$TMP/p500.yaml" \
			"$BENCH_AUDIT" "$TMP/p500.yaml" "$TMP/ep-s" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB"
	fi
}

# journal: verify and report of a journal of BENCH_JOURNAL_EVENTS events,
# beside OpenSSL's SHA-256 and Ed25519 alone (tests/bench_verify_raw.c)
journal() {
	n=${BENCH_JOURNAL_EVENTS:-100000} runs=${BENCH_JOURNAL_RUNS:-11}
	d=$TMP
	[ -d /dev/shm ] && d=$(mktemp -d /dev/shm/ckw-bench.XXXXXX) # one fsync per event
	if ! [ -x "$BENCH_JOURNAL" ] ||
		! j=$(CK_SRCDIR=$SRC "$BENCH_JOURNAL" "$n" "$d/j" 2>"$TMP/bj.err"); then
		echo "(not measured: tests/bench_journal failed: $(head -1 "$TMP/bj.err"))"
		[ "$d" = "$TMP" ] || rm -rf "$d"
		return
	fi
	cc -O2 -o "$TMP/rawverify" "$SRC/tests/bench_verify_raw.c" -lcrypto
	echo "$(wc -l <"$j") events, $(wc -c <"$j") bytes, written by tests/bench_journal (the fixed test"
	echo "operators, a run of contoso-exchange.yaml verified, notes, closed); medians of $runs runs"
	echo "(generated in /dev/shm: one fsync per event)."
	echo
	echo "| Command | Wall (median) | CPU (median) |"
	echo "|---|---|---|"
	echo "| \`verify\` | $(median_ms "$runs" "$CKW" verify "$j") |"
	echo "| floor: SHA-256 + Ed25519 only (tests/bench_verify_raw.c) | $(median_ms "$runs" "$TMP/rawverify" "$j") |"
	rr=${BENCH_REPORT_RUNS:-5} # each run takes as long as verify: fewer
	echo "| \`report\` (Markdown; medians of $rr runs) | $(median_ms "$rr" "$CKW" report "$j" -o "$TMP/report.md") |"
	echo
	echo "Peak RSS: \`verify\` $(/usr/bin/time -f %M "$CKW" verify "$j" 2>&1 >/dev/null | tail -1) KB,"
	echo "\`report\` $(/usr/bin/time -f %M "$CKW" report "$j" -o "$TMP/report.md" 2>&1 >/dev/null | tail -1) KB,"
	echo "the OpenSSL-only check $(/usr/bin/time -f %M "$TMP/rawverify" "$j" 2>&1 >/dev/null | tail -1) KB."
	[ "$d" = "$TMP" ] || rm -rf "$d"
}

# live: the audit of the large plan's whole inventory against the fake
live() {
	"$CKW" show "$large" --format json >"$TMP/plan.json" 2>/dev/null
	fake_ca ca
	fake_server_cert ca srv
	fake_start main srv --timing-log "$TMP/main/timing" --lifetime 3600
	endpoints_file "$FAKE_PORT" "$TMP/ep"
	mkdir -p "$TMP/bin"
	cp "$TDATA/azure/az-stub" "$TMP/bin/az"
	az_user "$TMP/azA" alice@contoso.example "$FAKE_PORT"
	az_user "$TMP/azB" bob@contoso.example "$FAKE_PORT"
	BENCH_AZ=$AZ_CLI PATH="$TMP/bin:$PATH" python3 "$SRC/tests/bench_live.py" "$CKW" "$TMP" \
		"$FAKE_PORT" "${BENCH_LIVE_RUNS:-11}" "$large" --ca-bundle "$TMP/ca.pem" \
		--endpoints "$TMP/ep" --sign-in az --az-config-A "$TMP/azA" --az-config-B "$TMP/azB"
}
# row LABEL ID FILE: the ID column says what the run actually printed.
row() {
	got=$("$CKW" check "$3" 2>&1 | sed -n 's/.*error\[\(L[0-9]*\)\].*/\1/p' | head -1)
	[ "$got" = "$2" ] || got="$2 expected, got ${got:-nothing}"
	printf '| %s | %s | %s |\n' "$1" "$got" "$(median_ms "$RUNS" "$CKW" check "$3")"
}

cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
os=$(sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release 2>/dev/null)
{
	echo "# Benchmarks"
	echo
	echo "Written by \`make bench\` (tests/bench.sh): wall and CPU time, medians of $RUNS runs of"
	echo "the built binary, process start included. Measurements, not assertions."
	echo
	echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "- Machine: ${cpu:-unknown CPU}, $(nproc) CPU(s), $(uname -m), ${os:-$(uname -sr)}"
	echo "- Load average when it started: $(cut -d" " -f1-3 /proc/loadavg 2>/dev/null) (other work on the machine skews the figures)"
	echo "- Commit: \`$(git -C "$SRC" describe --always --dirty 2>/dev/null || echo unknown)\`"
	conf=$(sed -n 's/^  \$ .*configure */configure /p' "$(dirname "$CKW")/config.log" 2>/dev/null | head -1)
	echo "- Binary: \`$CKW\`, built with \`${conf:-configure}\`, $(gcc --version 2>/dev/null | head -1)"
	echo
	echo "## The large example plan"
	echo
	echo "\`plans/woodgrove-large.yaml\`: $(wc -c <"$large") bytes, 56 DEPs, 112 vaults."
	echo
	echo "| Command | Wall (median) | CPU (median) |"
	echo "|---|---|---|"
	echo "| \`check\` | $(median_ms "$RUNS" "$CKW" check "$large") |"
	echo "| \`check --format json\` | $(median_ms "$RUNS" "$CKW" check --format json "$large") |"
	echo "| \`show\` | $(median_ms "$RUNS" "$CKW" show "$large") |"
	echo "| \`check\` on contoso-exchange.yaml | $(median_ms "$RUNS" "$CKW" check "$SRC/plans/contoso-exchange.yaml") |"
	echo "| \`check\` on 6300 DEPs near the value bound ($(wc -c <"$TMP/bulk.yaml") bytes, exit 1) | $(median_ms "$RUNS" "$CKW" check "$TMP/bulk.yaml") |"
	echo "| \`--version\` (process start only) | $(median_ms "$RUNS" "$CKW" --version) |"
	# shellcheck disable=SC2046 # pkg-config prints a list of options
	if cc -O2 -o "$TMP/yamlparse" "$SRC/tests/bench_yaml.c" $(pkg-config --cflags --libs yaml-0.1) 2>/dev/null; then
		echo "| floor: libyaml merely parsing the file (tests/bench_yaml.c, \`cc -O2\`) | $(median_ms "$RUNS" "$TMP/yamlparse" "$large") |"
	fi
	echo
	echo "Callgrind instruction counts (steadier than time on a shared machine; process start and"
	echo "the dynamic loader included):"
	echo
	echo "| Command | Instructions |"
	echo "|---|---|"
	echo "| \`check\` | $(irs "$CKW" check "$large") |"
	echo "| \`show\` | $(irs "$CKW" show "$large") |"
	echo "| \`--version\` | $(irs "$CKW" --version) |"
	[ -x "$TMP/yamlparse" ] && echo "| libyaml parse only | $(irs "$TMP/yamlparse" "$large") |"
	echo
	echo "## Hostile inputs (each refused with exit 2)"
	echo
	echo "| Input | Refused by | Wall (median) | CPU (median) |"
	echo "|---|---|---|---|"
	row "100k-deep \`[[[\` ($(wc -c <"$TMP/deep.yaml") bytes)" L008 "$TMP/deep.yaml"
	row "alias bomb (billion laughs, 21 levels)" L011 "$TMP/laughs.yaml"
	row "900 kB scalar" L009 "$TMP/scalar.yaml"
	row "2 MB file" L003 "$TMP/big.yaml"
	row "200k values in one list" L010 "$TMP/many.yaml"
	row "40k keys with one duplicate" L014 "$TMP/dupkeys.yaml"
	row "64 KiB of random bytes" L005 "$TMP/random.yaml"
	row "empty file" L004 "$TMP/empty.yaml"
	row "/dev/zero" L002 /dev/zero
	row "a directory" L002 "$TMP"
	echo
	echo "## Journal: \`verify\` and \`report\` of a ${BENCH_JOURNAL_EVENTS:-100000}-event journal"
	echo
	journal
	echo
	echo "## The wizard on the large plan"
	echo
	echo "Key scripts (\`--ui-script\`, doc/wizard.md) on \`rehearse\`, medians of $RUNS runs"
	echo "(tests/bench_wizard.py); a keypress is the CPU difference with and without 1,000 keys,"
	echo "divided by 1,000."
	echo
	CK_SRCDIR=$SRC python3 "$SRC/tests/bench_wizard.py" "$CKW" "$large" "$RUNS"
	echo
	echo "## Live: \`audit\` of the large plan's whole inventory against the local fake"
	echo
	echo "Medians of ${BENCH_LIVE_RUNS:-11} whole-process runs, the fake (tests/azure/fake.py) on 127.0.0.1;"
	echo "CPU includes the processes the audit starts (the az stand-in that hands out the tokens)."
	echo
	live
	echo
	echo "## Scale: the audit as the inventory grows"
	echo
	echo "Each against a fake of its own, medians of ${BENCH_LIVE_RUNS:-11} runs; the floor is the fake's"
	echo "busy time. 1,000 vaults is beyond what the rules allow in a plan (50 Exchange DEPs):"
	echo "tests/bench_audit runs the same audit without the rules (built for \`make bench\` only)."
	echo
	echo "| Inventory | Vaults | Requests | Wall | CPU | Fake busy (floor) | Wall / floor | Peak RSS |"
	echo "|---|---|---|---|---|---|---|---|"
	scale
	echo
	# the hand-written notes (findings, goals, before and after) are kept
	sed -n '/^## Notes (kept by make bench)$/,$p' "$OUT" 2>/dev/null
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
