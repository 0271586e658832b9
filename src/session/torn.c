/* torn.c: a torn tail (a ckwizard died in the middle of writing its line)
 * between setting it aside and recording that. At one keyboard both
 * operators do both at once. At two terminals the one who finds it sets it
 * aside (the partial bytes go to <journal>.torn-<offset>, nothing is
 * dropped), and the deviation that records it waits for both operators to
 * be present and sign it, the other at their own terminal (cosign.c). Until
 * it is in, only presence (opening, joining, leaving a sitting) and that
 * deviation are recorded; a ckwizard started meanwhile finds the side file
 * that no deviation names, and waits the same way. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static bool torn_recorded(const struct session *s, long off)
{
	for (size_t i = 0; i < s->h.n_devs; i++)
		if (s->h.devs[i].torn_offset == off)
			return true;
	return false;
}

void sess_torn_scan(struct session *s)
{
	if (s->blocker == SESSION_TORN_TAIL || !s->journal_path)
		return;
	const char *slash = strrchr(s->journal_path, '/');
	char *dir = slash ? xstrndup(s->journal_path, (size_t)(slash - s->journal_path))
			  : xstrdup(".");
	char *prefix = xasprintf("%s.torn-", slash ? slash + 1 : s->journal_path);
	DIR *d = opendir(*dir ? dir : "/");
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		const char *num = e->d_name + strlen(prefix);
		char *end = NULL;
		long off = strtol(num, &end, 10);
		if (*num < '0' || *num > '9' || !end || *end || off <= 0 || torn_recorded(s, off))
			continue;
		s->blocker = SESSION_TORN_TAIL;
		s->torn_offset = off;
		s->torn_aside = true;
		break;
	}
	if (d)
		closedir(d);
	free(prefix);
	free(dir);
	sess_refresh_blocker(s);
}

void sess_torn_found(struct session *s)
{
	long off = s->j ? journal_torn_at(s->j) : -1;
	if (off < 0 || s->blocker == SESSION_TORN_TAIL)
		return;
	s->blocker = SESSION_TORN_TAIL;
	s->torn_offset = off;
	s->torn_aside = false;
	sess_refresh_blocker(s);
}

bool sess_torn_allows(const struct session *s, enum sess_ev type, const cJSON *payload)
{
	long off = -1;
	const cJSON *o;
	if (s->blocker != SESSION_TORN_TAIL)
		return true;
	if (!s->torn_aside)
		return false;
	switch (type) {
	case SEV_SITTING_OPEN:
	case SEV_SITTING_CLOSE:
	case SEV_OPERATOR_JOIN:
	case SEV_OPERATOR_LEAVE:
	case SEV_OPERATOR_LOST:
		return true;
	case SEV_DEVIATION:
		o = cJSON_GetObjectItemCaseSensitive(payload, "torn_offset");
		if (cJSON_IsNumber(o))
			off = (long)o->valuedouble;
		return off == s->torn_offset;
	default:
		return false;
	}
}
