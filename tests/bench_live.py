#!/usr/bin/env python3
"""bench_live.py: `ckwizard audit` against the local fake, beside the same
requests made by a loop of one curl process each, by the Azure CLI (`az
rest`, when installed) and beside the floor. Part of `make bench`
(tests/bench.sh); prints Markdown; measurements, never assertions.

Arguments: CKWIZARD TMPDIR FAKE_PORT RUNS PLAN AUDIT_ARGS...
With BENCH_ROW=LABEL: one row of the scale table instead, the whole command
being AUDIT_ARGS (ckwizard audit ... or tests/bench_audit ...).
BENCH_AZ names the Azure CLI (empty: not installed).
TMPDIR holds what tests/azure/lib.sh made (ca.pem, main/timing). The fake
was started with --timing-log TMPDIR/main/timing: every TLS handshake and
request it served, with start and end times (monotonic seconds), who asked
(the token's upn) and the URL. From it come:
  - the fake's busy time: the union of its service intervals for one audit;
  - the requests the audit made, replayed by curl and by az.
The floor is the larger of the busy time and requests / 8 (the audit's
parallel requests) x one round trip (a warm connection, measured by curl).
"""
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

CKW, TMP, PORT, RUNS, PLAN = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
ARGS = sys.argv[6:]
LOG = os.environ.get("BENCH_LOG") or os.path.join(TMP, "main", "timing")
PARALLEL = 8  # http_client_init's max_parallel
CA = os.path.join(TMP, "ca.pem")
RES = {"management.fake.test": "https://management.fake.test",
       "graph.fake.test": "https://graph.fake.test"}
VAULT_RES = "https://vault.fake.test"


LAST_ERR = [""]


def timed(cmd, **kw):
    """(wall s, cpu s of the child and its children, exit code)"""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    wall = time.monotonic() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode:
        LAST_ERR[0] = p.stderr.decode(errors="replace").strip()[-300:]
    return wall, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime, p.returncode


def read_log():
    out = []
    with open(LOG) as f:
        for line in f:
            w = line.split()
            out.append((float(w[0]), float(w[1]), w[2], w[3:]))
    return out


def busy(iv):
    total, end = 0.0, -1.0
    for a, b, _, _ in sorted(iv):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def med(xs):
    return statistics.median(xs)


def curl_base():
    return ["curl", "-sS", "-o", "/dev/null", "--cacert", CA, "--connect-to", "::127.0.0.1:" + PORT]


def token(upn, res):
    p = subprocess.run(curl_base()[:2] + ["--cacert", CA, "--connect-to", "::127.0.0.1:" + PORT,
                                          "-d", json.dumps({"upn": upn, "resource": res}),
                                          "https://login.fake.test/test/token"],
                       capture_output=True, check=True)
    return json.loads(p.stdout)["accessToken"]


def measure(audit):
    walls, cpus, busys = [], [], []
    for _ in range(RUNS):
        open(LOG, "w").close()
        w, c, rc = timed(audit)
        iv = read_log()
        walls.append(w)
        cpus.append(c)
        busys.append(busy(iv))
        reqs = [x for x in iv if x[2] == "request" and x[3][2] != "login.fake.test"]
        nhs = sum(1 for x in iv if x[2] == "handshake")
    rss = subprocess.run(["/usr/bin/time", "-f", "%M"] + audit, capture_output=True, text=True)
    maxrss = int(rss.stderr.strip().splitlines()[-1])
    return walls, cpus, busys, reqs, nhs, maxrss


def row(label):
    """BENCH_ROW=label: one row of the scale table, the program is ARGS."""
    walls, cpus, busys, reqs, nhs, maxrss = measure(ARGS)
    vaults = len({x[3][2] for x in reqs if x[3][2].endswith(".vault.fake.test")})
    print("| %s | %d | %d | %.0f ms | %.0f ms | %.0f ms | %.1fx | %.1f MB |"
          % (label, vaults, len(reqs), med(walls) * 1000, med(cpus) * 1000, med(busys) * 1000,
             med(walls) / med(busys), maxrss / 1024))


