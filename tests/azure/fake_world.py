"""The fake Azure's world (tests/azure/fake.py): host names, the tenant built
from a plan, and the tokens it issues. Test fixture only."""
import base64
import json
import secrets
import threading
import time
import uuid

DOMAIN = "fake.test"
LOGIN = "login." + DOMAIN
ARM = "management." + DOMAIN
GRAPH = "graph." + DOMAIN
VAULT_SUFFIX = ".vault." + DOMAIN
HSM_SUFFIX = ".managedhsm." + DOMAIN
RES = {"arm": "https://" + ARM, "vault": "https://vault." + DOMAIN, "graph": "https://" + GRAPH,
       "hsm": "https://managedhsm." + DOMAIN}
APPS = {"EX": ("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"),
        "SP": ("00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"),
        "MW": ("c066d759-24ae-40e7-a56f-027002b5d3e4", "M365DataAtRestEncryption")}
MAX_REQUESTS_PER_CONNECTION = 200
PAGE_SIZE = 1


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def oid_for(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "fake:" + name.lower()))


class Tenant:
    """The world: built from `ckwizard show --format json` of a plan."""

    def __init__(self, plan, token_log):
        self.lock = threading.Lock()
        self.tenant = plan["organization"]["tenant_id"]
        self.token_log = token_log
        # seconds an access token lives: Entra's hour, unless a test runs
        # a wizard whose clock is ahead (tests/e2e_live.sh: 73 hours later)
        self.token_lifetime = 3600
        self.tokens = {}      # access token -> claims
        self.refresh = {}     # refresh token -> (oid, upn)
        self.devices = []     # dicts: device_code, user_code, state, upn, scope, polls
        self.faults = []      # dicts: name, match, count, seconds
        self.operations = {}  # long-running operation id -> {"polls": n}
        self.users = {}       # upn lower -> oid
        self.sps = {}         # appId -> (oid, name)
        self.sp_certs = {}    # appId -> certificate PEM path
        self.subs = {}        # id -> dict
        self.owners = {}      # sub id -> set of oids allowed on ARM
        self.rgs = {}         # (sub, rg lower) -> location
        self.vaults = {}      # vault lower -> dict (arm view + keys)
        self.hsms = {}        # managed HSM lower -> dict (arm view, keys, role assignments)
        for side in ("A", "B"):
            op = plan["operators"][side]
            self.user(op["upn"])
        for side, sub in plan["subscriptions"].items():
            for upn in sub["administrators"] + sub["contributors"]:
                self.user(upn)
            owner = plan["operators"][sub["operator"]]["upn"]
            self.subs[sub["id"]] = {
                "id": "/subscriptions/" + sub["id"], "subscriptionId": sub["id"],
                "tenantId": self.tenant, "displayName": "Customer Key " + side,
                "state": "Enabled", "authorizationSource": "RoleBased",
                "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01",
                                         "quotaId": "EnterpriseAgreement_2014-09-01",
                                         "spendingLimit": "Off"},
                "feature": "registered", "provider": "Registered"}
            self.owners[sub["id"]] = {self.users[owner.lower()]}
        self.user("eve@contoso.example")
        for code, (app, name) in APPS.items():
            self.sps[app] = (oid_for(app), name)
        perms = plan["key_vault"]["administrator_key_permissions"]
        for rg in plan["resource_groups"]:
            sub = plan["subscriptions"][rg["side"]]["id"]
            self.rgs[(sub, rg["name"].lower())] = rg["region"]
        if plan.get("managed_hsm"):
            # the keys are in one HSM per side (fake_hsm.py), not in vaults
            from fake_hsm import build_hsms
            build_hsms(self, plan, APPS)
            return
        for dep in plan["deps"]:
            app = APPS[dep["workload"]][0]
            for s in dep["sides"]:
                admins = plan["subscriptions"][s["side"]]["administrators"]
                pol = [{"tenantId": self.tenant, "objectId": self.users[u.lower()],
                        "permissions": {"keys": list(perms), "secrets": [], "certificates": []}}
                       for u in admins]
                pol.append({"tenantId": self.tenant, "objectId": self.sps[app][0],
                            "permissions": {"keys": ["get", "WrapKey", "unwrapKey"]}})
                self.vaults[s["vault"].lower()] = {
                    "name": s["vault"], "sub": s["subscription"], "rg": s["resource_group"],
                    "location": s["region"], "policies": pol,
                    "props": {"sku": {"family": "A", "name": "Premium"},
                              "tenantId": self.tenant, "enableSoftDelete": True,
                              "softDeleteRetentionInDays": 90, "enablePurgeProtection": True,
                              "enableRbacAuthorization": False,
                              "vaultUri": "https://%s%s/" % (s["vault"].lower(), VAULT_SUFFIX),
                              "provisioningState": "Succeeded", "publicNetworkAccess": "Enabled"},
                    "keys": {s["key"].lower(): self.new_key(s["vault"], s["key"],
                                                            plan["key_vault"]["key_size"])}}

    def user(self, upn):
        self.users.setdefault(upn.lower(), oid_for(upn))

    @staticmethod
    def new_key(vault, name, bits):
        n = bytearray(secrets.token_bytes(bits // 8))
        n[0] |= 0x80
        version = secrets.token_hex(16)
        now = int(time.time())
        return {"name": name, "version": version, "kty": "RSA-HSM", "n": b64url(bytes(n)),
                "e": "AQAB", "key_ops": ["wrapKey", "unwrapKey"],
                "attributes": {"enabled": True, "created": now, "updated": now,
                               "recoveryLevel": "Recoverable+ProtectedSubscription",
                               "recoverableDays": 90, "exportable": False}}

    def issue(self, resource, oid, upn=None, appid=None, lifetime=None):
        now = int(time.time())
        lifetime = lifetime or self.token_lifetime
        claims = {"aud": RES[resource], "iss": "https://sts.%s/%s/" % (DOMAIN, self.tenant),
                  "iat": now, "nbf": now, "exp": now + lifetime, "oid": oid, "tid": self.tenant,
                  "ver": "1.0", "jti": "CANARY" + secrets.token_hex(12)}
        if upn:
            claims["upn"] = upn
            claims["appid"] = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
        if appid:
            claims["appid"] = appid
        header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
        tok = "%s.%s.%s" % (header, b64url(json.dumps(claims).encode()),
                            b64url(secrets.token_bytes(64)))
        with self.lock:
            self.tokens[tok] = claims
            with open(self.token_log, "a") as f:
                f.write(tok + "\n")
        return tok, claims

    def issue_refresh(self, oid, upn):
        rt = "RT-CANARY-" + secrets.token_urlsafe(32)
        with self.lock:
            self.refresh[rt] = (oid, upn)
            with open(self.token_log, "a") as f:
                f.write(rt + "\n")
        return rt

    def fault_for(self, where, method="", grant=""):
        """The first fault switched on for this request, if any: its match
        is a substring of host+path, and its method (when it names one) the
        request's, so that a write can fail after the look before it
        succeeded; its grant (when it names one) the form's grant_type, so
        that a device-code poll and a token refresh, both POSTs to the same
        token endpoint, can fail apart; its skip (when given) lets that many
        matching requests through first, so that a lookup repeated after a
        look can fail where the look's did not."""
        with self.lock:
            for f in self.faults:
                if (f["count"] > 0 and f["match"] in where and f.get("method", method) == method
                        and f.get("grant", grant) == grant):
                    if f.get("skip", 0) > 0:
                        f["skip"] -= 1
                        continue
                    f["count"] -= 1
                    return f
        return None


def resource_of_scope(scope):
    for word in scope.split():
        for key, base in RES.items():
            if word.startswith(base):
                return key
    return None
