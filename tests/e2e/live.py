"""run --live --execute in a real terminal (tmux) against the local fake of
Azure (tests/azure/fake.py): two freshly enrolled operators with their own
passphrases open a sitting; each unlock signs that operator in to Azure by
device code: the screen shows the URL and the code, and the operator
"signs in on their own device" (the fake's approval hook, called with the
code read off the screen and the operator's own UPN). The plan is verified
(every handoff locks the other key and wipes its token, so the next turn
signs in again); then the ceremony (live_ceremony.py): every Azure-side
step authorized, co-signed where it cannot be undone, performed and
checked, the Microsoft 365 steps done as in guide mode, up to the 72-hour
wait; the wizard is quit. The journal records each sign-in with the
identity Azure vouched for, each perform with its requests and observer,
and verifies (still open). A live run cannot move its clock, so the sitting
after the wait runs under libfaketime (faketime -f +73h: the wizard alone
sees a clock 73 hours on; the fake issues tokens and certificates that
outlive it, tests/e2e_live.sh): both sign in again, the steps behind the
wait, the closing, the reports; the journal's times never go back, and
verify passes with the head hash from the end screen. Then `ckwizard audit`
finds the tenant as planned (exit 0); a principal with purge added behind
the tool's back is exactly the drift audit reports (exit 1); and no token
the fake issued is in any file the run wrote or any screen captured
(tests/canary_scan.py). The plan-review and handoff dialogs are answered by
the rehearsal driver's helpers (rehearsal.py). Prints TAP.
"""

import calendar
import json
import os
import re
import subprocess
import sys
import threading
import time
import traceback

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.argv = [sys.argv[0], "live"]
import rehearsal as R  # noqa: E402
import live_ceremony  # noqa: E402
import tmuxdrv  # noqa: E402

TMP = os.environ["TMP"]
R.PLAN = os.environ["LIVE_PLAN"]
R.PASS = {"A": os.environ["PASS_A"], "B": os.environ["PASS_B"]}
# Enrolled without a PIN (--passphrase-fd alone): each chooses one right
# after their first passphrase.
R.PIN = {"A": "2580", "B": "1470"}
UPN = {"A": "alice@contoso.example", "B": "bob@contoso.example"}
PORT = os.environ["FAKE_PORT"]
# The box is drawn over the screen: what lies beside it on a line is not its
# text, so the code is read from the box's own columns (box_text).
CODE = re.compile(r"subscription\s+([AB])\s+signs\s+in\s+to\s+Azure.*?enter\s+the\s+code\s+"
                  r"([A-Z0-9]{6,}(?:-[A-Z0-9]+)?)\s", re.S)
approved = []
screens = []
stop = threading.Event()


