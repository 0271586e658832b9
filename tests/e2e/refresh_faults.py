"""Faults on the token refresh as the wizard's own screen shows them
(tests/e2e_refresh_faults.sh): run --live --execute at 80x24 against the local fake
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
again where Entra refused the refresh token itself. One more cell,
"identity": the refresh gives tokens of another person than the plan names
(an az CLI whose account was switched): the box is "Azure sign-in refused",
naming that person and the plan's, and the operator signs in again as the
plan's before the retry.

At the end the wizard is quit (exit 0), the terminal's settings are as
before it started, no sanitizer report, and no token the fake issued is in
any file under TMP or any screen captured (tests/canary_scan.py). The
sign-in machinery (the approver, the wizard's start and quit, the canary
scan) is tests/e2e/signin_faults.py's.

Then the perform cells (the wizard runs with --execute): the same step is
performed (p: its owner authorizes the writes shown, then performs) while
the refresh fails. It must end with the same box, saying that nothing was
sent to Azure, what failed and what to do; the journal gains no perform
and no check that passed (the authorization stands); the side is signed
out where Entra refused the refresh token for good (the box says they sign
in again first, and the retry makes them). Once the fault is cleared the
perform taken again (p) goes through on the authorization already signed.

CK_FAULT_SIGNIN=all: every fault on the refresh, checked and performed
(26 cells); otherwise 4 checked and 3 performed. Prints TAP."""

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
# the refresh gave tokens of another identity than the plan's: refused
BOX_REFUSED = "Azure sign-in refused"
ANY_BOX = "\u2500 (%s|%s)" % (BOX, BOX_REFUSED)
# A check or perform looks at both signed-in subscriptions: the other's
# sign-in, ended by the same fault, is said in a box of its own after the
# cell's own; what each such box said, by cell
ENDED = "Azure sign-in ended"
ENDED_SEEN = []
# (cell, side, fault) of the cell under way, for a box of ENDED met later
CURRENT = [0, "A", ""]
MALLORY = "mallory@contoso.example"
DIALOGS = [R.CHOOSE, R.PINBOX, R.HANDOFF, R.UNLOCK]
# what the journal says of a step
STEP_TYPES = ("step.check", "step.perform", "step.confirm", "step.authorize", "step.cosign")

# The cause, by fault: what the fake does to every refresh (S.CAUSE for
# those the device-code sign-in shares), or the refresh tokens revoked.
CAUSE = dict(S.CAUSE,
             expired=r"no longer accepts this sign-in \(HTTP 401 ExpiredAuthenticationToken: ",
             revoked=r"no longer accepts this sign-in \(HTTP 400 invalid_grant: AADSTS9002313",
             identity=r"the new ARM token is of %s .*, not of (?!%s)\S+ \(object .*\), the "
             r"identity signed in" % (re.escape(MALLORY), re.escape(MALLORY)))
# Entra refused the refresh token itself, or it gave another identity's
# tokens: the side signs in again.
SIGNS_AGAIN = ("expired", "revoked", "identity")
# The cause's own advice, then the wizard's: the sign-in holds and a check
# taken again retries, or (refused for good) the check signs in again first.
TODO = r"(run again|check the|sign in again)"
RETRY = {False: r"The sign-in still holds: check again \(v\) once the cause is cleared\.",
         True: r"Check again \(v\): they sign in to Azure again first\."}

ALL = ["429", "500", "503", "slow", "drop", "truncate", "badjson", "wrongjson", "emptyjson",
       "redirect", "expired", "revoked", "identity"]
if os.environ.get("CK_FAULT_SIGNIN") == "all":
    CELLS = ALL
    PERFORM_CELLS = ALL
else:
    CELLS = ["503", "emptyjson", "revoked", "identity"]
    PERFORM_CELLS = ["revoked", "503", "identity"]

# A perform that got no token: the box's first sentence, and what to do.
SENT = (r"Nothing was sent to Azure: the Azure tokens of %s \(operator %s\) for subscription %s "
        r"could not be renewed\.")
# ...or whose sign-in turned out to be another identity than the plan's
SENT_REFUSED = (r"Nothing was sent to Azure: the Azure sign-in of %s \(operator %s\) for "
                r"subscription %s was refused\.")
CHECKED_REFUSED = (r"Nothing was checked: the Azure sign-in of %s \(operator %s\) for "
                   r"subscription %s was refused\.")
AGAIN_REFUSED = r"they sign in to Azure again first, as the identity the plan names\."
RETRY_P = {False: r"The sign-in and the authorization still hold: perform again \(p\) once "
                  r"the cause is cleared\.",
           True: r"The authorization still stands\. Perform again \(p\): they sign in to "
                 r"Azure again first\."}
