/* simulator.c: the rehearsal's simulator: opened beside the journal, handed
 * the new catalogue after an amendment. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>

int sess_open_backend(struct session *s, const struct session_opts *o, char **err)
{
	char *path;
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
