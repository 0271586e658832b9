/* shared.c: one session, two terminals. Each process holds only the
 * operators' sides it claimed (both in one-keyboard mode), and appends in
 * turn with the other: before each append it takes the journal's append
 * lock and replays every line the other appended since it last looked
 * through the same rules (chain, signatures, dual control), so its head,
 * sequence and state are never stale. A line the rules refuse (a forged
 * append) stops the session here: nothing more is recorded, and the screen
 * says why. sim.json is read again under the same lock when the other
 * process changed it. */
#include "ck.h"
#include "quote.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Stop this session: another process's line is refused. */
static void sess_refuse_foreign(struct session *s, char *msg)
{
	if (!s->refused) {
		s->refused = msg;
		journal_refuse_foreign(s->j, msg);
	} else {
		free(msg);
	}
	sess_refresh_blocker(s);
}

/* `ckwizard verify JOURNAL`, the path quoted for a POSIX shell: what the
 * operators run when a line another ckwizard appended stops the journal
 * (nothing else is known good then: no report, no head). */
static void sess_verify_journal_command(const struct session *s, struct buf *out)
{
	buf_puts(out, "ckwizard verify ");
	if (!s->journal_path || quote_sh(out, s->journal_path) < 0)
		/* a path no shell line can carry: named, not pasted */
		buf_puts(out, _("<the session's journal.jsonl>"));
}

/* What to do once a foreign line stops the journal, ending the refusal:
 * the command on its own line, last, so that a screen short of rows can
 * keep it whole (the message line cuts the text before it, never it). */
static char *sess_verify_advice(const struct session *s)
{
	struct buf cmd = BUF_INIT;
	sess_verify_journal_command(s, &cmd);
	char *t = xasprintf(_("Nothing more is recorded here: stop both terminals, then check the "
			      "journal with:\n%s"), buf_str(&cmd));
	buf_free(&cmd);
	return t;
}

/* Replay the lines another process appended (ownership of news' events
 * moves into the session). */
static void sess_take_news(struct session *s, struct journal_read *news)
{
	size_t i;
	for (i = 0; i < news->n && !s->refused; i++) {
		char *why = NULL;
		struct journal_event *ev = &news->ev[i];
		if (sess_apply(s, ev, true, &why) < 0) {
			char *cmd = sess_verify_advice(s);
			sess_refuse_foreign(s, xasprintf(_("Line %ld (%s), appended by another "
							   "ckwizard, is refused: %s. %s"),
							 ev->seq, ev->type, why, cmd));
			free(cmd);
			free(why);
			break;
		}
		s->ev = xrealloc(s->ev, (s->n_ev + 1) * sizeof *s->ev);
		s->ev[s->n_ev++] = *ev;
		memcpy(s->head, ev->hash, sizeof s->head);
		memset(ev, 0, sizeof *ev);
		s->seen_foreign = true;
		sess_after_amend(s, &s->ev[s->n_ev - 1]);
	}
	if (news->problem != JPROB_NONE && news->problem != JPROB_TORN_TAIL && !s->refused) {
		char *cmd = sess_verify_advice(s);
		sess_refuse_foreign(s, xasprintf(_("Another ckwizard appended a line to the journal "
						   "that breaks the chain: %s. %s"),
						 news->problem_text, cmd));
		free(cmd);
	}
	for (; i < news->n; i++)
		journal_event_free(&news->ev[i]);
	news->n = 0;
	journal_read_free(news);
}

/* The simulator's state file as last read or written by this process. */
static void sess_sim_stat(const struct session *s, struct stat *st)
{
	char *path = xasprintf("%s/%s", s->dir, SESSION_SIM_FILE);
	if (stat(path, st) != 0)
		memset(st, 0, sizeof *st);
	free(path);
}

