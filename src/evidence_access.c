/* evidence_access.c: the vault's access policies as the operator pasted
 * them (vault.access_check, catalogue version 2), compared with the plan.
 *
 * One line per principal, as the step's commands print it:
 *   PRINCIPAL | keys: a, b | secrets: ... | certificates: ... | storage: ...
 * PRINCIPAL names the principal by a UPN or an application ID (Az prints
 * the display name with the UPN; the bash block looks them up). Every line
 * must be an administrator of this subscription (keys exactly the plan's
 * administrator permissions) or the workload's Microsoft 365 service
 * principal (keys exactly wrapKey, unwrapKey, get), with no secret,
 * certificate or storage permission; each of them must appear, and no one
 * else: a principal the plan does not name (the vault's creator, whose
 * default policy holds every permission, delete and purge included) fails
 * the step. Blank lines are ignored. Normalised: the lines, trimmed. */
#include "ck.h"
#include "buf.h"
#include "steps_int.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const sp_perms[] = { "wrapKey", "unwrapKey", "get" };
/* The plan loader fills this default in; a plan built by hand may not. */
static const char *const admin_default[] = { "create", "import", "list", "get", "backup",
					     "restore" };
static const char *const lists[] = { "keys", "secrets", "certificates", "storage" };

static char *trim_dup(const char *a, const char *b)
{
	while (a < b && isspace((unsigned char)*a))
		a++;
	while (b > a && isspace((unsigned char)b[-1]))
		b--;
	return xstrndup(a, (size_t)(b - a));
}

static bool has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = hay; n && *p; p++)
		if (strncasecmp(p, needle, n) == 0)
			return true;
	return false;
}

/* Whether the comma/space separated list holds exactly the names given. */
static bool same_set(const char *list, const char *const *want, size_t n_want, char **extra)
{
	bool seen[32] = { false };
	const char *p = list;
	*extra = NULL;
	if (n_want > CK_ARRAY_LEN(seen))
		return false;
	while (*p) {
		size_t len = strcspn(p, ", ");
		if (len) {
			size_t i;
			for (i = 0; i < n_want; i++)
				if (strlen(want[i]) == len && strncasecmp(p, want[i], len) == 0)
					break;
			if (i == n_want) {
				*extra = xstrndup(p, len);
				return false;
			}
			seen[i] = true;
		}
		p += len;
		p += strspn(p, ", ");
	}
	for (size_t i = 0; i < n_want; i++)
		if (!seen[i])
			return false; /* one missing: reported as "must hold exactly" */
	return true;
}

static int line_check(const struct catalogue *c, const struct step *s, const char *line,
		      bool *admin_seen, bool *sp_seen, const struct evidence_spec *e, char **err)
{
	const struct plan *p = c->plan;
	const struct plan_subscription *ps = &p->sub[s->side];
	enum plan_workload w = s->dep->workload;
	const char *bar = strchr(line, '|');
	if (!bar)
		return steps_evidence_fail(err, e, _("a line without \"|\": paste the lines the "
						     "step's command prints"));
	char *who = trim_dup(line, bar);
	long admin = -1;
	for (size_t i = 0; i < ps->n_administrators; i++)
		if (has_ci(who, ps->administrators[i]))
			admin = (long)i;
	bool sp = has_ci(who, plan_workload_app_id(w)) || has_ci(who, plan_workload_app_name(w));
	int rc = 0;
	if (admin < 0 && !sp) {
		rc = steps_evidence_fail(err, e, _("%s holds an access policy but the plan does not "
						   "name it (the vault's creator keeps one unless "
						   "removed): Remove-AzKeyVaultAccessPolicy, then "
						   "check again"), who);
		free(who);
		return rc;
	}
	for (const char *f = bar + 1; rc == 0 && *f;) {
		const char *end = strchr(f, '|');
		if (!end)
			end = f + strlen(f);
		char *field = trim_dup(f, end);
		char *colon = strchr(field, ':');
		char *extra = NULL;
		size_t k = CK_ARRAY_LEN(lists);
		if (colon) {
			*colon = '\0';
			for (k = 0; k < CK_ARRAY_LEN(lists); k++)
				if (strcasecmp(field, lists[k]) == 0)
					break;
		}
		if (k == CK_ARRAY_LEN(lists)) {
			rc = steps_evidence_fail(err, e, _("%s: \"%s\" is not keys, secrets, "
							   "certificates or storage"), who, field);
		} else if (k > 0) {
			if (!same_set(colon + 1, NULL, 0, &extra))
				rc = steps_evidence_fail(err, e, _("%s holds %s permissions (%s): nobody "
								   "in the ceremony needs any"),
							 who, lists[k], extra);
		} else if (sp) {
			if (!same_set(colon + 1, sp_perms, CK_ARRAY_LEN(sp_perms), &extra))
				rc = steps_evidence_fail(err, e, _("%s must hold exactly wrapKey, "
								   "unwrapKey and get on keys%s%s"),
							 who, extra ? _(", not ") : "",
							 extra ? extra : "");
		} else if (!same_set(colon + 1,
				     p->kv.n_admin_permissions
					     ? (const char *const *)p->kv.admin_permissions
					     : admin_default,
				     p->kv.n_admin_permissions ? p->kv.n_admin_permissions
							       : CK_ARRAY_LEN(admin_default),
				     &extra)) {
			rc = steps_evidence_fail(err, e, _("administrator %s must hold exactly the "
							   "plan's key permissions%s%s"),
						 who, extra ? _(", not ") : "", extra ? extra : "");
		}
		free(extra);
		free(field);
		f = *end ? end + 1 : end;
	}
	if (rc == 0 && sp)
		*sp_seen = true;
	if (rc == 0 && admin >= 0)
		admin_seen[admin] = true;
	free(who);
	return rc;
}

int steps_check_access_list(const struct catalogue *c, const struct step *s, const char *v,
			    const struct evidence_spec *e, char **out, char **err)
{
	const struct plan *p = c ? c->plan : NULL;
	if (!p || !s || !s->dep || s->side < 0 || s->side >= CK_SIDES)
		return steps_evidence_fail(err, e, _("this step has no vault to compare with"));
	const struct plan_subscription *ps = &p->sub[s->side];
	bool *admin_seen = xcalloc(ps->n_administrators + 1, sizeof *admin_seen);
	bool sp_seen = false;
	struct buf norm = BUF_INIT;
	int rc = 0;
	for (const char *l = v; rc == 0 && *l;) {
		const char *nl = strchr(l, '\n');
		const char *end = nl ? nl : l + strlen(l);
		char *line = trim_dup(l, end);
		if (*line) {
			rc = line_check(c, s, line, admin_seen, &sp_seen, e, err);
			buf_printf(&norm, "%s\n", line);
		}
		free(line);
		l = nl ? nl + 1 : end;
	}
	for (size_t i = 0; rc == 0 && i < ps->n_administrators; i++)
		if (!admin_seen[i])
			rc = steps_evidence_fail(err, e, _("administrator %s is not in the listing"),
						 ps->administrators[i]);
	if (rc == 0 && !sp_seen)
		rc = steps_evidence_fail(err, e, _("%s is not in the listing"),
					 plan_workload_app_name(s->dep->workload));
	free(admin_seen);
	if (rc == 0)
		*out = buf_steal(&norm);
	buf_free(&norm);
	return rc;
}
