#!/usr/bin/env python3
"""bench_smaps.py CKWIZARD PLAN [RUNS]: where the wizard's peak memory is, by
mapping. Runs the key script of bench_wizard.py's unlock row (both operators
unlock, the plan review is drawn, quit), reads /proc/PID/smaps_rollup every
~2 ms and keeps the whole /proc/PID/smaps of the moment Rss was highest (the
peak lies inside a scrypt, which lasts far longer than that). Prints the run
with the median peak: Rss and Private (clean + dirty) of each mapping, summed
by file ([anon], [heap], each library). Measurements, never assertions;
doc/bench.md, "Fourth round", says how its figures were made.
The demo operators (rehearse-alice, rehearse-bob) need CK_SRCDIR.
"""
import collections
import os
import re
import subprocess
import sys
import tempfile
import time

CKW, PLAN = sys.argv[1], sys.argv[2]
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
KEYS = "<Enter>rehearse-alice<Enter>rehearse-bob<Enter><Dump>q<Enter>"
KDF_KB = 16 * 1024  # scrypt N=2^14, r=8: 128 * r * N bytes


def field(text, name):
    m = re.search(r"^%s:\s+(\d+) kB" % name, text, re.M)
    return int(m.group(1)) if m else 0


def run(tmp, i):
    keys = os.path.join(tmp, "k%d" % i)
    with open(keys, "w") as f:
        f.write(KEYS)
    p = subprocess.Popen([CKW, "rehearse", PLAN, "--dir", os.path.join(tmp, "d%d" % i),
                          "--idle-lock", "0", "--ui-clock", "1795435200", "--ui-script", keys,
                          "--ui-dump", os.path.join(tmp, "dump%d" % i)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=dict(os.environ, TERM="xterm-256color"))
    best, smaps = 0, ""
    while p.poll() is None:
        try:
            with open("/proc/%d/smaps_rollup" % p.pid) as f:
                rss = field(f.read(), "Rss")
            if rss > best:
                with open("/proc/%d/smaps" % p.pid) as f:
                    best, smaps = rss, f.read()
        except OSError:  # the process ended between two reads
            pass
        time.sleep(0.002)
    return best, smaps, p.returncode


def by_file(smaps):
    sums = collections.defaultdict(lambda: [0, 0])
    name = None
    for line in smaps.splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            parts = line.split(None, 5)
            name = os.path.basename(parts[5]) if len(parts) > 5 else "[anon]"
        elif name:
            m = re.match(r"^(Rss|Private_Clean|Private_Dirty):\s+(\d+)", line)
            if m:
                sums[name][0 if m.group(1) == "Rss" else 1] += int(m.group(2))
    return sums


def main():
    tmp = tempfile.mkdtemp(prefix="ckw-smaps.")
    runs = sorted((run(tmp, i) for i in range(RUNS)), key=lambda r: r[0])
    subprocess.run(["rm", "-rf", tmp])
    best, smaps, _ = runs[len(runs) // 2]
    total = by_file(smaps)
    private = sum(v[1] for v in total.values())
    print("peak Rss of %d runs (KB): %s; exit codes %s" % (
        RUNS, " ".join(str(r[0]) for r in runs), " ".join(str(r[2]) for r in runs)))
    print("median run: Rss %d KB, %d KB beyond scrypt's %d KB; Private %d KB (%d KB beyond)" % (
        best, best - KDF_KB, KDF_KB, private, private - KDF_KB))
    print("| Mapping | Rss (KB) | Private (KB) |")
    print("|---|---|---|")
    for name, (rss, priv) in sorted(total.items(), key=lambda x: -x[1][0]):
        if rss >= 16:
            print("| %s | %d | %d |" % (name, rss, priv))
    if any(r[2] for r in runs):
        print("\n(a run ended with a non-zero exit: the figures may be off)")


main()
