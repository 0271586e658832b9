/* endpoints.c: the named clouds as data, and the endpoints file. */
#include "ck.h"
#include "azure/endpoints.h"
#include "buf.h"
#include "fileread.h"
#include "util.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Values from Microsoft's national-cloud pages (doc/azure.md names them). */
static const struct {
	const char *name, *authority, *arm, *vault_suffix, *graph, *hsm_suffix;
} ep_clouds[] = {
	{ "public", "https://login.microsoftonline.com", "https://management.azure.com",
	  "vault.azure.net", "https://graph.microsoft.com", "managedhsm.azure.net" },
	{ "usgov", "https://login.microsoftonline.us", "https://management.usgovcloudapi.net",
	  "vault.usgovcloudapi.net", "https://graph.microsoft.us", "managedhsm.usgovcloudapi.net" },
	{ "china", "https://login.chinacloudapi.cn", "https://management.chinacloudapi.cn",
	  "vault.azure.cn", "https://microsoftgraph.chinacloudapi.cn", "managedhsm.azure.cn" },
};

const char *const endpoints_cloud_names[] = { "public", "usgov", "china", NULL };

static struct endpoints *ep_new(const char *name, const char *authority, const char *arm,
				const char *suffix, const char *graph, const char *hsm_suffix)
{
	struct endpoints *e = xcalloc(1, sizeof(*e));
	e->name = xstrdup(name);
	e->authority = xstrdup(authority);
	e->arm = xstrdup(arm);
	e->vault_suffix = xstrdup(suffix);
	e->graph = xstrdup(graph);
	e->resource[AZ_RES_ARM] = xstrdup(arm);
	e->resource[AZ_RES_VAULT] = xasprintf("https://%s", suffix);
	e->resource[AZ_RES_GRAPH] = xstrdup(graph);
	e->hsm_suffix = xstrdup(hsm_suffix);
	e->resource[AZ_RES_HSM] = xasprintf("https://%s", hsm_suffix);
	return e;
}

struct endpoints *endpoints_cloud(const char *name, char **err)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(ep_clouds); i++)
		if (util_strcaseeq(name, ep_clouds[i].name))
			return ep_new(ep_clouds[i].name, ep_clouds[i].authority, ep_clouds[i].arm,
				      ep_clouds[i].vault_suffix, ep_clouds[i].graph,
				      ep_clouds[i].hsm_suffix);
	*err = xasprintf(_("unknown cloud '%s': public, usgov or china, or --endpoints FILE "
			   "for any other"), name);
	return NULL;
}

void endpoints_free(struct endpoints *e)
{
	if (!e)
		return;
	free(e->name);
	free(e->authority);
	free(e->arm);
	free(e->vault_suffix);
	free(e->hsm_suffix);
	free(e->graph);
	for (int r = 0; r < AZ_RES_COUNT; r++)
		free(e->resource[r]);
	for (int i = 0; i < e->n_connect_to; i++)
		free(e->connect_to[i]);
	free(e->connect_to);
	free(e);
}

/* Host characters we accept: letters, digits, '-', '.' (and ':' for a port
 * only where allowed). Anything else in a host is a typo or an attack. */
static bool ep_host_ok(const char *h, size_t n, bool port)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || (port && c == ':')))
			return false;
	}
	return true;
}

/* The host of an https URL (without port), or NULL. */
static char *ep_url_host(const char *url)
{
	if (!util_has_prefix(url, "https://"))
		return NULL;
	const char *h = url + strlen("https://");
	size_t n = strcspn(h, "/?#");
	if (!ep_host_ok(h, n, true))
		return NULL;
	size_t hn = strcspn(h, ":/?#");
	return xstrndup(h, hn);
}

static bool ep_host_is(const char *host, const char *base_url)
{
	char *b = ep_url_host(base_url);
	bool ok = b && util_strcaseeq(host, b);
	free(b);
	return ok;
}

