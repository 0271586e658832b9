"""Two terminals, one ceremony: a complete rehearsal of
plans/contoso-exchange.yaml with each operator at their own terminal (two
tmux terminals, one ckwizard each: `rehearse --as A` and `join --as B`).
Each terminal unlocks only its own operator's key, once; each owner
performs, enters evidence and confirms their steps at their terminal, and
the other witnesses at theirs from the request their screen shows; the
deviation and the closing are co-signed across the terminals. In the middle
B's ckwizard is killed (SIGKILL) during a step: A's screen says B left,
nothing recorded is lost, and B joins again. Then `ckwizard verify` holds
the journal and the report names the terminals. Prints TAP.

With "users" as argument (and root), the two operators are two Unix users
sharing the session directory through a group (setgid, group-writable,
nothing for others), each with their own keystore.
"""

import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
USERS = sys.argv[1:] == ["users"]
sys.argv = sys.argv[:1] + ["two-terminals"]
import rehearsal as R  # noqa: E402  (the catalogue, evidence values)
import tmuxdrv  # noqa: E402
from tmuxdrv import ScreenTimeout  # noqa: E402

CKW = R.CKW
TMP = R.TMP
PLAN = R.PLAN
DIR = R.DIR
ASAN = R.ASAN
PASS = R.PASS
NAME = R.NAME
KILL_AT = {"rg.create/Contoso-CK-EX-NA-RGB/B": "B",   # whose ckwizard is killed in which step
           "vault.create/EX-USA_mailboxes/A": "A"}
HANGUP_AT = {"key.create/EX-USA_mailboxes/A": "B"}     # whose terminal goes away in which step
DEVIATE_AT = R.DEVIATE_AT
tap = tmuxdrv.Tap()
# CK_LATE_STORMS: resize storms on the co-signing request the other
# terminal shows, the wait screens and both end screens
# (tests/e2e/stormlib.py), the seed printed by rehearsal.py
STORMS = R.LATE_STORMS
if STORMS:
    STORMS.tap = tap
ACCOUNT = {}   # users mode: side -> Unix user name
KEYFILE = {}   # users mode: side -> the operator's key, in their own private keystore
HOMES = {}
if USERS:
    # The session directory and what both users must reach live in a base
    # directory everyone can search; the session directory itself is the
    # group's (setgid, 2770); each user's home (their keystore) is theirs.
    # Not under $TMP: only root may enter that one.
    BASE = tempfile.mkdtemp(prefix="ckw-2t-users-", dir="/tmp")
    os.chmod(BASE, 0o755)
    DIR = R.DIR = os.path.join(BASE, "team", "s")
    os.mkdir(os.path.dirname(DIR))
    ASAN = R.ASAN = os.path.join(BASE, "asan", "asan")
    os.mkdir(os.path.dirname(ASAN))
    os.chmod(os.path.dirname(ASAN), 0o1777)
    tag = "%d" % (os.getpid() % 100000)
    GROUP = "ckw2t" + tag
T = {"A": tmuxdrv.Tmux("ckw-2t-a-%d" % os.getpid()),
     "B": tmuxdrv.Tmux("ckw-2t-b-%d" % os.getpid())}
unlocks = {"A": 0, "B": 0}      # passphrases typed, per operator
starts = {"A": 0, "B": 0}       # ckwizard processes started, per operator
# A PIN guards a shared keyboard: at one's own terminal it is never asked.
REFUSED = r"Refused|[─-] Error|another ckwizard|Signing PIN:|Choose a signing PIN"
UNLOCK = r"Unlock: .*\(operator ([AB])\)"
CONFIRM = r"Enter: yes +Esc: no"


class Failed(Exception):
    pass


def other(side):
    return "B" if side == "A" else "A"


