/* presence.c: the operators' presence in two-terminal mode. An operator
 * joins the open sitting from their terminal (or opens one when none is),
 * leaves it (the last one present closes it), and the one who stays records
 * that the other's ckwizard is gone (its claim on the journal died with it:
 * killed, crashed) so the sitting never waits for nobody. The terminal each
 * signature comes from is named by the sitting.open or operator.join that
 * brought its signer in. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The open sitting has nobody in it any more: every operator present in
 * it is at another terminal whose ckwizard is gone (killed, its terminal
 * closed) without leaving. Joining it would sit down beside nobody: the
 * joiner opens the next sitting, which ends this one ("stale"). */
static bool sess_sitting_dead(const struct session *s)
{
	for (int side = 0; side < CK_SIDES; side++)
		if (s->present[side] && (s->hold[side] || !s->j ||
					 journal_claimed_elsewhere(s->j, side)))
			return false;
	return true;
}

int session_join(struct session *s, int side, char **err)
{
	if (!session_holds(s, side))
		return sess_fail(err, xasprintf(_("operator %s is not at this terminal"),
						sess_side_name(side)));
	if (sess_txn_begin(s, err) < 0)
		return -1;
	int rc = 0;
	if (!s->sitting_open || sess_sitting_dead(s)) {
		bool present[CK_SIDES] = { false, false };
		present[side] = true;
		rc = session_sitting_open(s, present, err);
	} else if (!s->present[side]) {
		cJSON *p = cJSON_CreateObject();
		sess_add_terminal(s, p);
		rc = sess_record1(s, SEV_OPERATOR_JOIN, side, p, err);
	}
	sess_txn_end(s);
	return rc;
}

int session_leave(struct session *s, int side, bool hangup, char **err)
{
	if (sess_txn_begin(s, err) < 0)
		return -1;
	int rc = 0;
	if (s->sitting_open && s->present[side]) {
		if (s->present[ck_other_side(side)]) {
			cJSON *p = cJSON_CreateObject();
			cJSON_AddStringToObject(p, "how", hangup ? "hangup" : "quit");
			rc = sess_record1(s, SEV_OPERATOR_LEAVE, side, p, err);
		} else {
			rc = session_sitting_close(s, side, err);
		}
	}
	sess_txn_end(s);
	return rc;
}

int session_notice_lost(struct session *s, int side, char **err)
{
	int other = ck_other_side(side);
	if (!session_two_terminals(s) || !s->hold[side] || !s->key[side])
		return 0;
	if (sess_txn_begin(s, err) < 0)
		return -1;
	int rc = 0;
	/* Judged after the other's last lines are read: a clean leave is
	 * already in the journal, and then nothing is lost. */
	if (s->sitting_open && s->present[side] && s->present[other] &&
	    !journal_claimed_elsewhere(s->j, other)) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "operator", sess_side_name(other));
		rc = sess_record1(s, SEV_OPERATOR_LOST, side, p, err) == 0 ? 1 : -1;
	}
	sess_txn_end(s);
	return rc;
}
