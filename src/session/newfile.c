/* newfile.c: a new file of the session directory (a plan version kept
 * beside the first, ...): created, never over anything, 0600, fsync'd. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int sess_write_new_file(const char *path, const char *data, size_t len, char **err)
{
	/* absent or whole after a kill or an error, never a stub that would
	 * refuse the next attempt */
	if (util_write_new_file(path, data, len, 0600) == 0)
		return 0;
	*err = errno == EEXIST ? xasprintf(_("cannot create %s: %s"), path, strerror(errno))
			       : xasprintf(_("cannot write %s: %s"), path, strerror(errno));
	return -1;
}

/* Each amended version the journal records, kept beside the first as
 * plan-vN.yaml when it is not there yet: an amendment writes its copy after
 * its journal line, so a kill or a full disk between the two leaves a
 * recorded version without its copy, written here on the next open. A file
 * already under the name is left as it is (never overwritten). */
int sess_keep_plan_versions(struct session *s, char **err)
{
	for (size_t i = 0; s->dir && i < s->n_ev; i++) {
		const struct journal_event *e = &s->ev[i];
		if (strcmp(e->type, sess_ev_name(SEV_PLAN_AMEND)) != 0)
			continue;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(e->payload, "version");
		const cJSON *plan = cJSON_GetObjectItemCaseSensitive(e->payload, "plan");
		if (!cJSON_IsNumber(v) || !cJSON_IsString(plan))
			continue;
		char *path = xasprintf("%s/plan-v%ld.yaml", s->dir, (long)v->valuedouble);
		struct stat st;
		char *why = NULL;
		if (lstat(path, &st) < 0 &&
		    sess_write_new_file(path, plan->valuestring, strlen(plan->valuestring), &why) < 0) {
			*err = xasprintf(_("%s. The amendment is recorded (the journal holds that "
					   "version); its copy beside the plan is not: free disk space "
					   "or fix the device, then run the same command again to write "
					   "it"), why);
			free(why);
			free(path);
			return -1;
		}
		free(path);
	}
	return 0;
}