def make_users():
    """Two Unix users in one group, each with a private home holding their
    own copy of their operator's key (0600 in a 0700 directory)."""
    subprocess.run(["groupadd", GROUP], check=True)
    for side, demo in (("A", "alice"), ("B", "bob")):
        name = "ckw%s%s" % (side.lower(), tag)
        home = os.path.join(BASE, "home-" + side)
        subprocess.run(["useradd", "-M", "-d", home, "-s", "/bin/sh", "-g", GROUP, name],
                       check=True)
        ACCOUNT[side] = name
        HOMES[side] = home
        uid, gid = pwd.getpwnam(name).pw_uid, grp.getgrnam(GROUP).gr_gid
        keys = os.path.join(home, "keys")
        os.makedirs(keys)
        KEYFILE[side] = os.path.join(keys, demo + ".key")
        shutil.copy(os.path.join(os.environ["CK_SRCDIR"], "plans", "demo-operators",
                                 demo + ".key"), KEYFILE[side])
        for path, mode in ((home, 0o700), (keys, 0o700), (KEYFILE[side], 0o600)):
            os.chown(path, uid, gid)
            os.chmod(path, mode)
    # The team's directory: A's ckwizard makes the session in it.
    team = os.path.dirname(DIR)
    os.chown(team, 0, grp.getgrnam(GROUP).gr_gid)
    os.chmod(team, 0o2770)


def drop_users():
    for name in ACCOUNT.values():
        # -f: its ckwizard may still be ending after the hang-up
        subprocess.run(["userdel", "-f", name], stderr=subprocess.DEVNULL)
    if USERS:
        subprocess.run(["groupdel", GROUP], stderr=subprocess.DEVNULL)
        shutil.rmtree(BASE, ignore_errors=True)


def start(side):
    starts[side] += 1
    if side == "A":
        argv = [CKW, "rehearse", PLAN, "--dir", DIR, "--as", "A", "--idle-lock", "0"]
    else:
        argv = [CKW, "join", DIR, "--as", "B", "--idle-lock", "0"]
    env = R.env()
    if USERS:
        argv += ["--key-A", KEYFILE["A"]] if side == "A" else ["--key", KEYFILE["B"]]
        # What it says before its screen opens is kept for the diagnostics.
        argv = ["runuser", "-u", ACCOUNT[side], "--", "sh", "-c", '"$@" 2>>"$0"',
                os.path.join(BASE, "asan", "stderr-" + side)] + argv
        env["HOME"] = HOMES[side]
        env["ASAN_OPTIONS"] = "log_path=%s:detect_leaks=1" % ASAN
        env["UBSAN_OPTIONS"] = "log_path=%s:print_stacktrace=1" % ASAN
    if STORMS:
        # the terminal's settings before and after, to compare (storms)
        argv = ["sh", "-c", 'stty -g >"$0.before"; "$@"; st=$?; stty -g >"$0.after"; exit $st',
                os.path.join(TMP, "stty-%s%d" % (side, starts[side]))] + argv
    T[side].start(argv, 100, 30, env,
                  status_file=os.path.join(TMP, "status-%s%d" % (side, starts[side])))


def descendants(pid):
    """Every process below pid (runuser forks before running ckwizard)."""
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for k in kids.get(p, []):
            out.append(k)
            todo.append(k)
    return out


def comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


def until(side, target):
    """Wait for target on side's terminal, typing that operator's passphrase
    when their own key is asked for (the other's never is)."""
    t = T[side]
    for _ in range(8):
        i, screen = t.wait_any([target, UNLOCK, REFUSED, CONFIRM])
        if i == 0:
            return screen
        if i == 3:
            # What is signed, asked once more (no PIN at one's own terminal):
            # yes. (A box the test waits for is its target, matched first;
            # one just answered may still be on screen: look again.)
            if not re.search(CONFIRM, t.settle()):
                continue
            t.keys("Enter")
            t.wait_for(CONFIRM, absent=True)
            continue
        if i == 1:
            who = re.search(UNLOCK, screen).group(1)
            if who != side:
                raise Failed("%s's terminal asks for %s's passphrase:\n%s" % (side, who, screen))
            unlocks[side] += 1
            t.type(PASS[side])
            t.keys("Enter")
            t.wait_for(UNLOCK, absent=True)
        else:
            raise Failed("refused on %s's terminal:\n%s" % (side, screen))
    raise Failed("too many dialogs before %r:\n%s" % (target, t.capture()))


