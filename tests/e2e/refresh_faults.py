"""Faults on the token refresh as the wizard's own screen shows them
(tests/e2e_refresh_faults.sh): run --live at 80x24 against the local fake
of Azure, two freshly enrolled operators, the plan verified, the steps
before the first live check done. The fake issues tokens that live only a
few seconds beyond the wizard's margin (--token-lifetime), so a check made
once they are inside it needs fresh tokens: the wizard buys them with the
refresh token its sign-in got (a POST to the token endpoint whose
grant_type is refresh_token).

Each cell, for operator A and B in turn: the operator takes the keyboard
(and signs in) and checks their subscription's retention.register step
(v), which holds; once their tokens are stale, one fault of the fake is
switched on for every refresh (or the refresh tokens it issued are
revoked: Entra's invalid_grant), and the step is checked again. It must
end, before a watchdog, with the "Azure token not renewed" box drawn whole:
it names the operator and subscription, the refresh, the cause and what to
do; no token, no JSON. The journal gains no check or perform that passed
and no sign-in; the wizard is still running. Then the fault is cleared and
the check taken again (v) holds: on the same sign-in, or after signing in
again where Entra refused the refresh token itself.

At the end the wizard is quit (exit 0), the terminal's settings are as
before it started, no sanitizer report, and no token the fake issued is in
any file under TMP or any screen captured (tests/canary_scan.py). The
sign-in machinery (the approver, the wizard's start and quit, the canary
scan) is tests/e2e/signin_faults.py's.

CK_FAULT_SIGNIN=all: every fault on the refresh (12 cells); otherwise 3.
Prints TAP."""

import base64
import json
import os
import re
import sys
import threading
import time
import traceback

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import signin_faults as S  # noqa: E402  (sets up rehearsal for a live run)
import rehearsal as R  # noqa: E402
import live_ceremony  # noqa: E402
import tmuxdrv  # noqa: E402

TMP = os.environ["TMP"]
MARGIN = 300               # src/azure/entra.h, AZ_TOKEN_MARGIN
REFRESH = ("the token refresh", "/oauth2/v2.0/token", "refresh_token")
STEP = {"A": "retention.register/A", "B": "retention.register/B"}
TOKENS = os.path.join(TMP, "main", "tokens.txt")
BOX = "Azure token not renewed"
DIALOGS = [R.CHOOSE, R.PINBOX, R.HANDOFF, R.UNLOCK]

# The cause, by fault: what the fake does to every refresh (S.CAUSE for
# those the device-code sign-in shares), or the refresh tokens revoked.
CAUSE = dict(S.CAUSE,
             expired=r"no longer accepts this sign-in \(HTTP 401 ExpiredAuthenticationToken: ",
             revoked=r"no longer accepts this sign-in \(HTTP 400 invalid_grant: AADSTS9002313")
# Entra refused the refresh token itself: the side signs in again.
SIGNS_AGAIN = ("expired", "revoked")
# The cause's own advice, then the wizard's: the sign-in holds and a check
# taken again retries, or (refused for good) the check signs in again first.
TODO = r"(run again|check the|sign in again)"
RETRY = {False: r"The sign-in still holds: check again \(v\) once the cause is cleared\.",
         True: r"Check again \(v\): they sign in to Azure again first\."}

ALL = ["429", "500", "503", "slow", "drop", "truncate", "badjson", "wrongjson", "emptyjson",
       "redirect", "expired", "revoked"]
if os.environ.get("CK_FAULT_SIGNIN") == "all":
    CELLS = ALL
else:
    CELLS = ["503", "emptyjson", "revoked"]


def claims(tok):
    try:
        p = tok.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    except (IndexError, ValueError):
        return None


def stale(upn):
    """Wait until every access token issued to upn is within the wizard's
    margin of its expiry: the next check must refresh."""
    with open(TOKENS, encoding="utf-8") as f:
        exps = [c["exp"] for c in map(claims, f.read().split()) if c and c.get("upn") == upn]
    until = max(exps) - MARGIN + 1
    while time.time() < until:
        time.sleep(0.2)


