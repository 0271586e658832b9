/* entra.c: credentials per side, the device-code flow and token refresh
 * (see entra.h). The az and certificate ways live in entra_az.c and
 * entra_cert.c; what the device flow and the certificate share (the token
 * endpoint's form, POST and answer) in entra_endpoint.c, below all three. */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/entra.h"
#include "azure/entra_int.h"
#include "secret.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The most a device-code answer may ask: a poll a minute, a code a day
 * (Entra ID answers 5 s and 900 s). */
#define ENTRA_POLL_MAX 60.0
#define ENTRA_CODE_LIFE_MAX 86400.0

static const char *const az_signin_names[AZ_SIGNIN_COUNT] = { "device", "az", "cert" };

const char *az_signin_name(enum az_signin m)
{
	return m < AZ_SIGNIN_COUNT ? az_signin_names[m] : "?";
}

int az_signin_parse(const char *s, enum az_signin *m)
{
	for (int i = 0; i < AZ_SIGNIN_COUNT; i++)
		if (strcmp(s, az_signin_names[i]) == 0) {
			*m = (enum az_signin)i;
			return 0;
		}
	return -1;
}

void az_cred_init(struct az_cred *c, enum az_signin m, int side, struct http_client *http,
		  const char *tenant)
{
	memset(c, 0, sizeof(*c));
	c->method = m;
	c->side = side;
	c->http = http;
	c->tenant = xstrdup(tenant);
	c->prompt = stderr;
}

void az_cred_free(struct az_cred *c)
{
	for (int r = 0; r < AZ_RES_COUNT; r++)
		az_token_free(c->tok[r]);
	if (c->refresh)
		secret_free(c->refresh, c->refresh_cap);
	free(c->tenant);
	free(c->client_id);
	free(c->cert_path);
	free(c->az_config);
	free(c->az_program);
	free(c->oid);
	free(c->tid);
	free(c->identity);
	memset(c, 0, sizeof(*c));
}

enum az_poll az_poll_classify(long status, const char *body, size_t len)
{
	if (status == 200)
		return AZ_POLL_TOKEN;
	char *code = NULL, *msg = NULL;
	azjson_error(body, len, &code, &msg);
	enum az_poll p = AZ_POLL_ERROR;
	if (status == 400 && code) {
		if (strcmp(code, "authorization_pending") == 0)
			p = AZ_POLL_PENDING;
		else if (strcmp(code, "slow_down") == 0)
			p = AZ_POLL_SLOW_DOWN;
		else if (strcmp(code, "authorization_declined") == 0 ||
			 strcmp(code, "access_denied") == 0)
			p = AZ_POLL_DECLINED;
		else if (strcmp(code, "expired_token") == 0 || strcmp(code, "code_expired") == 0)
			p = AZ_POLL_EXPIRED;
	}
	free(code);
	free(msg);
	return p;
}