def join(side):
    """Start screen: Enter, this operator's passphrase: present."""
    until(side, r"at this terminal: Enter unlocks your key")
    T[side].keys("Enter")
    until(side, r"Recorded: .*\(operator %s\) is present" % side)


def verify_plan():
    a, b = T["A"], T["B"]
    a.wait_for(r"Plan review")
    a.keys("s")
    until("A", r"Approve plan version 1")
    a.keys("Enter")
    a.wait_for(r"Approve plan version 1", absent=True)
    until("A", r"Recorded: approved by the author")
    # B's screen follows A's approval without a key, and says what waits.
    until("B", r"Waiting for you: the plan is approved")
    for _ in range(80):
        b.keys("Space")
        if "Everything is ticked" in b.settle():
            break
    else:
        raise Failed("the checklist never reported everything ticked:\n" + b.capture())
    b.keys("s")
    until("B", r"the plan is verified")
    until("A", r"Steps: \d+ in all|Step \d+ of")


def goto(side, n, step):
    """Bring the step up on side's terminal (N: the next step to do)."""
    t = T[side]
    # The id may wrap in the pane: compare with every blank taken out.
    want = re.compile(r"Step\d+of%d:%s(?=State:)" % (n, re.escape(step["id"])))
    for k in range(tmuxdrv.DEFAULT_TRIES):
        screen = t.capture()
        if want.search(re.sub(r"\s+", "", R.right_pane(screen))):
            return
        if R.on_wait_screen(screen):
            handle_waits(side)
            continue
        if k % 20 == 5:
            t.keys("N")
        tmuxdrv.time.sleep(tmuxdrv.POLL_PAUSE)
    raise Failed("step %s never came up on %s's terminal:\n%s" % (step["id"], side, t.capture()))


def handle_waits(side):
    """The wait screen, on whichever terminal shows it: fast-forward the
    simulated clock; an awaited e-mail is recorded by its owner."""
    t = T[side]
    screen = t.capture()
    event = "records it when it arrives" in screen
    if STORMS:
        if not R.on_wait_screen(t.quiet(1.5)):
            return  # it was behind: it has followed the other terminal off the wait
        STORMS.storms(t, "wait screen (two terminals, %s)" % ("event" if event else "time"),
                      R.LANG, r"Everything left is waiting|Waiting steps", others_move=True)
        if not R.on_wait_screen(t.capture()):
            return  # the other terminal ended the wait during the storms
    t.keys("f")
    i, screen = t.wait_any([r"Move the simulated clock forward", r"Step \d+ of \d+:"])
    if i == 1:
        return  # the other terminal ended the wait meanwhile
    t.keys("Enter")
    t.wait_for(r"Move the simulated clock forward", absent=True)
    until(side, r"Recorded: the simulated clock moved")
    if not event:
        R.waits["time"] += 1
        return
    i, screen = t.wait_any([r"records it when it arrives", r"Step \d+ of \d+:"])
    if i == 1:
        return
    t.keys("Enter")
    i, screen = t.wait_any([r"What arrived, and when\?", r"at their own terminal"])
    if i == 1:  # the awaited e-mail is the other operator's to record
        o = other(side)
        T[o].wait_for(r"records it when it arrives")
        T[o].keys("Enter")
        until(o, r"What arrived, and when\?")
        side, t = o, T[o]
    t.type("Microsoft confirmed the retention period by e-mail")
    t.keys("Enter")
    until(side, r"Recorded: the event arrived")
    R.waits["event"] += 1


