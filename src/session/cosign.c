/* cosign.c: an event both operators sign, with each at their own terminal.
 * The one who asks prepares the line under the append lock (its sequence,
 * time, chain link and hash fixed), signs it, and leaves it in the session
 * directory (cosign.request); the other terminal shows what is to be
 * signed, and its operator signs there: that process checks the chain, the
 * first signature and the rules, adds its signature and appends the line.
 * Anything appended in between makes the request stale: it is refused and
 * asked again. Neither process ever holds the other's key. */
#include "ck.h"
#include "fileread.h"
#include "report.h"
#include "session/session_int.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The request in the directory, checked against this handle's journal: it
 * must be the next line, signed by the other operator, allowed by the
 * rules with both signatures. 1 with *e, 0 when there is none, -1 with *err
 * (stale or not legitimate). */
static int cosign_read(struct session *s, struct journal_event *e, char **err)
{
	char *path = sess_cosign_path(s), *bytes = NULL, *why = NULL;
	size_t len;
	enum fileread_status st = fileread(path, JOURNAL_MAX_LINE + 1, FILEREAD_NOFOLLOW, &bytes,
					   &len, &why);
	free(path);
	free(why);
	if (st != FILEREAD_OK)
		return 0;
	struct journal_read r;
	journal_read_more(bytes, len, 0, 0, s->head, (long)s->n_ev, &r);
	free(bytes);
	int rc = -1;
	int me = s->hold[CK_SIDE_A] ? CK_SIDE_A : CK_SIDE_B;
	if (r.n != 1 || r.problem != JPROB_NONE) {
		*err = xstrdup(_("The request to co-sign is stale (something was recorded since it "
				 "was made): it is set aside; ask again."));
	} else if (r.ev[0].n_sigs != 1 || r.ev[0].sigs[0].by == me) {
		*err = xstrdup(_("The request to co-sign is not signed by the other operator alone: "
				 "refused."));
	} else {
		char msg[128];
		journal_sig_message(r.ev[0].hash, msg, sizeof msg);
		if (pubkey_verify(s->pub[r.ev[0].sigs[0].by], msg, strlen(msg), r.ev[0].sigs[0].sig) != 1) {
			*err = xstrdup(_("The request to co-sign does not carry the other operator's "
					 "valid signature: refused."));
		} else {
			*e = r.ev[0];
			memset(&r.ev[0], 0, sizeof r.ev[0]);
			rc = 1;
		}
	}
	journal_read_free(&r);
	return rc;
}

/* What the line asks to be signed, in words. */
static char *cosign_words(const struct session *s, const struct journal_event *e)
{
	const cJSON *p = e->payload;
	const cJSON *step = cJSON_GetObjectItemCaseSensitive(p, "step");
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(p, "reason");
	const char *sid = cJSON_IsString(step) ? step->valuestring : NULL;
	long i = sid ? session_step_index(s, sid) : -1;
	struct session_step_view sv;
	char *where = i >= 0 && session_step_view(s, (size_t)i, &sv)
			      ? xasprintf(_("step %ld, %s"), i + 1, sv.title)
			      : xstrdup(_("the whole session"));
	char *w;
	if (strcmp(e->type, sess_ev_name(SEV_STEP_SKIP)) == 0)
		w = xasprintf(_("Skip %s. Reason: %s"), where,
			      cJSON_IsString(reason) ? reason->valuestring : "");
	else if (strcmp(e->type, sess_ev_name(SEV_DEVIATION)) == 0 &&
		 cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(p, "torn_offset")))
		w = xasprintf(_("The journal's last line was cut off by a crash: it is set aside "
				"(kept in %s.torn-%ld, nothing dropped). Record that, as a deviation "
				"about the whole session. Reason: %s"), s->journal_path,
			      (long)cJSON_GetObjectItemCaseSensitive(p, "torn_offset")->valuedouble,
			      cJSON_IsString(reason) ? reason->valuestring : "");
	else if (strcmp(e->type, sess_ev_name(SEV_DEVIATION)) == 0)
		w = xasprintf(_("A deviation about %s. Reason: %s"), where,
			      cJSON_IsString(reason) ? reason->valuestring : "");
	else if (strcmp(e->type, sess_ev_name(SEV_PLAN_AMEND)) == 0)
		w = xasprintf(_("Amend the plan to version %ld: it must be verified again. "
				"The changes:\n%s"), s->plan_version + 1,
			      cJSON_IsString(cJSON_GetObjectItemCaseSensitive(p, "diff"))
				      ? cJSON_GetObjectItemCaseSensitive(p, "diff")->valuestring
				      : "");
	else if (strcmp(e->type, sess_ev_name(SEV_SESSION_CLOSE)) == 0)
		w = xstrdup(_("Close the ceremony: nothing can be recorded after it; the reports "
			      "are written."));
	else
		w = xasprintf(_("Record %s."), e->type);
	free(where);
	return w;
}