def main():
    if os.environ.get("BENCH_ROW"):
        return row(os.environ["BENCH_ROW"])
    audit = [CKW, "audit", PLAN] + ARGS
    walls, cpus, busys, reqs, nhs, maxrss = measure(audit)
    nreq = len(reqs)
    # one round trip on a warm connection: curl's second transfer of two
    url = "https://management.fake.test/test/none?api-version=1"
    rtts = []
    for _ in range(RUNS):
        p = subprocess.run(curl_base() + ["-o", "/dev/null", "-w", "%{time_total}\n", url, url],
                           capture_output=True, text=True)
        rtts.append(float(p.stdout.split()[-1]))
    rtt = med(rtts)
    floor_rtt = nreq / PARALLEL * rtt
    floor = max(med(busys), floor_rtt)
    print("| Client | Wall (median) | CPU (median) | Wall / floor |")
    print("|---|---|---|---|")
    print("| `ckwizard audit` (%d requests, %d TLS handshakes at the fake, peak RSS %.1f MB) "
          "| %.0f ms | %.0f ms | %.1fx |" % (nreq, nhs, maxrss / 1024, med(walls) * 1000,
                                              med(cpus) * 1000, med(walls) / floor))
    print("| floor: the fake's busy time (union of its service intervals) | %.0f ms | | 1x |"
          % (med(busys) * 1000))
    print("| floor: %d requests / %d x one round trip (%.2f ms) | %.0f ms | | |"
          % (nreq, PARALLEL, rtt * 1000, floor_rtt * 1000))
    # the same requests, one curl process each, with the right side's token
    toks = {}
    cmds = []
    for _, _, _, (method, upn, host, path) in reqs:
        res = RES.get(host, VAULT_RES)
        if (upn, res) not in toks:
            toks[(upn, res)] = token(upn, res)
        cmds.append((method, host, path, toks[(upn, res)]))
    script = os.path.join(TMP, "curl-loop.sh")
    with open(script, "w") as f:
        for method, host, path, tok in cmds:
            f.write("curl -sS -o /dev/null --cacert %s --connect-to ::127.0.0.1:%s -X %s "
                    "-H 'Authorization: Bearer %s' 'https://%s%s'\n" % (CA, PORT, method, tok, host, path))
    lw, lc = [], []
    for _ in range(RUNS):
        w, c, _ = timed(["sh", script])
        lw.append(w)
        lc.append(c)
    print("| a shell loop of one `curl` per request | %.0f ms | %.0f ms | %.1fx |"
          % (med(lw) * 1000, med(lc) * 1000, med(lw) / floor))
    print()
    print("`ckwizard audit` is %.0fx faster than the curl loop in wall time, %.0fx in CPU time."
          % (med(lw) / med(walls), med(lc) / med(cpus)))
    print()
    az_part(cmds, med(walls), med(cpus))


def az_part(cmds, aw, ac):
    az = os.environ.get("BENCH_AZ", "")
    if not az or not shutil.which("unshare"):
        print("The Azure CLI comparison was skipped: `az` is not installed. It is a bench-only")
        print("dependency: `apt-get install azure-cli` (Debian's 2.45), then `make bench` again.")
        return
    hosts = os.path.join(TMP, "hosts")
    names = sorted({h for _, h, _, _ in cmds})
    with open(hosts, "w") as f:
        f.write("127.0.0.1 localhost\n" + "".join("127.0.0.1 %s\n" % h for h in names))
    cfg = os.path.join(TMP, "azcfg")
    os.makedirs(cfg, exist_ok=True)
    n = min(len(cmds), int(os.environ.get("BENCH_AZ_RUNS", "11")))
    step = max(1, len(cmds) // n)
    sample = cmds[::step][:n]
    script = os.path.join(TMP, "az-one.sh")
    with open(script, "w") as f:
        f.write('mount --bind "$1" /etc/hosts || exit 9\nshift\nexec nice -n 10 "$@"\n')
    env = dict(os.environ, AZURE_CONFIG_DIR=cfg, REQUESTS_CA_BUNDLE=CA,
               AZURE_CORE_COLLECT_TELEMETRY="no", AZURE_CORE_NO_COLOR="1")
    w_s, c_s, bad = [], [], 0
    for method, host, path, tok in sample:
        cmd = ["unshare", "--mount", "sh", script, hosts, "timeout", "120", az, "rest",
               "--method", method.lower(), "--skip-authorization-header",
               "--headers", "Authorization=Bearer " + tok,
               "--url", "https://%s:%s%s" % (host, PORT, path)]
        w, c, rc = timed(cmd, env=env)
        bad += rc != 0
        w_s.append(w)
        c_s.append(c)
    ver = subprocess.run([az, "version", "--output", "tsv"], capture_output=True, text=True,
                         env=env).stdout.split()
    print("The Azure CLI (%s) makes the same requests: `az rest --url` with the same"
          % ("azure-cli " + ver[0] if ver else "az"))
    print("token, one process per request as a script or an administrator calls it,")
    print("vault host names resolved to 127.0.0.1 by a private /etc/hosts inside")
    print("`unshare --mount`, the fake's CA through REQUESTS_CA_BUNDLE, state in a temporary")
    print("AZURE_CONFIG_DIR. One run over all %d requests takes too long to repeat %d times"
          % (len(cmds), RUNS))
    print("on a shared machine, so %d requests spread over the list were timed one process"
          % len(sample))
    print("each (at nice 10, %d failed) and the median multiplied by the number of requests:" % bad)
    print()
    if bad:
        print("The last failure said: `%s`" % " ".join(LAST_ERR[0].split()))
        print()
    print("| Client | Wall | CPU | Wall vs `ckwizard audit` | CPU vs `ckwizard audit` |")
    print("|---|---|---|---|---|")
    print("| `az rest`, median of one process | %.0f ms | %.0f ms | | |"
          % (med(w_s) * 1000, med(c_s) * 1000))
    print("| `az rest` x %d requests | %.1f s | %.1f s | %.0fx | %.0fx |"
          % (len(cmds), med(w_s) * len(cmds), med(c_s) * len(cmds),
             med(w_s) * len(cmds) / aw, med(c_s) * len(cmds) / ac))


main()
