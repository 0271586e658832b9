/* alloc.c: the session structure: a new one, and freeing it with everything
 * it holds (the plan version, the step state, the typed record). */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct session *sess_new(void)
{
	struct session *s = xcalloc(1, sizeof *s);
	s->verifier = CK_SIDE_NONE;
	strcpy(s->head, "0000000000000000000000000000000000000000000000000000000000000000");
	return s;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	for (int side = 0; side < CK_SIDES; side++) {
		keys_lock(s->key[side]);
		free(s->pin_line[side]); /* a hash, not the PIN: nothing to wipe */
		free(s->pin_path[side]);
		free(s->live_out_why[side]);
	}
	if (s->backend)
		backend_free(s->backend);
	if (s->j)
		journal_close(s->j);
	sess_plan_free(s);
	for (size_t i = 0; i < s->n_ev; i++)
		journal_event_free(&s->ev[i]);
	free(s->ev);
	for (int side = 0; side < CK_SIDES; side++)
		free(s->key_path[side]);
	free(s->keystore_dir);
	free(s->data_dir);
	free(s->dir);
	free(s->journal_path);
	free(s->plan_path);
	free(s->pending_bytes);
	free(s->pending_diff);
	free(s->tool_version);
	free(s->problem);
	free(s->blocker_text);
	free(s->refused);
	free(s->term_tty);
	free(s->term_user);
	for (size_t i = 0; i < SESSION_N_REPORTS; i++)
		free(s->report_fail[i]);
	sess_history_free(&s->h);
	for (size_t i = 0; i < s->n_rebuilt; i++)
		free(s->rebuilt[i]);
	free(s->rebuilt);
	free(s);
}

void sess_warnings_free(struct session *s)
{
	for (size_t i = 0; i < s->n_warn; i++) {
		free(s->warn_ids[i]);
		free(s->warn_msgs[i]);
	}
	free(s->warn_ids);
	free(s->warn_msgs);
	s->warn_ids = s->warn_msgs = NULL;
	s->n_warn = 0;
}

void sess_plan_free(struct session *s)
{
	sess_steps_free(s);
	catalogue_free(s->cat);
	inventory_free(s->inv);
	plan_free(s->plan);
	s->cat = NULL;
	s->inv = NULL;
	s->plan = NULL;
	sess_warnings_free(s);
}

void sess_step_state_free(struct sess_step *ss)
{
	free(ss->resources);
	free(ss->arrived_what);
	free(ss->reason);
	for (size_t k = 0; k < ss->n_ev; k++) {
		free(ss->ev[k].id);
		free(ss->ev[k].value);
	}
	free(ss->ev);
	free(ss->check_summary);
	free(ss->check_detail);
	free(ss->typed);
	free(ss->auth);
	free(ss->auth_done.requests);
	sess_result_free(&ss->last_check);
	sess_result_free(&ss->last_perform);
	memset(ss, 0, sizeof *ss);
	ss->confirmed_by = ss->witnessed_by = CK_SIDE_NONE;
}

/* A rule changed state the copy shares with the session: the session may
 * now hold freed memory. Stop before anything is recorded from it. */
void sess_dry_broken(const char *what)
{
	util_fatal_begin();
	fprintf(stderr, "ckwizard: internal error: a rule changed %s during a dry run\n", what);
	abort();
}

/* The steps a copy shares are the session's own: a rule that asks to
 * change one the events do not name would change the session. */
void sess_dry_own(const struct session *x, size_t i)
{
	for (size_t k = 0; k < x->n_dry_own; k++)
		if (x->dry_own[k] == (long)i)
			return;
	sess_dry_broken("a step the events do not name");
}

static const struct sess_step sess_step_blank = {
	.confirmed_by = CK_SIDE_NONE,
	.witnessed_by = CK_SIDE_NONE,
};

const struct sess_step *sess_step_get(const struct session *s, size_t i)
{
	return s->steps[i] ? s->steps[i] : &sess_step_blank;
}

struct sess_step *sess_step_mut(struct session *s, size_t i)
{
	if (s->dry_own)
		sess_dry_own(s, i);
	if (!s->steps[i]) {
		s->steps[i] = xmalloc(sizeof *s->steps[i]);
		*s->steps[i] = sess_step_blank;
	}
	return s->steps[i];
}

