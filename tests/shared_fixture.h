/* shared_fixture.h: two terminals on one session, as the session API sees
 * them: each handle holds one operator (session_opts.seat). */
#ifndef CK_SHARED_FIXTURE_H
#define CK_SHARED_FIXTURE_H

#include "session.h"

/* Open "s" (from plan.yaml; created by the first) holding side only, and
 * unlock that side's key from its seed. NULL with *err when refused. */
struct session *shx_open(int side, unsigned char seed, bool join, char **err);
/* The same in a rehearsal (the simulator's sim.json shared too). */
struct session *shx_open_mode(int side, unsigned char seed, bool join, enum session_mode m,
			      char **err);

#endif
