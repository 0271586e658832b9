/* act_ceremony.c: what the operators record about the ceremony itself:
 * deviations, notes, a rehearsal's clock moves, a torn tail set aside, and
 * the closing (which writes the reports). */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>

int session_deviation(struct session *s, const char *step_id, const char *reason, char **err)
{
	cJSON *p = cJSON_CreateObject();
	int actor = s->plan ? s->plan->tenant_admin : CK_SIDE_A;
	if (step_id) {
		const struct step *st = sess_find_step(s, step_id, err);
		if (!st) {
			cJSON_Delete(p);
			return -1;
		}
		actor = st->owner;
		cJSON_AddStringToObject(p, "step", step_id);
	} else {
		cJSON_AddNullToObject(p, "step");
	}
	cJSON_AddStringToObject(p, "reason", reason ? reason : "");
	return sess_record_both(s, SEV_DEVIATION, actor, p, err);
}

int session_note(struct session *s, int side, const char *text, char **err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "text", text ? text : "");
	return sess_record1(s, SEV_NOTE, side, p, err);
}

int session_clock_advance(struct session *s, int side, long seconds, char **err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "seconds", (double)seconds);
	cJSON_AddNumberToObject(p, "offset", (double)(s->clock_offset + seconds));
	return sess_record1(s, SEV_CLOCK_ADVANCE, side, p, err);
}

/* Two terminals: the tail goes to its side file now, at this terminal; the
 * deviation that records it is signed by both once both are present, the
 * other at their own terminal (torn.c, cosign.c). 1: set aside, the
 * deviation still to be asked (with a reason, both present). */
static int set_aside_two(struct session *s, const char *reason, char **err)
{
	int me = s->hold[CK_SIDE_A] ? CK_SIDE_A : CK_SIDE_B;
	long off = s->torn_offset;
	if (!s->key[me])
		return sess_fail(err, xasprintf(_("operator %s must unlock their key first"),
						sess_side_name(me)));
	if (!s->torn_aside) {
		if (sess_txn_begin(s, err) < 0)
			return -1;
		int rc = journal_set_aside_tail(s->j, err);
		sess_txn_end(s);
		if (rc < 0)
			return -1;
		s->torn_aside = true;
		sess_refresh_blocker(s);
	}
	if (!reason || !*reason || !(s->sitting_open && s->present[0] && s->present[1]))
		return 1;
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNullToObject(p, "step");
	cJSON_AddStringToObject(p, "reason", reason);
	cJSON_AddNumberToObject(p, "torn_offset", (double)off);
	return sess_record_both(s, SEV_DEVIATION, s->plan->tenant_admin, p, err);
}

bool session_torn_set_aside(const struct session *s)
{
	return s->blocker == SESSION_TORN_TAIL && s->torn_aside;
}

int session_set_aside_tail(struct session *s, const char *reason, char **err)
{
	static const bool both[CK_SIDES] = { true, true };
	cJSON *p;
	long off = s->torn_offset;
	if (s->blocker != SESSION_TORN_TAIL)
		return sess_fail(err, xstrdup(_("the journal has no torn tail to set aside")));
	if (session_two_terminals(s))
		return set_aside_two(s, reason, err);
	if (!s->key[0] || !s->key[1])
		return sess_fail(err, xstrdup(_("both operators must unlock their keys to set a torn "
					   "tail aside")));
	if (!reason || !*reason)
		return sess_fail(err, xstrdup(_("say why the torn tail is set aside")));
	if (!s->torn_aside && journal_set_aside_tail(s->j, err) < 0)
		return -1;
	s->blocker = SESSION_OK;
	s->torn_aside = false;
	sess_refresh_blocker(s);
	if (!(s->sitting_open && s->present[0] && s->present[1]) &&
	    session_sitting_open(s, both, err) < 0)
		return -1;
	p = cJSON_CreateObject();
	cJSON_AddNullToObject(p, "step");
	cJSON_AddStringToObject(p, "reason", reason);
	cJSON_AddNumberToObject(p, "torn_offset", (double)off);
	return sess_record_both(s, SEV_DEVIATION, s->plan->tenant_admin, p, err);
}

int session_close(struct session *s, char **err)
{
	cJSON *p = cJSON_CreateObject();
	long open_items = 0;
	time_t now = session_now(s);
	for (size_t i = 0; s->cat && i < s->cat->n_steps; i++) {
		enum session_step_state st = sess_step_state(s, i, now, NULL);
		open_items += st != STEP_DONE && st != STEP_SKIPPED;
	}
	cJSON_AddNumberToObject(p, "open_items", (double)open_items);
	if (sess_record_both(s, SEV_SESSION_CLOSE, s->plan ? s->plan->tenant_admin : CK_SIDE_A, p, err) < 0)
		return -1;
	return session_write_reports(s, err);
}
