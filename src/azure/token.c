/* token.c: access tokens in secret memory, and the claims that say whose
 * they are (see token.h). */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/token.h"
#include "secret.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static char *tok_claim(const cJSON *o, const char *name)
{
	const char *v = azjson_str(o, name);
	return v && *v ? xstrdup(v) : NULL;
}

struct az_token *az_token_new(const char *access, size_t len, enum az_resource r, int side,
			      char **err)
{
	const char *dot1 = memchr(access, '.', len);
	const char *dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - access)) : NULL;
	if (!dot1 || !dot2 || len > 64 * 1024) {
		*err = xstrdup(_("the access token is not a JWT"));
		return NULL;
	}
	size_t plen = (size_t)(dot2 - dot1 - 1);
	unsigned char *payload = secret_alloc(plen + 4);
	long got = azjson_b64url_decode(dot1 + 1, plen, payload, plen + 3);
	const char *perr = NULL;
	cJSON *o = got > 0 ? azjson_parse((const char *)payload, (size_t)got, &perr) : NULL;
	secret_free(payload, plen + 4);
	if (!o) {
		*err = xstrdup(_("the access token's claims cannot be read"));
		return NULL;
	}
	struct az_token *t = xcalloc(1, sizeof(*t));
	t->resource = r;
	t->side = side;
	t->oid = tok_claim(o, "oid");
	t->tid = tok_claim(o, "tid");
	t->upn = tok_claim(o, "upn");
	if (!t->upn)
		t->upn = tok_claim(o, "unique_name");
	t->appid = tok_claim(o, "appid");
	if (!t->appid)
		t->appid = tok_claim(o, "azp");
	/* exp is a NumericDate (RFC 7519, seconds since 1970). One past the
	 * year 9999 (infinity included) is no date, and is read as absent; one
	 * at or before 1970 (0 and below, minus infinity) is a date long past:
	 * 1, expired, never 0, which means no expiry. */
	double exp = 0;
	if (azjson_num(o, "exp", &exp) && exp < AZJSON_TIME_END)
		t->expires = (time_t)azjson_clamp(exp, 1, AZJSON_TIME_END);
	cJSON_Delete(o);
	if (!t->oid || !t->tid) {
		*err = xstrdup(_("the access token names no object ID (oid) or tenant (tid)"));
		az_token_free(t);
		return NULL;
	}
	t->cap = len + 1;
	t->access = secret_alloc(t->cap);
	memcpy(t->access, access, len);
	t->access[len] = '\0';
	return t;
}

void az_token_free(struct az_token *t)
{
	if (!t)
		return;
	secret_free(t->access, t->cap);
	free(t->oid);
	free(t->tid);
	free(t->upn);
	free(t->appid);
	free(t);
}

char *az_token_identity(const struct az_token *t)
{
	if (t->upn)
		return xasprintf("%s (object %s, tenant %s)", t->upn, t->oid, t->tid);
	return xasprintf("application %s (object %s, tenant %s)", t->appid ? t->appid : "?",
			 t->oid, t->tid);
}
