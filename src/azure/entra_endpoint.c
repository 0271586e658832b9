/* entra_endpoint.c: talking to Entra's token endpoint: the urlencoded form
 * (wiped when sent), the POST, a failure's description and the tokens of a
 * good answer. Both the device-code flow (entra.c) and the certificate
 * sign-in (entra_cert.c) use it, and entra.c dispatches to entra_cert.c, so
 * it sits below both rather than in entra.c. */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/entra.h"
#include "azure/entra_int.h"
#include "secret.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void az_form_add(struct buf *b, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	if (b->len)
		http_buf_add_wiped(b, "&", 1);
	http_buf_add_wiped(b, name, strlen(name));
	http_buf_add_wiped(b, "=", 1);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			http_buf_add_wiped(b, p, 1);
		} else {
			char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			http_buf_add_wiped(b, esc, 3);
		}
	}
}

char *entra_url(const struct az_cred *c, const char *leaf)
{
	return xasprintf("%s/%s/oauth2/v2.0/%s", c->http->ep->authority, c->tenant, leaf);
}

char *entra_scope(const struct az_cred *c, enum az_resource r, bool offline)
{
	return xasprintf("%s/.default%s", c->http->ep->resource[r], offline ? " offline_access" : "");
}

/* POST a form; the body is wiped when the request is freed. */
struct http_req *entra_post(struct az_cred *c, const char *leaf, struct buf *form, const char *what)
{
	char *url = entra_url(c, leaf);
	struct http_req *r = http_req_new("POST", url, c->side, what);
	free(url);
	http_req_set_body(r, "application/x-www-form-urlencoded", buf_str(form), form->len);
	buf_free_secret(form);
	http_run(c->http, &r, 1);
	return r;
}

char *entra_failure(const struct http_req *r, const char *doing)
{
	char *d = http_describe(r);
	char *out = xasprintf("%s: %s", doing, d);
	free(d);
	return out;
}

int entra_take_tokens(struct az_cred *c, enum az_resource res, const struct http_req *r, char **err)
{
	const char *perr = NULL;
	cJSON *o = azjson_parse(r->resp.p, r->resp.len, &perr);
	const char *access = o ? azjson_str(o, "access_token") : NULL;
	if (!access) {
		char *what = text_visible_line(r->what);
		*err = xasprintf(_("%s: the token answer is unusable (%s): run again; if it "
				   "persists, check the endpoints (--endpoints) and what sits "
				   "between this machine and Entra ID"),
				 what, perr ? perr : _("no access_token"));
		free(what);
		cJSON_Delete(o);
		return -1;
	}
	struct az_token *t = az_token_new(access, strlen(access), res, c->side, err);
	if (!t) {
		cJSON_Delete(o);
		return -1;
	}
	const char *refresh = azjson_str(o, "refresh_token");
	if (refresh) {
		if (c->refresh)
			secret_free(c->refresh, c->refresh_cap);
		c->refresh_cap = strlen(refresh) + 1;
		c->refresh = secret_alloc(c->refresh_cap);
		memcpy(c->refresh, refresh, c->refresh_cap);
	}
	cJSON_Delete(o);
	az_token_free(c->tok[res]);
	c->tok[res] = t;
	return 0;
}