def kill_and_rejoin(side):
    """side's ckwizard dies mid-step (evidence in, not confirmed): the other
    screen says so; side starts again and joins, and the step goes on where
    it was (its confirmation needs the evidence recorded before the kill)."""
    o = other(side)
    pid = int(T[side].pane("pane_pid"))
    wizards = [k for k in descendants(pid) if comm(k).startswith("ckwizard")]
    if not wizards:
        raise Failed("no ckwizard process under %s's terminal" % side)
    for k in wizards:
        os.kill(k, signal.SIGKILL)
    until(o, r"%s \(operator %s\) left: their ckwizard ended" % (NAME[side], side))
    until(o, r"  %s: away  you: " % side)
    tap.ok(True, "%s's screen shows that %s's ckwizard is gone (kill -9)" % (o, side))
    start(side)
    join(side)
    until(o, r"  %s: present  you: " % side)


def hangup_and_rejoin(side):
    """side's terminal goes away (the tmux server holding it is killed: a
    dropped SSH connection): their ckwizard leaves the sitting as it ends."""
    o = other(side)
    T[side].kill()
    until(o, r"%s \(operator %s\) left the sitting" % (NAME[side], side))
    until(o, r"  %s: away  you: " % side)
    tap.ok(True, "%s's screen shows that %s's terminal hung up" % (o, side))
    start(side)
    join(side)
    until(o, r"  %s: present  you: " % side)


def do_step(n, step):
    own = step["owner"]
    t = T[own]
    goto(own, n, step)
    t.keys("p")
    msg = until(own, r"Recorded: performed; (\w+)")
    status = re.search(r"Recorded: performed; (\w+)", msg).group(1)
    if status not in ("pass", "pending"):
        raise Failed("perform said %s:\n%s" % (status, msg))
    for ev in step["evidence"]:
        t.keys("e")
        if ev["kind"] == "confirm":
            until(own, r"Have you seen this yourself\?")
            t.keys("Enter")
        else:
            until(own, r"[─-] Evidence")
            value = R.evidence_value(step, ev, msg)
            if "\n" in value:
                t.paste(value)
            else:
                t.type(value)
            t.keys("Enter")
        until(own, r"Recorded: ")
        t.wait_for(r"Have you seen this yourself\?|[─-] Evidence", absent=True)
    if step["id"] in KILL_AT:
        kill_and_rejoin(KILL_AT[step["id"]])
        goto(own, n, step)
    if step["id"] in HANGUP_AT:
        hangup_and_rejoin(HANGUP_AT[step["id"]])
        goto(own, n, step)
    if step["id"] == DEVIATE_AT:
        t.keys("D")
        until(own, r"What deviates from the plan")
        t.type("rehearsal: the key was created from a second workstation")
        t.keys("Enter")
        # Sent to the other terminal, which shows what is to be signed.
        o = other(own)
        screen = until(o, r"[─-] Co-sign")
        if not ("Reason: rehearsal: the key was created" in screen and
                "workstation" in screen):
            raise Failed("the co-sign request does not show the reason:\n" + screen)
        if STORMS:
            STORMS.storms(T[o], "co-signing request (two terminals)", R.LANG, r"[─-] Co-sign")
        T[o].keys("Enter")
        T[o].wait_for(r"[─-] Co-sign", absent=True)
        until(own, r"Recorded: .* co-signed")
    t.keys("c")
    if step["critical"]:
        until(own, r"Type the resource name to confirm")
        t.type(step["confirm_name"])
        t.keys("Enter")
        t.wait_for(r"Type the resource name to confirm", absent=True)
    else:
        until(own, r"Confirm the step")
        t.keys("Enter")
        t.wait_for(r"[─-] Confirm the step", absent=True)
    until(own, r"Recorded: confirmed by %s" % NAME[own])
    if step["witness"]:
        w = other(own)
        until(w, r"Waiting for you: witness step")
        goto(w, n, step)
        T[w].keys("w")
        until(w, r"Did you watch")
        T[w].keys("Enter")
        T[w].wait_for(r"Did you watch", absent=True)
        until(w, r"Recorded: witnessed")
    return status


