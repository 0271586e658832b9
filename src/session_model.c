/* session_model.c: freeing the typed record of a ceremony (session_int.h)
 * that the rules fill as they accept each event. */
#include "ck.h"
#include "session_int.h"

#include <stdlib.h>

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
	free(h->opened_sha256);
	*h = (struct sess_history){ 0 };
}
