#!/usr/bin/env python3
"""Write the seed inputs of the azure fuzz target (tests/fuzz/fuzz_azure.c)
from the answers of the test fake (tests/azure/fake.py), without a network:
the fake's request handler is called directly for each request the audit of
side A makes, in the order fuzz_azure.c gives answers to them.

  tests/fuzz/azure_seeds.py BASE_PLAN_JSON HSM_PLAN_JSON OUTDIR

The plan JSON files are `ckwizard show --format json` of tests/gen/base.yaml
and plans/contoso-hsm.yaml. Only to regenerate the seeds after the fake or
the target changes; `make check` replays the files this wrote."""
import io
import json
import os
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "azure"))
from fake import Handler  # noqa: E402
from fake_world import APPS, ARM, GRAPH, HSM_SUFFIX, VAULT_SUFFIX, Tenant  # noqa: E402

SEP = b"\n#\n"
STATUS = {200: b"\x00", 201: b"\x04", 404: b"\x05", 403: b"\x06", 429: b"\x07", 500: b"\x08"}


class Server:
    def __init__(self, plan, tmp):
        self.tenant = Tenant(plan, os.path.join(tmp, "tokens"))
        self.request_log = os.path.join(tmp, "requests")
        self.timing_log = self.conn_log = None
        self.slow_down = False
        for h in self.tenant.hsms.values():  # activated, as after the ceremony
            h["props"]["securityDomainProperties"]["activationStatus"] = "Active"


def ask(srv, url, resource, upn):
    """The fake's answer (status, body bytes) to GET url with upn's token."""
    T = srv.tenant
    tok, _ = T.issue(resource, T.users[upn.lower()], upn)
    u = urllib.parse.urlsplit(url)
    h = object.__new__(Handler)
    h.server = srv
    h.path = u.path + ("?" + u.query if u.query else "")
    h.headers = {"Host": u.netloc, "Authorization": "Bearer " + tok}
    h.rfile = io.BytesIO(b"")
    h.command = "GET"
    got = {}

    def send_json(status, obj, headers=None, raw=None):
        got["status"] = status
        got["body"] = raw if raw is not None else json.dumps(obj).encode()
    h.send_json = send_json
    h.dispatch_one("GET")
    return got["status"], got["body"]


def q(s):
    return urllib.parse.quote(s, safe="")


def jobs(plan):
    """(url, resource, paged) for side A in fuzz_azure.c's order."""
    sub = plan["subscriptions"]["A"]["id"]
    arm = "https://" + ARM + "/subscriptions/" + sub
    out = [(arm + "?api-version=2022-12-01", "arm", False),
           (arm + "/providers/Microsoft.Features/providers/Microsoft.Resources/features/"
            "mandatoryRetentionPeriodEnabled?api-version=2021-07-01", "arm", False),
           (arm + "/providers/Microsoft.KeyVault?api-version=2021-04-01", "arm", False)]
    for rg in plan["resource_groups"]:
        if rg["side"] == "A":
            out.append((arm + "/resourcegroups/%s?api-version=2021-04-01" % q(rg["name"]),
                        "arm", False))
    hsm = plan.get("managed_hsm")
    apps = []
    for dep in plan["deps"]:
        s = [x for x in dep["sides"] if x["side"] == "A"][0]
        if not hsm:
            out.append((arm + "/resourceGroups/%s/providers/Microsoft.KeyVault/vaults/%s"
                        "?api-version=2024-11-01" % (q(s["resource_group"]), q(s["vault"])),
                        "arm", False))
            base = "https://" + s["vault"].lower() + VAULT_SUFFIX
            out.append((base + "/keys/%s?api-version=7.5" % q(s["key"]), "vault", False))
            out.append((base + "/keys?api-version=7.5", "vault", True))
        app = APPS[dep["workload"]][0]
        if app not in apps:
            apps.append(app)
            out.append(("https://%s/v1.0/servicePrincipals(appId='%s')"
                        "?$select=id,appId,displayName" % (GRAPH, app), "graph", False))
    for upn in plan["subscriptions"]["A"]["administrators"]:
        out.append(("https://%s/v1.0/users/%s?$select=id,userPrincipalName" % (GRAPH, q(upn)),
                    "graph", False))
    if hsm:
        s0 = [x for x in plan["deps"][0]["sides"] if x["side"] == "A"][0]
        name, rg = s0["vault"], s0["resource_group"]
        out.append((arm + "/resourceGroups/%s/providers/Microsoft.KeyVault/managedHSMs/%s"
                    "?api-version=2024-11-01" % (q(rg), q(name)), "arm", False))
        base = "https://" + name.lower() + HSM_SUFFIX
        for dep in plan["deps"]:
            s = [x for x in dep["sides"] if x["side"] == "A"][0]
            out.append((base + "/keys/%s?api-version=7.5" % q(s["key"]), "hsm", False))
        out.append((base + "/keys?api-version=7.5", "hsm", True))
        for what in ("roleAssignments", "roleDefinitions"):
            out.append((base + "/providers/Microsoft.Authorization/%s?api-version=7.5" % what,
                        "hsm", True))
    return out


def answer(status, body):
    return STATUS.get(status, b"\x08") + body


def audit_seed(plan, mode, tmp):
    srv = Server(plan, tmp)
    upn = plan["operators"][plan["subscriptions"]["A"]["operator"]]["upn"]
    first, pages, bodies = [], [], {}
    for url, res, paged in jobs(plan):
        st, body = ask(srv, url, res, upn)
        first.append(answer(st, body))
        bodies[url] = body
        nxt = json.loads(body).get("nextLink") if paged and st == 200 else None
        for _ in range(8):
            if not nxt:
                break
            st, body = ask(srv, nxt, res, upn)
            pages.append(answer(st, body))
            nxt = json.loads(body).get("nextLink") if st == 200 else None
    return bytes([mode]) + SEP.join(first + pages), bodies


def main():
    base = json.load(open(sys.argv[1]))
    hsm = json.load(open(sys.argv[2]))
    outdir = sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        seeds = {}
        seeds["audit-vault"], vb = audit_seed(base, 1, tmp)
        seeds["audit-hsm"], hb = audit_seed(hsm, 2, tmp)
        # the same answers one by one through the readers (mode 0, status 200)
        for i, body in enumerate(list(vb.values()) + list(hb.values())):
            seeds["reader-%02d" % i] = b"\x00\x00" + body
        srv = Server(base, tmp)
        tok, _ = srv.tenant.issue("arm", srv.tenant.users["alice@contoso.example"],
                                  "alice@contoso.example")
        seeds["reader-token"] = b"\x00\x00" + tok.encode()
        for i, err in enumerate(("authorization_pending", "slow_down", "expired_token",
                                 "authorization_declined")):
            seeds["reader-poll-%d" % i] = b"\x00\x01" + json.dumps(
                {"error": err, "error_description": "AADSTS70016: pending"}).encode()
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
