#!/usr/bin/env python3
"""bench_wizard.py CKWIZARD PLAN RUNS: the wizard on a plan, driven by the
test-mode key scripts (--ui-script, doc/wizard.md), for `make bench`;
prints Markdown. Measurements, never assertions.

- first screen: start, draw the start screen, quit (whole process);
- a keypress: the same script with N extra keys, minus the script without
  them, divided by N (CPU: user + system), on the plan review (scrolling),
  and on the plan review with the quit dialog open (keys the dialog ignores,
  each still drawn);
- peak RSS: after both operators unlocked (scrypt, 16 MB each, one after the
  other) and the plan review drawn.
The demo operators (rehearse-alice, rehearse-bob) need CK_SRCDIR.
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile

CKW, PLAN, RUNS = sys.argv[1], sys.argv[2], int(sys.argv[3])
N = 1000
UNLOCK = "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>"


def run(keys, tmp, i):
    d = os.path.join(tmp, "d%d" % i)
    k = os.path.join(tmp, "k%d" % i)
    with open(k, "w") as f:
        f.write(keys)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(["/usr/bin/time", "-f", "%M %e", CKW, "rehearse", PLAN, "--dir", d,
                        "--idle-lock", "0", "--ui-clock", "1795435200", "--ui-script", k,
                        "--ui-dump", os.path.join(tmp, "dump%d" % i)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, TERM="xterm-256color"))
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss, wall = p.stderr.split()[-2:]
    subprocess.run(["rm", "-rf", d])
    cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
    return float(wall), cpu, int(rss) / 1024, p.returncode


def series(keys, tmp):
    out = [run(keys, tmp, i) for i in range(RUNS)]
    return ([statistics.median(x[j] for x in out) for j in range(3)], max(x[3] for x in out))


def main():
    tmp = tempfile.mkdtemp(prefix="ckw-wizard.")
    (w0, c0, m0), rc0 = series("<Dump>q<Enter>", tmp)
    (w1, c1, m1), rc1 = series(UNLOCK + "<Dump>q<Enter>", tmp)
    (w2, c2, _), rc2 = series(UNLOCK + "<Down><Up>" * (N // 2) + "<Dump>q<Enter>", tmp)
    (w3, c3, _), rc3 = series(UNLOCK + "q" + "<Left>" * N + "<Dump><Enter>", tmp)
    subprocess.run(["rm", "-rf", tmp])
    print("| Measure | Wall (median) | CPU (median) | Peak RSS |")
    print("|---|---|---|---|")
    print("| start, first screen, quit | %.1f ms | %.1f ms | %.1f MB |" % (w0 * 1e3, c0 * 1e3, m0))
    print("| both unlock (scrypt), plan review, quit | %.0f ms | %.0f ms | %.1f MB (%.1f MB beyond "
          "one scrypt's 16 MB) |" % (w1 * 1e3, c1 * 1e3, m1, m1 - 16))
    print("| a keypress on the plan review (Down/Up, %d keys) | | %.3f ms | |" % (N, (c2 - c1) * 1e3 / N))
    print("| a keypress with the quit dialog open (%d keys) | | %.3f ms | |" % (N, (c3 - c1) * 1e3 / N))
    if rc0 or rc1 or rc2 or rc3:
        print("\n(a run ended with a non-zero exit: the figures may be off)")


main()
