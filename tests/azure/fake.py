#!/usr/bin/env python3
"""A local fake of the Azure endpoints ckwizard talks to, for tests only.

Python standard library only. HTTPS on 127.0.0.1 (certificate made by the
test with the openssl command); one listener serves every host name, told
apart by the Host header, so the client reaches it through an endpoints file
with connect-to (no /etc/hosts):

  login.fake.test       Entra ID v2.0: device code, refresh token, client
                        credentials with a certificate assertion
  management.fake.test  ARM: subscriptions, features, providers, resource
                        groups, Key Vault vaults (and access-policy add,
                        replace, remove)
  NAME.vault.fake.test  Key Vault data plane 7.5: keys, key lists (paged),
                        CreateKey, UpdateKey, BackupKey, RestoreKey
  graph.fake.test       Microsoft Graph v1.0: users, servicePrincipals(appId=)
  NAME.managedhsm.fake.test, and managedHSMs on ARM: fake_hsm.py

Shapes follow the REST specs' examples (doc/azure.md names them): status
codes, error bodies {"error":{"code","message"}}, the Key Vault 401 challenge,
access policies enforced on data-plane calls, RBAC-like ownership on ARM.

Test hooks (POST, any host, path /test/...): approve, decline or expire a
device code as a user, issue a token for the az stub, revoke the refresh
tokens issued (or make them give another identity's tokens), add, change or
remove an access policy, change a key's attributes or a vault's properties,
delete a key, set or clear faults, stop.
Faults: 429 (Retry-After), 404, 500, 503, slow, drop, truncate, badjson (not
JSON), wrongjson (JSON whose fields have the wrong types), emptyjson ({}),
redirect, expired (401 ExpiredAuthenticationToken), each for requests whose
host+path contains a substring (and, if given, of one method, and on
login.fake.test of one form grant_type: the device-code poll or the
refresh), a given number of times, after letting a given number through.

Entra ID is in fake_entra.py, the tenant in fake_world.py.

With --timing-log FILE it appends the start and end of every TLS handshake
and request it serves (make bench computes the floor from them). With
--conn-log FILE it appends, for every request, the number of the connection
that served it and the host asked: the TLS handshakes each host took.

It stops by itself after --lifetime seconds; request loops are bounded.
"""
import argparse
import base64
import itertools
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fake_entra import EntraMixin
from fake_hsm import HsmMixin
from fake_world import (ARM, GRAPH, HSM_SUFFIX, LOGIN, MAX_REQUESTS_PER_CONNECTION, PAGE_SIZE,
                        RES, VAULT_SUFFIX, Tenant, oid_for, resource_of_scope)


