"""The ceremony of run --live --execute against the local fake of Azure, step
by step, after the plan is verified (tests/e2e/live.py starts the wizard and
signs the operators in). Every step ckwizard writes is performed (p: its
owner authorizes exactly the writes shown, the witness co-signs the ones
that cannot be undone, then the owner performs), every step with a live
check is checked (v), and the rest is done as in guide mode (evidence typed,
confirmed, witnessed). Microsoft's side of the wait for the retention
period is played by the fake's hook. The 72-hour wait after the mailbox
assignments cannot be fast-forwarded in a live run (only a rehearsal's
simulated clock moves), so the steps behind it are a later sitting's
(run_rest), which live.py runs under libfaketime 73 hours on.
Evidence is read from the fake as an operator would read it from Azure.
"""

import glob
import hashlib
import json
import os
import re
import subprocess
import time
import uuid

import rehearsal as R

TMP = os.environ["TMP"]
PORT = os.environ["FAKE_PORT"]
# the templates ckwizard writes to Azure (backend_perform.c, backend_perform_vault.c)
PERFORMED = {"retention.register", "provider.register", "rg.create", "vault.create",
             "vault.admins", "vault.service", "key.create", "key.expiry", "key.backup"}
# live checks the REST backend does not answer yet: they record "unavailable"
UNCHECKED = {"vault.contributors"}
APPS = {"EX": "00000002-0000-0ff1-ce00-000000000000"}


