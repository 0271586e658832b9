"""Two terminals, a witness asked across an amendment
(tests/e2e_two_amend_witness.sh): each operator at their own tmux terminal
(`rehearse --as A`, `join --as B`, tests/e2e/two_terminals.py's machinery).
B confirms retention.register/B, a step A witnesses: B's screen waits for
A's witness, at A's terminal. Before A gives it, A quits, adds a workload to
the plan (SharePoint: one more step, fasttrack.request/SP, before the
confirmed one, so every later step moves down one) and comes back; both
sign the amendment (A asks, B co-signs at B's terminal) and B verifies
version 2. Then A witnesses the step. B's screen must say that A witnessed
that step, under its new number and its title; the journal must hold that
one witness since the confirmation, of that step, and nothing else
witnessed. (B's screen once remembered the step by its index in the step
list, which the amendment rebuilt: it then named another step, or said
nothing.) Prints TAP."""

import json
import os
import re
import sys
import traceback

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.argv = sys.argv[:1]
import two_terminals as TT  # noqa: E402
import rehearsal as R  # noqa: E402
import tmuxdrv  # noqa: E402

tap = TT.tap
T = TT.T
NAME = R.NAME
STEP = "retention.register/B"
# the plan the operators hold: a copy, which A changes
PLAN = os.path.join(R.TMP, "plan.yaml")
with open(os.path.join(os.environ["PLANS"], "contoso-exchange.yaml"), encoding="utf-8") as f:
    ORIGINAL = f.read()
with open(PLAN, "w", encoding="utf-8") as f:
    f.write(ORIGINAL)
TT.PLAN = R.PLAN = PLAN
# nothing killed, hung up or deviated on the way
TT.KILL_AT, TT.HANGUP_AT, TT.DEVIATE_AT = {}, {}, None
# the workload the amendment adds (the plan's last block is its workloads)
SHAREPOINT = """  sharepoint:
    geos:
      - m365_geo: NAM
        name_geo: NA
        admin_url: https://contoso-admin.sharepoint.com
        regions: { A: centralus, B: westus3 }
"""
JOURNAL = os.path.join(R.DIR, "journal.jsonl")


def steps():
    return [s for s in R.runbook() if not s["management"]]


