"""Faults on the device-code sign-in as the wizard's own screen shows it
(tests/e2e_signin_faults.sh): run --live against the local fake of Azure,
two freshly enrolled operators; the code is read off the "Sign in to Azure"
box and approved at the fake as the operator it is shown for (or declined,
or let expire, where the cell says so).

Each cell switches one fault of the fake on for every attempt of one of the
two requests the device-code sign-in makes (the device-code request; the
token poll, a POST whose grant_type is device_code), then makes one
operator sign in: as the sitting opens (the first cell), or by handing the
keyboard to them (h). It must end, before a watchdog, with the "Sign-in
refused" box; the box names the subscription, what failed and what to do,
and shows no token, no JSON; the wizard is still running; the journal has
no sign-in for that subscription. Then the fault is cleared and the retry
the box offers is taken (the keyboard handed over again: to the other
operator and back): the operator signs in, and the journal says so.

At the end the wizard is quit (exit 0), the terminal's settings are as
before it started, no sanitizer report, and no token the fake issued is in
any file under TMP or any screen captured (tests/canary_scan.py).

CK_FAULT_SIGNIN=all: every fault on both requests, and the sign-in
declined and expired (22 cells); otherwise 4. Prints TAP."""

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
import tmuxdrv  # noqa: E402

TMP = os.environ["TMP"]
PORT = os.environ["FAKE_PORT"]
R.PLAN = os.environ["LIVE_PLAN"]
R.PASS = {"A": os.environ["PASS_A"], "B": os.environ["PASS_B"]}
R.PIN = {"A": "2580", "B": "1470"}  # enrolled without one: chosen after the passphrase
UPN = {"A": "alice@contoso.example", "B": "bob@contoso.example"}
TIMEOUT = 2                # --timeout: seconds a request
WATCHDOG = 90              # seconds before a sign-in that has not ended is a hang
STTY = os.path.join(TMP, "stty0")
JOURNAL = os.path.join(R.DIR, "journal.jsonl")

DEVICECODE = ("the device-code request", "/oauth2/v2.0/devicecode", None)
POLL = ("the token poll", "/oauth2/v2.0/token", "urn:ietf:params:oauth:grant-type:device_code")

# What the box must say the cause was, by fault (after the subscription).
CAUSE = {
    "429": r"HTTP 429 TooManyRequests",
    "500": r"HTTP 500 InternalServerError",
    "503": r"HTTP 503 ServiceUnavailable",
    "slow": r"no answer after \d+ attempts \(.*timed out",
    "drop": r"no answer after \d+ attempts \(",
    "truncate": r"unusable \(.*JSON",
    "badjson": r"unusable \(.*JSON",
    "wrongjson": r"unusable \(",
    "emptyjson": r"unusable \(",
    "redirect": r"HTTP 302 redirect to .* refused",  # the URL may break across lines
    "decline": r"was declined",
    "expire": r"the code expired",
}
# What the box must say to do: the cause's own advice, then the wizard's.
TODO = r"(run again|check the|accept it)"
RETRY = r"hand the keyboard over again \(h\) to retry"
# What failed, by request.
WHAT = {DEVICECODE[0]: r"device sign-in could not start", POLL[0]: r"device sign-in|sign-in for side"}

ALL = ["429", "500", "503", "slow", "drop", "truncate", "badjson", "wrongjson", "emptyjson",
       "redirect"]
if os.environ.get("CK_FAULT_SIGNIN") == "all":
    CELLS = ([(DEVICECODE, f) for f in ALL] + [(POLL, f) for f in ALL] +
             [(POLL, "decline"), (POLL, "expire")])
else:
    CELLS = [(DEVICECODE, "503"), (POLL, "drop"), (POLL, "truncate"), (POLL, "decline")]

CODE = re.compile(r"subscription\s+([AB])\s+signs\s+in\s+to\s+Azure.*?enter\s+the\s+code\s+"
                  r"([A-Z0-9]{6,}(?:-[A-Z0-9]+)?)\s", re.S)