void sess_steps_free(struct session *s)
{
	for (size_t i = 0; s->cat && s->steps && i < s->cat->n_steps; i++)
		if (s->steps[i]) {
			sess_step_state_free(s->steps[i]);
			free(s->steps[i]);
		}
	free(s->steps);
	s->steps = NULL;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void sess_result_free(struct sess_result *r)
{
	free(r->code);
	strv_free(r->args, r->n_args);
	free(r->prose);
	free(r->detail);
	*r = (struct sess_result){ 0 };
}

/* One element of each history array, for sess_history_free and for the dry
 * run's copies (shadow.c), which free only the elements they added. */
void sess_plan_event_free(struct sess_plan_event *e)
{
	free(e->sha256);
	strv_free(e->check_ids, e->n_check);
	free(e->check_yes);
	strv_free(e->acked, e->n_acked);
	free(e->diff);
	strv_free(e->reset_steps, e->n_reset);
}

void sess_deviation_free(struct sess_deviation *d)
{
	free(d->step);
	free(d->reason);
}

void sess_note_free(struct sess_note *n)
{
	free(n->text);
}

void sess_signin_free(struct sess_signin *si)
{
	free(si->upn);
	free(si->oid);
	free(si->tenant);
}

void sess_terminal_free(struct sess_terminal *t)
{
	free(t->mode);
	free(t->tty);
	free(t->user);
	memset(t, 0, sizeof *t);
}

const struct sess_terminal *sess_terminal_of(const struct session *s, long line, int side)
{
	const struct sess_terminal *best = NULL;
	long at = 0;
	const struct sess_history *h = &s->h;
	for (size_t i = 0; i < h->n_sittings; i++)
		if (h->sittings[i].opened.line <= line && h->sittings[i].opened.line > at &&
		    h->sittings[i].present[side] && h->sittings[i].term.mode &&
		    (h->sittings[i].opened_by == side || strcmp(h->sittings[i].term.mode, "one-keyboard") == 0)) {
			best = &h->sittings[i].term;
			at = h->sittings[i].opened.line;
		}
	for (size_t i = 0; i < h->n_presence; i++)
		if (h->presence[i].kind == SEV_OPERATOR_JOIN && h->presence[i].who == side &&
		    h->presence[i].when.line <= line && h->presence[i].when.line > at) {
			best = h->presence[i].term.mode ? &h->presence[i].term : NULL;
			at = h->presence[i].when.line;
		}
	return best;
}

void sess_history_free(struct sess_history *h)
{
	for (size_t i = 0; i < h->n_plan; i++)
		sess_plan_event_free(&h->plan[i]);
	free(h->plan);
	for (size_t i = 0; i < h->n_sittings; i++)
		sess_terminal_free(&h->sittings[i].term);
	free(h->sittings);
	for (size_t i = 0; i < h->n_presence; i++) {
		free(h->presence[i].how);
		sess_terminal_free(&h->presence[i].term);
	}
	free(h->presence);
	for (size_t i = 0; i < h->n_devs; i++)
		sess_deviation_free(&h->devs[i]);
	free(h->devs);
	for (size_t i = 0; i < h->n_notes; i++)
		sess_note_free(&h->notes[i]);
	free(h->notes);
	free(h->clock);
	for (size_t i = 0; i < h->n_signins; i++)
		sess_signin_free(&h->signins[i]);
	free(h->signins);
	free(h->opened_sha256);
	*h = (struct sess_history){ 0 };
}

static char *opt_strdup(const char *v)
{
	return v ? xstrdup(v) : NULL;
}

static char **strv_dup(char *const *v, size_t n)
{
	char **out = n ? xmalloc(n * sizeof *out) : NULL;
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

static void result_dup(struct sess_result *to, const struct sess_result *from)
{
	*to = *from;
	to->code = opt_strdup(from->code);
	to->args = strv_dup(from->args, from->n_args);
	to->prose = opt_strdup(from->prose);
	to->detail = opt_strdup(from->detail);
}

/* The mirror of sess_step_state_free: every pointer it frees is copied
 * here, so a dry run can change its copy of a step and free it after. */
void sess_step_dup(struct sess_step *to, const struct sess_step *from)
{
	*to = *from;
	to->typed = opt_strdup(from->typed);
	result_dup(&to->last_check, &from->last_check);
	result_dup(&to->last_perform, &from->last_perform);
	to->resources = opt_strdup(from->resources);
	to->arrived_what = opt_strdup(from->arrived_what);
	to->reason = opt_strdup(from->reason);
	to->ev = from->n_ev ? xmalloc(from->n_ev * sizeof *to->ev) : NULL;
	for (size_t k = 0; k < from->n_ev; k++)
		to->ev[k] = (struct sess_evidence){ xstrdup(from->ev[k].id),
						    xstrdup(from->ev[k].value), from->ev[k].seq };
	to->auth = opt_strdup(from->auth);
	to->auth_done.requests = opt_strdup(from->auth_done.requests);
	to->check_summary = opt_strdup(from->check_summary);
	to->check_detail = opt_strdup(from->check_detail);
	to->check.summary = to->check_summary;
	to->check.detail = to->check_detail;
}