static void entra_sleep(long seconds)
{
	struct timespec ts = { seconds, 0 };
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* RFC 8628: ask for a code, show it, poll until the person has signed in. */
static int entra_device(struct az_cred *c, enum az_resource res, char **err)
{
	struct buf form = BUF_INIT;
	char *scope = entra_scope(c, res, true);
	az_form_add(&form, "client_id", c->client_id ? c->client_id : AZ_DEFAULT_PUBLIC_CLIENT);
	az_form_add(&form, "scope", scope);
	free(scope);
	char *what = xasprintf(_("device code for side %c"), ck_side_letter(c->side));
	struct http_req *r = entra_post(c, "devicecode", &form, what);
	free(what);
	if (r->fail != HTTP_OK || r->status != 200) {
		*err = entra_failure(r, _("device sign-in could not start"));
		http_req_free(r);
		return -1;
	}
	const char *perr = NULL;
	cJSON *o = azjson_parse(r->resp.p, r->resp.len, &perr);
	const char *dc = o ? azjson_str(o, "device_code") : NULL;
	const char *uc = o ? azjson_str(o, "user_code") : NULL;
	const char *uri = o ? azjson_str(o, "verification_uri") : NULL;
	double interval = 5, expires = 900;
	if (o) {
		(void)azjson_num(o, "interval", &interval);
		(void)azjson_num(o, "expires_in", &expires);
	}
	if (!dc || !uc || !uri) {
		char *lacks = xasprintf(_("no %s"), !dc ? "device_code" : !uc ? "user_code"
					: "verification_uri");
		*err = xasprintf(_("device sign-in could not start: device code for side %c: the "
				   "answer is unusable (%s): run again; if it persists, check the "
				   "endpoints (--endpoints) and what sits between this machine and "
				   "Entra ID"), ck_side_letter(c->side), o ? lacks : perr ? perr : "?");
		free(lacks);
		cJSON_Delete(o);
		http_req_free(r);
		return -1;
	}
	size_t dcap = strlen(dc) + 1;
	char *device_code = secret_alloc(dcap);
	memcpy(device_code, dc, dcap);
	char *vuri = text_visible_line(uri), *vcode = text_visible_line(uc);
	if (c->show_code) {
		c->show_code(c->show_cookie, c->side, c->who ? c->who : "?", vuri, vcode);
	} else {
		fprintf(c->prompt, _("Sign-in for %s: open %s and enter the code %s\n"),
			c->who ? c->who : "?", vuri, vcode);
		fflush(c->prompt);
	}
	free(vuri);
	free(vcode);
	cJSON_Delete(o);
	http_req_free(r);
	/* RFC 8628 gives 5 s and 15 min where they are absent; an answer's own
	 * values are kept to what a person signing in can use */
	interval = azjson_clamp(interval, 1, ENTRA_POLL_MAX);
	expires = azjson_clamp(expires, 1, ENTRA_CODE_LIFE_MAX);
	time_t deadline = time(NULL) + (time_t)expires;
	int rc = -1;
	for (int polls = 0; polls < 10000; polls++) {
		if (time(NULL) > deadline) {
			*err = xasprintf(_("device sign-in for side %c: the code expired before it "
					   "was used: run again and sign in sooner"), ck_side_letter(c->side));
			break;
		}
		entra_sleep((long)interval);
		az_form_add(&form, "grant_type", "urn:ietf:params:oauth:grant-type:device_code");
		az_form_add(&form, "client_id", c->client_id ? c->client_id : AZ_DEFAULT_PUBLIC_CLIENT);
		az_form_add(&form, "device_code", device_code);
		what = xasprintf(_("sign-in for side %c"), ck_side_letter(c->side));
		r = entra_post(c, "token", &form, what);
		free(what);
		enum az_poll p = r->fail == HTTP_OK ? az_poll_classify(r->status, r->resp.p, r->resp.len)
						    : AZ_POLL_ERROR;
		if (p == AZ_POLL_TOKEN) {
			rc = entra_take_tokens(c, res, r, err);
			http_req_free(r);
			break;
		}
		if (p == AZ_POLL_PENDING) {
			http_req_free(r);
			continue;
		}
		if (p == AZ_POLL_SLOW_DOWN) {
			interval += 5; /* RFC 8628 section 3.5 */
			http_req_free(r);
			continue;
		}
		if (p == AZ_POLL_DECLINED)
			*err = xasprintf(_("device sign-in for side %c was declined: run again and "
					   "accept it as the plan's operator"), ck_side_letter(c->side));
		else if (p == AZ_POLL_EXPIRED)
			*err = xasprintf(_("device sign-in for side %c: the code expired: run again"),
					 ck_side_letter(c->side));
		else
			*err = entra_failure(r, _("device sign-in failed"));
		http_req_free(r);
		break;
	}
	secret_free(device_code, dcap);
	return rc;
}

/* One sign-in buys a refresh token; it buys the other resources' tokens. */
static int entra_refresh(struct az_cred *c, enum az_resource res, char **err)
{
	struct buf form = BUF_INIT;
	char *scope = entra_scope(c, res, true);
	az_form_add(&form, "grant_type", "refresh_token");
	az_form_add(&form, "client_id", c->client_id ? c->client_id : AZ_DEFAULT_PUBLIC_CLIENT);
	az_form_add(&form, "refresh_token", c->refresh);
	az_form_add(&form, "scope", scope);
	free(scope);
	char *what = xasprintf(_("%s token for side %c"), endpoints_resource_name(res),
			       ck_side_letter(c->side));
	struct http_req *r = entra_post(c, "token", &form, what);
	free(what);
	int rc;
	char *code = NULL, *msg = NULL;
	bool unauthorized = r->fail == HTTP_OK && r->status == 401;
	if (r->fail == HTTP_OK && (r->status == 400 || unauthorized))
		azjson_error(r->resp.p, r->resp.len, &code, &msg);
	if (unauthorized || (code && (strcmp(code, "invalid_grant") == 0 ||
				      strcmp(code, "interaction_required") == 0))) {
		/* RFC 6749 section 5.2: the refresh token is revoked, expired or
		 * needs the person again (or the endpoint refuses the request
		 * outright, 401); retrying it cannot help, so it is dropped and
		 * the side signs in again */
		secret_free(c->refresh, c->refresh_cap);
		c->refresh = NULL;
		c->refresh_cap = 0;
		c->lost = true;
		char *vc = text_visible_line(code ? code : _("(no error code)"));
		char *vm = text_visible_line(msg ? msg : _("(no message)"));
		*err = xasprintf(_("token refresh failed: %s token for side %c: Entra ID no longer "
				   "accepts this sign-in (HTTP %ld %s: %s): sign in again"),
				 endpoints_resource_name(res), ck_side_letter(c->side), r->status,
				 vc, vm);
		free(vc);
		free(vm);
		rc = -1;
	} else if (r->fail != HTTP_OK || r->status != 200) {
		*err = entra_failure(r, _("token refresh failed"));
		rc = -1;
	} else if ((rc = entra_take_tokens(c, res, r, err)) != 0) {
		/* the refresh, not the first sign-in, is what failed */
		char *why = *err;
		*err = xasprintf("%s: %s", _("token refresh failed"), why);
		free(why);
	}
	free(code);
	free(msg);
	http_req_free(r);
	return rc;
}

const struct az_token *az_cred_token(struct az_cred *c, enum az_resource r, time_t now,
				     char **err)
{
	/* A sign-in refused for good gives nothing, not even a token cached
	 * for another service before the refusal. */
	if (c->lost) {
		*err = xasprintf(_("side %c: Entra ID no longer accepts this sign-in: sign in "
				   "again"), ck_side_letter(c->side));
		return NULL;
	}
	if (c->refused) {
		*err = xasprintf(_("side %c: this sign-in gave a token of another identity and is "
				   "refused: sign in again"), ck_side_letter(c->side));
		return NULL;
	}
	struct az_token *t = c->tok[r];
	if (t && (t->expires == 0 || t->expires - AZ_TOKEN_MARGIN > now))
		return t;
	/* an endpoints file may leave a service out (hsm-suffix is optional) */
	if (!c->http->ep->resource[r]) {
		*err = xasprintf(_("side %c: the endpoints name no %s service"), ck_side_letter(c->side),
				 endpoints_resource_name(r));
		return NULL;
	}
	int rc;
	switch (c->method) {
	case AZ_SIGNIN_DEVICE:
		rc = c->refresh ? entra_refresh(c, r, err) : entra_device(c, r, err);
		break;
	case AZ_SIGNIN_AZ:
		rc = entra_az_token(c, r, err);
		break;
	case AZ_SIGNIN_CERT:
		rc = entra_cert_token(c, r, now, err);
		break;
	default:
		*err = xstrdup("unknown sign-in method");
		rc = -1;
	}
	if (rc != 0)
		return NULL;
	t = c->tok[r];
	if (!c->oid) {
		c->oid = xstrdup(t->oid);
		c->tid = xstrdup(t->tid);
		c->identity = az_token_identity(t);
	} else if (!util_strcaseeq(t->oid, c->oid) || !util_strcaseeq(t->tid, c->tid)) {
		/* an az CLI whose account was switched, say: the token is
		 * dropped with every other, and the side signs in again */
		char *who = az_token_identity(t);
		/* both as a screen can show them: the claims are Azure's text */
		char *vwho = text_visible_line(who), *vpin = text_visible_line(c->identity);
		*err = xasprintf(_("side %c: the new %s token is of %s, not of %s, the identity "
				   "signed in: sign in again"),
				 ck_side_letter(c->side), endpoints_resource_name(r), vwho, vpin);
		free(vpin);
		free(vwho);
		free(who);
		for (int i = 0; i < AZ_RES_COUNT; i++) {
			az_token_free(c->tok[i]);
			c->tok[i] = NULL;
		}
		if (c->refresh)
			secret_free(c->refresh, c->refresh_cap);
		c->refresh = NULL;
		c->refresh_cap = 0;
		c->refused = true;
		return NULL;
	}
	if (t->expires != 0 && t->expires - AZ_TOKEN_MARGIN <= now) {
		*err = xasprintf(_("side %c: the %s token is already (nearly) expired: sign in "
				   "again"), ck_side_letter(c->side), endpoints_resource_name(r));
		return NULL;
	}
	return t;
}

int az_identity_check(const struct az_token *t, const char *tenant, const char *expect_upn,
		      const char *expect_oid, const char *expect_app, char **err)
{
	char *who = az_token_identity(t);
	char *vwho = text_visible_line(who);
	free(who);
	int rc = -1;
	if (!util_strcaseeq(t->tid, tenant)) {
		*err = xasprintf(_("side %c: signed in as %s, in another tenant than the plan's "
				   "%s: sign in to the plan's tenant"), ck_side_letter(t->side), vwho,
				 tenant);
	} else if (expect_app) {
		if (t->upn || !util_strcaseeq(t->appid, expect_app))
			*err = xasprintf(_("side %c: signed in as %s, not as the application %s "
					   "given for this side"), ck_side_letter(t->side), vwho,
					 expect_app);
		else
			rc = 0;
	} else if (expect_oid ? util_strcaseeq(t->oid, expect_oid)
			      : (expect_upn && t->upn && util_strcaseeq(t->upn, expect_upn))) {
		/* an object ID, when the plan gives one, is the stronger name: a
		 * UPN can be renamed or given to someone else */
		rc = 0;
	} else {
		*err = xasprintf(_("side %c: signed in as %s, but the plan names %s as the "
				   "operator of this side: sign in as that person; a token of "
				   "another identity is never used"), ck_side_letter(t->side), vwho,
				 expect_oid ? expect_oid : expect_upn ? expect_upn : "?");
	}
	free(vwho);
	return rc;
}
