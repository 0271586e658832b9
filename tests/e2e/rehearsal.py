"""A complete rehearsal of plans/contoso-exchange.yaml, driven through the
real ncurses UI inside tmux, as two operators would: plan verification, both
operators and their passphrases, handoffs, every step (performed on the
simulator, evidence entered, confirmed, witnessed), the wait for Microsoft and
the 72-hour wait (fast-forwarded), a deviation, a resize, a quit and resume in
the middle, the end screen; then `ckwizard verify` on the journal and the
report listing every step. Prints TAP.

What each step needs comes from `ckwizard runbook --format json` (the same
catalogue the wizard walks); the screen is read only to answer the dialogs it
opens and to check what it says. Keys come from the UI's key table
(ui/action.h): e evidence, p perform, c confirm, w witness, f fast-forward,
D deviation, s sign, Space tick, q quit.
"""

import datetime
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stormlib  # noqa: E402
import tmuxdrv  # noqa: E402
from tmuxdrv import ScreenTimeout  # noqa: E402

CKW = os.environ["CKW"]
TMP = os.environ["TMP"]
PLAN = os.path.join(os.environ["PLANS"], "contoso-exchange.yaml")
ASAN = os.path.join(TMP, "asan")
DIR = os.path.join(TMP, "s")
PASS = {"A": "rehearse-alice", "B": "rehearse-bob"}
PIN = {"A": "1234", "B": "5678"}  # the demo operators' signing PINs
NAME = {"A": "Alice Ames", "B": "Bob Berg"}
QUIT_AFTER = "vault.create/EX-USA_mailboxes/A"     # quit and resume after this step
DEVIATE_AT = "key.create/EX-USA_mailboxes/B"       # record a deviation here
RESIZE_AT = "rg.create/Contoso-CK-EX-NA-RGB/B"     # resize the terminal here

# The faults scenario (argument "faults"): the simulator misbehaves three
# times and the operators catch it from the perform result, then fix it by
# running the step again; the ceremony stops after the expiry check of key A.
FAULTS = ["rbac-on", "missing-permission", "expiring-key"]
CAUGHT = {"vault.create/EX-USA_mailboxes/A": r"RBAC authorisation is on",
          "vault.service/EX-USA_mailboxes/A": r"service principal lacks unwrapKey",
          "key.expiry/EX-USA_mailboxes/A": r"Key \S+ expires \d{4}-\d\d-\d\dT"}
FAULTS_STOP = "key.expiry/EX-USA_mailboxes/A"
SCENARIO = sys.argv[1] if len(sys.argv) > 1 else "full"

# The amend scenario (argument "amend"): vault B's name is taken by another
# tenant; the operators quit, change the naming pattern in their copy of the
# plan, amend it (both sign, the verifier reads the diff and verifies again)
# and create the vaults under the new names.
TAKEN = "Contoso-CK-EX-NA-VaultB1"
if SCENARIO == "amend":
    FAULTS = ["vault-name-taken=" + TAKEN]
    CAUGHT = {"vault.create/EX-USA_mailboxes/B": r"VaultAlreadyExists"}
    FAULTS_STOP = "vault.create/EX-USA_mailboxes/B"
    PLAN_COPY = os.path.join(TMP, "plan.yaml")
    with open(PLAN, encoding="utf-8") as src, open(PLAN_COPY, "w", encoding="utf-8") as dst:
        dst.write(src.read())
    PLAN = PLAN_COPY

# The service scenario (argument "service"): plans/contoso-service.yaml, the
# multi-workload DEP onboarded through the Customer Key onboarding service.
# The first validation fails (the operators read FailedValidations from the
# screen and validate again), then enable, the DEP, and the ceremony runs to
# its end: no FastTrack request, no e-mail, no wait for Microsoft.
if SCENARIO == "service":
    PLAN = os.path.join(os.environ["PLANS"], "contoso-service.yaml")
    FAULTS = ["onboarding-validation"]
    CAUGHT = {"onboard.service.validate/MW": r"Onboarding request [0-9a-f-]+: validation\b"}
    QUIT_AFTER = "vault.create/MW/A"
    DEVIATE_AT = "key.create/MW/B"
    RESIZE_AT = "rg.create/Contoso-CK-MW-NA-RGB/B"

