/* simulator.c: the session's backend: a rehearsal's simulator, opened
 * beside the journal and handed the new catalogue after an amendment; or,
 * live (run --live), the backend the caller's live_open gives, opened again
 * after an amendment since it reads the plan (its tokens go with it). */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>

static int sess_open_live(struct session *s, const struct session_opts *o, char **err)
{
	if (s->backend) {
		backend_free(s->backend);
		s->backend = NULL;
		for (int sub = 0; sub < CK_SIDES; sub++)
			s->live_signed[sub] = false;
	}
	s->backend = o->live_open(s->plan, s->inv, o->live_arg, err);
	if (s->backend && s->backend->ops->set_evidence)
		s->backend->ops->set_evidence(s->backend, session_evidence, s);
	if (s->backend && s->backend->ops->set_evidence_time)
		s->backend->ops->set_evidence_time(s->backend, session_evidence_time);
	return s->backend ? 0 : -1;
}

int sess_open_backend(struct session *s, const struct session_opts *o, char **err)
{
	char *path;
	if (s->mode == SESSION_RUN && o && o->live_open)
		return sess_open_live(s, o, err);
	if (s->mode != SESSION_REHEARSAL)
		return 0;
	if (s->backend) { /* an amendment: the simulator keeps its tenant */
		backend_set_catalogue(s->backend, s->cat);
		return 0;
	}
	path = xasprintf("%s/%s", s->dir, SESSION_SIM_FILE);
	s->backend = backend_sim_open(path, s->cat, o ? o->sim_faults : NULL,
				      o ? o->registration_delay : 0, err);
	free(path);
	return s->backend ? 0 : -1;
}

int sess_reopen_backend(struct session *s, char **err)
{
	return sess_open_backend(s, &s->opts, err);
}
