"""Managed HSMs for the fake Azure (tests/azure/fake.py), for plans with
key_store: managed_hsm. Test fixture only.

  management.fake.test   ARM Microsoft.KeyVault/managedHSMs/{name}: GET (the
                         shape of the spec's ManagedHsm_Get example with
                         properties.securityDomainProperties) and PUT (202
                         with Location, then the HSM, NotActivated)
  NAME.managedhsm.fake.test
                         the data plane, API 7.5: keys (as a vault's), and
                         local RBAC: roleAssignments and roleDefinitions at
                         the scope "/" (paged), every call allowed only by a
                         role assignment whose role has the data action;
                         CreateKey (POST keys/NAME/create), PutRoleAssignments
                         at /keys

Simplification: a caller's assignments count whatever their scope. The
built-in roles and their data actions follow Microsoft Learn's "Local RBAC
built-in roles for Managed HSM".

Test hooks (POST /test/...): hsm-role-add {hsm, objectId|upn|appId, role,
scope}, hsm-role-remove {hsm, objectId|upn|appId, role}, hsm-empty {}, set-hsm {hsm,
properties, location, remove: [property names], clear-keys: true}.
"""
import base64
import hashlib
import json
import subprocess
import uuid

from fake_world import ARM, HSM_SUFFIX, PAGE_SIZE, oid_for

P = "Microsoft.KeyVault/managedHsm"
ADMIN = "a290e904-7015-4bba-90c8-60543313cdb4"
CRYPTO_USER = "21dbd100-6940-42c2-9190-5d6cb909625b"
SERVICE = "33413926-3206-4cdd-b39a-83574fe37a17"
AUDITOR = "2c18b078-7c48-4d3a-af88-5a3a1b3f82b3"
ROLE_READ = ["/roleAssignments/read/action", "/roleDefinitions/read/action"]
ROLE_WRITE = ["/roleAssignments/write/action", "/roleAssignments/delete/action",
              "/roleDefinitions/write/action", "/roleDefinitions/delete/action"]
KEY_USE = ["/keys/encrypt/action", "/keys/decrypt/action", "/keys/wrap/action",
           "/keys/unwrap/action", "/keys/sign/action", "/keys/verify/action"]
ROLES = {
    ADMIN: ("Managed HSM Administrator",
            ["/securitydomain/download/action", "/securitydomain/upload/action",
             "/securitydomain/upload/read", "/securitydomain/transferkey/read"]
            + ROLE_READ + ROLE_WRITE + ["/backup/start/action", "/backup/status/action",
                                        "/restore/start/action", "/restore/status/action"]),
    "515eb02d-2335-4d2d-92f2-b1cbdf9c3778": (
        "Managed HSM Crypto Officer",
        ["/keys/deletedKeys/read/action", "/keys/deletedKeys/recover/action",
         "/keys/deletedKeys/delete"] + ROLE_READ + ROLE_WRITE),
    CRYPTO_USER: ("Managed HSM Crypto User",
                  ["/keys/read/action", "/keys/write/action", "/keys/rotate/action",
                   "/keys/create", "/keys/delete", "/keys/backup/action", "/keys/restore/action",
                   "/keys/release/action", "/keys/import/action"] + KEY_USE + ROLE_READ),
    "4bd23610-cdcf-4971-bdee-bdc562cc28e4": ("Managed HSM Policy Administrator",
                                             ROLE_READ + ROLE_WRITE),
    AUDITOR: ("Managed HSM Crypto Auditor",
              ["/keys/read/action", "/keys/deletedKeys/delete"] + ROLE_READ),
    SERVICE: ("Managed HSM Crypto Service Encryption User",
              ["/keys/read/action", "/keys/wrap/action", "/keys/unwrap/action"]),
    "21dbd100-6940-42c2-9190-5d6cb909625c": ("Managed HSM Crypto Service Release User",
                                             ["/keys/release/action"]),
    "7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8": ("Managed HSM Backup",
                                             ["/keys/backup/action", "/backup/start/action",
                                              "/backup/status/action"]),
    "6efe6056-5259-49d2-8b3d-d3d73544b20b": ("Managed HSM Restore",
                                             ["/keys/restore/action", "/restore/start/action",
                                              "/restore/status/action"]),
}
# a role definition's id as ListRoleDefinitions (7.5) shapes it: the scope
# it was listed at ("/"), then providers/Microsoft.Authorization/...
DEF_PREFIX = "/providers/Microsoft.Authorization/roleDefinitions/"


