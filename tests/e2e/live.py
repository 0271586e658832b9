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
and verifies; `ckwizard audit` finds the tenant as planned (exit 0); a
principal with purge added behind the tool's back is exactly the drift
audit reports (exit 1); no token is in any file or screen. The plan-review
and handoff dialogs are answered by the rehearsal driver's helpers
(rehearsal.py). Prints TAP.
"""

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


def box_text(screen, title):
    """The text inside the dialog box titled title, read from its columns
    only (the screens' characters here are one column each), or ""."""
    lines = screen.splitlines()
    for i, line in enumerate(lines):
        left = line.find("┌─ " + title)
        if left < 0:
            continue
        right = line.find("┐", left)
        out = []
        for below in lines[i + 1:]:
            seg = below[left:right + 1]
            if seg.startswith("└"):
                break
            out.append(seg.strip("│").strip())
        return "\n".join(out) + "\n"
    return ""


def approver():
    """The operator at the keyboard reads the code and signs in as
    themselves: subscription A's operator is Alice, B's is Bob."""
    while not stop.is_set():
        try:
            screen = R.t.capture()
        except Exception:
            screen = ""
        m = CODE.search(box_text(screen, "Sign in to Azure"))
        if m and m.group(2) not in [c for _, c in approved]:
            screens.append(screen)
            approve(m.group(2), UPN[m.group(1)])
            approved.append((m.group(1), m.group(2)))
        time.sleep(0.1)


def start():
    argv = [R.CKW, "run", R.PLAN, "--dir", R.DIR, "--idle-lock", "0", "--live", "--execute",
            "--endpoints", os.path.join(TMP, "ep"), "--ca-bundle", os.path.join(TMP, "ca.pem")]
    env = R.env()
    env["XDG_CONFIG_HOME"] = os.environ["XDG_CONFIG_HOME"]
    os.chdir(TMP)  # where the backups are written: the wizard's working directory
    R.t.start(argv, 100, 30, env, status_file=os.path.join(TMP, "status-live"))


def journal():
    with open(os.path.join(R.DIR, "journal.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    tap = R.tap
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
               "every live check passed (%d), but those REST does not answer yet" % len(checks),
               "%r" % bad)
        R.t.keys("q")
        R.until(r"Quit|quit|Leave", ())
        R.t.keys("Enter")
        R.t.wait_for(r"Session saved in|Pane is dead", tries=400)
    except Exception:
        tap.ok(False, "the live run went through without an error",
               "%s\nthe screen was:\n%s" % (traceback.format_exc(), R.t.safe_capture()))
    finally:
        stop.set()
        try:
            with open(os.path.join(TMP, "screens.txt"), "w", encoding="utf-8") as f:
                f.write("\n".join(screens))
                f.write(R.t.safe_capture())
        except OSError:
            pass
        R.t.kill()
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
    audit(tap)
    canary(tap)
    return tap.done()


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
    """No token the fake issued, raw, base64 or URL-encoded, in any file
    under TMP (journal, session directory, the screens seen), but the fake's
    own records of them."""
    import base64
    import glob
    import urllib.parse
    toks = []
    for f in glob.glob(os.path.join(TMP, "*", "tokens.txt")):
        toks += [x.strip() for x in open(f, encoding="utf-8") if x.strip()]
    needles = set()
    for tk in toks:
        for form in (tk, base64.b64encode(tk.encode()).decode(), urllib.parse.quote(tk, safe=""),
                     tk.split(".")[2] if tk.count(".") == 2 else tk):
            needles.add(form.encode())
    bad = set()
    for d, _, files in os.walk(TMP):
        for f in files:
            p = os.path.join(d, f)
            if f in ("tokens.txt", "requests.log") or not os.path.isfile(p):
                continue
            data = open(p, "rb").read()
            if any(n in data for n in needles):
                bad.add(p)
    tap.ok(toks and not bad, "no token in any file or screen (%d tokens issued)" % len(toks),
           "files with a token: %s" % sorted(bad)[:5])


if __name__ == "__main__":
    sys.exit(main())
