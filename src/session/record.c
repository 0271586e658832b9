/* record.c: how an event gets into the journal. The action builds it, the
 * rules judge it on a copy of the state (shadow.c; refused there = never
 * written), the journal appends it signed, and the recorded event is
 * applied to the state. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int sess_fail(char **err, char *msg)
{
	*err = msg;
	return -1;
}

/* Run the event through the rules on a copy of the state: the real state
 * is changed only by events that are on disk. */
int sess_precheck(const struct session *s, const struct journal_event *ev, char **why)
{
	return sess_dry_run(s, ev, 1, why);
}

static int sess_record_locked(struct session *s, enum sess_ev type, int actor, cJSON *payload,
			      const int *sides, size_t n_sides, char **err);

/* Check, sign, append, apply, under the append lock with the other
 * terminal's lines replayed first. payload is consumed. */
int sess_record(struct session *s, enum sess_ev type, int actor, cJSON *payload,
		const int *sides, size_t n_sides, char **err)
{
	if (s->j && sess_txn_begin(s, err) < 0) {
		cJSON_Delete(payload);
		return -1;
	}
	int rc = sess_record_locked(s, type, actor, payload, sides, n_sides, err);
	sess_txn_end(s);
	return rc;
}

static int sess_record_locked(struct session *s, enum sess_ev type, int actor, cJSON *payload,
			      const int *sides, size_t n_sides, char **err)
{
	struct journal_event fake, out;
	struct keys_private *signers[CK_SIDES];
	char *why = NULL;
	int rc;
	if (!s->j) {
		cJSON_Delete(payload);
		return sess_fail(err, xstrdup(_("this session is open read only")));
	}
	if (journal_failed(s->j)) {
		cJSON_Delete(payload);
		sess_refresh_blocker(s);
		return sess_fail(err, xstrdup(s->blocker_text));
	}
	if ((s->blocker == SESSION_PLAN_CHANGED && !sess_ev_allowed_while_plan_changed(type)) ||
	    !sess_torn_allows(s, type, payload)) {
		cJSON_Delete(payload);
		return sess_fail(err, xstrdup(s->blocker_text));
	}
	/* Two terminals: a signature of the operator at the other terminal is
	 * asked of them there (cosign.c), once the rules accept the event. */
	bool cosign = false;
	for (size_t i = 0; i < n_sides; i++) {
		if (n_sides == 2 && session_two_terminals(s) && !s->hold[sides[i]]) {
			cosign = true;
			signers[i] = NULL;
			continue;
		}
		if (!s->key[sides[i]]) {
			cJSON_Delete(payload);
			return sess_fail(err, xasprintf(_("operator %s must unlock their key first"),
						   sess_side_name(sides[i])));
		}
		signers[i] = s->key[sides[i]];
	}
	memset(&fake, 0, sizeof fake);
	fake.seq = (long)s->n_ev + 1;
	sess_format_time(sess_clock_stamp(), fake.time);
	fake.type = xstrdup(sess_ev_name(type));
	fake.actor = actor;
	fake.payload = payload;
	for (size_t i = 0; i < n_sides; i++)
		fake.sigs[i].by = sides[i];
	fake.n_sigs = n_sides;
	rc = sess_precheck(s, &fake, &why);
	free(fake.type);
	if (rc < 0) {
		sess_clock_unstamp();
		cJSON_Delete(payload);
		/* Two terminals: what was asked may have been built on a state the
		 * other's last append changed; nothing was recorded either way. */
		if (s->news_in_txn)
			*err = xasprintf(_("Refused: %s. (The other terminal had just recorded "
					   "something: look at the screen again.)"), why);
		else
			*err = xasprintf(_("Refused: %s."), why);
		free(why);
		return -1;
	}
	if (cosign) {
		rc = sess_cosign_request(s, type, actor, payload, err);
		sess_clock_unstamp();
		return rc;
	}
	sess_clock_pin_journal();
	memset(&out, 0, sizeof out);
	rc = journal_append(s->j, sess_ev_name(type), actor, payload, signers, sides, n_sides, &out, err);
	sess_clock_unstamp();
	if (rc < 0) {
		sess_refresh_blocker(s);
		return -1;
	}
	if (sess_apply(s, &out, true, &why) < 0) {
		/* Cannot happen unless the rules depend on something the scratch
		 * replay did not have; the journal now holds it: stop here. */
		*err = xasprintf(_("Recorded, but the recorded event is refused on replay: %s. "
				   "Stop and run ckwizard verify."), why);
		free(why);
		journal_event_free(&out);
		s->blocker = SESSION_FAILED;
		return -1;
	}
	s->ev = xrealloc(s->ev, (s->n_ev + 1) * sizeof *s->ev);
	s->ev[s->n_ev++] = out;
	memcpy(s->head, out.hash, sizeof s->head);
	sess_refresh_blocker(s);
	return 0;
}

int sess_record1(struct session *s, enum sess_ev type, int side, cJSON *p, char **err)
{
	if (side != CK_SIDE_A && side != CK_SIDE_B) {
		cJSON_Delete(p);
		return sess_fail(err, xstrdup(_("say which operator (A or B) is acting")));
	}
	return sess_record(s, type, side, p, &side, 1, err);
}

int sess_record_both(struct session *s, enum sess_ev type, int actor, cJSON *p, char **err)
{
	static const int both[CK_SIDES] = { CK_SIDE_A, CK_SIDE_B };
	return sess_record(s, type, actor, p, both, 2, err);
}

cJSON *sess_step_payload(const char *step_id)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "step", step_id ? step_id : "");
	return p;
}