def assignment(role, oid, scope):
    name = str(uuid.uuid4())
    return {"id": "/providers/Microsoft.Authorization/roleAssignments/" + name, "name": name,
            "type": "Microsoft.Authorization/roleAssignments",
            "properties": {"scope": scope, "roleDefinitionId": DEF_PREFIX + role,
                           "principalId": oid}}


def build_hsms(T, plan, apps):
    """One HSM per side, activated, with the plan's keys and roles."""
    mh = plan["managed_hsm"]
    bits = plan["key_vault"]["key_size"]
    for side in ("A", "B"):
        h = mh[side]
        sub = plan["subscriptions"][side]
        roles = [assignment(CRYPTO_USER, T.users[u.lower()], "/keys")
                 for u in sub["administrators"]]
        roles += [assignment(ADMIN, oid, "/") for oid in h["administrators"]]
        keys = {}
        for dep in plan["deps"]:
            for s in dep["sides"]:
                if s["side"] != side:
                    continue
                keys[s["key"].lower()] = T.new_key(h["name"], s["key"], bits)
                keys[s["key"].lower()]["attributes"]["recoveryLevel"] = "Recoverable"
            app_oid = T.sps[apps[dep["workload"]][0]][0]
            if not any(r["properties"]["principalId"] == app_oid for r in roles):
                roles.append(assignment(SERVICE, app_oid, "/keys"))
        T.hsms[h["name"].lower()] = {
            "name": h["name"], "sub": sub["id"], "rg": h["resource_group"],
            "location": h["region"], "sku": {"family": "B", "name": "Standard_B1"},
            "props": {"tenantId": T.tenant, "initialAdminObjectIds": list(h["administrators"]),
                      "enableSoftDelete": True, "softDeleteRetentionInDays": 90,
                      "enablePurgeProtection": True,
                      "hsmUri": "https://%s%s" % (h["name"].lower(), HSM_SUFFIX),
                      "provisioningState": "Succeeded",
                      "statusMessage": "The Managed HSM is provisioned and ready to use.",
                      "securityDomainProperties": {
                          "activationStatus": "Active",
                          "activationStatusMessage": "Your HSM has been activated and can be "
                                                     "used for cryptographic operations."},
                      "publicNetworkAccess": "Enabled"},
            "keys": keys, "roles": roles}