int session_cosign_offer(struct session *s, char **what, char **err)
{
	struct journal_event e;
	*what = NULL;
	if (!s->j || !session_two_terminals(s) || s->cosign_state == SESSION_COSIGN_WAITING)
		return 0;
	int rc = cosign_read(s, &e, err);
	if (rc < 0)
		sess_cosign_unlink(s); /* stale or forged: of no use to anyone, said once */
	if (rc <= 0)
		return rc;
	/* shown once per request */
	if (strcmp(e.hash, s->cosign_seen) == 0) {
		journal_event_free(&e);
		return 0;
	}
	memcpy(s->cosign_seen, e.hash, sizeof s->cosign_seen);
	const char *name = s->plan->op[e.sigs[0].by].name;
	char *by = xasprintf(_("%s (operator %s)"), name ? name : "?",
			     sess_side_name(e.sigs[0].by));
	char *words = cosign_words(s, &e);
	*what = xasprintf(_("%s asks you to co-sign journal line %ld:\n\n%s"), by, e.seq, words);
	free(by);
	free(words);
	journal_event_free(&e);
	return 1;
}

int session_cosign_accept(struct session *s, int side, char **err)
{
	struct journal_event e;
	char *why = NULL;
	if (!session_holds(s, side) || !s->key[side]) {
		*err = xasprintf(_("operator %s must unlock their key first"), sess_side_name(side));
		return -1;
	}
	if (sess_txn_begin(s, err) < 0)
		return -1;
	int rc = cosign_read(s, &e, err);
	if (rc <= 0) {
		if (rc == 0)
			*err = xstrdup(_("The request was withdrawn."));
		sess_cosign_unlink(s);
		sess_txn_end(s);
		return -1;
	}
	/* The rules judge it with both signatures, as replay will. */
	e.sigs[1].by = side;
	e.n_sigs = 2;
	if (sess_precheck(s, &e, &why) < 0) {
		*err = xasprintf(_("Refused: %s."), why);
		free(why);
		journal_event_free(&e);
		sess_cosign_unlink(s);
		sess_txn_end(s);
		return -1;
	}
	e.n_sigs = 1;
	if (side < e.sigs[0].by) { /* signatures in the order A, B */
		struct journal_sig theirs = e.sigs[0];
		e.n_sigs = 0;
		rc = journal_sign(&e, s->key[side], side, err);
		e.sigs[1] = theirs;
		e.n_sigs = 2;
	} else {
		rc = journal_sign(&e, s->key[side], side, err);
	}
	if (rc == 0)
		rc = journal_append_event(s->j, &e, err);
	sess_cosign_unlink(s);
	if (rc < 0) {
		journal_event_free(&e);
		sess_refresh_blocker(s);
		sess_txn_end(s);
		return -1;
	}
	if (sess_apply(s, &e, true, &why) < 0) {
		*err = xasprintf(_("Recorded, but the recorded event is refused on replay: %s. "
				   "Stop and run ckwizard verify."), why);
		free(why);
		journal_event_free(&e);
		s->blocker = SESSION_FAILED;
		sess_txn_end(s);
		return -1;
	}
	s->ev = xrealloc(s->ev, (s->n_ev + 1) * sizeof *s->ev);
	s->ev[s->n_ev++] = e;
	memcpy(s->head, e.hash, sizeof s->head);
	sess_after_amend(s, &s->ev[s->n_ev - 1]);
	sess_refresh_blocker(s);
	sess_txn_end(s);
	if (s->closed)
		return session_write_reports(s, err);
	return 0;
}

void session_cosign_decline(struct session *s)
{
	sess_cosign_unlink(s);
}

enum session_cosign session_cosign_state(struct session *s)
{
	if (s->cosign_state != SESSION_COSIGN_WAITING)
		return s->cosign_state;
	for (size_t i = s->n_ev; i-- > 0;)
		if (strcmp(s->ev[i].hash, s->cosign_hash) == 0) {
			s->cosign_state = SESSION_COSIGN_SIGNED;
			return s->cosign_state;
		}
	char *path = sess_cosign_path(s);
	struct stat st;
	bool there = lstat(path, &st) == 0;
	free(path);
	if (!there)
		s->cosign_state = SESSION_COSIGN_DECLINED;
	return s->cosign_state;
}

void session_cosign_withdraw(struct session *s)
{
	if (s->cosign_state == SESSION_COSIGN_WAITING) {
		struct journal_event e;
		char *err = NULL;
		memset(&e, 0, sizeof e);
		/* only our own request: the file may already be the other's */
		if (cosign_read(s, &e, &err) <= 0 || strcmp(e.hash, s->cosign_hash) == 0)
			sess_cosign_unlink(s);
		journal_event_free(&e);
		free(err);
	}
	s->cosign_state = SESSION_COSIGN_NONE;
}

void session_cosign_reset(struct session *s)
{
	s->cosign_state = SESSION_COSIGN_NONE;
}
