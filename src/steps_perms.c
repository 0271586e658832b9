/* steps_perms.c: the Key Vault key permissions each step's commands use, so
 * that a task never fails with 403 in the middle of an incident. What the
 * administrators hold day to day (the plan's administrator permissions)
 * must cover every task's needs; what nobody holds day to day (update for
 * the expiry fix, recover for a soft-deleted key, delete) is granted by the
 * task itself and taken away again by the step named (the task's own
 * commands, or the step that follows it). Source: Key Vault REST operations
 * and their key permissions (doc/steps.md). */
#include "ck.h"
#include "buf.h"
#include "steps_int.h"
#include "util.h"

#include <string.h>
#include <strings.h>

const struct steps_task_perms steps_task_perms[] = {
	{ "key.create", "create", NULL, NULL },
	{ "key.import", "import get", NULL, NULL },
	{ "key.expiry", "get", "update", "key.expiry" },
	{ "key.recovery", "get", NULL, NULL },
	{ "key.backup", "backup", NULL, NULL },
	{ "vault.validate", "get list", NULL, NULL },
	{ "key.uri", "get", NULL, NULL },
	{ "manage.roll", "create get", NULL, NULL },
	{ "manage.roll_backup", "backup", NULL, NULL },
	{ "manage.restore", "list restore", "recover", "manage.restore_revoke" },
	{ "manage.grant_delete", "", "delete", "manage.revoke_delete" },
};
const size_t steps_task_perms_len = CK_ARRAY_LEN(steps_task_perms);

const struct steps_task_perms *steps_task_perms_find(const char *template_id)
{
	for (size_t i = 0; i < steps_task_perms_len; i++)
		if (strcmp(steps_task_perms[i].template_id, template_id) == 0)
			return &steps_task_perms[i];
	return NULL;
}

static bool plan_grants(const struct plan *p, const char *perm, size_t len)
{
	for (size_t i = 0; i < p->kv.n_admin_permissions; i++)
		if (strlen(p->kv.admin_permissions[i]) == len &&
		    strncasecmp(p->kv.admin_permissions[i], perm, len) == 0)
			return true;
	return false;
}

size_t steps_perms_uncovered(const struct plan *p, unsigned version, struct buf *out)
{
	size_t n = 0;
	for (size_t i = 0; i < steps_task_perms_len; i++) {
		const struct steps_task_perms *t = &steps_task_perms[i];
		const struct step_def *d = steps_def_find_in(t->template_id, version);
		if (!d)
			continue;
		for (const char *q = t->needs; *q;) {
			size_t len = strcspn(q, " ");
			if (len && !plan_grants(p, q, len)) {
				buf_printf(out, "%s: %.*s\n", t->template_id, (int)len, q);
				n++;
			}
			q += len;
			q += strspn(q, " ");
		}
	}
	return n;
}