class Handler(EntraMixin, HsmMixin, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body leave in separate writes: without TCP_NODELAY, Nagle
    # and the client's delayed ACK add ~40 ms to each answer on a kept-alive
    # connection
    disable_nagle_algorithm = True
    server_version = "fake-azure/1"
    timeout = 10

    def log_message(self, fmt, *args):
        with open(self.server.request_log, "a") as f:
            f.write("%s %s%s\n" % (self.command, self.host(), self.path.split("?")[0]))
        if self.server.conn_log and self.command:
            # which connection (a TLS handshake each) served which host
            with open(self.server.conn_log, "a") as f:
                f.write("%d %s\n" % (self.conn_no, self.host()))

    # ---- plumbing ----
    def handle(self):
        # bounded: a connection serves at most this many requests
        self.close_connection = True
        self.conn_no = next(self.server.conn_ids)
        if self.server.timing_log:
            # the TLS handshake done here rather than on the first read, so
            # its cost counts as service time (make bench's floor)
            t0 = time.monotonic()
            try:
                self.connection.do_handshake()
            except (OSError, ssl.SSLError):
                return
            self.timing("handshake", t0)
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            self.handle_one_request()
            if self.close_connection:
                break

    def timing(self, what, t0):
        line = "%.6f %.6f %s" % (t0, time.monotonic(), what)
        if what == "request":
            # who asked what: make bench replays the same requests with other clients
            line += " %s %s %s %s" % (self.command, self.caller(), self.host(), self.path)
        with open(self.server.timing_log, "a") as f:
            f.write(line + "\n")

    def caller(self):
        """The upn (or oid) in the bearer token's claims, unverified; - when none."""
        auth = self.headers.get("Authorization") or ""
        try:
            part = auth.split(" ", 1)[1].split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
            return claims.get("upn") or claims.get("oid") or "-"
        except (IndexError, ValueError):
            return "-"

    def parse_request(self):
        self.t_start = time.monotonic()
        return super().parse_request()

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
        grant = ""
        if self.host() == LOGIN:
            form = urllib.parse.parse_qs((self.last_body or b"").decode(errors="replace"))
            grant = (form.get("grant_type") or [""])[0]
        f = self.T().fault_for(where, self.command, grant)
        if not f:
            return False
        name = f["name"]
        if name == "429":
            self.error(429, "TooManyRequests", "Rate limit exceeded, retry later.",
                       {"Retry-After": str(f.get("seconds", 1))})
        elif name == "404":
            self.error(404, "Request_ResourceNotFound",
                       "Resource '%s' does not exist." % self.path.split("?")[0].rsplit("/", 1)[-1])
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
        elif name == "wrongjson":
            # every field a reader looks for, with the wrong type
            self.send_json(200, {"id": 7, "name": ["x"], "location": {}, "state": 1,
                                 "registrationState": False, "tenantId": 5,
                                 "properties": {"state": 42, "enablePurgeProtection": "yes",
                                                "enableSoftDelete": "true",
                                                "softDeleteRetentionInDays": "90",
                                                "enableRbacAuthorization": "false",
                                                "accessPolicies": {}, "sku": "premium",
                                                "provisioningState": None},
                                 "key": [], "attributes": "none", "value": 5})
        elif name == "emptyjson":
            self.send_json(200, {})
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
        if resource in ("vault", "hsm") and not tok:
            self.error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.",
                       {"WWW-Authenticate": 'Bearer authorization="https://%s/%s", resource="%s"'
                        % (LOGIN, self.T().tenant, RES[resource])})
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
        try:
            self.dispatch_one(method)
        finally:
            if self.server.timing_log:
                self.timing("request", self.t_start)

    def dispatch_one(self, method):
        self.close_connection = False
        # a base in front: a path beginning with // (the Managed HSM RBAC
        # scope "/") is a path, not a host
        url = urllib.parse.urlsplit("https://base" + self.path)
        path, query = url.path, urllib.parse.parse_qs(url.query)
        data = self.body()
        self.last_body = data
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
        if host.endswith(HSM_SUFFIX):
            if "api-version" not in query:
                return self.error(400, "BadParameter", "The 'api-version' parameter is missing.")
            return self.mhsm(method, host[:-len(HSM_SUFFIX)], path, query)
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
        if self.hsm_hook(path, req):
            return None
        if path == "/test/approve":
            with T.lock:
                for d in T.devices:
                    if d["state"] == "pending" and req.get("user_code") in (None, d["user_code"]):
                        # decline: the person refused; expire: the code ran out
                        # before they finished (the poll answers expired_token)
                        d["state"] = ("declined" if req.get("decline") else
                                      "expired" if req.get("expire") else "approved")
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
            tok, claims = T.issue(res, oid, upn=upn, lifetime=req.get("lifetime"))
            return self.send_json(200, {"accessToken": tok, "expires_on": claims["exp"],
                                        "tenant": T.tenant, "tokenType": "Bearer"})
        if path == "/test/fault":
            with T.lock:
                f = {"name": req["name"], "match": req.get("match", ""),
                     "count": req.get("count", 1), "seconds": req.get("seconds", 1)}
                for k in ("method", "grant", "skip"):
                    if req.get(k):
                        f[k] = req[k]
                T.faults.append(f)
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
        if path == "/test/roll-key":
            # a new version of the key, as CreateKey on its name makes one,
            # created at the time given (Unix seconds) or now
            v = T.vaults[req["vault"].lower()]
            old = v["keys"][req["key"].lower()]
            n = old["n"] + "=" * (-len(old["n"]) % 4)
            k = T.new_key(v["name"], old["name"], len(base64.urlsafe_b64decode(n)) * 8)
            k["key_ops"] = list(old["key_ops"])
            k["attributes"]["created"] = k["attributes"]["updated"] = int(
                req.get("created", k["attributes"]["created"]))
            with T.lock:
                v["keys"][req["key"].lower()] = k
            return self.send_json(200, {"version": k["version"]})
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
        if path == "/test/empty":
            # the tenant before the ceremony: nothing registered, no resource
            # group, no vault (what run --live --execute starts from)
            with T.lock:
                for sub in T.subs.values():
                    sub["feature"] = "NotRegistered"
                    sub["provider"] = "NotRegistered"
                T.rgs.clear()
                T.vaults.clear()
            return self.send_json(200, {})
        if path == "/test/clear-faults":
            with T.lock:
                T.faults = []
            return self.send_json(200, {})
        if path == "/test/revoke-refresh":
            # every refresh token issued so far: the next refresh gets
            # Entra's invalid_grant, as after a revocation or inactivity
            with T.lock:
                T.refresh.clear()
            return self.send_json(200, {})
        if path == "/test/refresh-as":
            # every refresh token issued so far now gives tokens of another
            # identity, as an az CLI whose account was switched would
            with T.lock:
                for rt in T.refresh:
                    T.refresh[rt] = (T.users.get(req["upn"].lower(), oid_for(req["upn"])),
                                     req["upn"])
            return self.send_json(200, {})
        if path == "/test/del-policy":
            v = T.vaults[req["vault"].lower()]
            oid = T.users[req["upn"].lower()]
            with T.lock:
                v["policies"] = [p for p in v["policies"] if p["objectId"] != oid]
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
        if low[:1] == ["resourcegroups"] and low[2:5] == ["providers", "microsoft.keyvault",
                                                          "managedhsms"] and len(rest) == 6:
            return self.arm_hsm(method, sid, rest)
        if low[:3] == ["providers", "microsoft.keyvault", "locations"] and len(rest) == 6 \
                and low[4] == "managedhsmoperationresults" and method == "GET":
            return self.arm_hsm_operation(rest[5])
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
                return self.update_policies(v, rest[7], data)
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

    def update_policies(self, v, kind, data):
        """Vaults - Update Access Policy: add merges each entry's permissions
        into the principal's policy (or adds one), replace sets them, remove
        takes the listed permissions away (the policy goes when none is
        left); the answer is the request's accessPolicies."""
        if kind not in ("add", "replace", "remove"):
            return self.error(400, "BadRequest", "The operationKind '%s' is not valid." % kind)
        try:
            body = json.loads(data or b"{}")
            pols = body["properties"]["accessPolicies"]
            assert all(p["objectId"] and p["tenantId"] and "permissions" in p for p in pols)
        except (ValueError, KeyError, TypeError, AssertionError):
            return self.error(400, "BadRequest", "The access policies are not valid.")
        kinds = ("keys", "secrets", "certificates", "storage")
        with self.T().lock:
            for pol in pols:
                mine = [x for x in v["policies"] if x["objectId"] == pol["objectId"]]
                if not mine:
                    if kind != "remove":
                        v["policies"].append({"tenantId": pol["tenantId"], "objectId": pol["objectId"],
                                              "permissions": {k: list(pol["permissions"].get(k, []))
                                                              for k in kinds}})
                    continue
                have = mine[0]["permissions"]
                for k in kinds:
                    new = pol["permissions"].get(k, [])
                    old = have.get(k, [])
                    if kind == "replace":
                        have[k] = list(new)
                    elif kind == "add":
                        have[k] = old + [p for p in new if p.lower() not in {o.lower() for o in old}]
                    else:
                        have[k] = [o for o in old if o.lower() not in {p.lower() for p in new}]
                if kind == "remove" and not any(have.get(k) for k in kinds):
                    v["policies"].remove(mine[0])
        return self.send_json(200, {"id": "%s/accessPolicies/%s" % (self.path.split("?")[0].rsplit("/", 2)[0], kind),
                                    "type": "Microsoft.KeyVault/vaults/accessPolicies",
                                    "properties": {"accessPolicies": pols}})

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
        if method == "POST" and len(p) == 3 and p[0] == "keys" and p[2] in ("create", "backup"):
            need = p[2]
        elif method == "POST" and p == ["keys", "restore"]:
            need = "restore"
        elif method == "PATCH":
            need = "update"
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
        if method in ("POST", "PATCH"):
            return self.vault_write(v, method, p, base)
        return self.error(404, "NotFound", "no such Key Vault operation in the fake")

    def key_bundle(self, base, k):
        return {"key": {"kid": "%s/keys/%s/%s" % (base, k["name"], k["version"]), "kty": k["kty"],
                        "key_ops": k["key_ops"], "n": k["n"], "e": k["e"]},
                "attributes": k["attributes"], "tags": {}}

    def vault_write(self, v, method, p, base):
        """Key Vault 7.5 writes: CreateKey (a new version of a name that
        exists), UpdateKey (attributes), BackupKey (an opaque blob; here it
        carries the key so RestoreKey can bring it back), RestoreKey (refused
        while a key of that name exists)."""
        T = self.T()
        try:
            body = json.loads(self.last_body or b"{}")
        except ValueError:
            return self.error(400, "BadParameter", "The request body is not JSON.")
        if method == "POST" and len(p) == 3 and p[2] == "create":
            kty, size = body.get("kty"), body.get("key_size", 2048)
            if kty not in ("RSA", "RSA-HSM"):
                return self.error(400, "BadParameter", "Property has invalid value: kty")
            if kty == "RSA-HSM" and v["props"]["sku"]["name"].lower() != "premium":
                return self.error(400, "BadParameter", "HSM-protected keys need a premium vault.")
            if size not in (2048, 3072, 4096):
                return self.error(400, "BadParameter", "Property has invalid value: key_size")
            k = T.new_key(v["name"], p[1], size)
            k["kty"] = kty
            k["key_ops"] = list(body.get("key_ops", ["encrypt", "decrypt", "sign", "verify",
                                                     "wrapKey", "unwrapKey"]))
            attrs = body.get("attributes", {})
            for a in ("enabled", "exp", "nbf"):
                if a in attrs:
                    k["attributes"][a] = attrs[a]
            with T.lock:
                v["keys"][p[1].lower()] = k
            return self.send_json(200, self.key_bundle(base, k))
        if method == "PATCH" and len(p) in (2, 3) and p[0] == "keys":
            k = v["keys"].get(p[1].lower())
            if not k or (len(p) == 3 and p[2] and p[2] != k["version"]):
                return self.error(404, "KeyNotFound", "A key with (name/id) %s was not found in "
                                  "this key vault." % p[1])
            with T.lock:
                for a in ("enabled", "exp", "nbf"):
                    if a in body.get("attributes", {}):
                        k["attributes"][a] = body["attributes"][a]
                k["attributes"]["updated"] = int(time.time())
            return self.send_json(200, self.key_bundle(base, k))
        if method == "POST" and len(p) == 3 and p[2] == "backup":
            k = v["keys"].get(p[1].lower())
            if not k:
                return self.error(404, "KeyNotFound", "A key with (name/id) %s was not found in "
                                  "this key vault." % p[1])
            blob = b"fake-akv-backup:" + json.dumps({"sub": v["sub"], "key": k}).encode()
            return self.send_json(200, {"value": base64.urlsafe_b64encode(blob).rstrip(b"=").decode()})
        if method == "POST" and p == ["keys", "restore"]:
            try:
                raw = base64.urlsafe_b64decode(body["value"] + "=" * (-len(body["value"]) % 4))
                assert raw.startswith(b"fake-akv-backup:")
                saved = json.loads(raw[len(b"fake-akv-backup:"):])
            except (KeyError, ValueError, AssertionError, TypeError):
                return self.error(400, "BadParameter", "The backup blob is not valid.")
            if saved["sub"] != v["sub"]:
                return self.error(400, "BadParameter", "A backup restores only into the "
                                  "subscription it was taken in.")
            k = saved["key"]
            if k["name"].lower() in v["keys"]:
                return self.error(409, "Conflict", "There was a conflict restoring the key '%s'. "
                                  "A key of that name exists." % k["name"])
            with T.lock:
                v["keys"][k["name"].lower()] = k
            return self.send_json(200, self.key_bundle(base, k))
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
    ap.add_argument("--token-lifetime", type=int, default=3600,
                    help="seconds an access token lives (expires_in, exp)")
    ap.add_argument("--timing-log", help="append 'start end what' (monotonic seconds) for "
                    "every TLS handshake and request served (make bench's floor)")
    ap.add_argument("--conn-log", help="append 'CONNECTION HOST' for every request served: "
                    "how many connections (TLS handshakes) each host took")
    ap.add_argument("--slow-down", action="store_true", help="answer the first poll slow_down")
    a = ap.parse_args()
    plan = json.load(open(a.plan_json))
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.tenant = Tenant(plan, os.path.join(a.dir, "tokens.txt"))
    srv.tenant.token_lifetime = a.token_lifetime
    srv.request_log = os.path.join(a.dir, "requests.log")
    srv.slow_down = a.slow_down
    srv.timing_log = a.timing_log
    srv.conn_log = a.conn_log
    srv.conn_ids = itertools.count(1)
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