def journal():
    with open(JOURNAL, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def flat(screen):
    return " ".join(screen.split())


def wrapping(pattern):
    """pattern, where the message line may wrap at any blank."""
    return pattern.replace(" ", r"\s+")


def quit_a():
    a = T["A"]
    a.keys("q")
    TT.until("A", r"[─-] Quit")
    a.keys("Enter")
    tmuxdrv.poll_until(lambda: a.exit_status() is not None)
    if a.exit_status() is None:
        raise TT.Failed("A's ckwizard did not quit:\n" + a.capture())


def amend():
    """A quits, adds the workload, comes back; A asks for the amendment, B
    co-signs it at B's terminal; version 2 is approved and B verifies it."""
    quit_a()
    with open(PLAN, "w", encoding="utf-8") as f:
        f.write(ORIGINAL + SHAREPOINT)
    TT.start("A")
    a, b = T["A"], T["B"]
    # back at A's terminal: A's key unlocked, then the changed plan for review
    TT.until("A", r"at this terminal: Enter unlocks your key")
    a.keys("Enter")
    TT.until("A", r"The plan file changed since this version was verified")
    a.keys("s")
    TT.until("A", r"Record the changed plan file as a new version")
    a.keys("Enter")
    a.wait_for(r"Record the changed plan file as a new version", absent=True)
    screen = TT.until("B", r"[─-] Co-sign")
    if not re.search(r"Amend the plan to version 2", flat(screen)):
        raise TT.Failed("the co-sign request does not show the amendment:\n" + screen)
    b.keys("Enter")
    b.wait_for(r"[─-] Co-sign", absent=True)
    # version 2: the amendment A asked for counts as the author's approval
    # (A approves it otherwise), then B verifies it at B's terminal
    TT.until("A", r"Plan review: version 2")
    if not re.search(r"the author, approves it: done", flat(a.settle())):
        a.keys("s")
        TT.until("A", r"Approve plan version 2")
        a.keys("Enter")
        a.wait_for(r"Approve plan version 2", absent=True)
    TT.until("B", r"Waiting for you: the plan is approved")
    for _ in range(80):
        b.keys("Space")
        if "Everything is ticked" in b.settle():
            break
    else:
        raise TT.Failed("the checklist never reported everything ticked:\n" + b.capture())
    b.keys("s")
    TT.until("B", r"the plan is verified")
    ver = [e for e in journal() if e.get("type") == "plan.verify"]
    if len(ver) != 2:
        raise TT.Failed("plan.verify lines: %d, want 2 (versions 1 and 2)" % len(ver))


def main():
    try:
        before = steps()
        n = len(before)
        ids = [s["id"] for s in before]
        x = before[ids.index(STEP)]
        TT.start("A")
        TT.case("A starts the rehearsal at their terminal and joins", lambda: TT.join("A"))
        TT.start("B")
        TT.case("B joins the same session from their own terminal", lambda: TT.join("B"))
        TT.case("plan: A approves at A's terminal, B verifies at B's", TT.verify_plan)
        for step in before[:ids.index(STEP)]:
            TT.case("step %s (owner %s)" % (step["id"], step["owner"]),
                    lambda: TT.do_step(n, step))
        # B confirms; the witness is A's, at A's terminal: not given yet
        TT.case("B performs and confirms %s (step %d of %d)" % (STEP, ids.index(STEP) + 1, n),
                lambda: TT.do_step(n, dict(x, witness=False)))
        TT.case("B's screen says A witnesses it, at A's terminal", lambda: TT.until(
            "B", wrapping(r"Next: Alice Ames \(operator A\) witnesses it, at their own "
                          r"terminal")))
        mark = len(journal())
        TT.case("A quits and adds a workload; both sign the amendment across the terminals; "
                "B verifies version 2", amend)
        after = steps()
        ids2 = [s["id"] for s in after]
        k = ids2.index(STEP)
        tap.ok(k == ids.index(STEP) + 1 and ids2[ids.index(STEP)] != STEP,
               "the amendment moved %s from step %d to %d (another step holds its old number)" % (
                   STEP, ids.index(STEP) + 1, k + 1), "%r" % ids2[:12])
        n2 = len(after)
        wit = [e for e in journal()[mark:] if e.get("type") == "step.witness"]
        tap.ok(not wit, "nothing witnessed by the amendment itself", "%r" % wit)
        x2 = after[k]

        def witness():
            TT.until("A", r"Waiting for you: witness step %d\b" % (k + 1))
            TT.goto("A", n2, x2)
            T["A"].keys("w")
            TT.until("A", r"Did you watch")
            T["A"].keys("Enter")
            T["A"].wait_for(r"Did you watch", absent=True)
            TT.until("A", r"Recorded: witnessed")
        TT.case("A witnesses it at A's terminal, under its new number %d" % (k + 1), witness)
        said = wrapping(r"%s \(operator A\) witnessed step %d, %s" % (
            re.escape(NAME["A"]).replace("\\ ", " "), k + 1,
            re.escape(x2["title"][:30]).replace("\\ ", " ")))
        try:
            screen = T["B"].wait_for(said)
            ok = True
        except tmuxdrv.ScreenTimeout:
            screen, ok = T["B"].safe_capture(), False
        wrong = re.findall(r"witnessed step (\d+)", flat(screen))
        tap.ok(ok and wrong == [str(k + 1)],
               "B's screen says A witnessed step %d, %s (the step it confirmed), no other" % (
                   k + 1, x2["title"]), "want %r; witnessed named: %r\n%s" % (said, wrong, screen))
        wit = [e for e in journal()[mark:] if e.get("type") == "step.witness"]
        tap.ok([e["payload"].get("step") for e in wit] == [STEP],
               "the journal holds one witness since the confirmation, of %s" % STEP,
               "%r" % [(e.get("type"), e["payload"]) for e in wit])
        for side in "AB":
            T[side].keys("q")
    except Exception as e:
        if not getattr(e, "reported", False):
            tap.ok(False, "the witness across an amendment went through without an error",
                   "%s\nA:\n%s\nB:\n%s" % (traceback.format_exc(), T["A"].safe_capture(),
                                           T["B"].safe_capture()))
    finally:
        for t in T.values():
            t.kill()
    reports = tmuxdrv.asan_reports(R.ASAN)
    diag = ""
    for rpt in reports[:3]:
        diag += "== %s\n%s" % (rpt, open(rpt, errors="replace").read()[:3000])
    tap.ok(not reports, "no sanitizer report written (ASAN_OPTIONS=log_path)", diag)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