# The Managed HSM scenario (argument "hsm"): plans/contoso-hsm.yaml, the keys
# in two Managed HSMs. Each officer's key, each HSM's activation (the
# security domain downloaded with the quorum, its file's SHA-256 recorded)
# and each officer's acknowledgement, the local roles, the keys and the DEPs,
# through the onboarding service, to the end. Two faults are caught on the
# screen and fixed by running the step again: the download interrupted (the
# HSM stays inactive) and an app's role missing.
HSM = SCENARIO == "hsm"
if HSM:
    PLAN = os.path.join(os.environ["PLANS"], "contoso-hsm.yaml")
    FAULTS = ["sd-not-downloaded", "role-missing"]
    CAUGHT = {"hsm.activate/A": r"download was interrupted",
              "hsm.role.service/A": r"No Managed HSM Crypto Service Encryption User"}
    QUIT_AFTER = "hsm.activate/A"
    DEVIATE_AT = "key.create/MW/B"
    RESIZE_AT = "rg.create/Contoso-CK-HSM-RGB/B"

# The offboarding scenario (argument "offboarding"): the offboarding and data
# purge ceremony of plans/contoso-exchange.yaml, rehearsed on a simulated
# tenant that starts onboarded: every step critical (the tenant's domain
# typed), witnessed, run to the end; verify and the report follow.
OFFBOARDING = SCENARIO == "offboarding"
if OFFBOARDING:
    QUIT_AFTER = "offboard.exchange.revoke/EX-USA_mailboxes/A"
    DEVIATE_AT = "offboard.exchange.revoke/EX-USA_mailboxes/B"
    RESIZE_AT = None

tap = tmuxdrv.Tap()
# CK_LATE_STORMS: resize storms on the wait screen and the end screen, which
# only a whole walk reaches (tests/e2e/stormlib.py); CK_E2E_LANG: the locale
LATE_STORMS = stormlib.from_env(tap)
LANG = os.environ.get("CK_E2E_LANG") or "C.UTF-8"
waits = {"event": 0, "time": 0}   # waits met and ended on the wait screen
handoffs = {"A": 0, "B": 0}       # keyboard handed to each operator (PIN or passphrase)
# Passphrase prompts per sitting and operator: one per operator per sitting
# at most (after that a signing PIN says who signs). sittings[-1] is the
# sitting open now.
sittings = []
prompts = {"pin": 0, "refused": 0}
t = tmuxdrv.Tmux("ckw-test-%d" % os.getpid())
runs = 0

# Dialogs the UI opens on its own, answered wherever they show up.
HANDOFF = r"Hand the keyboard to .*\(operator ([AB])\)"
UNLOCK = r"Unlock: .*\(operator ([AB])\)"
PINBOX = r"Signing PIN: .*\(operator ([AB])\)"
CHOOSE = r"Choose a signing PIN: .*\(operator ([AB])\)"  # a key enrolled without one
REFUSED = r"Refused|[─-] Error"


class Failed(Exception):
    pass


def env():
    return {
        "TERM": "xterm-256color", "HOME": os.environ["HOME"], "TZ": "UTC",
        "LANG": LANG, "LC_ALL": LANG,
        "CK_SRCDIR": os.environ.get("CK_SRCDIR", ""),
        "ASAN_OPTIONS": "log_path=%s:detect_leaks=1" % ASAN,
        "UBSAN_OPTIONS": "log_path=%s:print_stacktrace=1" % ASAN,
    }


def start_wizard():
    """A new wizard on a new tmux server (a fresh socket each time: the old
    server may still be going away)."""
    global runs
    runs += 1
    argv = [CKW, "rehearse", PLAN, "--dir", DIR, "--idle-lock", "0"]
    if OFFBOARDING:
        argv.append("--offboarding")
    if SCENARIO in ("faults", "amend", "service", "hsm") and runs == 1:
        for f in FAULTS:
            argv += ["--fault", f]
    if LATE_STORMS:
        # the terminal's settings before and after, to compare (storms)
        argv = ["sh", "-c", 'stty -g >"$0.before"; "$@"; st=$?; stty -g >"$0.after"; exit $st',
                os.path.join(TMP, "stty%d" % runs)] + argv
    t.start(argv, 100, 30, env(), status_file=os.path.join(TMP, "status%d" % runs))


def gone(pattern):
    t.wait_for(pattern, absent=True)


def unlock(side):
    if not sittings:
        sittings.append({"A": 0, "B": 0})
    sittings[-1][side] += 1
    t.type(PASS[side])
    t.keys("Enter")
    # The other operator's prompt may follow at once: wait for this one to go.
    gone(r"Unlock: .*\(operator %s\)" % side)