bool endpoints_host_allowed(const struct endpoints *e, enum az_resource r, const char *url)
{
	char *host = ep_url_host(url);
	if (!host)
		return false;
	bool ok = false;
	switch (r) {
	case AZ_RES_ARM:
		ok = ep_host_is(host, e->arm);
		break;
	case AZ_RES_GRAPH:
		ok = ep_host_is(host, e->graph);
		break;
	case AZ_RES_VAULT:
	case AZ_RES_HSM: {
		const char *suffix = r == AZ_RES_VAULT ? e->vault_suffix : e->hsm_suffix;
		if (!suffix)
			break;
		size_t hl = strlen(host), sl = strlen(suffix);
		/* NAME.SUFFIX with a non-empty name and no further dots in it. */
		ok = hl > sl + 1 && host[hl - sl - 1] == '.' && util_strcaseeq(host + hl - sl, suffix) &&
		     memchr(host, '.', hl - sl - 1) == NULL;
		break;
	}
	default:
		break;
	}
	free(host);
	return ok;
}

const char *endpoints_resource_name(enum az_resource r)
{
	static const char *const names[AZ_RES_COUNT] = { "ARM", "Key Vault", "Microsoft Graph",
							 "Managed HSM" };
	return r < AZ_RES_COUNT ? names[r] : "?";
}

char *endpoints_vault_url(const struct endpoints *e, const char *vault)
{
	return xasprintf("https://%s.%s", vault, e->vault_suffix);
}

/* ---- the endpoints file ---- */

enum ep_kind { EPK_URL, EPK_HOST, EPK_TEXT, EPK_CONNECT };

static const struct {
	const char *key;
	enum ep_kind kind;
	size_t off;
} ep_keys[] = {
	{ "name", EPK_TEXT, offsetof(struct endpoints, name) },
	{ "authority", EPK_URL, offsetof(struct endpoints, authority) },
	{ "arm", EPK_URL, offsetof(struct endpoints, arm) },
	{ "arm-resource", EPK_URL, offsetof(struct endpoints, resource[AZ_RES_ARM]) },
	{ "vault-suffix", EPK_HOST, offsetof(struct endpoints, vault_suffix) },
	{ "vault-resource", EPK_URL, offsetof(struct endpoints, resource[AZ_RES_VAULT]) },
	{ "graph", EPK_URL, offsetof(struct endpoints, graph) },
	{ "graph-resource", EPK_URL, offsetof(struct endpoints, resource[AZ_RES_GRAPH]) },
	{ "hsm-suffix", EPK_HOST, offsetof(struct endpoints, hsm_suffix) },
	{ "hsm-resource", EPK_URL, offsetof(struct endpoints, resource[AZ_RES_HSM]) },
	{ "connect-to", EPK_CONNECT, 0 },
};

static char *ep_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* curl's --connect-to form HOST:PORT:CONNECT-HOST:CONNECT-PORT, where HOST
 * and PORT may be empty (any). Only names and digits: it ends up in a curl
 * option, never in a shell. */
static bool ep_connect_ok(const char *v)
{
	int colons = 0;
	for (const char *p = v; *p; p++)
		if (*p == ':')
			colons++;
	return colons == 3 && ep_host_ok(v, strlen(v), true) && v[strlen(v) - 1] != ':';
}

static char *ep_value(enum ep_kind kind, char *v, const char **why)
{
	size_t n = strlen(v);
	switch (kind) {
	case EPK_URL: {
		while (n > 8 && v[n - 1] == '/')
			v[--n] = '\0';
		if (util_has_prefix(v, "http://")) {
			*why = _("plain http is refused: tokens travel only over https");
			return NULL;
		}
		char *h = ep_url_host(v);
		if (!h) {
			*why = _("expected an https:// URL");
			return NULL;
		}
		free(h);
		return xstrdup(v);
	}
	case EPK_HOST:
		if (!ep_host_ok(v, n, false) || v[0] == '.' || v[n - 1] == '.') {
			*why = _("expected a DNS suffix such as vault.azure.net");
			return NULL;
		}
		return xstrdup(v);
	case EPK_CONNECT:
		if (!ep_connect_ok(v)) {
			*why = _("expected HOST:PORT:CONNECT-HOST:CONNECT-PORT (HOST and PORT may be empty)");
			return NULL;
		}
		return xstrdup(v);
	case EPK_TEXT:
	default:
		if (!ep_host_ok(v, n, false)) {
			*why = _("letters, digits, '-' and '.' only");
			return NULL;
		}
		return xstrdup(v);
	}
}