class HsmMixin:
    """ARM managedHSMs, the HSM data plane and its hooks: mixed into the handler."""

    def hsm_principal(self, req):
        T = self.T()
        if "objectId" in req:
            return req["objectId"]
        if "appId" in req:
            return T.sps[req["appId"]][0] if req["appId"] in T.sps else oid_for(req["appId"])
        return T.users[req["upn"].lower()]

    def hsm_hook(self, path, req):
        """A test hook of this module: True when handled."""
        T = self.T()
        if path == "/test/hsm-role-add":
            h = T.hsms[req["hsm"].lower()]
            a = assignment(req["role"], self.hsm_principal(req), req.get("scope", "/keys"))
            if "def" in req:  # the roleDefinitionId in another form an HSM may give
                a["properties"]["roleDefinitionId"] = req["def"]
            with T.lock:
                h["roles"].append(a)
            self.send_json(200, a)
            return True
        if path == "/test/hsm-role-remove":
            h = T.hsms[req["hsm"].lower()]
            oid = self.hsm_principal(req)
            with T.lock:
                h["roles"] = [r for r in h["roles"] if not (
                    r["properties"]["principalId"] == oid
                    and r["properties"]["roleDefinitionId"].endswith(req["role"]))]
            self.send_json(200, {})
            return True
        if path == "/test/hsm-hide-role-def":
            # a role definition left out of the HSM's list (or put back: "show")
            h = T.hsms[req["hsm"].lower()]
            with T.lock:
                hid = [r for r in h.get("hidden_defs", []) if r != req["role"]]
                h["hidden_defs"] = hid if req.get("show") else hid + [req["role"]]
            self.send_json(200, {})
            return True
        if path == "/test/hsm-roll-key":
            # a new version of an HSM key (CreateKey on its name), created at
            # the time given (Unix seconds) or now
            from fake_world import Tenant
            h = T.hsms[req["hsm"].lower()]
            old = h["keys"][req["key"].lower()]
            n = old["n"] + "=" * (-len(old["n"]) % 4)
            k = Tenant.new_key(h["name"], old["name"], len(base64.urlsafe_b64decode(n)) * 8)
            k["kty"] = old["kty"]
            k["key_ops"] = list(old["key_ops"])
            k["attributes"]["recoveryLevel"] = old["attributes"].get("recoveryLevel", "Recoverable")
            k["attributes"]["created"] = k["attributes"]["updated"] = int(
                req.get("created", k["attributes"]["created"]))
            with T.lock:
                h["keys"][req["key"].lower()] = k
            self.send_json(200, {"version": k["version"]})
            return True
        if path == "/test/hsm-empty":
            # the tenant before the ceremony: no HSM at all
            with T.lock:
                T.hsms.clear()
            self.send_json(200, {})
            return True
        if path == "/test/set-hsm":
            with T.lock:
                h = T.hsms[req["hsm"].lower()]
                if "securityDomainProperties" in req.get("properties", {}):
                    h.pop("sd", None)  # a download starts afresh
                for k, v in req.get("properties", {}).items():
                    if isinstance(v, dict) and isinstance(h["props"].get(k), dict):
                        h["props"][k].update(v)
                    else:
                        h["props"][k] = v
                h["location"] = req.get("location", h["location"])
                for k in req.get("remove", []):
                    h["props"].pop(k, None)
                if req.get("clear-keys"):
                    h["keys"].clear()
            self.send_json(200, {})
            return True
        return False

    # ---- ARM ----
    def arm_hsm(self, method, sid, rest):
        """resourceGroups/{rg}/providers/Microsoft.KeyVault/managedHSMs/{name}"""
        h = self.T().hsms.get(rest[5].lower())
        if not h and method == "PUT":
            return self.create_hsm(sid, rest[1], rest[5])
        if not h or h["sub"] != sid or h["rg"].lower() != rest[1].lower():
            return self.error(404, "ResourceNotFound",
                              "The Resource 'Microsoft.KeyVault/managedHSMs/%s' under resource "
                              "group '%s' was not found." % (rest[5], rest[1]))
        if method == "PUT":
            return self.send_json(200, self.hsm_body(sid, h))
        if method != "GET":
            return self.error(405, "MethodNotAllowed", "the fake reads and creates managed HSMs")
        return self.send_json(200, self.hsm_body(sid, h))

    def hsm_body(self, sid, h):
        return {
            "id": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/managedHSMs/%s"
            % (sid, h["rg"], h["name"]), "name": h["name"], "type": "Microsoft.KeyVault/managedHSMs",
            "location": h["location"], "sku": h["sku"], "tags": {},
            "systemData": {"createdBy": "fake", "createdByType": "User"},
            "properties": h["props"]}

    def create_hsm(self, sid, rg, name):
        """PUT of a new HSM: 202 with Location (ManagedHsm_CreateOrUpdate.json);
        the operation answers 202 once, then 200 with the HSM. It starts
        NotActivated: only its initial administrators hold a role."""
        T = self.T()
        if (sid, rg.lower()) not in T.rgs:
            return self.error(404, "ResourceGroupNotFound", "Resource group '%s' could not be found." % rg)
        try:
            body = json.loads(self.last_body or b"{}")
            props, loc = body["properties"], body["location"]
            sku = body["sku"]
        except (ValueError, KeyError):
            return self.error(400, "BadRequest", "The request body is not a managed HSM.")
        if not props.get("initialAdminObjectIds"):
            return self.error(400, "BadRequest", "initialAdminObjectIds is required.")
        stored = dict(props)
        stored.update({"hsmUri": None, "provisioningState": "Provisioning",
                       "statusMessage": "Allocating hardware",
                       "securityDomainProperties": {"activationStatus": "NotActivated",
                                                    "activationStatusMessage": "Your HSM has been "
                                                    "provisioned, but cannot be used for "
                                                    "cryptographic operations until it is "
                                                    "activated."}})
        h = {"name": name, "sub": sid, "rg": rg, "location": loc, "sku": sku, "props": stored,
             "keys": {}, "roles": [assignment(ADMIN, oid, "/")
                                   for oid in props["initialAdminObjectIds"]]}
        opid = str(uuid.uuid4())
        with T.lock:
            T.hsms[name.lower()] = h
            T.operations[opid] = {"polls": 0, "hsm": name.lower(), "sub": sid}
        op_url = "https://%s/subscriptions/%s/providers/Microsoft.KeyVault/locations/%s/" \
                 "managedHsmOperationResults/%s?api-version=2024-11-01" % (ARM, sid, loc, opid)
        return self.send_json(202, self.hsm_body(sid, h), {"Location": op_url, "Retry-After": "1"})

    def arm_hsm_operation(self, opid):
        """Location polling: 202 while provisioning, then 200 with the HSM."""
        T = self.T()
        op = T.operations.get(opid)
        if not op or "hsm" not in op:
            return self.error(404, "OperationNotFound", "no such operation")
        op["polls"] += 1
        h = T.hsms[op["hsm"]]
        if op["polls"] < 2:
            return self.send_json(202, {}, {"Retry-After": "1"})
        h["props"].update({"provisioningState": "Succeeded",
                           "statusMessage": "The Managed HSM is provisioned and ready to use.",
                           "hsmUri": "https://%s%s" % (h["name"].lower(), HSM_SUFFIX)})
        return self.send_json(200, self.hsm_body(op["sub"], h))

    # ---- data plane ----
    def hsm_allowed(self, h, oid, action):
        for r in h["roles"]:
            if r["properties"]["principalId"] != oid:
                continue
            role = r["properties"]["roleDefinitionId"].rsplit("/", 1)[-1]
            if action in ROLES.get(role, ("", []))[1]:
                return True
        return False

    def mhsm(self, method, name, path, query):
        T = self.T()
        h = T.hsms.get(name)
        if not h:
            return self.error(404, "NotFound", "no such managed HSM")
        claims = self.bearer("hsm")
        if not claims:
            return None
        low0 = [x.lower() for x in path.split("/") if x]
        if low0 == ["securitydomain", "download"] and method == "POST":
            return self.sd_download(h, claims)
        if low0 == ["securitydomain", "download", "pending"] and method == "GET":
            return self.sd_pending(h)
        if h["props"]["securityDomainProperties"]["activationStatus"] != "Active":
            # not activated: nothing on the data plane works until the
            # security domain is downloaded (the real code and text are not
            # documented; the audit judges by ARM's activationStatus)
            return self.error(403, "Forbidden", "The managed HSM is not activated: download "
                              "its security domain first.", inner="HSMNotActivated")
        p = [x for x in path.split("/") if x]
        low = [x.lower() for x in p]
        base = "https://%s%s" % (name, HSM_SUFFIX)
        if low[:2] == ["providers", "microsoft.authorization"] and len(p) == 3 and method == "GET":
            what = low[2]
            if what not in ("roleassignments", "roledefinitions"):
                return self.error(404, "NotFound", "no such RBAC collection")
            action = "/roleAssignments/read/action" if what == "roleassignments" \
                else "/roleDefinitions/read/action"
            if not self.hsm_allowed(h, claims["oid"], action):
                return self.hsm_forbidden(claims, action, "/")
            items = list(h["roles"]) if what == "roleassignments" else [
                {"id": DEF_PREFIX + rid, "name": rid,
                 "type": "Microsoft.Authorization/roleDefinitions",
                 "properties": {"roleName": rn, "description": rn, "type": "AKVBuiltInRole",
                                "permissions": [{"actions": [], "notActions": [],
                                                 "dataActions": [P + a for a in acts],
                                                 "notDataActions": []}],
                                "assignableScopes": ["/"]}}
                for rid, (rn, acts) in ROLES.items() if rid not in h.get("hidden_defs", ())]
            start = int(query.get("$skiptoken", ["0"])[0] or 0)
            out = {"value": items[start:start + PAGE_SIZE]}
            if start + PAGE_SIZE < len(items):
                out["nextLink"] = "%s/providers/Microsoft.Authorization/%s?api-version=7.5" \
                                  "&$skiptoken=%d" % (base, p[2], start + PAGE_SIZE)
            return self.send_json(200, out)
        if low[1:4] == ["providers", "microsoft.authorization", "roleassignments"] \
                and len(p) == 5 and low[0] == "keys" and method == "PUT":
            # PutRoleAssignments at the scope /keys
            if not self.hsm_allowed(h, claims["oid"], "/roleAssignments/write/action"):
                return self.hsm_forbidden(claims, "/roleAssignments/write/action", "/keys")
            try:
                props = json.loads(self.last_body or b"{}")["properties"]
                rid, pid = props["roleDefinitionId"], props["principalId"]
            except (ValueError, KeyError):
                return self.error(400, "BadParameter", "The request body is not a role assignment.")
            # only a definition's id as the list gives it (no other form is
            # documented to be accepted)
            if rid.lower() not in [(DEF_PREFIX + r).lower() for r in ROLES]:
                return self.error(400, "BadParameter", "Unknown role definition.")
            if any(r["name"] == p[4] for r in h["roles"]):
                return self.error(409, "Conflict", "The role assignment already exists.")
            a = {"id": "/keys/providers/Microsoft.Authorization/roleAssignments/" + p[4],
                 "name": p[4], "type": "Microsoft.Authorization/roleAssignments",
                 "properties": {"scope": "/keys", "roleDefinitionId": rid, "principalId": pid}}
            with T.lock:
                h["roles"].append(a)
            return self.send_json(201, a)
        if len(p) == 3 and p[0] == "keys" and p[2] == "create" and method == "POST":
            if not self.hsm_allowed(h, claims["oid"], "/keys/create"):
                return self.hsm_forbidden(claims, "/keys/create", "/keys/" + p[1])
            try:
                req = json.loads(self.last_body or b"{}")
                kty, bits = req["kty"], int(req.get("key_size", 2048))
            except (ValueError, KeyError):
                return self.error(400, "BadParameter", "The request body is not a key to create.")
            from fake_world import Tenant
            k = Tenant.new_key(name, p[1], bits)
            k["kty"] = kty
            k["key_ops"] = req.get("key_ops", k["key_ops"])
            k["attributes"]["enabled"] = req.get("attributes", {}).get("enabled", True)
            k["attributes"]["recoveryLevel"] = "Recoverable"
            with T.lock:
                h["keys"][p[1].lower()] = k
            return self.send_json(200, {
                "key": {"kid": "%s/keys/%s/%s" % (base, k["name"], k["version"]), "kty": k["kty"],
                        "key_ops": k["key_ops"], "n": k["n"], "e": k["e"]},
                "attributes": k["attributes"], "tags": {}})
        if len(p) == 3 and p[0] == "keys" and p[2] == "backup" and method == "POST":
            # BackupKey, as on a vault (the same data-plane operation)
            if not self.hsm_allowed(h, claims["oid"], "/keys/backup/action"):
                return self.hsm_forbidden(claims, "/keys/backup/action", "/keys/" + p[1])
            k = h["keys"].get(p[1].lower())
            if not k:
                return self.error(404, "KeyNotFound", "A key with (name/id) %s was not found in "
                                  "this managed HSM." % p[1])
            blob = b"fake-mhsm-backup:" + json.dumps({"hsm": name, "key": k}).encode()
            return self.send_json(200, {"value": base64.urlsafe_b64encode(blob).rstrip(b"=").decode()})
        if not self.hsm_allowed(h, claims["oid"], "/keys/read/action"):
            return self.hsm_forbidden(claims, "/keys/read/action", "/" + "/".join(p))
        if p == ["keys"] and method == "GET":
            names = sorted(h["keys"])
            start = int(query.get("$skiptoken", ["0"])[0] or 0)
            out = {"value": [{"kid": "%s/keys/%s" % (base, h["keys"][n]["name"]),
                              "attributes": h["keys"][n]["attributes"]}
                             for n in names[start:start + PAGE_SIZE]]}
            out["nextLink"] = ("%s:443/keys?api-version=7.5&$skiptoken=%d" % (
                base, start + PAGE_SIZE)) if start + PAGE_SIZE < len(names) else None
            return self.send_json(200, out)
        if len(p) in (2, 3) and p[0] == "keys" and method == "GET":
            k = h["keys"].get(p[1].lower())
            if not k or (len(p) == 3 and p[2] != k["version"]):
                return self.error(404, "KeyNotFound", "A key with (name/id) %s was not found in "
                                  "this managed HSM." % p[1])
            return self.send_json(200, {
                "key": {"kid": "%s/keys/%s/%s" % (base, k["name"], k["version"]), "kty": k["kty"],
                        "key_ops": k["key_ops"], "n": k["n"], "e": k["e"]},
                "attributes": k["attributes"], "tags": {}})
        return self.error(404, "NotFound", "no such Managed HSM operation in the fake")

    # ---- security domain (securitydomain.json, data plane 7.5) ----
    @staticmethod
    def sd_cert_ok(jwk):
        """The JWK is an RSA key whose x5c[0] is a DER certificate of that
        same key, and x5t#S256 its SHA-256."""
        try:
            der = base64.b64decode(jwk["x5c"][0], validate=True)
            n = base64.urlsafe_b64decode(jwk["n"] + "=" * (-len(jwk["n"]) % 4))
            if jwk["kty"] != "RSA" or not jwk["e"] or not jwk["kid"] or not jwk["alg"] \
                    or not isinstance(jwk["key_ops"], list):
                return False
            t = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()
            if jwk["x5t#S256"] != t:
                return False
            out = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-modulus"],
                                 input=der, capture_output=True, check=True).stdout
            return out.decode().strip().split("=", 1)[1].lower() == n.hex().lstrip("0")
        except (KeyError, IndexError, TypeError, ValueError, subprocess.CalledProcessError):
            return False

    def sd_download(self, h, claims):
        """HSMSecurityDomain_Download: 202 with the security domain and
        Azure-AsyncOperation to .../download/pending; the HSM turns Active
        once the pending status has been read as Success. Refused: fewer
        than 3 or more than 10 certificates, a quorum outside 2..10 or
        above the certificates' count, a certificate that is not a valid
        RSA key, an HSM already activated (its code and text are the
        fake's: the specification documents no such error)."""
        T = self.T()
        if not self.hsm_allowed(h, claims["oid"], "/securitydomain/download/action"):
            return self.hsm_forbidden(claims, "/securitydomain/download/action", "/securitydomain")
        sdp = h["props"]["securityDomainProperties"]
        if sdp["activationStatus"] == "Active" or h.get("sd"):
            return self.error(409, "Conflict", "The security domain of this managed HSM has "
                              "already been downloaded.")
        try:
            body = json.loads(self.last_body or b"{}")
            certs, req = body["certificates"], int(body.get("required", 2))
        except (ValueError, KeyError, TypeError):
            return self.error(400, "BadParameter", "The request body is not a CertificateInfoObject.")
        if not isinstance(certs, list) or not 3 <= len(certs) <= 10:
            return self.error(400, "BadParameter", "Between 3 and 10 certificates are required.")
        if not 2 <= req <= 10 or req > len(certs):
            return self.error(400, "BadParameter", "The quorum (required) must be between 2 and "
                              "the number of certificates.")
        for c in certs:
            if not isinstance(c, dict) or not self.sd_cert_ok(c):
                return self.error(400, "BadParameter", "A certificate is not a valid RSA public "
                                  "key in JWK format with its x5c.")
        blob = json.dumps({"fake-security-domain": h["name"], "required": req,
                           "certificates": [c["x5t#S256"] for c in certs]})
        with T.lock:
            h["sd"] = {"polls": 0, "certs": len(certs), "required": req}
            T.sd_downloads = getattr(T, "sd_downloads", 0) + 1
        pending = "https://%s%s/securitydomain/download/pending" % (h["name"].lower(), HSM_SUFFIX)
        return self.send_json(202, {"value": blob}, {"Azure-AsyncOperation": pending,
                                                     "Retry-After": "1"})

    def sd_pending(self, h):
        sd = h.get("sd")
        if not sd:
            return self.error(404, "NotFound", "No security domain download is pending.")
        sd["polls"] += 1
        if sd["polls"] < 2:
            return self.send_json(200, {"status": "InProgress", "status_details": "Downloading"})
        h["props"]["securityDomainProperties"].update({
            "activationStatus": "Active",
            "activationStatusMessage": "Your HSM has been activated and can be used for "
                                       "cryptographic operations."})
        return self.send_json(200, {"status": "Success", "status_details": "The security domain "
                                    "was downloaded."})

    def hsm_forbidden(self, claims, action, resource):
        return self.error(403, "Forbidden",
                          "Caller is not authorized to perform action on resource.\r\n"
                          "Caller: oid=%s\r\nAction: '%s%s'\r\nResource: '%s'\r\n"
                          "Assignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC'"
                          % (claims["oid"], P, action, resource), inner="AccessDenied")