AUTHORIZE = r"Enter: I authorize"
COSIGN = r"Enter: I co-sign"


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
        if re.search(ANY_BOX, screen):
            return "box", screen
        if pred():
            return "done", screen
        if any(re.search(d, screen) for d in DIALOGS):
            try:
                R.until(ANY_BOX)
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
        if re.search("\u2500 " + ENDED, screen):
            other_ended(*CURRENT, screen=screen)
            continue
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


def fault_armed(i, n, fault):
    """The side of cell i on its step n, its keyboard, its tokens fresh (a
    check that holds, after a sign-in where a handoff needs one), then
    stale, with the refresh fault set; the side."""
    side = "A" if i % 2 else "B"
    select(n, STEP[side])  # a box of the last cell's answered on the way
    CURRENT[:] = [i, side, fault]
    live_ceremony.keyboard_to(side)
    got, screen, new = check_now(side)
    if got != "done" or [e["payload"]["status"] for e in new] != ["pass"]:
        raise R.Failed("the check before the fault: %r %r\n%s" % (got, new, screen))
    stale(S.UPN[side])
    if fault == "revoked":
        S.post("/test/revoke-refresh", {})
    elif fault == "identity":
        S.post("/test/refresh-as", {"upn": MALLORY})
    else:
        S.fault_on(REFRESH, fault)
    return side


def other_ended(i, side, fault, screen=None):
    """After the cell's own box (or any check or perform of it, the retry
    too: the other's stale tokens may be refreshed by any of them): the
    other subscription's sign-in ended by the cell's fault, in its own box,
    answered; kept in ENDED_SEEN with whether it says whose sign-in ended,
    why, and what happens next. A fault that ends no sign-in shows none."""
    screen = screen or R.t.settle()
    if not re.search("\u2500 " + ENDED, screen):
        return
    other = "B" if side == "A" else "A"
    text = box_whole(screen, ENDED)
    want = [r"The Azure sign-in of %s \(operator %s\) for subscription %s has ended\." % (
                re.escape(R.NAME[other]), other, other),
            r"side %s: " % other,
            MALLORY if fault == "identity" else r"no longer accepts this sign-in",
            r"Their next check or perform signs them in to Azure again first\."]
    ok = fault in SIGNS_AGAIN and all(re.search(w, text) for w in want)
    ENDED_SEEN.append((i, fault, ok, text or screen))
    R.t.keys("Enter")
    R.gone("\u2500 " + ENDED)


def cell(tap, i, n, fault):
    side = fault_armed(i, n, fault)
    name = "%s, %s, subscription %s" % (REFRESH[0], fault, side)
    n_in, n_checks = S.signins(side), len(checks(STEP[side]))
    got, screen, _ = check_now(side, fault=True)
    if fault == "identity":
        text = box_whole(screen, BOX_REFUSED)
        want = [CHECKED_REFUSED % (re.escape(R.NAME[side]), side, side),
                CAUSE[fault], r"Check again \(v\): " + AGAIN_REFUSED]
    else:
        text = box_whole(screen, BOX)
        want = [r"Nothing was checked: the Azure tokens of %s \(operator %s\) for subscription "
                r"%s could not be renewed\." % (re.escape(R.NAME[side]), side, side),
                r"token refresh failed: ARM token for side %s: " % side, CAUSE[fault], TODO,
                RETRY[fault in SIGNS_AGAIN]]
    missing = [w for w in want if not re.search(w, text)]
    # no token (a JWT starts eyJ; the fake's refresh tokens RT-), no JSON
    raw = re.findall(r"eyJ|RT-|[{}]|\"error\"|refresh_token=", text)
    tap.ok(got == "box" and not missing and not raw,
           "cell %d, %s: the box, whole at 80x24, says what failed and what to do: %s" % (
               i, name, text), "outcome %r; missing %r; raw %r\n%s" % (got, missing, raw, screen))
    R.t.keys("Enter")
    R.gone(ANY_BOX)
    other_ended(i, side, fault)
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


def of_step(step, *types):
    return [e for e in journal() if e.get("type") in types and
            e["payload"].get("step") == step]


def answer_one(screen):
    """One dialog on the way to a perform answered, as the operators would;
    False when none shows. A PIN box quotes what is signed: it comes first."""
    m = re.search(R.PINBOX, screen)
    if m:
        R.t.type(R.PIN[m.group(1)])
        R.t.keys("Enter")
        R.gone(r"Signing PIN: .*\(operator %s\)" % m.group(1))
        return True
    for pat in (R.HANDOFF, AUTHORIZE, COSIGN):
        if re.search(pat, screen):
            R.t.keys("Enter")
            R.gone(pat)
            return True
    m = re.search(R.UNLOCK, screen)
    if m:
        R.unlock(m.group(1))
        return True
    return False


