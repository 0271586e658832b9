/* view_text.c: what a step asks of a browser or a mail client (the
 * FastTrack form with the plan's officers, the onboarding e-mail with its
 * recipient, subject and body), for the screen to show and copy. */
#include "ck.h"
#include "session.h"
#include "session/session_int.h"
#include "steps.h"
#include "util.h"

int session_step_text(const struct session *s, size_t i, struct buf *out)
{
	union {
		const struct session *c;
		void *v;
	} ctx = { .c = s }; /* session_evidence only reads through it */
	if (i >= s->cat->n_steps)
		return 0;
	return steps_render_text(s->cat, &s->cat->steps[i], session_evidence, ctx.v, out);
}