struct endpoints *endpoints_parse(const char *name, const char *text, char **err)
{
	struct endpoints *e = xcalloc(1, sizeof(*e));
	char *copy = xstrdup(text);
	int line = 0;
	const char *why = NULL;
	char *key = NULL;
	for (char *l = copy, *next; l; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		char *s = ep_trim(l);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			why = _("expected 'key = value'");
			key = xstrdup(s);
			goto bad;
		}
		*eq = '\0';
		key = xstrdup(ep_trim(s));
		char *v = ep_trim(eq + 1);
		size_t k;
		for (k = 0; k < CK_ARRAY_LEN(ep_keys); k++)
			if (strcmp(ep_keys[k].key, key) == 0)
				break;
		if (k == CK_ARRAY_LEN(ep_keys)) {
			why = _("unknown key (authority, arm, arm-resource, vault-suffix, "
				"vault-resource, graph, graph-resource, hsm-suffix, hsm-resource, "
				"connect-to, name)");
			goto bad;
		}
		char *val = ep_value(ep_keys[k].kind, v, &why);
		if (!val)
			goto bad;
		if (ep_keys[k].kind == EPK_CONNECT) {
			e->connect_to = xrealloc(e->connect_to,
						 (size_t)(e->n_connect_to + 1) * sizeof(char *));
			e->connect_to[e->n_connect_to++] = val;
		} else {
			char **slot = (char **)((char *)e + ep_keys[k].off);
			if (*slot) {
				free(val);
				why = _("given twice");
				goto bad;
			}
			*slot = val;
		}
		free(key);
		key = NULL;
	}
	if (!e->authority || !e->arm || !e->vault_suffix || !e->graph) {
		*err = xasprintf(_("%s: authority, arm, vault-suffix and graph are required"), name);
		goto fail;
	}
	if (!e->name)
		e->name = xstrdup("custom");
	if (!e->resource[AZ_RES_ARM])
		e->resource[AZ_RES_ARM] = xstrdup(e->arm);
	if (!e->resource[AZ_RES_VAULT])
		e->resource[AZ_RES_VAULT] = xasprintf("https://%s", e->vault_suffix);
	if (!e->resource[AZ_RES_GRAPH])
		e->resource[AZ_RES_GRAPH] = xstrdup(e->graph);
	if (!e->resource[AZ_RES_HSM] && e->hsm_suffix)
		e->resource[AZ_RES_HSM] = xasprintf("https://%s", e->hsm_suffix);
	free(copy);
	return e;
bad:
	*err = xasprintf("%s:%d: %s: %s", name, line, key ? key : "", why);
	free(key);
fail:
	free(copy);
	endpoints_free(e);
	return NULL;
}

struct endpoints *endpoints_load(const char *path, char **err)
{
	char *text = NULL, *why = NULL;
	size_t len = 0;
	switch (fileread(path, 65535, 0, &text, &len, &why)) {
	case FILEREAD_OK:
		break;
	case FILEREAD_TOO_LARGE:
		free(why);
		*err = xasprintf(_("%s: too large for an endpoints file"), path);
		return NULL;
	default:
		*err = xasprintf("%s: %s", path, why);
		free(why);
		return NULL;
	}
	struct endpoints *e = endpoints_parse(path, text, err);
	free(text);
	return e;
}