def perform_now(side):
    """p on the side's step, the dialogs on the way answered: ("box",
    screen) once the box shows, ("done", screen) once one more perform of
    the step is journaled; None: neither before the watchdog (a hang)."""
    before = len(of_step(STEP[side], "step.perform"))
    R.t.keys("p")
    deadline = time.time() + S.WATCHDOG
    while time.time() < deadline and not S.ended():
        screen = R.t.capture()
        if re.search(ANY_BOX, screen):
            return "box", screen
        if len(of_step(STEP[side], "step.perform")) > before:
            return "done", screen
        try:
            if answer_one(screen):
                continue
        except (tmuxdrv.ScreenTimeout, R.Failed):
            pass
        time.sleep(tmuxdrv.POLL_PAUSE)
    return None, R.t.safe_capture()


def perform_cell(tap, i, n, fault):
    """A perform (--execute) of the side's step while the refresh fails."""
    side = fault_armed(i, n, fault)
    name = "%s, %s, performing on subscription %s" % (REFRESH[0], fault, side)
    n_in, n_ev = S.signins(side), len(of_step(STEP[side], *STEP_TYPES))
    got, screen = perform_now(side)
    gone_out = fault in SIGNS_AGAIN
    if fault == "identity":
        text = box_whole(screen, BOX_REFUSED)
        want = [SENT_REFUSED % (re.escape(R.NAME[side]), side, side),
                CAUSE[fault],
                r"The authorization still stands\. Perform again \(p\): " + AGAIN_REFUSED]
    else:
        text = box_whole(screen, BOX)
        want = [SENT % (re.escape(R.NAME[side]), side, side),
                r"token refresh failed: ARM token for side %s: " % side, CAUSE[fault], TODO,
                RETRY_P[gone_out]]
    missing = [w for w in want if not re.search(w, text)]
    raw = re.findall(r"eyJ|RT-|[{}]|\"error\"|refresh_token=", text)
    tap.ok(got == "box" and not missing and not raw,
           "cell %d, %s: the box, whole at 80x24, says nothing was sent, what failed and what "
           "to do: %s" % (i, name, text),
           "outcome %r; missing %r; raw %r\n%s" % (got, missing, raw, screen))
    R.t.keys("Enter")
    R.gone(ANY_BOX)
    other_ended(i, side, fault)
    new = of_step(STEP[side], *STEP_TYPES)[n_ev:]
    done = [e for e in new if e["type"] in ("step.perform", "step.confirm") or
            (e["type"] == "step.check" and e["payload"].get("status") != "unavailable")]
    authorized = [e for e in new if e["type"] == "step.authorize"]
    tap.ok(not S.ended() and not done and len(authorized) == 1 and S.signins(side) == n_in,
           "cell %d, %s: the wizard goes on; nothing journaled as performed or verified, the "
           "authorization signed before it stands" % (i, name),
           "ended %r; journaled %r; sign-ins %d then %d" % (
               S.ended(), [(e["type"], e["payload"].get("status")) for e in new], n_in,
               S.signins(side)))
    S.post("/test/clear-faults", {})
    n_ev = len(of_step(STEP[side], *STEP_TYPES))
    got, screen = perform_now(side)
    new = of_step(STEP[side], *STEP_TYPES)[n_ev:]
    again = S.signins(side) - n_in
    kinds = [(e["type"], e["payload"].get("status")) for e in new]
    tap.ok(got == "done" and kinds == [("step.perform", "pass")] and
           again == (1 if gone_out else 0),
           "cell %d, %s: once the fault is cleared, the perform taken again (p) goes through "
           "on the same authorization%s" % (
               i, name, ", after operator %s signs in again (the refresh refused had signed "
               "them out)" % side if gone_out else ", on the same sign-in"),
           "%r; journaled %r; sign-ins %d more\n%s" % (got, kinds, again, screen))
    return got == "done"


def main():
    tap = R.tap
    R.t.capture_log = os.path.join(TMP, "captures.txt")
    th = threading.Thread(target=S.approver, daemon=True)
    th.start()
    try:
        S.start(1, extra=["--execute"])
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
        for i, fault in enumerate(PERFORM_CELLS, len(CELLS) + 1):
            if not perform_cell(tap, i, n, fault):
                raise R.Failed("the perform after cell %d did not go through" % i)
        other_ended(*CURRENT)
        # the fault ends every refreshed sign-in: at least one cell whose
        # fault signs out finds the other operator signed in and stale
        tap.ok(any(f in SIGNS_AGAIN for f in CELLS + PERFORM_CELLS) and ENDED_SEEN and
               all(ok for _, _, ok, _ in ENDED_SEEN),
               "the other subscription's sign-in, ended by the same fault, is said at once in "
               "its own box, whole: who, why, what next (cells %s)" % (
                   ", ".join("%d %s" % (c, f) for c, f, _, _ in ENDED_SEEN)),
               "\n".join("cell %d, %s: %s" % (c, f, t) for c, f, ok, t in ENDED_SEEN if not ok)
               or "never shown")
        S.quit_wizard(tap, len(CELLS) + len(PERFORM_CELLS))
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