static bool sess_sim_same(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

void sess_sim_seen(struct session *s)
{
	if (s->mode == SESSION_REHEARSAL && s->dir)
		sess_sim_stat(s, &s->sim_seen);
}

/* Another process saved the simulator since we last looked: read it again
 * (it never holds more than the journal says was done). */
static int sess_sim_follow(struct session *s, char **err)
{
	struct stat now;
	if (s->mode != SESSION_REHEARSAL || !s->backend || !s->dir)
		return 0;
	sess_sim_stat(s, &now);
	if (sess_sim_same(&now, &s->sim_seen))
		return 0;
	char *path = xasprintf("%s/%s", s->dir, SESSION_SIM_FILE);
	struct backend *b = backend_sim_open(path, s->cat, NULL, 0, err);
	free(path);
	if (!b)
		return -1;
	backend_free(s->backend);
	s->backend = b;
	s->sim_seen = now;
	return 0;
}

void sess_after_amend(struct session *s, const struct journal_event *ev)
{
	char *err = NULL;
	if (strcmp(ev->type, sess_ev_name(SEV_PLAN_AMEND)) != 0)
		return;
	/* The catalogue was rebuilt by the rules: the simulator takes it. */
	if (sess_reopen_backend(s, &err) < 0) {
		sess_refuse_foreign(s, err);
		return;
	}
	/* The plan file this terminal holds is now the current version: keep
	 * the version beside the first, as an amendment at one keyboard does. */
	if (s->pending_bytes && s->plan && s->pending_len == s->plan->len &&
	    memcmp(s->pending_bytes, s->plan->bytes, s->pending_len) == 0) {
		if (sess_keep_plan_versions(s, &err) < 0)
			free(err); /* said again, and written, at the next open */
		free(s->pending_bytes);
		free(s->pending_diff);
		s->pending_bytes = s->pending_diff = NULL;
		s->pending_len = 0;
	}
	sess_refresh_blocker(s);
}

int sess_txn_begin(struct session *s, char **err)
{
	struct journal_read news;
	if (!s->j)
		return 0;
	if (journal_lock(s->j, true, &news, err) < 0) {
		journal_read_free(&news);
		if (!s->refused)
			sess_refuse_foreign(s, xstrdup(*err));
		return -1;
	}
	size_t before = s->n_ev;
	sess_take_news(s, &news);
	s->news_in_txn = s->n_ev - before;
	if (s->news_in_txn)
		sess_refresh_blocker(s); /* the deviation of a torn tail set aside, say */
	sess_torn_found(s);
	if (s->refused) {
		journal_unlock(s->j);
		*err = xstrdup(s->refused);
		return -1;
	}
	if (sess_sim_follow(s, err) < 0) {
		journal_unlock(s->j);
		return -1;
	}
	return 0;
}

void sess_txn_end(struct session *s)
{
	if (!s->j)
		return;
	sess_sim_seen(s);
	journal_unlock(s->j);
}

int session_follow(struct session *s, bool *changed, char **err)
{
	struct journal_read news;
	size_t before = s->n_ev;
	*changed = false;
	if (s->refused) {
		*err = xstrdup(s->refused);
		return -1;
	}
	if (!s->j || !journal_changed(s->j))
		return 0;
	if (journal_lock(s->j, false, &news, err) < 0) {
		journal_read_free(&news);
		return -1;
	}
	sess_take_news(s, &news);
	journal_unlock(s->j);
	*changed = s->n_ev != before || s->refused;
	if (*changed)
		sess_refresh_blocker(s);
	if (s->refused) {
		*err = xstrdup(s->refused);
		return -1;
	}
	return 0;
}

int sess_claim_sides(struct session *s, const bool hold[CK_SIDES], char **err)
{
	for (int side = 0; side < CK_SIDES; side++) {
		if (!hold[side])
			continue;
		int rc = journal_claim(s->j, side, err);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			*err = xasprintf(_("operator %s already has this session open in another "
					   "ckwizard (another terminal): each operator opens it once"),
					 sess_side_name(side));
			return -1;
		}
		s->hold[side] = true;
	}
	journal_share(s->j);
	return 0;
}

bool session_holds(const struct session *s, int side)
{
	return (side == CK_SIDE_A || side == CK_SIDE_B) && s->hold[side];
}

bool session_two_terminals(const struct session *s)
{
	return s->hold[CK_SIDE_A] != s->hold[CK_SIDE_B];
}

bool session_other_here(const struct session *s, int side)
{
	return s->j && (side == CK_SIDE_A || side == CK_SIDE_B) && !s->hold[side] &&
	       journal_claimed_elsewhere(s->j, side);
}

/* The terminal this process runs in, named in presence events. */
void sess_add_terminal(const struct session *s, cJSON *payload)
{
	if (!s->term_tty || !s->term_user)
		return;
	cJSON *t = cJSON_AddObjectToObject(payload, "terminal");
	cJSON_AddStringToObject(t, "mode",
				session_two_terminals(s) ? "two-terminals" : "one-keyboard");
	cJSON_AddStringToObject(t, "tty", s->term_tty);
	cJSON_AddStringToObject(t, "user", s->term_user);
}

void session_set_terminal(struct session *s, const char *tty, const char *user)
{
	free(s->term_tty);
	free(s->term_user);
	s->term_tty = tty ? xstrdup(tty) : NULL;
	s->term_user = user ? xstrdup(user) : NULL;
}