def approve(code, upn):
    subprocess.run(["curl", "-sS", "--fail", "--cacert", os.path.join(TMP, "ca.pem"),
                    "--connect-to", "::127.0.0.1:%s" % PORT, "-d",
                    json.dumps({"user_code": code, "upn": upn}),
                    "https://login.fake.test/test/approve"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def approver():
    """The operator at the keyboard reads the code and signs in as
    themselves: subscription A's operator is Alice, B's is Bob."""
    while not stop.is_set():
        try:
            screen = R.t.capture()
        except Exception:
            screen = ""
        m = CODE.search(tmuxdrv.box_text(screen, "Sign in to Azure"))
        if m and m.group(2) not in [c for _, c in approved]:
            screens.append(screen)
            approve(m.group(2), UPN[m.group(1)])
            approved.append((m.group(1), m.group(2)))
        time.sleep(0.1)


# The sitting after the 72-hour wait, as libfaketime shows it to the wizard
# (the offset runs with the real clock; the fake and the tests keep theirs).
LATER = 73 * 3600


def start(later=False):
    argv = [R.CKW, "run", R.PLAN, "--dir", R.DIR, "--idle-lock", "0", "--live", "--execute",
            "--endpoints", os.path.join(TMP, "ep"), "--ca-bundle", os.path.join(TMP, "ca.pem")]
    env = R.env()
    env["XDG_CONFIG_HOME"] = os.environ["XDG_CONFIG_HOME"]
    if later:
        argv = ["faketime", "-f", "+%ds" % LATER] + argv
        # a sanitizer build wants its runtime first among preloads
        env["ASAN_OPTIONS"] += ":verify_asan_link_order=0"
    os.chdir(TMP)  # where the backups are written: the wizard's working directory
    R.t.start(argv, 100, 30, env, status_file=os.path.join(TMP, "status-live"))


def quit_wizard():
    R.t.keys("q")
    R.until(r"Quit|quit|Leave", ())
    R.t.keys("Enter")
    R.t.wait_for(r"Session saved in|Pane is dead", tries=400)


def later_sitting(tap):
    """73 hours on: the wizard resumed, both operators sign in again (the
    approver thread), the steps behind the wait, the closing and reports.
    Returns the end screen."""
    signed = len(approved)
    start(later=True)
    R.t.wait_for(r"Resume the ceremony")
    R.open_sitting()
    live_ceremony.run_rest(tap)
    head = R.end_screen()
    tap.ok(len(approved) > signed and approved[signed][0] == "A",
           "73 hours later: the sitting opens with a new device-code sign-in",
           "approved: %r" % approved)
    R.t.keys("q")
    for _ in range(400):
        if R.t.exit_status() is not None:
            break
        time.sleep(0.1)
    tap.ok(R.t.exit_status() == 0, "the closed ceremony is left with exit 0", R.t.safe_capture())
    return head


def journal():
    with open(os.path.join(R.DIR, "journal.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    tap = R.tap
    R.t.capture_log = os.path.join(TMP, "captures.txt")
    th = threading.Thread(target=approver, daemon=True)
    th.start()
    try:
        start()
        R.t.wait_for(r"Start the ceremony")
        R.open_sitting()
        R.t.wait_for(r"Plan review")
        tap.ok([s for s, _ in approved] == ["A"],
               "operator A, at the keyboard, signs in by device code as the sitting opens",
               "approved: %r\n%s" % (approved, R.t.capture()))
        tap.ok(any("https://login.fake.test" in s for s in screens),
               "the screen shows where to sign in and the code", "\n".join(screens[:1]))
        R.verify_plan()
        tap.ok(R.prompts.get("chosen") == 2,
               "keys enrolled without a PIN: each operator chose one after the passphrase",
               repr(R.prompts))
        tap.ok([s for s, _ in approved] == ["A", "B"],
               "the keyboard handed to operator B: B signs in as themselves",
               "approved: %r" % approved)
        done, performs, checks = live_ceremony.run(tap)
        bad = {k: v for k, v in performs.items() if v != "pass"}
        tap.ok(len(performs) >= 16 and not bad,
               "every step ckwizard writes was performed in Azure: pass (%d)" % len(performs),
               "%r" % performs)
        bad = {k: v for k, v in checks.items()
               if v != ("unavailable" if k.split("/")[0] in live_ceremony.UNCHECKED else "pass")}
        tap.ok(len(checks) >= 30 and not bad,
               "every live check passed (%d), the key backups' too, but those REST does not "
               "answer yet" % len(checks), "%r" % bad)
        quit_wizard()
    except Exception:
        tap.ok(False, "the live run went through without an error",
               "%s\nthe screen was:\n%s" % (traceback.format_exc(), R.t.safe_capture()))
        stop.set()
        R.t.kill()
    first_part(tap)
    head = None
    if not stop.is_set():
        try:
            head = later_sitting(tap)
        except Exception as e:
            if not getattr(e, "reported", False):
                tap.ok(False, "the sitting after the wait went through without an error",
                       "%s\nthe screen was:\n%s" % (traceback.format_exc(),
                                                     R.t.safe_capture()))
    stop.set()
    R.t.kill()
    closed(tap, head)
    audit(tap)
    canary(tap)
    return tap.done()


def first_part(tap):
    """The journal as the first sitting left it, before the wait."""
    try:
        ev = journal()
        signins = [e for e in ev if e.get("type") == "azure.signin"]
        who = sorted(set((e["payload"]["subscription"], e["payload"]["upn"]) for e in signins))
        tap.ok(who == [("A", UPN["A"]), ("B", UPN["B"])] and
               all(e["payload"]["oid"] and e["payload"]["tenant"] for e in signins),
               "the journal records each sign-in: subscription, UPN, object ID, tenant",
               json.dumps(signins, indent=1)[:2000])
        order = [(e["type"], e["payload"].get("subscription")) for e in ev
                 if e["type"] in ("azure.signin", "plan.approve", "plan.verify")]
        tap.ok(order[:4] == [("azure.signin", "A"), ("plan.approve", None), ("azure.signin", "B"),
                             ("plan.verify", None)],
               "A signs in at the sitting, approves; B signs in when handed the keyboard, verifies",
               repr(order))
        tap.ok(ev[0]["payload"].get("live") == "execute",
               "session.open records a live session that writes (live: execute)",
               json.dumps(ev[0]["payload"].get("live")))
        perf = [e for e in ev if e["type"] == "step.perform"]
        auth = {e["payload"]["step"] for e in ev if e["type"] == "step.authorize"}
        cos = {e["payload"]["step"] for e in ev if e["type"] == "step.cosign"}
        tap.ok(perf and all(e["payload"].get("requests") and e["payload"].get("observer") and
                            e["payload"]["step"] in auth for e in perf) and
               all(e["payload"]["step"] in cos for e in perf
                   if e["payload"]["step"].split("/")[0] in ("vault.create", "key.create")),
               "each perform carries its authorized requests and its observer; vaults and keys "
               "co-signed by the witness", json.dumps(perf[:2])[:2000])
        r = subprocess.run([R.CKW, "verify", os.path.join(R.DIR, "journal.jsonl")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        tap.ok(r.returncode == 3, "ckwizard verify: valid, the ceremony still open (exit 3)",
               r.stdout.decode(errors="replace"))
    except Exception:
        tap.ok(False, "the journal reads", traceback.format_exc())


def closed(tap, head):
    """The whole ceremony's journal: times that never go back, the steps
    behind the wait confirmed 72 hours after the assignments at least, the
    closing; verify passes with the plan and the head hash the end screen
    showed; the reports were written."""
    try:
        ev = journal()
        times = [e["time"] for e in ev]
        back = [(i + 1, a, b) for i, (a, b) in enumerate(zip(times, times[1:])) if b < a]
        tap.ok(not back, "the journal's times never go back (%s to %s)" % (times[0], times[-1]),
               repr(back[:5]))

        def confirmed(prefix):
            return [calendar.timegm(time.strptime(e["time"], "%Y-%m-%dT%H:%M:%SZ")) for e in ev
                    if e["type"] == "step.confirm" and e["payload"]["step"].startswith(prefix)]
        assigned, verified = confirmed("dep.exchange.assign/"), confirmed("dep.exchange.verify/")
        tap.ok(assigned and verified and min(verified) - max(assigned) >= 72 * 3600 and
               min(verified) - max(assigned) < LATER + 6 * 3600,
               "the mailboxes' encryption confirmed 72 hours or more after the assignments",
               "assigned %r, verified %r" % (assigned, verified))
        tap.ok(any(e["type"] == "session.close" for e in ev),
               "the journal records the closing, signed by both",
               repr([e["type"] for e in ev[-5:]]))
        m = re.search(r"\b([0-9a-f]{64})\b", head or "")
        args = [R.CKW, "verify", os.path.join(R.DIR, "journal.jsonl"), "--plan", R.PLAN]
        if m:
            args += ["--head", m.group(1)]
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        tap.ok(m and r.returncode == 0, "ckwizard verify passes on the closed ceremony (with "
               "--plan and the head hash from the end screen)",
               "head %r\n%s" % (m and m.group(1), r.stdout.decode(errors="replace")))
        reports = [os.path.join(R.DIR, "report." + x) for x in ("md", "html", "json")]
        tap.ok(all(os.path.getsize(p) > 0 for p in reports if os.path.exists(p)) and
               all(os.path.exists(p) for p in reports),
               "the closing wrote the reports (Markdown, HTML, JSON)", repr(os.listdir(R.DIR)))
        with open(reports[2], encoding="utf-8") as f:
            rep = json.load(f)
        performed = [st for st in rep["steps"] if "azure_perform" in st]
        upn = {st["id"]: st["azure_perform"]["observer"]["upn"] for st in performed}
        cosigned = {st["id"] for st in performed if st["azure_perform"]["cosigned_by"]}
        tap.ok(len(performed) >= 16 and
               all(u == UPN[i.rsplit("/", 1)[-1]] for i, u in upn.items()
                   if i.rsplit("/", 1)[-1] in UPN) and
               all(i in cosigned for i in upn if i.split("/")[0] in ("vault.create", "key.create")),
               "report.json: each step performed in Azure with its authorization, co-signature "
               "and the identity it was performed as (%d)" % len(performed),
               json.dumps(performed[:2])[:1500])
    except Exception:
        tap.ok(False, "the closed journal reads", traceback.format_exc())


def run_audit():
    env = dict(os.environ)
    env["PATH"] = os.path.join(TMP, "bin") + ":" + env["PATH"]
    r = subprocess.run([R.CKW, "audit", R.PLAN, "--endpoints", os.path.join(TMP, "ep"),
                        "--ca-bundle", os.path.join(TMP, "ca.pem"), "--sign-in", "az",
                        "--az-config-A", os.path.join(TMP, "azA"),
                        "--az-config-B", os.path.join(TMP, "azB")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    return r.returncode, r.stdout.decode(errors="replace")


def audit(tap):
    """The tenant the ceremony made is as planned; then a principal with
    purge is added to vault A behind the tool's back, and that is exactly
    the drift audit reports."""
    rc, out = run_audit()
    tap.ok(rc == 0 and " 0 drifted, 0 could not be checked" in out,
           "ckwizard audit after the ceremony: everything holds (exit 0)", "exit %d\n%s" % (rc, out))
    vault = R.plan_show()["deps"][0]["sides"][0]["vault"]
    live_ceremony.hook("/test/add-policy", {"vault": vault, "upn": "eve@contoso.example",
                                            "keys": ["get", "purge"]})
    rc, out = run_audit()
    drift = [line for line in out.splitlines() if line.startswith("DRIFT")]
    tap.ok(rc == 1 and len(drift) == 1 and vault in drift[0] and "access policy" in drift[0] and
           live_ceremony.oid_for("eve@contoso.example") in drift[0] and " 1 drifted," in out,
           "a principal with purge added behind the tool's back: audit reports exactly that "
           "drift (exit 1)", "exit %d\n%s" % (rc, out))


def canary(tap):
    """No token the fake issued (each carries a canary), raw, base64,
    base64url, URL-encoded or hex, in any file under TMP: the session
    directory with the journal and reports, the backups, the sanitizer logs,
    HOME, every screen captured (captures.txt, the sign-in boxes among
    them); nor in any file created under /tmp meanwhile. The fake's own
    records (main/) are left out. The search itself is
    tests/canary_scan.py, which tests/secrets_canary.sh shows can fail."""
    import base64
    import glob
    marker = os.path.join(TMP, "start-marker")
    r = subprocess.run(["find", "/tmp", "-xdev", "-newer", marker, "-type", "f", "!", "-path",
                        TMP + "/*"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    toks = os.path.join(TMP, "main", "tokens.txt")
    issued = ([x.strip() for x in open(toks, encoding="utf-8") if x.strip()]
              if os.path.exists(toks) else [])

    def canary(tok):  # a refresh token says so; an access token in its jti claim
        if tok.startswith("RT-CANARY-"):
            return True
        part = tok.split(".")[1] if tok.count(".") == 2 else ""
        return b"CANARY" in base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    scanner = os.path.join(os.environ["CK_SRCDIR"], "tests", "canary_scan.py")
    # what the search must have covered: the files the run wrote, the screens
    must = [os.path.join(R.DIR, f) for f in ("journal.jsonl", "report.md", "report.html",
                                             "report.json")] + [R.t.capture_log]
    backups = glob.glob(os.path.join(TMP, "*-Backup-*.backup"))
    missing = [p for p in must if not os.path.isfile(p) or not os.path.getsize(p)]
    scan = subprocess.run([sys.executable, scanner, TMP, toks], input=r.stdout,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = scan.stdout.decode(errors="replace").strip()
    tap.ok(scan.returncode == 0 and issued and all(canary(t) for t in issued) and not missing and
           len(backups) == 2,
           "no token in any file or screen: %s (every token a canary; the journal, the "
           "reports, %d backups and the screens among the files)" % (out, len(backups)),
           "%s\nmissing: %r\nbackups: %r" % (out, missing, backups))
    # The same search finds one of those tokens, URL-safe base64 inside a
    # line of text, in a file of a directory like the one searched.
    plant = os.path.join(TMP, "plant")
    os.makedirs(plant, exist_ok=True)
    with open(os.path.join(plant, "screen.txt"), "wb") as f:
        f.write(b"before " + base64.urlsafe_b64encode(b"\x01" + issued[-1].encode()) + b" after\n")
    found = subprocess.run([sys.executable, scanner, plant, toks], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    tap.ok(found.returncode == 1 and b"screen.txt (token, base64url)" in found.stdout,
           "the search finds a token planted in base64url", found.stdout.decode(errors="replace"))


if __name__ == "__main__":
    sys.exit(main())