REFUSED_BOX = r"─ Sign-in refused"
verdict = {"A": None, "B": None}  # the next code shown for that side: declined or expired
seen = []
stop = threading.Event()


def post(path, data):
    return subprocess.run(["curl", "-sS", "--fail", "--cacert", os.path.join(TMP, "ca.pem"),
                           "--connect-to", "::127.0.0.1:%s" % PORT, "-d", json.dumps(data),
                           "https://login.fake.test" + path],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          check=False).returncode == 0


def approver():
    """The operator the code is shown for signs in on their own device
    (or declines, or lets it expire, when the cell says so)."""
    while not stop.is_set():
        try:
            screen = R.t.capture()
        except Exception:
            screen = ""
        m = CODE.search(tmuxdrv.box_text(screen, "Sign in to Azure"))
        if m and m.group(2) not in seen:
            side = m.group(1)
            req = {"user_code": m.group(2), "upn": UPN[side]}
            if verdict[side]:
                req[verdict[side]] = True
                verdict[side] = None
            if post("/test/approve", req):
                seen.append(m.group(2))
        time.sleep(0.1)


def signins(side):
    """How many sign-ins of subscription side the journal holds."""
    n = 0
    try:
        with open(JOURNAL, encoding="utf-8") as f:
            for line in f:
                e = json.loads(line)
                if e.get("type") == "azure.signin" and e["payload"].get("subscription") == side:
                    n += 1
    except FileNotFoundError:
        pass
    return n


def start(run, width=110, height=40, extra=()):
    """The wizard, the run-th time, in a shell that keeps the terminal's
    settings before and after it and its exit status; extra: more options
    (--execute)."""
    global STTY
    STTY = os.path.join(TMP, "stty%d" % run)
    argv = [R.CKW, "run", R.PLAN, "--dir", R.DIR, "--idle-lock", "0", "--live",
            "--endpoints", os.path.join(TMP, "ep"), "--ca-bundle", os.path.join(TMP, "ca.pem"),
            "--timeout", str(TIMEOUT)] + list(extra)
    argv = ["sh", "-c", 'stty -g >"$0.before"; "$@"; st=$?; stty -g >"$0.after"; '
            'echo $st >"$0.status"', STTY] + argv
    os.chdir(TMP)
    R.t.start(argv, width, height, R.env())


def ended():
    return os.path.exists(STTY + ".status")


def outcome(side, before):
    """After a sign-in was set off: "refused" and the screen once the
    refusal box shows, "signed" once the journal holds one more sign-in of
    subscription side; dialogs on the way (the PIN of a handoff) answered.
    None: neither before the watchdog (a hang)."""
    deadline = time.time() + WATCHDOG
    while time.time() < deadline and not ended():
        if signins(side) > before:
            return "signed", R.t.capture()
        try:
            screen = R.until(REFUSED_BOX + r"|─ Sign in to Azure|has the keyboard\.")
        except tmuxdrv.ScreenTimeout:
            continue
        if re.search(REFUSED_BOX, screen):
            # under load a look can fall between the box's frame and its
            # text being drawn: the screen read is one drawn whole
            return "refused", R.t.settle()
        time.sleep(tmuxdrv.POLL_PAUSE)
    return None, R.t.safe_capture()


def fault_on(req, fault):
    _, match, grant = req
    if fault in ("decline", "expire"):
        return
    f = {"name": fault, "match": match, "count": 100000}
    if grant:
        f["grant"] = grant
    if fault == "slow":
        f["seconds"] = TIMEOUT + 2
    post("/test/fault", f)


def hand_over():
    R.t.keys("h")