def close():
    a = T["A"]
    screen = a.wait_for(r"Every step is done or skipped|The ceremony is closed")
    if "The ceremony is closed" not in screen:
        a.keys("Enter")
        until("A", r"Close the ceremony now\?")
        a.keys("Enter")
        a.wait_for(r"Close the ceremony now\?", absent=True)
        until("B", r"[─-] Co-sign")
        T["B"].keys("Enter")
        T["B"].wait_for(r"[─-] Co-sign", absent=True)
        until("A", r"Recorded: Bob Berg \(operator B\) co-signed")
    head = until("A", r"Journal head hash")
    until("B", r"Journal head hash|The ceremony is closed")
    if STORMS:
        for x in "AB":
            STORMS.storms(T[x], "end screen (two terminals, %s)" % x, R.LANG,
                          r"Journal head hash|The ceremony is closed")
        head = until("A", r"Journal head hash")
    return head


def case(name, fn):
    try:
        r = fn()
        tap.ok(True, name)
        return r
    except (Failed, ScreenTimeout) as e:
        tap.ok(False, name, "%s\nA's screen:\n%s\nB's screen:\n%s"
               % (e, T["A"].safe_capture(), T["B"].safe_capture()))
        e.reported = True
        raise
    except Exception as e:
        tap.ok(False, name, "%s\nA's screen:\n%s\nB's screen:\n%s"
               % (traceback.format_exc(), T["A"].safe_capture(), T["B"].safe_capture()))
        e.reported = True
        raise


