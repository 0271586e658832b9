/* shared_fixture.c: see shared_fixture.h. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "keys.h"
#include "session_fixture.h"
#include "shared_fixture.h"

#include <string.h>

struct session *shx_open(int side, unsigned char seed, bool join, char **err)
{
	return shx_open_mode(side, seed, join, SESSION_RUN, err);
}

struct session *shx_open_mode(int side, unsigned char seed, bool join, enum session_mode m,
			      char **err)
{
	struct session_opts o;
	memset(&o, 0, sizeof o);
	o.plan_path = join ? NULL : "plan.yaml";
	o.dir = "s";
	o.mode = m;
	o.seat = side == CK_SIDE_A ? SESSION_SEAT_A : SESSION_SEAT_B;
	o.join = join;
	struct session *s = session_open(&o, err);
	if (s && session_unlock_key(s, side, fx_key(seed), err) < 0) {
		session_free(s);
		return NULL;
	}
	return s;
}
