/* alloc.c: the session structure: a new one, and freeing it with everything
 * it holds (the plan version, the step state, the typed record). */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

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

static void step_state_free(struct sess_step *ss)
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
	sess_result_free(&ss->last_check);
	sess_result_free(&ss->last_perform);
	memset(ss, 0, sizeof *ss);
	ss->confirmed_by = ss->witnessed_by = CK_SIDE_NONE;
}

void sess_steps_free(struct session *s)
{
	for (size_t i = 0; s->cat && s->steps && i < s->cat->n_steps; i++)
		step_state_free(&s->steps[i]);
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

void sess_history_free(struct sess_history *h)
{
	for (size_t i = 0; i < h->n_plan; i++) {
		struct sess_plan_event *e = &h->plan[i];
		free(e->sha256);
		strv_free(e->check_ids, e->n_check);
		free(e->check_yes);
		strv_free(e->acked, e->n_acked);
		free(e->diff);
		strv_free(e->reset_steps, e->n_reset);
	}
	free(h->plan);
	free(h->sittings);
	for (size_t i = 0; i < h->n_devs; i++) {
		free(h->devs[i].step);
		free(h->devs[i].reason);
	}
	free(h->devs);
	for (size_t i = 0; i < h->n_notes; i++)
		free(h->notes[i].text);
	free(h->notes);
	free(h->clock);
	for (size_t i = 0; i < h->n_signins; i++) {
		free(h->signins[i].upn);
		free(h->signins[i].oid);
		free(h->signins[i].tenant);
	}
	free(h->signins);
	free(h->opened_sha256);
	*h = (struct sess_history){ 0 };
}
