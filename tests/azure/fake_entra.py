"""Entra ID for the fake Azure (tests/azure/fake.py): the v2.0 device-code,
refresh-token and client-credentials grants, with client assertions checked
and their RS256 signatures verified by the openssl command. Test fixture only."""
import hashlib
import json
import os
import secrets
import ssl
import subprocess
import tempfile
import time
import urllib.parse

from fake_world import LOGIN, RES, oid_for, resource_of_scope, unb64url, b64url


class EntraMixin:
    """login.fake.test: mixed into the request handler."""

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
        life = claims["exp"] - claims["iat"]
        return self.send_json(200, {"token_type": "Bearer", "expires_in": life,
                                    "ext_expires_in": life, "access_token": tok,
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
