/* blocker.c: what stands between the operators and the next step (a torn
 * tail, a changed plan file, a journal that cannot be written, a closed
 * ceremony), in a sentence for the screen. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>

/* The deviation that records a torn tail set aside is in (torn.c). */
static bool torn_done(const struct session *s)
{
	for (size_t i = 0; s->torn_aside && i < s->h.n_devs; i++)
		if (s->h.devs[i].torn_offset == s->torn_offset)
			return true;
	return false;
}

static void sess_set_blocker(struct session *s)
{
	char hex[HASH_SHA256_HEX_LEN + 1];
	free(s->blocker_text);
	s->blocker_text = NULL;
	if (s->blocker == SESSION_TORN_TAIL && torn_done(s)) {
		s->blocker = SESSION_OK;
		s->torn_offset = -1;
		s->torn_aside = false;
	}
	if (s->refused) {
		s->blocker = SESSION_FAILED;
		s->blocker_text = xstrdup(s->refused);
	} else if (s->j && journal_failed(s->j)) {
		s->blocker = SESSION_FAILED;
		s->blocker_text = xstrdup(_("The journal could not be written. Nothing more can be "
					    "recorded: free space or fix the disk, then resume."));
	} else if (s->closed) {
		s->blocker = SESSION_CLOSED;
		s->blocker_text = xstrdup(_("This ceremony is closed; its journal is read only."));
	} else if (s->torn_offset >= 0 && s->blocker == SESSION_TORN_TAIL && s->torn_aside) {
		s->blocker_text = xasprintf(_("The journal's partial line at byte %ld is set aside "
					      "(kept in %s.torn-%ld). Nothing else is recorded until "
					      "both operators, present in a sitting, sign a deviation "
					      "that says so."), s->torn_offset, s->journal_path,
					    s->torn_offset);
	} else if (s->torn_offset >= 0 && s->blocker == SESSION_TORN_TAIL) {
		s->blocker_text = xasprintf(_("The journal ends in a partial line at byte %ld (a "
					      "crash while writing). Both operators must set it aside "
					      "(it is kept in a file) before going on."), s->torn_offset);
	} else if (s->pending_bytes) {
		hash_sha256_hex(s->pending_bytes, s->pending_len, hex);
		s->blocker = SESSION_PLAN_CHANGED;
		s->blocker_text = xasprintf(_("The plan file %s (SHA-256 %s) is not the verified "
					      "version %ld (%s). Amend the plan (both operators) and "
					      "have it verified again, or restore the file."),
					    s->plan_path, hex, s->plan_version, s->plan->sha256);
	} else {
		s->blocker = SESSION_OK;
	}
}

void sess_refresh_blocker(struct session *s)
{
	sess_set_blocker(s);
}

enum session_blocker session_blocker(const struct session *s) { return s->blocker; }

const char *session_blocker_text(const struct session *s) { return s->blocker_text; }

bool session_failed(const struct session *s)
{
	return s->refused || (s->j && journal_failed(s->j));
}
