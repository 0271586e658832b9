/* evidence_version.c: evidence forms added with catalogue version 2.
 *
 *   request-id    an onboarding service request ID: 4..64 letters, digits
 *                 and hyphens with at least one digit, no leading, trailing
 *                 or double hyphen (the module prints it; a GUID fits)
 *   tool-version  "<tool> <version>": the tool one of the names in
 *                 steps_tools[] (case-insensitive), the version 1 to 4
 *                 dot-separated numbers compared numerically with that
 *                 tool's minimum (so 6.10.0 > 6.9.1 and "hello" or "4.1"
 *                 for Az.KeyVault are refused) -> "<tool as listed> <version>"
 *   new-key-uri   the versionless URI of a NEW key in this DEP's vault on the
 *                 side the evidence id ends with (_A, _B):
 *                 https://<that vault>.vault.azure.net[:443]/keys/<name>,
 *                 name 1-127 letters, digits and hyphens and not the key the
 *                 plan already has there (replacing a key by itself rolls
 *                 nothing) -> https://<vault>.vault.azure.net/keys/<name> */
#include "ck.h"
#include "steps_int.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What the rendered commands need (doc/steps.md names the sources):
 * New-AzKeyVault -DisableRbacAuthorization exists from Az.KeyVault 6.0.0
 * (Az 12.0.0); az keyvault create --enable-rbac-authorization from the
 * Azure CLI release after 2020-04-22 (2.5.0), --no-self-perms long before. */
const struct steps_tool steps_tools[] = {
	{ "Az.KeyVault", "6.0.0" },
	{ "azure-cli", "2.5.0" },
};
const size_t steps_tools_len = CK_ARRAY_LEN(steps_tools);

/* Parses "1.2.3" into up to four numbers; -1 when it is not such a version. */
static int version_parse(const char *v, long out[4])
{
	int n = 0;
	const char *p = v;
	memset(out, 0, 4 * sizeof *out);
	for (;;) {
		if (!isdigit((unsigned char)*p) || n == 4)
			return -1;
		long x = 0;
		int digits = 0;
		while (isdigit((unsigned char)*p)) {
			if (++digits > 9)
				return -1;
			x = x * 10 + (*p++ - '0');
		}
		out[n++] = x;
		if (*p == '\0')
			return n;
		if (*p++ != '.')
			return -1;
	}
}

int steps_version_cmp(const char *a, const char *b)
{
	long x[4], y[4];
	if (version_parse(a, x) < 0 || version_parse(b, y) < 0)
		return -2;
	for (int i = 0; i < 4; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

int steps_check_tool_version(const char *v, const struct evidence_spec *e, char **out,
			     char **err)
{
	const char *sp = strchr(v, ' ');
	const struct steps_tool *t = NULL;
	if (!sp)
		return steps_evidence_fail(err, e, _("write the tool and its version, e.g. "
						     "\"Az.KeyVault 6.2.1\" or \"azure-cli 2.67.0\""));
	for (size_t i = 0; i < steps_tools_len; i++)
		if (strlen(steps_tools[i].name) == (size_t)(sp - v) &&
		    strncasecmp(v, steps_tools[i].name, (size_t)(sp - v)) == 0)
			t = &steps_tools[i];
	if (!t)
		return steps_evidence_fail(err, e, _("the tool is Az.KeyVault (PowerShell) or "
						     "azure-cli (bash)"));
	while (*sp == ' ')
		sp++;
	const char *ver = sp[0] == 'v' ? sp + 1 : sp;
	int cmp = steps_version_cmp(ver, t->minimum);
	if (cmp == -2)
		return steps_evidence_fail(err, e, _("a version is numbers and dots, like 6.2.1"));
	if (cmp < 0)
		return steps_evidence_fail(err, e, _("%s %s is older than %s, which the commands "
						     "need: update it first"),
					   t->name, ver, t->minimum);
	*out = xasprintf("%s %s", t->name, ver);
	return 0;
}

int steps_check_request_id(const char *v, const struct evidence_spec *e, char **out, char **err)
{
	size_t n = strlen(v);
	bool digit = false;
	if (n < 4 || n > 64)
		return steps_evidence_fail(err, e, _("a request ID has 4 to 64 characters; this "
						     "has %zu"), n);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];
		if (isdigit(ch))
			digit = true;
		else if (!(isalpha(ch) && ch < 0x80) && ch != '-')
			return steps_evidence_fail(err, e, _("only letters, digits and hyphens belong "
							     "in a request ID (character %zu is not "
							     "one)"), i + 1);
	}
	if (!digit || v[0] == '-' || v[n - 1] == '-' || strstr(v, "--"))
		return steps_evidence_fail(err, e, _("this does not look like a request ID: copy "
						     "it from New-CustomerKeyOnboardingRequest's "
						     "output"));
	*out = xstrdup(v);
	return 0;
}

static const char *eat_ci(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncasecmp(s, prefix, n) == 0 ? s + n : NULL;
}

int steps_check_new_key_uri(const struct step *s, const char *v, const struct evidence_spec *e,
			    char **out, char **err)
{
	size_t idn = strlen(e->id);
	int side = idn >= 2 && e->id[idn - 2] == '_' ? (e->id[idn - 1] == 'A'   ? CK_SIDE_A
							: e->id[idn - 1] == 'B' ? CK_SIDE_B
										: -1)
						       : -1;
	if (!s->dep || side < 0)
		return steps_evidence_fail(err, e, _("this step has no vault to compare with"));
	const char *vault = s->dep->side[side].vault, *old = s->dep->side[side].key;
	const char *domain = inventory_store_domain(s->dep);
	const char *p = eat_ci(v, "https://");
	const char *q = p ? eat_ci(p, vault) : NULL;
	q = q ? eat_ci(q, domain) : NULL;
	if (q && *q == ':')
		q = eat_ci(q, ":443");
	q = q ? eat_ci(q, "/keys/") : NULL;
	if (!q)
		return steps_evidence_fail(err, e, _("the URI must start https://%s%s/keys/ (side "
						     "%c's key store of this policy)"),
					   vault, domain, ck_side_letter(side));
	size_t n = strspn(q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
	if (n == 0 || n > 127 || (q[n] != '\0' && q[n] != '/'))
		return steps_evidence_fail(err, e, _("a key name is 1 to 127 letters, digits and "
						     "hyphens"));
	if (q[n] == '/')
		return steps_evidence_fail(err, e, _("give the versionless URI (no /<version>): the "
						     "policy follows the key's current version"));
	if (strlen(old) == n && strncasecmp(q, old, n) == 0)
		return steps_evidence_fail(err, e, _("%s is the key the policy has now: replacing "
						     "it by itself rolls nothing"), old);
	char *name = xstrndup(q, n);
	*out = inventory_store_key_uri(domain, vault, name, NULL);
	free(name);
	return 0;
}