def until(target, extra=()):
    """Answer handoffs and passphrase prompts until target shows. extra:
    (pattern, handler) pairs for other dialogs on the way."""
    # A PIN box quotes what is signed (which may be the target's text):
    # it is answered first.
    pats = [target, HANDOFF, UNLOCK, REFUSED] + [p for p, _ in extra]
    for _ in range(12):
        i, screen = t.wait_any([CHOOSE, PINBOX] + pats)
        if i == 0:
            side = re.search(CHOOSE, screen).group(1)
            prompts["chosen"] = prompts.get("chosen", 0) + 1
            t.type(PIN[side])
            t.keys("Enter")
            t.wait_for(r"The same PIN again")
            t.type(PIN[side])
            t.keys("Enter")
            gone(r"Choose a signing PIN: .*\(operator %s\)" % side)
            continue
        i -= 1
        if i == 0:
            side = re.search(PINBOX, screen).group(1)
            if re.search(r"Hand the keyboard to", screen):
                handoffs[side] += 1
            prompts["pin"] += 1
            t.type(PIN[side])
            t.keys("Enter")
            # The other operator's PIN may follow at once: wait for this one to go.
            gone(r"Signing PIN: .*\(operator %s\)" % side)
            continue
        i -= 1
        if i == 0:
            return screen
        if i == 1:
            handoffs[re.search(HANDOFF, screen).group(1)] += 1
            t.keys("Enter")
            gone(HANDOFF)
        elif i == 2:
            unlock(re.search(UNLOCK, screen).group(1))
        elif i == 3:
            prompts["refused"] += 1
            raise Failed("refused:\n" + screen)
        else:
            extra[i - 4][1](screen)
    raise Failed("too many dialogs before %r:\n%s" % (target, t.capture()))


def message(pattern):
    """The message line (above the key bar) says pattern."""
    return t.wait_for(pattern)


# ---- What the plan and the simulator say -----------------------------------

def runbook():
    extra = ["--offboarding"] if OFFBOARDING else []
    out = subprocess.run([CKW, "runbook", PLAN, "--format", "json"] + extra,
                         stdout=subprocess.PIPE, check=True).stdout
    return json.loads(out)["steps"]


def plan_subscriptions():
    text = open(PLAN, encoding="utf-8").read()
    sub = text[text.index("subscriptions:"):]
    ids = re.findall(r"id: ([0-9a-f-]{36})", sub)
    return {"A": ids[0], "B": ids[1]}


def sim_key_version(vault, key):
    with open(os.path.join(DIR, "sim.json"), encoding="utf-8") as f:
        sim = json.load(f)
    for v in sim["vaults"]:
        if v["name"] == vault:
            for k in v["keys"]:
                if k["name"] == key:
                    return k["versions"][-1]["id"]
    raise Failed("no key %s in %s in sim.json" % (key, vault))


def sim_access_list(vault):
    """The vault's access policies as the step's command prints them, one
    principal a line, read from what the simulator holds (so a leftover
    policy shows up in the evidence, as it would on a real screen)."""
    with open(os.path.join(DIR, "sim.json"), encoding="utf-8") as f:
        sim = json.load(f)
    other = "secrets/certificates/storage"
    for v in sim["vaults"]:
        if v["name"] == vault:
            return "\n".join(
                "%s | keys: %s | secrets: %s | certificates: %s | storage: %s" % (
                    p["object"], ", ".join(k for k in p["keys"] if k != other),
                    *(["all"] * 3 if other in p["keys"] else [""] * 3))
                for p in v["accessPolicies"])
    raise Failed("no vault %s in sim.json" % vault)


