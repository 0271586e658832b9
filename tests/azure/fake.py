#!/usr/bin/env python3
"""A local fake of the Azure endpoints ckwizard talks to, for tests only.

Python standard library only. HTTPS on 127.0.0.1 (certificate made by the
test with the openssl command); one listener serves every host name, told
apart by the Host header, so the client reaches it through an endpoints file
with connect-to (no /etc/hosts):

  login.fake.test       Entra ID v2.0: device code, refresh token, client
                        credentials with a certificate assertion
  management.fake.test  ARM: subscriptions, features, providers, resource
                        groups, Key Vault vaults (and access-policy edits)
  NAME.vault.fake.test  Key Vault data plane 7.5: keys, key lists (paged)
  graph.fake.test       Microsoft Graph v1.0: users, servicePrincipals(appId=)

Shapes follow the REST specs' examples (doc/azure.md names them): status
codes, error bodies {"error":{"code","message"}}, the Key Vault 401 challenge,
access policies enforced on data-plane calls, RBAC-like ownership on ARM.

Test hooks (POST, any host, path /test/...): approve a device code as a user,
issue a token for the az stub, add or change an access policy, change a key's
attributes or a vault's properties, delete a key, set or clear faults, stop.
Faults: 429 (Retry-After), 500, 503, slow, drop, truncate, badjson, redirect,
expired (401 ExpiredAuthenticationToken), each for requests whose host+path
contains a substring, a given number of times.

It stops by itself after --lifetime seconds; request loops are bounded.
"""
import argparse
import base64
import hashlib
import json
import os
import secrets
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DOMAIN = "fake.test"
LOGIN = "login." + DOMAIN
ARM = "management." + DOMAIN
GRAPH = "graph." + DOMAIN
VAULT_SUFFIX = ".vault." + DOMAIN
RES = {"arm": "https://" + ARM, "vault": "https://vault." + DOMAIN, "graph": "https://" + GRAPH}
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

    def issue(self, resource, oid, upn=None, appid=None, lifetime=3600):
        now = int(time.time())
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

    def fault_for(self, where):
        with self.lock:
            for f in self.faults:
                if f["count"] > 0 and f["match"] in where:
                    f["count"] -= 1
                    return f
        return None