def cell(tap, i, req, fault, side, trigger):
    name = "%s, %s, operator %s" % (req[0], fault, side)
    before = signins(side)
    if fault in ("decline", "expire"):
        verdict[side] = fault
    fault_on(req, fault)
    trigger()
    got, screen = outcome(side, before)
    text = " ".join(tmuxdrv.box_text(screen, "Sign-in refused").split())
    want = [r"Sign-in refused for subscription %s: " % side, WHAT[req[0]], CAUSE[fault], TODO,
            RETRY]
    missing = [w for w in want if not re.search(w, text)]
    # no token (a JWT starts eyJ), no JSON, no device code
    raw = re.findall(r"eyJ|[{}]|\"error\"|device_code=", text)
    tap.ok(got == "refused" and not missing and not raw,
           "cell %d, %s: the box says what failed and what to do: %s" % (
               i, name, text.split(" Checks of this operator")[0]),
           "outcome %r; missing %r; raw %r\n%s" % (got, missing, raw, screen))
    R.t.keys("Enter")
    R.gone(REFUSED_BOX)
    tap.ok(not ended() and signins(side) == before,
           "cell %d, %s: the wizard goes on; no sign-in journaled for subscription %s" % (
               i, name, side), "ended %r, sign-ins %d then %d" % (ended(), before, signins(side)))
    post("/test/clear-faults", {})
    verdict[side] = None
    # the retry the box offers: the keyboard handed over again, to the
    # other operator (who signs in if they have not yet) and back
    other = "B" if side == "A" else "A"
    hand_over()
    s1 = R.until(r"%s \(operator %s\) has the keyboard\." % (re.escape(R.NAME[other]), other))
    hand_over()
    got, s2 = outcome(side, before)
    tap.ok(got == "signed" and signins(side) == before + 1,
           "cell %d, %s: once the fault is cleared, handing the keyboard over again signs "
           "operator %s in" % (i, name, side),
           "%r; sign-ins %d then %d\n%s\n%s" % (got, before, signins(side), s1, s2))
    return got == "signed"


def quit_wizard(tap, i):
    R.t.keys("q")
    R.until(r"Quit|quit|Leave")
    R.t.keys("Enter")
    st = tmuxdrv.poll_until(lambda: tmuxdrv.read_file(STTY + ".status"), tries=600)
    before = (tmuxdrv.read_file(STTY + ".before") or "").strip()
    after = (tmuxdrv.read_file(STTY + ".after") or "").strip()
    tap.ok(st is not None and st.strip() == "0" and before and before == after,
           "cell %d: the wizard quits with exit 0 and the terminal's settings as they were" % i,
           "status %r\nbefore %r\nafter  %r\n%s" % (st, before, after, R.t.safe_capture()))


def canary(tap):
    toks = os.path.join(TMP, "main", "tokens.txt")
    scanner = os.path.join(os.environ["CK_SRCDIR"], "tests", "canary_scan.py")
    scan = subprocess.run([sys.executable, scanner, TMP, toks], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = scan.stdout.decode(errors="replace").strip()
    tap.ok(scan.returncode == 0 and os.path.getsize(R.t.capture_log) > 0,
           "no token the fake issued in any file or screen captured: %s" % out, out)


def main():
    tap = R.tap
    R.t.capture_log = os.path.join(TMP, "captures.txt")
    th = threading.Thread(target=approver, daemon=True)
    th.start()
    try:
        for i, (req, fault) in enumerate(CELLS, 1):
            # a new wizard each time (a token lives as long as the process
            # and its key): operator A signs in as the sitting opens, B
            # when the keyboard is handed to them
            side = "A" if i % 2 else "B"
            start(i)
            R.t.wait_for(r"Who is present for this sitting")
            if side == "A":
                trigger = lambda: R.t.keys("Enter")  # noqa: E731
            else:
                n = signins("A")
                R.t.keys("Enter")
                if outcome("A", n)[0] != "signed":
                    raise R.Failed("operator A did not sign in as the sitting opened")
                trigger = hand_over
            if not cell(tap, i, req, fault, side, trigger):
                raise R.Failed("operator %s could not sign in again" % side)
            quit_wizard(tap, i)
    except Exception:
        tap.ok(False, "the sign-in faults went through without an error",
               "%s\nthe screen was:\n%s" % (traceback.format_exc(), R.t.safe_capture()))
    stop.set()
    R.t.kill()
    tmuxdrv.asan_ok(tap, R.ASAN)
    canary(tap)
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