def curl(url, data=None, token=None):
    args = ["curl", "-sS", "--fail-with-body", "--cacert", os.path.join(TMP, "ca.pem"),
            "--connect-to", "::127.0.0.1:%s" % PORT]
    if token:
        args += ["-H", "Authorization: Bearer " + token]
    if data is not None:
        args += ["-d", json.dumps(data)]
    r = subprocess.run(args + [url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if r.returncode != 0:
        raise R.Failed("%s: %s %s" % (url, r.stdout.decode(errors="replace"),
                                     r.stderr.decode(errors="replace")))
    return json.loads(r.stdout or b"{}")


def hook(path, data):
    return curl("https://login.fake.test" + path, data)


def token(upn, resource):
    return hook("/test/token", {"upn": upn, "resource": resource})["accessToken"]


def oid_for(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "fake:" + name.lower()))


def plan():
    return R.plan_show()


def side_of(step):
    return step["id"].rsplit("/", 1)[-1]


def owner_upn(p, side):
    return p["operators"][p["subscriptions"][side]["operator"]]["upn"]


def access_list(step):
    """The vault's access policies, one principal a line, as the step's bash
    block prints them: read from Azure (the fake), object IDs named."""
    p = plan()
    side = side_of(step)
    vault = step["check"]["vault"]
    sub = p["subscriptions"][side]["id"]
    rg = step["check"]["resource_group"]
    v = curl("https://management.fake.test/subscriptions/%s/resourceGroups/%s/providers/"
             "Microsoft.KeyVault/vaults/%s?api-version=2024-11-01" % (sub, rg, vault),
             token=token(owner_upn(p, side), "https://management.fake.test"))
    names = {oid_for(u): u for u in p["subscriptions"][side]["administrators"]}
    names.update({oid_for(a): a for a in APPS.values()})
    lines = []
    for pol in v["properties"]["accessPolicies"]:
        perms = pol["permissions"]
        lines.append("%s | keys: %s | secrets: %s | certificates: %s | storage: %s" % (
            names.get(pol["objectId"], pol["objectId"]),
            *(", ".join(perms.get(k, [])) for k in ("keys", "secrets", "certificates",
                                                     "storage"))))
    return "\n".join(lines)


def key_uri(step):
    p = plan()
    vault, key = step["check"]["vault"], step["check"]["key"]
    k = curl("https://%s.vault.fake.test/keys/%s?api-version=7.5" % (vault, key),
             token=token(owner_upn(p, side_of(step)), "https://vault.fake.test"))
    version = k["key"]["kid"].rsplit("/", 1)[-1]
    return "https://%s.vault.azure.net/keys/%s/%s" % (vault, key, version)


def backup_file(step):
    files = sorted(glob.glob(os.path.join(TMP, step["check"]["key"] + "-Backup-*.backup")))
    if not files:
        raise R.Failed("the perform wrote no backup file for " + step["id"])
    return files[-1]


def evidence(step, ev, msg):
    kind = ev["kind"]
    if kind == "access-list":
        return access_list(step)
    if kind == "key-uri":
        return key_uri(step)
    if kind == "file-sha256":
        return backup_file(step)
    if kind == "sha256":
        return hashlib.sha256(open(backup_file(step), "rb").read()).hexdigest()
    return R.evidence_value(step, ev, msg)


def microsoft_finishes():
    """Microsoft's answer to the onboarding e-mail: the retention period is
    Registered in both subscriptions (the fake's hook plays Microsoft)."""
    for side in ("A", "B"):
        hook("/test/feature", {"subscription": plan()["subscriptions"][side]["id"],
                               "state": "Registered"})


def live_wait(screen):
    if "records it when it arrives" not in screen:
        raise R.Failed("a wait a live run cannot end:\n" + screen)
    microsoft_finishes()
    R.t.keys("Enter")
    R.until(r"What arrived, and when\?")
    R.t.type("Microsoft confirmed the retention period by e-mail")
    R.t.keys("Enter")
    R.until(r"Recorded: the event arrived")


def goto(n, step):
    head = re.compile(r"Step \d+ of %d:\s+%s" % (n, re.escape(step["id"][:30])))
    for _ in range(R.tmuxdrv.DEFAULT_TRIES):
        screen = R.t.capture()
        if head.search(R.right_pane(screen)):
            return
        if R.on_wait_screen(screen):
            live_wait(screen)
            continue
        time.sleep(R.tmuxdrv.POLL_PAUSE)
    raise R.Failed("step %s never became current:\n%s" % (step["id"], R.t.capture()))


def answer(pattern):
    """A dialog answered with Enter, then gone."""
    def handler(screen):
        R.t.keys("Enter")
        R.gone(pattern)
    return (pattern, handler)


def keyboard_to(side):
    """The owner at the keyboard before a check that may start their step:
    an operator still signed in from earlier in the sitting is not handed
    the keyboard by the check itself, so they take it (h), as in guide mode."""
    mine = r"keyboard: %s" % re.escape(R.NAME[side])
    if re.search(mine, R.t.capture()):
        return
    R.t.keys("h")
    R.until(mine)


def do_step(n, step, performs, checks):
    goto(n, step)
    msg = ""
    if step["template"] in PERFORMED:
        R.t.keys("p")
        # the dialogs are told by their own key labels: the signing PIN box
        # that follows carries the same title
        msg = R.until(r"Recorded: performed; (\w+)",
                      (answer(r"Enter: I authorize"), answer(r"Enter: I co-sign")))
        performs[step["id"]] = re.search(r"Recorded: performed; (\w+)", msg).group(1)
    if step.get("check") and step["check"].get("kind") not in (None, "none"):
        # A registration Azure is still finishing (the provider reads
        # Registering for a moment) is checked again, as an operator would;
        # a second result is told from the first only by saying pass.
        keyboard_to(step["owner"])
        R.t.keys("v")
        screen = R.until(r"Recorded: check (\w+)")
        checks[step["id"]] = re.search(r"Recorded: check (\w+)", screen).group(1)
        for _ in range(4):
            if checks[step["id"]] == "pass" or step["template"] not in PERFORMED:
                break
            time.sleep(1)
            R.t.keys("v")
            try:
                screen = R.until(r"Recorded: check pass")
                checks[step["id"]] = "pass"
            except R.ScreenTimeout:
                pass
        msg = msg or screen
    for ev in step["evidence"]:
        R.t.keys("e")
        if ev["kind"] == "confirm":
            R.until(r"Have you seen this yourself\?")
            R.t.keys("Enter")
        else:
            R.until(r"─ Evidence")
            value = evidence(step, ev, msg)
            if "\n" in value:
                R.t.paste(value)
            else:
                R.t.type(value)
            R.t.keys("Enter")
        R.message(r"Recorded: ")
        R.gone(r"Have you seen this yourself\?|─ Evidence")
    R.t.keys("c")
    if step["critical"]:
        R.until(r"Type the resource name to confirm")
        R.t.type(step["confirm_name"])
        R.t.keys("Enter")
        R.gone(r"Type the resource name to confirm")
    else:
        # the signing PIN box may be the whole question (R.until answers it)
        done = r"Recorded: confirmed by %s" % R.NAME[step["owner"]]
        if "─ Confirm the step" in R.until(done + r"|─ Confirm the step"):
            R.t.keys("Enter")
            R.gone(r"─ Confirm the step")
    R.until(r"Recorded: confirmed by %s" % R.NAME[step["owner"]])
    if step["witness"]:
        R.t.keys("w")
        if "─ Witness the step" in R.until(r"Recorded: witnessed|─ Witness the step"):
            R.t.keys("Enter")
            R.until(r"Recorded: witnessed")


def steps():
    """The ceremony's steps: those up to the 72-hour wait after the mailbox
    assignments, those behind it, and how many there are."""
    all_steps = [s for s in R.runbook() if not s["management"]]
    waiting = {s["id"] for s in all_steps if (s.get("wait") or {}).get("kind") == "hours"}
    return ([s for s in all_steps if not waiting & set(s["prereqs"])],
            [s for s in all_steps if waiting & set(s["prereqs"])], len(all_steps))


def run_steps(tap, todo, n, performs, checks):
    for i, step in enumerate(todo):
        try:
            do_step(n, step, performs, checks)
        except (R.Failed, R.ScreenTimeout) as e:
            tap.ok(False, "live step %d/%d %s" % (i + 1, len(todo), step["id"]), str(e))
            e.reported = True
            raise


def run(tap):
    """Every step up to the wait; returns (steps, performs, checks): step
    id -> status."""
    todo, _, n = steps()
    performs, checks = {}, {}
    run_steps(tap, todo, n, performs, checks)
    tap.ok(True, "every step up to the 72-hour wait went through (%d steps)" % len(todo))
    return todo, performs, checks


def run_rest(tap):
    """The steps behind the 72-hour wait (a later sitting); returns them."""
    _, todo, n = steps()
    performs, checks = {}, {}
    run_steps(tap, todo, n, performs, checks)
    tap.ok(bool(todo), "the steps behind the 72-hour wait went through (%d steps)" % len(todo))
    return todo