def resource_of_scope(scope):
    for word in scope.split():
        for key, base in RES.items():
            if word.startswith(base):
                return key
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-azure/1"
    timeout = 10

    def log_message(self, fmt, *args):
        with open(self.server.request_log, "a") as f:
            f.write("%s %s%s\n" % (self.command, self.host(), self.path.split("?")[0]))

    # ---- plumbing ----
    def handle(self):
        # bounded: a connection serves at most this many requests
        self.close_connection = True
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            self.handle_one_request()
            if self.close_connection:
                break

    def send_json(self, status, obj, headers=None, raw=None):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-ms-request-id", str(uuid.uuid4()))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, code, message, headers=None, inner=None):
        err = {"code": code, "message": message}
        if inner:
            err["innererror"] = {"code": inner}
        self.send_json(status, {"error": err}, headers)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(n, 1 << 20)) if n else b""

    def host(self):
        return (self.headers.get("Host") or "").split(":")[0].lower()

    def T(self):
        return self.server.tenant

    def apply_fault(self):
        where = self.host() + self.path
        if self.path.startswith("/test/"):
            return False
        f = self.T().fault_for(where)
        if not f:
            return False
        name = f["name"]
        if name == "429":
            self.error(429, "TooManyRequests", "Rate limit exceeded, retry later.",
                       {"Retry-After": str(f.get("seconds", 1))})
        elif name in ("500", "503"):
            self.error(int(name), "InternalServerError" if name == "500" else "ServiceUnavailable",
                       "The service is temporarily unavailable.")
        elif name == "slow":
            time.sleep(f.get("seconds", 3))
            return False
        elif name == "drop":
            self.close_connection = True
            self.connection.close()
        elif name == "truncate":
            self.send_json(200, None, raw=b'{"id": "/subscriptions/x", "properties": {"sta')
        elif name == "badjson":
            self.send_json(200, None, raw=b"<html>Service page</html>")
        elif name == "redirect":
            self.send_response(302)
            self.send_header("Location", "https://evil.example/steal" + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif name == "expired":
            self.error(401, "ExpiredAuthenticationToken",
                       "The access token expiry UTC time is earlier than current UTC time.")
        return True

    def bearer(self, resource):
        """The claims of a valid token for resource, or None after a 401."""
        auth = self.headers.get("Authorization") or ""
        tok = auth[7:] if auth.startswith("Bearer ") else None
        claims = self.T().tokens.get(tok) if tok else None
        if resource == "vault" and not tok:
            self.error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.",
                       {"WWW-Authenticate": 'Bearer authorization="https://%s/%s", resource="%s"'
                        % (LOGIN, self.T().tenant, RES["vault"])})
            return None
        if not claims:
            self.error(401, "InvalidAuthenticationToken", "The access token is invalid.")
            return None
        if claims["exp"] < time.time():
            self.error(401, "ExpiredAuthenticationToken", "The access token has expired.")
            return None
        if claims["aud"] != RES[resource]:
            self.error(401, "InvalidAuthenticationTokenAudience",
                       "The access token has been obtained for wrong audience or resource.")
            return None
        return claims

    # ---- dispatch ----
    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def dispatch(self, method):
        self.close_connection = False
        url = urllib.parse.urlsplit(self.path)
        path, query = url.path, urllib.parse.parse_qs(url.query)
        data = self.body()
        if path.startswith("/test/") and method == "POST":
            return self.test_hook(path, data)
        if self.apply_fault():
            return
        host = self.host()
        if host == LOGIN:
            return self.login(method, path, data)
        if host == ARM:
            if "api-version" not in query:
                return self.error(400, "MissingApiVersionParameter",
                                  "The api-version query parameter (?api-version=) is required.")
            return self.arm(method, path, data)
        if host == GRAPH:
            return self.graph(method, path)
        if host.endswith(VAULT_SUFFIX):
            if "api-version" not in query:
                return self.error(400, "BadParameter", "The 'api-version' parameter is missing.")
            return self.vault(method, host[:-len(VAULT_SUFFIX)], path, query)
        self.error(404, "NotFound", "Unknown host.")

    # ---- test hooks ----
    def test_hook(self, path, data):
        T = self.T()
        try:
            req = json.loads(data or b"{}")
        except ValueError:
            return self.error(400, "BadRequest", "hook body is not JSON")
        if path == "/test/approve":
            with T.lock:
                for d in T.devices:
                    if d["state"] == "pending" and req.get("user_code") in (None, d["user_code"]):
                        d["state"] = "declined" if req.get("decline") else "approved"
                        d["upn"] = req["upn"]
                        return self.send_json(200, {"user_code": d["user_code"]})
            return self.error(404, "NoPendingCode", "no pending device code")
        if path == "/test/pending":
            with T.lock:
                n = sum(1 for d in T.devices if d["state"] == "pending")
            return self.send_json(200, {"pending": n})
        if path == "/test/token":
            upn = req["upn"]
            oid = T.users.get(upn.lower(), oid_for(upn))
            res = resource_of_scope(req["resource"] + "/.default")
            tok, claims = T.issue(res, oid, upn=upn, lifetime=req.get("lifetime", 3600))
            return self.send_json(200, {"accessToken": tok, "expires_on": claims["exp"],
                                        "tenant": T.tenant, "tokenType": "Bearer"})
        if path == "/test/fault":
            with T.lock:
                T.faults.append({"name": req["name"], "match": req.get("match", ""),
                                 "count": req.get("count", 1), "seconds": req.get("seconds", 1)})
            return self.send_json(200, {})
        if path in ("/test/feature", "/test/provider"):
            T.subs[req["subscription"]][path[len("/test/"):]] = req["state"]
            return self.send_json(200, {})
        if path == "/test/set-policy":
            v = T.vaults[req["vault"].lower()]
            oid = T.sps[req["appId"]][0] if "appId" in req else T.users[req["upn"].lower()]
            with T.lock:
                for pol in v["policies"]:
                    if pol["objectId"] == oid:
                        pol["permissions"]["keys"] = req["keys"]
            return self.send_json(200, {})
        if path == "/test/set-key":
            k = T.vaults[req["vault"].lower()]["keys"][req["key"].lower()]
            with T.lock:
                k["attributes"].update(req["attributes"])
            return self.send_json(200, {})
        if path == "/test/delete-key":
            with T.lock:
                del T.vaults[req["vault"].lower()]["keys"][req["key"].lower()]
            return self.send_json(200, {})
        if path == "/test/set-vault":
            with T.lock:
                v = T.vaults[req["vault"].lower()]
                v["props"].update(req.get("properties", {}))
                v["location"] = req.get("location", v["location"])
            return self.send_json(200, {})
        if path == "/test/clear-faults":
            with T.lock:
                T.faults = []
            return self.send_json(200, {})
        if path == "/test/add-policy":
            v = T.vaults[req["vault"].lower()]
            oid = req.get("objectId") or T.users[req["upn"].lower()]
            with T.lock:
                v["policies"].append({"tenantId": T.tenant, "objectId": oid,
                                      "permissions": {"keys": req["keys"]}})
            return self.send_json(200, {"objectId": oid})
        if path == "/test/sp":
            app = req["appId"]
            T.sps[app] = (oid_for(app), req.get("name", "auditor"))
            T.sp_certs[app] = req["cert"]
            for sub in req.get("subscriptions", []):
                T.owners[sub].add(oid_for(app))
            return self.send_json(200, {"objectId": oid_for(app)})
        if path == "/test/stop":
            self.send_json(200, {})
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            return None
        return self.error(404, "NoSuchHook", path)

    # ---- Entra ID ----
    def login(self, method, path, data):
        T = self.T()
        parts = path.strip("/").split("/")
        if method != "POST" or len(parts) != 4 or parts[1:3] != ["oauth2", "v2.0"]:
            return self.error(404, "NotFound", "no such endpoint")
        if parts[0] != T.tenant:
            return self.send_json(400, {"error": "invalid_request",
                                        "error_description": "AADSTS90002: Tenant not found."})
        form = {k: v[0] for k, v in urllib.parse.parse_qs(data.decode()).items()}
        if parts[3] == "devicecode":
            code = {"device_code": secrets.token_urlsafe(24),
                    "user_code": secrets.token_hex(4).upper(), "state": "pending",
                    "scope": form.get("scope", ""), "polls": 0, "t": time.time()}
            with T.lock:
                T.devices.append(code)
            return self.send_json(200, {
                "device_code": code["device_code"], "user_code": code["user_code"],
                "verification_uri": "https://%s/device" % LOGIN, "expires_in": 900,
                "interval": 1, "message": "To sign in, open https://%s/device and enter %s."
                % (LOGIN, code["user_code"])})
        if parts[3] != "token":
            return self.error(404, "NotFound", "no such endpoint")
        grant = form.get("grant_type")
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            with T.lock:
                d = next((d for d in T.devices if d["device_code"] == form.get("device_code")), None)
            if not d:
                return self.send_json(400, {"error": "bad_verification_code",
                                            "error_description": "unknown device code"})
            d["polls"] += 1
            if d["state"] == "pending":
                err = "slow_down" if d["polls"] == 1 and self.server.slow_down else \
                    "authorization_pending"
                return self.send_json(400, {"error": err, "error_description":
                                            "AADSTS70016: the user has not yet finished."})
            if d["state"] == "declined":
                return self.send_json(400, {"error": "authorization_declined",
                                            "error_description": "AADSTS70000: declined."})
            if d["state"] != "approved":
                return self.send_json(400, {"error": "expired_token",
                                            "error_description": "AADSTS70020: expired."})
            d["state"] = "used"
            upn = d["upn"]
            oid = T.users.get(upn.lower(), oid_for(upn))
            return self.token_answer(resource_of_scope(d["scope"]), oid, upn)
        if grant == "refresh_token":
            who = T.refresh.get(form.get("refresh_token"))
            if not who:
                return self.send_json(400, {"error": "invalid_grant",
                                            "error_description": "AADSTS9002313: bad refresh token."})
            return self.token_answer(resource_of_scope(form.get("scope", "")), who[0], who[1])
        if grant == "client_credentials":
            return self.client_credentials(form)
        return self.send_json(400, {"error": "unsupported_grant_type",
                                    "error_description": "AADSTS70003"})

    def token_answer(self, res, oid, upn):
        if not res:
            return self.send_json(400, {"error": "invalid_scope",
                                        "error_description": "AADSTS70011: bad scope."})
        tok, claims = self.T().issue(res, oid, upn=upn)
        rt = self.T().issue_refresh(oid, upn)
        return self.send_json(200, {"token_type": "Bearer", "expires_in": 3600,
                                    "ext_expires_in": 3600, "access_token": tok,
                                    "refresh_token": rt, "scope": RES[res] + "/.default"})

    def client_credentials(self, form):
        T = self.T()
        app = form.get("client_id")
        assertion = form.get("client_assertion", "")
        bad = {"error": "invalid_client",
               "error_description": "AADSTS700027: Client assertion failed signature validation."}
        if app not in T.sp_certs or assertion.count(".") != 2:
            return self.send_json(401, bad)
        h, p, s = assertion.split(".")
        try:
            header, claims = json.loads(unb64url(h)), json.loads(unb64url(p))
        except ValueError:
            return self.send_json(401, bad)
        pem = open(T.sp_certs[app]).read()
        begin = pem.index("-----BEGIN CERTIFICATE-----")
        end = pem.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")
        der = ssl.PEM_cert_to_DER_cert(pem[begin:end])
        token_url = "https://%s/%s/oauth2/v2.0/token" % (LOGIN, T.tenant)
        now = time.time()
        if (header.get("alg") != "RS256" or header.get("x5t") != b64url(hashlib.sha1(der).digest())
                or claims.get("aud") != token_url or claims.get("iss") != app
                or claims.get("sub") != app or not claims.get("jti")
                or not claims.get("nbf", now + 1) <= now + 60 or claims.get("exp", 0) < now):
            return self.send_json(401, bad)
        if not self.verify_rs256(T.sp_certs[app], (h + "." + p).encode(), unb64url(s)):
            return self.send_json(401, bad)
        res = resource_of_scope(form.get("scope", ""))
        if not res:
            return self.send_json(400, {"error": "invalid_scope", "error_description": "AADSTS70011"})
        tok, _ = T.issue(res, T.sps[app][0], appid=app)
        return self.send_json(200, {"token_type": "Bearer", "expires_in": 3599,
                                    "access_token": tok})

    @staticmethod
    def verify_rs256(cert_pem, data, sig):
        with tempfile.TemporaryDirectory() as d:
            pub, sigf, dataf = (os.path.join(d, n) for n in ("pub.pem", "sig", "data"))
            subprocess.run(["openssl", "x509", "-in", cert_pem, "-pubkey", "-noout", "-out", pub],
                           check=True, capture_output=True)
            open(sigf, "wb").write(sig)
            open(dataf, "wb").write(data)
            r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", pub, "-signature", sigf,
                                dataf], capture_output=True)
            return r.returncode == 0

    # ---- ARM ----
    def arm(self, method, path, data):
        T = self.T()
        claims = self.bearer("arm")
        if not claims:
            return None
        p = path.strip("/").split("/")
        if len(p) < 2 or p[0].lower() != "subscriptions" or p[1] not in T.subs:
            return self.error(404, "SubscriptionNotFound", "The subscription '%s' could not be found."
                              % (p[1] if len(p) > 1 else ""))
        sid = p[1]
        sub = T.subs[sid]
        if claims["oid"] not in T.owners[sid]:
            return self.error(403, "AuthorizationFailed",
                              "The client '%s' with object id '%s' does not have authorization to "
                              "perform action over scope '/subscriptions/%s'."
                              % (claims.get("upn", claims["oid"]), claims["oid"], sid))
        rest = [x for x in p[2:]]
        low = [x.lower() for x in rest]
        if not rest and method == "GET":
            return self.send_json(200, {k: v for k, v in sub.items()
                                        if k not in ("feature", "provider")})
        if low[:5] == ["providers", "microsoft.features", "providers", "microsoft.resources",
                       "features"] and len(rest) == 6:
            if rest[5] != "mandatoryRetentionPeriodEnabled":
                return self.error(404, "FeatureNotFound", "The feature was not found.")
            return self.send_json(200, self.feature_body(sid, rest[5]))
        if low[:5] == ["providers", "microsoft.features", "providers", "microsoft.resources",
                       "features"] and len(rest) == 7 and low[6] == "register" and method == "POST":
            # registering asks Microsoft: the state stays Pending until it
            # finishes (the test hook /test/feature plays Microsoft)
            if sub["feature"].lower() not in ("registered",):
                sub["feature"] = "Pending"
            return self.send_json(200, self.feature_body(sid, rest[5]))
        if low == ["providers", "microsoft.keyvault", "register"] and method == "POST":
            if sub["provider"] != "Registered":
                sub["provider"] = "Registering"
                sub["provider_polls"] = 2
            return self.send_json(200, {"namespace": "Microsoft.KeyVault",
                                        "registrationState": sub["provider"]})
        if low[:3] == ["providers", "microsoft.keyvault", "locations"] and len(rest) == 6 \
                and low[4] == "operationresults" and method == "GET":
            op = T.operations.get(rest[5])
            if not op:
                return self.error(404, "OperationNotFound", "no such operation")
            op["polls"] += 1
            done = op["polls"] > 1
            out = {"id": self.path.split("?")[0], "name": rest[5],
                   "status": ("Failed" if op.get("fail") else "Succeeded") if done else "InProgress"}
            if done and op.get("fail"):
                out["error"] = {"code": "VaultCreationFailed",
                                "message": "The vault could not be provisioned."}
            return self.send_json(200, out, None if done else {"Retry-After": "1"})
        if low == ["providers", "microsoft.keyvault"]:
            if sub.get("provider_polls"):
                sub["provider_polls"] -= 1
                if not sub["provider_polls"]:
                    sub["provider"] = "Registered"
            return self.send_json(200, {"id": "/subscriptions/%s/providers/Microsoft.KeyVault" % sid,
                                        "namespace": "Microsoft.KeyVault",
                                        "registrationState": sub["provider"],
                                        "registrationPolicy": "RegistrationRequired",
                                        "resourceTypes": []})
        if low[:1] == ["resourcegroups"] and len(rest) == 2 and method == "PUT":
            body = json.loads(data or b"{}")
            if not body.get("location"):
                return self.error(400, "LocationRequired", "The location property is required.")
            key = (sid, rest[1].lower())
            status = 200 if key in T.rgs else 201
            T.rgs.setdefault(key, body["location"])
            return self.send_json(status, {"id": "/subscriptions/%s/resourceGroups/%s" % (sid, rest[1]),
                                           "name": rest[1], "location": T.rgs[key],
                                           "properties": {"provisioningState": "Succeeded"}})
        if low[:1] == ["resourcegroups"] and len(rest) == 2:
            loc = T.rgs.get((sid, rest[1].lower()))
            if loc is None:
                return self.error(404, "ResourceGroupNotFound",
                                  "Resource group '%s' could not be found." % rest[1])
            return self.send_json(200, {"id": "/subscriptions/%s/resourceGroups/%s" % (sid, rest[1]),
                                        "name": rest[1], "type": "Microsoft.Resources/resourceGroups",
                                        "location": loc,
                                        "properties": {"provisioningState": "Succeeded"}})
        if low[:1] == ["resourcegroups"] and low[2:5] == ["providers", "microsoft.keyvault", "vaults"] \
                and len(rest) in (6, 8):
            v = T.vaults.get(rest[5].lower())
            if not v and len(rest) == 6 and method == "PUT":
                return self.create_vault(sid, rest[1], rest[5], data)
            if not v or v["sub"] != sid or v["rg"].lower() != low[1]:
                return self.error(404, "ResourceNotFound",
                                  "The Resource 'Microsoft.KeyVault/vaults/%s' under resource group "
                                  "'%s' was not found." % (rest[5], rest[1]))
            if len(rest) == 8 and low[6] == "accesspolicies" and method == "PUT":
                body = json.loads(data or b"{}")
                for pol in body.get("properties", {}).get("accessPolicies", []):
                    if rest[7] == "add":
                        v["policies"].append(pol)
                    elif rest[7] == "remove":
                        v["policies"] = [x for x in v["policies"] if x["objectId"] != pol["objectId"]]
                return self.send_json(200, body)
            if len(rest) == 6 and method == "GET":
                props = dict(v["props"])
                props["accessPolicies"] = v["policies"]
                return self.send_json(200, {
                    "id": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/vaults/%s"
                    % (sid, v["rg"], v["name"]), "name": v["name"],
                    "type": "Microsoft.KeyVault/vaults", "location": v["location"], "tags": {},
                    "systemData": {"createdBy": "fake", "createdByType": "User"},
                    "properties": props})
        return self.error(404, "NotFound", "no such ARM resource in the fake")

    def feature_body(self, sid, name):
        return {"properties": {"state": self.T().subs[sid]["feature"]},
                "id": "/subscriptions/%s/providers/Microsoft.Features/providers/"
                "Microsoft.Resources/features/%s" % (sid, name),
                "type": "Microsoft.Features/providers/features",
                "name": "Microsoft.Resources/" + name}

    def create_vault(self, sid, rg, name, data):
        """PUT of a new vault: a long-running operation (201 with
        Azure-AsyncOperation and Retry-After; the operation answers
        InProgress, then Succeeded). No creator policy: that is what the CLI
        and PowerShell add, not ARM."""
        T = self.T()
        if (sid, rg.lower()) not in T.rgs:
            return self.error(404, "ResourceGroupNotFound", "Resource group '%s' could not be found." % rg)
        try:
            body = json.loads(data or b"{}")
            props = body["properties"]
            loc = body["location"]
        except (ValueError, KeyError):
            return self.error(400, "BadRequest", "The request body is not a vault.")
        if name.lower() in T.vaults:
            return self.error(409, "VaultAlreadyExists", "The vault name '%s' is already in use." % name)
        opid = str(uuid.uuid4())
        # a vault whose name ends in -Fail plays a failed creation
        T.operations[opid] = {"polls": 0, "fail": name.lower().endswith("-fail")}
        stored = {k: v for k, v in props.items() if k != "accessPolicies"}
        stored.setdefault("enableSoftDelete", True)
        stored.setdefault("softDeleteRetentionInDays", 90)
        stored["vaultUri"] = "https://%s%s/" % (name.lower(), VAULT_SUFFIX)
        stored["provisioningState"] = "Succeeded"
        T.vaults[name.lower()] = {"name": name, "sub": sid, "rg": rg, "location": loc,
                                  "policies": list(props.get("accessPolicies", [])),
                                  "props": stored, "keys": {}}
        op_url = "https://%s/subscriptions/%s/providers/Microsoft.KeyVault/locations/%s/" \
                 "operationResults/%s?api-version=2024-11-01" % (ARM, sid, loc, opid)
        out = {"id": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/vaults/%s"
               % (sid, rg, name), "name": name, "location": loc,
               "properties": dict(stored, provisioningState="Creating")}
        return self.send_json(201, out, {"Azure-AsyncOperation": op_url, "Retry-After": "1"})

    # ---- Key Vault data plane ----
    def vault(self, method, vname, path, query):
        T = self.T()
        v = T.vaults.get(vname)
        if not v:
            return self.error(404, "VaultNotFound", "no such vault")
        claims = self.bearer("vault")
        if not claims:
            return None
        allowed = set()
        for pol in v["policies"]:
            if pol["objectId"] == claims["oid"]:
                allowed |= {k.lower() for k in pol["permissions"].get("keys", [])}
        p = path.strip("/").split("/")
        need = "list" if p == ["keys"] else "get"
        if need not in allowed:
            return self.error(403, "Forbidden",
                              "The user, group or application 'oid=%s' does not have keys %s "
                              "permission on key vault '%s'." % (claims["oid"], need, vname),
                              inner="AccessDenied")
        base = "https://%s%s" % (vname, VAULT_SUFFIX)
        if p == ["keys"] and method == "GET":
            names = sorted(v["keys"])
            start = int(query.get("$skiptoken", ["0"])[0] or 0)
            page = names[start:start + PAGE_SIZE]
            out = {"value": [{"kid": "%s/keys/%s" % (base, v["keys"][n]["name"]),
                              "attributes": v["keys"][n]["attributes"]} for n in page]}
            if start + PAGE_SIZE < len(names):
                out["nextLink"] = "%s:443/keys?api-version=7.5&$skiptoken=%d&maxresults=%d" % (
                    base, start + PAGE_SIZE, PAGE_SIZE)
            else:
                out["nextLink"] = None
            return self.send_json(200, out)
        if len(p) in (2, 3) and p[0] == "keys" and method == "GET":
            k = v["keys"].get(p[1].lower())
            if not k or (len(p) == 3 and p[2] != k["version"]):
                return self.error(404, "KeyNotFound", "A key with (name/id) %s was not found in "
                                  "this key vault." % p[1])
            return self.send_json(200, {
                "key": {"kid": "%s/keys/%s/%s" % (base, k["name"], k["version"]), "kty": k["kty"],
                        "key_ops": k["key_ops"], "n": k["n"], "e": k["e"]},
                "attributes": k["attributes"], "tags": {}})
        return self.error(404, "NotFound", "no such Key Vault operation in the fake")

    # ---- Microsoft Graph ----
    def graph(self, method, path):
        T = self.T()
        claims = self.bearer("graph")
        if not claims:
            return None
        path = urllib.parse.unquote(path)
        pre = "/v1.0/servicePrincipals(appId='"
        if path.startswith(pre) and path.endswith("')"):
            app = path[len(pre):-2]
            if app not in T.sps:
                return self.error(404, "Request_ResourceNotFound",
                                  "Resource '%s' does not exist or one of its queried reference-"
                                  "property objects are not present." % app)
            oid, name = T.sps[app]
            return self.send_json(200, {"@odata.context": "https://%s/v1.0/$metadata" % GRAPH,
                                        "id": oid, "appId": app, "displayName": name})
        if path.startswith("/v1.0/users/"):
            upn = path[len("/v1.0/users/"):].lower()
            if upn not in T.users:
                return self.error(404, "Request_ResourceNotFound",
                                  "Resource '%s' does not exist." % upn)
            return self.send_json(200, {"id": T.users[upn], "userPrincipalName": upn})
        return self.error(400, "BadRequest", "Unsupported request in the fake.")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan-json", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--lifetime", type=int, default=300)
    ap.add_argument("--slow-down", action="store_true", help="answer the first poll slow_down")
    a = ap.parse_args()
    plan = json.load(open(a.plan_json))
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.tenant = Tenant(plan, os.path.join(a.dir, "tokens.txt"))
    srv.request_log = os.path.join(a.dir, "requests.log")
    srv.slow_down = a.slow_down
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    timer = threading.Timer(a.lifetime, srv.shutdown)
    timer.daemon = True
    timer.start()
    with open(os.path.join(a.dir, "port.tmp"), "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(os.path.join(a.dir, "port.tmp"), os.path.join(a.dir, "port"))
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        timer.cancel()
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