def main():
    try:
        steps = [s for s in R.runbook() if not s["management"]]
        waiting = {s["id"] for s in steps if (s.get("wait") or {}).get("kind") == "hours"}
        steps = ([s for s in steps if not waiting & set(s["prereqs"])] +
                 [s for s in steps if waiting & set(s["prereqs"])])
        if USERS:
            make_users()
        start("A")
        i, screen = T["A"].wait_any([r"Start the ceremony", r"Pane is dead"])
        if i == 1:
            err = os.path.join(BASE, "asan", "stderr-A") if USERS else None
            raise Failed("A's ckwizard did not start (exit %s):\n%s%s"
                         % (T["A"].exit_status(), screen,
                            open(err, errors="replace").read() if err and os.path.exists(err)
                            else ""))
        case("A starts the rehearsal at their terminal and joins", lambda: join("A"))
        start("B")
        case("B joins the same session from their own terminal", lambda: join("B"))
        case("A's screen shows B present without a key", lambda: until(
            "A", r"B: present  you: Alice Ames \(A\)"))
        case("plan: A approves at A's terminal, B verifies at B's", verify_plan)
        n = len(steps)
        for i, step in enumerate(steps):
            case("step %d/%d %s (owner %s)" % (i + 1, n, step["id"], step["owner"]),
                 lambda: do_step(n, step))
        head = case("closing co-signed across the terminals; both screens show the end",
                    close)
        tap.ok(unlocks == {"A": 2, "B": 3} and starts == {"A": 2, "B": 3},
               "one passphrase per operator per ckwizard, and never the other's: each once, "
               "and once more after each kill or hang-up", "unlocks %s, starts %s" % (unlocks, starts))
        for side in "AB":
            T[side].keys("q")
        if STORMS:
            last = {x: os.path.join(TMP, "stty-%s%d.after" % (x, starts[x])) for x in "AB"}
            tmuxdrv.poll_until(lambda: all(tmuxdrv.read_file(f) for f in last.values()))
            stty = {"%s%d" % (x, n): (tmuxdrv.read_file(os.path.join(TMP, "stty-%s%d.before" % (x, n))),
                                      tmuxdrv.read_file(os.path.join(TMP, "stty-%s%d.after" % (x, n))))
                    for x in "AB" for n in range(1, starts[x] + 1)}
            # a ckwizard killed by SIGKILL cannot restore anything: the runs
            # that ended by themselves (each side's last) must have
            tap.ok(all(stty["%s%d" % (x, starts[x])][0] and
                       stty["%s%d" % (x, starts[x])][0] == stty["%s%d" % (x, starts[x])][1]
                       for x in "AB"),
                   "LANG=%s: stty -g after = before on both terminals" % R.LANG, str(stty))
        journal = os.path.join(DIR, "journal.jsonl")
        m = re.search(r"\b([0-9a-f]{64})\b", head or "")
        args = [CKW, "verify", journal, "--plan", PLAN] + (["--head", m.group(1)] if m else [])
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        tap.ok(r.returncode == 0, "ckwizard verify holds the journal both terminals wrote",
               r.stdout.decode(errors="replace"))
        text = open(journal, encoding="utf-8").read()
        tap.ok('"type":"operator.join"' in text and '"type":"operator.lost"' in text and
               '"how":"hangup"' in text and '"two-terminals"' in text,
               "the journal records joining, the kills (operator.lost), the hang-up "
               "(operator.leave) and the terminals")
        rep = os.path.join(DIR, "report.md")
        rt = open(rep, encoding="utf-8").read() if os.path.exists(rep) else ""
        tap.ok("Presence and terminals" in rt and "was lost" in rt and
               "two-terminals" in rt, "report.md shows presence and each signature's terminal")
        if USERS:
            tap.ok('"user":"%s"' % ACCOUNT["A"] in text and '"user":"%s"' % ACCOUNT["B"] in text,
                   "the journal names the two Unix users the signatures came from")
            bad = []
            for name in sorted(os.listdir(DIR)):
                st = os.stat(os.path.join(DIR, name))
                if st.st_mode & 0o007:
                    bad.append("%s %o" % (name, st.st_mode))
            jm = os.stat(journal).st_mode & 0o7777
            dm = os.stat(DIR).st_mode & 0o7777
            tap.ok(not bad and jm == 0o660 and dm == 0o2770,
                   "the session directory is the group's (2770), the journal 0660, nothing "
                   "for others", "dir %o journal %o; %s" % (dm, jm, bad))
            unread = []
            for x in "AB":
                for name in ("report.md", "report.html", "report.json"):
                    r_ = subprocess.run(["runuser", "-u", ACCOUNT[x], "--", "cat",
                                         os.path.join(DIR, name)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                    if r_.returncode != 0:
                        unread.append("%s: %s %s" % (ACCOUNT[x], name,
                                                      r_.stderr.decode(errors="replace")))
            tap.ok(not unread, "both Unix users read the reports the closing wrote (0660)",
                   "; ".join(unread))
            km = [os.stat(KEYFILE[x]).st_mode & 0o777 for x in "AB"]
            tap.ok(km == [0o600, 0o600], "each keystore stays private to its user", str(km))
    except Exception as e:
        if not getattr(e, "reported", False):
            if isinstance(e, Failed):
                tap.ok(False, str(e).splitlines()[0], str(e))
                e.reported = True
            tap.ok(False, "the two-terminal run went through without an error",
                   "%s\nA:\n%s\nB:\n%s" % (traceback.format_exc(), T["A"].safe_capture(),
                                           T["B"].safe_capture()))
    finally:
        for t in T.values():
            t.kill()
        if USERS:
            reports_ = tmuxdrv.asan_reports(ASAN)
            for r_ in reports_:
                shutil.copy(r_, TMP)
            drop_users()
    reports = tmuxdrv.asan_reports(os.path.join(TMP, "asan") if USERS else ASAN)
    diag = ""
    for rpt in reports[:3]:
        diag += "== %s\n%s" % (rpt, open(rpt, errors="replace").read()[:3000])
    tap.ok(not reports, "no sanitizer report written (ASAN_OPTIONS=log_path)", diag)
    if STORMS:
        STORMS.print_figures()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