def plan_show():
    out = subprocess.run([CKW, "show", PLAN, "--format", "json"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=True).stdout
    return json.loads(out)


def hsm_sd_file(step):
    """The security domain file the simulator wrote for the step's HSM."""
    side = step["id"].split("/")[1]
    name = plan_show()["managed_hsm"][side]["name"]
    path = os.path.join(DIR, name + "-SecurityDomain.json")
    if not os.path.exists(path):
        raise Failed("the simulator wrote no security domain file " + path)
    return path


def step_parts(step):
    """vault and key of a per-vault step, as the runbook's check target names
    them (after an amendment they are the new names)."""
    check = step.get("check") or {}
    return check.get("vault"), check.get("key")


def evidence_value(step, ev, last_message):
    kind = ev["kind"]
    side = step["id"].rsplit("/", 1)[-1] if step.get("side") else None
    if kind == "text":
        return {"az_version": "Az 12.4.0",
                "feature_output": "mandatoryRetentionPeriodEnabled Microsoft.Resources "
                                  "Registering",
                "locations": "offline: safe in room 2; disaster: vault at site B",
                "earlier_failures": "KeyIdentifier2 listed once; fixed, validated again"}.get(
                    ev["id"], "rehearsal text")
    if kind == "guid":
        return plan_subscriptions()[side]
    if kind == "tool-version":
        return "Az.KeyVault 6.2.1"
    if kind == "request-id":
        m = re.search(r"Onboarding request ([0-9a-f-]+)", last_message)
        if not m:
            raise Failed("no onboarding request ID on screen:\n" + last_message)
        return m.group(1)
    if kind == "fasttrack-id":
        m = re.search(r"FastTrack request (\d+)", last_message)
        return m.group(1) if m else "1234567"
    if kind == "date":
        return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    if kind == "choice":
        return {"expiry": "none", "is_encrypted": "True", "state": "Registered",
                "result": "passed"}.get(
            ev["id"], ev.get("choices", "").split("|")[0])
    if kind == "choice" and ev["id"] == "recovery_level":
        return "Recoverable+ProtectedSubscription"
    template = step["template"]
    if template == "hsm.officer.key" and kind == "sha256":
        officer = int(step["id"].rsplit("/", 1)[-1]) - 1
        return plan_show()["managed_hsm"]["officers"][officer]["public_key_sha256"]
    if template in ("hsm.activate", "hsm.officer.ack") and kind in ("file-sha256", "sha256"):
        path = hsm_sd_file(step)
        return path if kind == "file-sha256" else hashlib.sha256(
            open(path, "rb").read()).hexdigest()
    vault, key = step_parts(step)
    if kind == "access-list":
        return sim_access_list(vault)
    if kind == "key-uri":
        domain = "managedhsm.azure.net" if HSM else "vault.azure.net"
        return "https://%s.%s/keys/%s/%s" % (vault, domain, key, sim_key_version(vault, key))
    files = sorted(glob.glob(os.path.join(DIR, key + "-Backup-*.backup"))) if key else []
    if kind == "file-sha256":
        if not files:
            raise Failed("the simulator wrote no backup file for " + str(key))
        return files[-1]
    if kind == "sha256":
        return hashlib.sha256(open(files[-1], "rb").read()).hexdigest()
    raise Failed("no value for evidence %s of kind %s" % (ev["id"], kind))


# ---- The ceremony ------------------------------------------------------------

def open_sitting():
    """Start screen: both present, each types their passphrase."""
    t.wait_for(r"Who is present for this sitting")
    sittings.append({"A": 0, "B": 0})
    t.keys("Enter")
    until(r"Plan review|Steps: \d+ in all|Everything left is waiting|Waiting steps")


def verify_plan(version=1):
    screen = t.wait_for(r"Plan review")
    # An amendment signed by both may count as the author's approval.
    if not re.search(r"the author, approves it: done", screen):
        t.keys("s")
        # The author's PIN is the signature prompt (or, just after a
        # passphrase, the question alone).
        if re.search(r"[─-] Approve the plan", until(r"keyboard: Bob Berg|[─-] Approve the plan")):
            t.keys("Enter")
            gone(r"[─-] Approve the plan")
            # The approval hands the keyboard to the verifier.
            until(r"keyboard: Bob Berg")
    if version == 1:
        # Resize in the middle of the review: the screen is rebuilt.
        t.resize(120, 40)
        t.wait_for(r"Plan review")
        t.resize(100, 30)
        t.wait_for(r"Plan review")
    for _ in range(80):
        t.keys("Space")
        if "Everything is ticked" in t.settle():
            break
    else:
        raise Failed("the checklist never reported everything ticked:\n" + t.capture())
    t.keys("s")
    # If the keyboard had to be handed to the verifier first, the handoff is
    # all that s did: the verifier signs with a second s.
    screen = until(r"the plan is verified|has the keyboard\.|[─-] Verify the plan")
    if re.search(r"[─-] Verify the plan", screen):
        t.keys("Enter")
        screen = until(r"the plan is verified")
    if "the plan is verified" not in screen:
        t.keys("s")
        if re.search(r"[─-] Verify the plan", until(r"the plan is verified|[─-] Verify the plan")):
            t.keys("Enter")
            until(r"the plan is verified")


def on_wait_screen(screen):
    return re.search(r"Everything left is waiting|Waiting steps", screen) is not None


def handle_waits():
    """The wait screen: fast-forward the simulated clock, record an awaited
    event; back to the steps."""
    screen = t.capture()
    if not on_wait_screen(screen):
        return False
    if LATE_STORMS:
        kind = "event" if "records it when it arrives" in screen else "time"
        LATE_STORMS.storms(t, "wait screen (%s)" % kind, LANG,
                           r"Everything left is waiting|Waiting steps")
        screen = t.capture()
    if "records it when it arrives" in screen:
        # Microsoft's answer comes after the registration delay: move the
        # clock past it (the suggested five days), then record the e-mail.
        t.keys("f")
        until(r"Move the simulated clock forward")
        t.keys("Enter")
        until(r"Recorded: the simulated clock moved")
        t.wait_for(r"records it when it arrives")
        t.keys("Enter")
        until(r"What arrived, and when\?")
        t.type("Microsoft confirmed the retention period by e-mail")
        t.keys("Enter")
        until(r"Recorded: the event arrived")
        waits["event"] += 1
    else:
        t.keys("f")
        until(r"Move the simulated clock forward")
        t.keys("Enter")
        until(r"Recorded: the simulated clock moved")
        waits["time"] += 1
    return True


def right_pane(screen):
    """The step screen's right pane as text (what follows the first │ of
    each line), so an id wrapped onto the next line reads as one."""
    bar = "│" if "│" in screen else "|"  # LANG=C draws the pane's edge in ASCII
    return "\n".join(line.split(bar, 1)[1] if bar in line else ""
                     for line in screen.splitlines())


def goto_step(n, i, step):
    # A long id wraps to the next line of the pane.
    # The number is the step's place in the catalogue, which is not this
    # list's once the steps behind a wait have moved to the end.
    head = re.compile(r"Step \d+ of %d:\s+%s" % (n, re.escape(step["id"][:30])))
    for _ in range(tmuxdrv.DEFAULT_TRIES):
        screen = t.capture()
        if head.search(right_pane(screen)):
            return
        if on_wait_screen(screen):
            handle_waits()
            continue
        tmuxdrv.time.sleep(tmuxdrv.POLL_PAUSE)
    raise Failed("step %s never became current:\n%s" % (step["id"], t.capture()))


def do_step(n, i, step):
    goto_step(n, i, step)
    # Perform it on the simulator: what the commands would do in Azure.
    t.keys("p")
    msg = until(r"Recorded: performed; (\w+)")
    status = re.search(r"Recorded: performed; (\w+)", msg).group(1)
    if SCENARIO in ("faults", "amend", "service", "hsm") and step["id"] in CAUGHT:
        want = CAUGHT.pop(step["id"])  # a fault is caught once
        line = [x for x in msg.splitlines() if "Recorded: performed" in x][0]
        tap.ok(status == "fail" and re.search(want, line),
               "fault caught at %s: %s" % (step["id"], line.strip()), msg)
        if SCENARIO == "amend":
            return "caught"  # no retry helps: the name is another tenant's
        # The fix: run the step again, as Azure allows.
        t.keys("p")
        msg = until(r"Recorded: performed; pass")
        status = "pass"
    if status not in ("pass", "pending"):
        raise Failed("perform said %s:\n%s" % (status, msg))
    for ev in step["evidence"]:
        t.keys("e")
        if ev["kind"] == "confirm":
            until(r"Have you seen this yourself\?")
            t.keys("Enter")
        else:
            until(r"[─-] Evidence")
            value = evidence_value(step, ev, msg)
            if "\n" in value:
                t.paste(value)
            else:
                t.type(value)
            t.keys("Enter")
        message(r"Recorded: ")
        gone(r"Have you seen this yourself\?|[─-] Evidence")
    if step["id"] == DEVIATE_AT:
        t.keys("D")
        until(r"What deviates from the plan")
        t.type("rehearsal: the key was created from a second workstation")
        t.keys("Enter")
        until(r"Recorded: deviation, signed by both")
    t.keys("c")
    if step["critical"]:
        until(r"Type the resource name to confirm")
        t.type(step["confirm_name"])
        t.keys("Enter")
        gone(r"Type the resource name to confirm")
    else:
        done = r"Recorded: confirmed by %s" % NAME[step["owner"]]
        if re.search(r"[─-] Confirm the step", until(done + r"|[─-] Confirm the step")):
            t.keys("Enter")
            gone(r"[─-] Confirm the step")
    until(r"Recorded: confirmed by %s" % NAME[step["owner"]])
    if step["witness"]:
        t.keys("w")
        if re.search(r"[─-] Witness the step", until(r"Recorded: witnessed|[─-] Witness the step")):
            t.keys("Enter")
            until(r"Recorded: witnessed")
    return status


def quit_and_resume():
    t.keys("q")
    until(r"[─-] Quit")
    t.keys("Enter")
    for _ in range(400):
        st = t.exit_status()
        if st is not None:
            break
        tmuxdrv.time.sleep(tmuxdrv.POLL_PAUSE)
    if st != 0:
        raise Failed("quit: exit status %r:\n%s" % (st, t.capture()))
    start_wizard()
    # The title is drawn before the rows under it: wait for the row too, so
    # a screen caught half-drawn on a loaded machine is not a failure.
    try:
        screen = t.wait_for(r"Resume the ceremony[\s\S]*resumed")
    except tmuxdrv.ScreenTimeout:
        screen = t.capture()
    if "resumed" not in screen:
        raise Failed("the start screen does not say resumed:\n" + screen)
    open_sitting()


def end_screen():
    screen = t.wait_for(r"Every step is done or skipped|The ceremony is closed")
    if "The ceremony is closed" not in screen:
        t.keys("Enter")
        until(r"Close the ceremony now\?")
        t.keys("Enter")
        until(r"Recorded: the ceremony is closed")
    screen = t.wait_for(r"Journal head hash")
    t.wait_for(r"Reports written")
    if LATE_STORMS:
        LATE_STORMS.storms(t, "end screen", LANG, r"Journal head hash")
        screen = t.wait_for(r"Journal head hash")
    return screen


def faults_end():
    """Quit the unfinished ceremony: verify says it is still open, and the
    journal keeps the failed results as evidence."""
    t.keys("q")
    until(r"[─-] Quit")
    t.keys("Enter")
    for _ in range(400):
        if t.exit_status() is not None:
            break
        tmuxdrv.time.sleep(tmuxdrv.POLL_PAUSE)
    tap.ok(t.exit_status() == 0, "q leaves the unfinished rehearsal with exit 0", t.capture())
    journal = os.path.join(DIR, "journal.jsonl")
    r = subprocess.run([CKW, "verify", journal], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    tap.ok(r.returncode == 3, "verify: the journal holds but the ceremony is still open (exit 3)",
           "exit %d\n%s" % (r.returncode, r.stdout.decode(errors="replace")))
    text = open(journal, encoding="utf-8").read()
    tap.ok("lacks unwrapKey" in text and "RBAC authorisation is on" in text and
           "Update-AzKeyVaultKey" in text,
           "the journal keeps the failed performs as evidence")
    with open(os.path.join(DIR, "sim.json"), encoding="utf-8") as f:
        sim = json.load(f)
    key = sim["vaults"][0]["keys"][0]
    tap.ok(sorted(sim["spentFaults"]) == sorted(FAULTS) and
           not sim["vaults"][0]["enableRbacAuthorization"] and key["exp"] == 253402214400,
           "sim.json: every fault spent, the vault and the key's expiry fixed",
           json.dumps(sim)[:2000])


def amend_and_continue():
    """Quit, rename the vaults in the plan, resume: the start screen warns,
    both sign the amendment, the verifier reads the diff and verifies again;
    then the vault steps are done again under the new names."""
    t.keys("q")
    until(r"[─-] Quit")
    t.keys("Enter")
    for _ in range(400):
        if t.exit_status() is not None:
            break
        tmuxdrv.time.sleep(tmuxdrv.POLL_PAUSE)
    with open(PLAN, encoding="utf-8") as f:
        text = f.read()
    with open(PLAN, "w", encoding="utf-8") as f:
        f.write(text.replace("-Vault{side}{vault_seq}", "-Vlt{side}{vault_seq}"))
    start_wizard()
    screen = t.wait_for(r"Resume the ceremony")
    tap.ok(re.search(r"is not the\s+verified\s+version 1", screen) is not None,
           "resumed with a changed plan: the start screen says so", screen)
    open_sitting()
    screen = t.wait_for(r"The plan file changed since this version was verified")
    tap.ok('+   vault: "{prefix}-CK-{workload}-{geo}-Vlt{side}{vault_seq}"' in screen,
           "the review shows the verifier the diff", screen)
    t.keys("s")
    until(r"Record the changed plan file as a new version")
    t.keys("Enter")
    until(r"Recorded: the plan amendment")
    case("version 2: the author approves, the verifier verifies again",
         lambda: verify_plan(2))
    steps = [s for s in runbook() if not s["management"]]
    screen = t.wait_for(r"the next one is number (\d+)")
    first = int(re.search(r"the next one is number (\d+)", screen).group(1)) - 1
    tap.ok(steps[first]["id"] == "vault.create/EX-USA_mailboxes/A",
           "the steps that used the old names are to do again, from vault A",
           "next: %s" % steps[first]["id"])
    for i in range(first, len(steps)):
        step = steps[i]
        case("amended: step %d/%d %s" % (i + 1, len(steps), step["id"]),
             lambda: do_step(len(steps), i, step))
        if step["id"] == "key.create/EX-USA_mailboxes/B":
            break
    with open(os.path.join(DIR, "sim.json"), encoding="utf-8") as f:
        names = sorted(v["name"] for v in json.load(f)["vaults"])
    tap.ok(names == ["Contoso-CK-EX-NA-VaultA1", "Contoso-CK-EX-NA-VltA1",
                     "Contoso-CK-EX-NA-VltB1"],
           "the simulator holds the new vaults (and the old A, as Azure would)", str(names))


class HarnessError(Exception):
    """Anything else that broke (tmux, a file, the driver itself): reported
    once as a TAP failure with the screen, then the run stops."""


def case(name, fn):
    try:
        r = fn()
        tap.ok(True, name)
        return r
    except (Failed, ScreenTimeout) as e:
        tap.ok(False, name, str(e))
        e.reported = True
        raise
    except Exception as e:  # a broken harness must fail, not vanish
        tap.ok(False, name, "%s\nthe screen was:\n%s"
               % (traceback.format_exc(), t.safe_capture()))
        h = HarnessError(str(e))
        h.reported = True
        raise h from e


def run_steps(steps, stop=None):
    """Every step in order (up to stop); returns the performs that did not
    say pass."""
    n = len(steps)
    not_pass = []
    for i, step in enumerate(steps):
        if step["id"] == RESIZE_AT:
            t.resize(81, 24)
            t.resize(100, 30)
        status = case("step %d/%d %s" % (i + 1, n, step["id"]), lambda: do_step(n, i, step))
        if status != "pass":
            not_pass.append("%s: %s" % (step["id"], status))
        if step["id"] == QUIT_AFTER and SCENARIO in ("full", "service", "offboarding", "hsm"):
            case("quit in the middle, resume, both unlock again", quit_and_resume)
        if step["id"] == stop:
            break
    return not_pass


def full_end(steps, not_pass):
    """The end of a whole ceremony: end screen, exit, verify, report."""
    tap.ok(not not_pass, "the simulator said pass when each step was performed",
           "\n".join(not_pass))
    if OFFBOARDING:
        tap.ok(all(s["critical"] and s["witness"] and s["confirm_name"] ==
                   "contoso.onmicrosoft.com" for s in steps) and len(steps) >= 4,
               "every offboarding step is critical, witnessed and confirmed by typing the "
               "tenant's domain", json.dumps(steps)[:2000])
        with open(os.path.join(DIR, "sim.json"), encoding="utf-8") as f:
            sim = json.load(f)
        held = [p for v in sim["vaults"] for p in v["accessPolicies"]
                if p["object"].startswith("00000002") and
                ("wrapKey" in p["keys"] or "unwrapKey" in p["keys"])]
        tap.ok(sim["vaults"] and not held, "sim.json: Exchange holds wrapKey/unwrapKey on no "
               "vault any more", json.dumps(sim)[:2000])
    elif HSM:
        tap.ok(not CAUGHT, "the interrupted download and the missing role were caught and "
               "fixed", str(CAUGHT))
        with open(os.path.join(DIR, "sim.json"), encoding="utf-8") as f:
            sim = json.load(f)
        active = sorted(e["step"] for e in sim["events"] if e["what"] == "security-domain")
        hsms = sorted(v["name"] for v in sim["vaults"])
        tap.ok(hsms == ["Contoso-CK-HSMA", "Contoso-CK-HSMB"] and active == hsms,
               "sim.json: two Managed HSMs, both activated by their security domain",
               json.dumps(sim)[:2000])
        roles = [p["object"] for v in sim["vaults"] for p in v["accessPolicies"]
                 if "wrapKey" in p["keys"]]
        tap.ok(sorted(roles) == sorted(["00000002-0000-0ff1-ce00-000000000000",
                                        "c066d759-24ae-40e7-a56f-027002b5d3e4"] * 2),
               "sim.json: each HSM gives Exchange and M365DataAtRestEncryption the "
               "encryption role", str(roles))
        journal = open(os.path.join(DIR, "journal.jsonl"), encoding="utf-8").read()
        acks = re.findall(r'"step":"hsm\.officer\.ack/[AB]/\d"', journal)
        tap.ok(len(set(acks)) == 6, "every officer's acknowledgement of each HSM's security "
               "domain is in the journal", str(sorted(set(acks))))
    elif SCENARIO == "service":
        tap.ok(waits["event"] == 0, "no wait for an e-mail's answer: the onboarding service "
               "replaced it", str(waits))
        tap.ok(not CAUGHT, "the failed validation was caught and validated again", str(CAUGHT))
    else:
        tap.ok(waits["event"] == 1, "the wait for Microsoft ended: clock fast-forwarded, the "
               "e-mail's answer recorded", str(waits))
        tap.ok(waits["time"] >= 1, "the 72-hour wait after the mailbox assignments ended "
               "(fast-forward)", str(waits))
    # Owners confirm, the other operator witnesses: the keyboard changes hands
    # many times, each time with that operator's passphrase.
    least = 2 if OFFBOARDING else 8
    tap.ok(handoffs["A"] >= least and handoffs["B"] >= least,
           "handoffs both ways (%d to Alice, %d to Bob), each with the signer's PIN"
           % (handoffs["A"], handoffs["B"]), str(handoffs))
    tap.ok(len(sittings) >= 2 and all(n <= 1 for st in sittings for n in st.values()),
           "at most one passphrase per operator per sitting (%s)" % sittings, str(sittings))
    tap.ok(prompts["pin"] > 0 and prompts["refused"] == 0,
           "%d signature PIN prompts, no refusal after any of them" % prompts["pin"],
           str(prompts))
    head = case("end screen: ceremony closed, reports written, head hash shown", end_screen)
    t.keys("q")
    for _ in range(400):
        if t.exit_status() is not None:
            break
        tmuxdrv.time.sleep(tmuxdrv.POLL_PAUSE)
    tap.ok(t.exit_status() == 0, "q leaves the wizard with exit 0", t.capture())
    if LATE_STORMS:
        stty = [(tmuxdrv.read_file(os.path.join(TMP, "stty%d.before" % n)),
                 tmuxdrv.read_file(os.path.join(TMP, "stty%d.after" % n))) for n in range(1, runs + 1)]
        tap.ok(all(b and b == a for b, a in stty),
               "LANG=%s: stty -g after = before, for each of the %d runs of the wizard"
               % (LANG, runs), str(stty))
    m = re.search(r"\b([0-9a-f]{64})\b", head or "")
    tap.ok(m is not None, "the end screen shows the journal head hash", head)
    tap.ok(head is not None and "ckwizard verify" in head and
           all(o in head for o in ("--plan", "--report", "--head", "journal.jsonl")),
           "the end screen gives the whole verify command (journal, plan, report, head)", head)
    journal = os.path.join(DIR, "journal.jsonl")
    args = [CKW, "verify", journal, "--plan", PLAN]
    if m:
        args += ["--head", m.group(1)]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    tap.ok(r.returncode == 0, "ckwizard verify passes on the journal (with --plan and the "
           "head hash from the screen)", r.stdout.decode(errors="replace"))
    reports = glob.glob(os.path.join(DIR, "report.md"))
    text = open(reports[0], encoding="utf-8").read() if reports else ""
    missing = [s["id"] for s in steps if s["id"] not in text]
    tap.ok(reports and not missing, "report.md lists every step", "missing: %s" % missing)
    tap.ok("deviation" in text.lower() and "second workstation" in text,
           "report.md records the deviation and its reason")


def main():
    try:
        # the offboarding ceremony is made of management tasks
        steps = [s for s in runbook() if OFFBOARDING or not s["management"]]
        # The wizard goes on with what is ready while a step waits out its
        # hours (72 after a mailbox assignment): the steps behind such a wait
        # come last, in order. (Behind an awaited event everything waits.)
        waiting = {s["id"] for s in steps if (s.get("wait") or {}).get("kind") == "hours"}
        steps = ([s for s in steps if not waiting & set(s["prereqs"])] +
                 [s for s in steps if waiting & set(s["prereqs"])])
        start_wizard()
        screen = t.wait_for(r"Start the ceremony")
        sha = hashlib.sha256(open(PLAN, "rb").read()).hexdigest()
        tap.ok(sha in screen and "REHEARSAL" in screen,
               "start screen: organisation, plan SHA-256 and REHEARSAL shown", screen)
        case("both operators unlock with their passphrases", open_sitting)
        case("plan review: author approves, verifier ticks the checklist and verifies "
             "(resized in the middle)", verify_plan)
        if SCENARIO == "faults":
            run_steps(steps, stop=FAULTS_STOP)
            faults_end()
        elif SCENARIO == "amend":
            run_steps(steps, stop=FAULTS_STOP)
            amend_and_continue()
        else:
            full_end(steps, run_steps(steps))
    except Exception as e:
        # Reported where it happened (case), or else here: every error is a
        # TAP failure with the screen; the sanitizer check still runs.
        if not getattr(e, "reported", False):
            tap.ok(False, "the end-to-end run went through without an error",
                   "%s\nthe screen was:\n%s" % (traceback.format_exc(), t.safe_capture()))
    finally:
        t.kill()
    reports = tmuxdrv.asan_reports(ASAN)
    diag = ""
    for rpt in reports[:3]:
        diag += "== %s\n%s" % (rpt, open(rpt, errors="replace").read()[:3000])
    tap.ok(not reports, "no sanitizer report written (ASAN_OPTIONS=log_path)", diag)
    if LATE_STORMS:
        LATE_STORMS.print_figures()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