def journal():
    try:
        with open(S.JOURNAL, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def box_whole(screen, title):
    """The box titled title drawn whole (its bottom edge on the screen),
    its text on one line; "" when it is not, or cut."""
    lines = screen.splitlines()
    for i, line in enumerate(lines):
        left = line.find("\u250c\u2500 " + title)
        if left >= 0 and any(b[left:left + 1] == "\u2514" for b in lines[i + 1:]):
            return " ".join(tmuxdrv.box_text(screen, title).split())
    return ""


def wait_result(pred):
    """After v: ("box", screen) once the box shows, ("done", screen) once
    pred() holds; dialogs on the way (a PIN) answered. None: neither
    before the watchdog (a hang)."""
    deadline = time.time() + S.WATCHDOG
    while time.time() < deadline and not S.ended():
        screen = R.t.capture()
        if re.search("\u2500 " + BOX, screen):
            return "box", screen
        if pred():
            return "done", screen
        if any(re.search(d, screen) for d in DIALOGS):
            try:
                R.until("\u2500 " + BOX)
            except (tmuxdrv.ScreenTimeout, R.Failed):
                pass
        time.sleep(tmuxdrv.POLL_PAUSE)
    return None, R.t.safe_capture()


def checks(step):
    return [e for e in journal() if e.get("type") in ("step.check", "step.perform")
            and e["payload"].get("step") == step]


def select(n, step):
    """The step selected in the list (the other side's is next to it)."""
    head = re.compile(r"Step \d+ of %d:\s+%s" % (n, re.escape(step[:30])))
    for key in ["Down"] * 3 + ["Up"] * 6:
        screen = R.t.settle()
        if "Focus: the step" in screen:
            R.t.keys("Tab")  # the list's focus, where Up and Down select
            continue
        if head.search(R.right_pane(screen)):
            return
        R.t.keys(key)
    raise R.Failed("step %s never selected:\n%s" % (step, R.t.capture()))


def check_now(side, fault=False):
    """v on the side's step; its result from the journal once recorded
    (with a fault: once the box shows)."""
    before = len(checks(STEP[side]))
    R.t.keys("v")
    got, screen = wait_result(lambda: not fault and len(checks(STEP[side])) > before)
    return got, screen, checks(STEP[side])[before:]


def cell(tap, i, n, fault):
    side = "A" if i % 2 else "B"
    name = "%s, %s, subscription %s" % (REFRESH[0], fault, side)
    select(n, STEP[side])
    live_ceremony.keyboard_to(side)
    # operator side signed in (again, after a handoff) and checked once
    got, screen, new = check_now(side)
    if got != "done" or [e["payload"]["status"] for e in new] != ["pass"]:
        raise R.Failed("the check before the fault: %r %r\n%s" % (got, new, screen))
    stale(S.UPN[side])
    if fault == "revoked":
        S.post("/test/revoke-refresh", {})
    else:
        S.fault_on(REFRESH, fault)
    n_in, n_checks = S.signins(side), len(checks(STEP[side]))
    got, screen, _ = check_now(side, fault=True)
    text = box_whole(screen, BOX)
    want = [r"Nothing was checked: the Azure tokens of %s \(operator %s\) for subscription %s "
            r"could not be renewed\." % (re.escape(R.NAME[side]), side, side),
            r"token refresh failed: ARM token for side %s: " % side, CAUSE[fault], TODO,
            RETRY[fault in SIGNS_AGAIN]]
    missing = [w for w in want if not re.search(w, text)]
    # no token (a JWT starts eyJ; the fake's refresh tokens RT-), no JSON
    raw = re.findall(r"eyJ|RT-|[{}]|\"error\"|refresh_token=", text)
    tap.ok(got == "box" and not missing and not raw,
           "cell %d, %s: the box, whole at 80x24, says what failed and what to do: %s" % (
               i, name, text), "outcome %r; missing %r; raw %r\n%s" % (got, missing, raw, screen))
    R.t.keys("Enter")
    R.gone("\u2500 " + BOX)
    new = checks(STEP[side])[n_checks:]
    tap.ok(not S.ended() and [e["payload"]["status"] for e in new] in ([], ["unavailable"]) and
           all(e["type"] == "step.check" for e in new) and S.signins(side) == n_in,
           "cell %d, %s: the wizard goes on; nothing journaled as verified or performed" % (
               i, name), "ended %r; journaled %r" % (S.ended(), new))
    S.post("/test/clear-faults", {})
    got, screen, new = check_now(side)
    again = S.signins(side) - n_in
    tap.ok(got == "done" and [e["payload"]["status"] for e in new] == ["pass"] and
           again == (1 if fault in SIGNS_AGAIN else 0),
           "cell %d, %s: once the fault is cleared, the check taken again (v) holds%s" % (
               i, name, ", after operator %s signs in again" % side if fault in SIGNS_AGAIN
               else ", on the same sign-in"),
           "%r; journaled %r; sign-ins %d more\n%s" % (got, new, again, screen))
    return got == "done"


def main():
    tap = R.tap
    R.t.capture_log = os.path.join(TMP, "captures.txt")
    th = threading.Thread(target=S.approver, daemon=True)
    th.start()
    try:
        S.start(1)
        R.t.wait_for(r"Who is present for this sitting")
        R.open_sitting()
        R.verify_plan()
        todo, _, n = live_ceremony.steps()
        ids = [s["id"] for s in todo]
        for step in todo[:ids.index(STEP["A"])]:
            live_ceremony.do_step(n, step, {}, {})
        live_ceremony.goto(n, todo[ids.index(STEP["A"])])
        R.t.resize(80, 24)
        for i, fault in enumerate(CELLS, 1):
            if not cell(tap, i, n, fault):
                raise R.Failed("the check after cell %d did not hold" % i)
        S.quit_wizard(tap, len(CELLS))
    except Exception:
        tap.ok(False, "the refresh faults went through without an error",
               "%s\nthe screen was:\n%s" % (traceback.format_exc(), R.t.safe_capture()))
    S.stop.set()
    R.t.kill()
    tmuxdrv.asan_ok(tap, R.ASAN)
    S.canary(tap)
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
