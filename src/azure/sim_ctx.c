/* sim_ctx.c: what every simulated effect uses: the step's target, and
 * its result and observed details. Below all the effect files (sim_arm.c,
 * sim_keys.c, sim_m365.c, ...) and sim.c, which dispatches to them. */
#include "ck.h"
#include "azure/sim_int.h"
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Results ------------------------------------------------------------ */

void sim_result(struct sim_ctx *c, enum check_status st, enum result_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	check_result_setv(c->r, id, ap);
	va_end(ap);
	c->r->status = st;
}

/* The detail is what was observed, as "name: value" lines, recorded in the
 * journal as it is: in English whatever the operator's language (values
 * and the simulator's notes alike), so a journal reads the same anywhere. */
void sim_detail(struct sim_ctx *c, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *v = xvasprintf(fmt, ap);
	va_end(ap);
	/* One "name: value" a line: a value never breaks the form. */
	for (char *p = v; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	buf_printf(&c->detail, "%s: %s\n", name, v);
	free(v);
}

char *sim_time_text(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char out[32];
	if (!gmtime_r(&tt, &tm) || !strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return xasprintf("%lld", t);
	return xstrdup(out);
}

/* ---- What a step is about ------------------------------------------------ */

void sim_target(const struct sim_ctx *c, struct sim_target *t)
{
	const struct step_check *k = &c->s->check;
	const struct inv_side *is = NULL;
	t->side = k->side != CK_SIDE_NONE ? k->side : c->s->side;
	if (t->side != CK_SIDE_A && t->side != CK_SIDE_B)
		t->side = CK_SIDE_NONE;
	if (c->s->dep && t->side != CK_SIDE_NONE)
		is = &c->s->dep->side[t->side];
	t->plan = c->st->cat ? c->st->cat->plan : NULL;
	t->sub = k->subscription ? k->subscription : is ? is->subscription : NULL;
	if (!t->sub && t->plan && t->side != CK_SIDE_NONE)
		t->sub = t->plan->sub[t->side].id;
	t->rg = k->resource_group ? k->resource_group : is ? is->resource_group : NULL;
	t->vault = k->vault ? k->vault : is ? is->vault : NULL;
	t->key = k->key ? k->key : is ? is->key : NULL;
	t->region = k->region ? k->region : is ? is->region : NULL;
	/* A step without a region of its own (a resource group step of an older
	 * catalogue): the group's, from the inventory. */
	if (!t->region && t->rg && c->st->cat)
		t->region = inventory_rg_region(c->st->cat->inv, t->side, t->rg);
	t->workload = c->s->dep ? (int)c->s->dep->workload : (int)k->workload;
}

char *sim_id_tail(const struct step *s)
{
	const char *tail = strrchr(s->id, '/');
	tail = tail ? tail + 1 : s->id;
	struct buf b = BUF_INIT;
	for (const char *p = tail; *p; p++) {
		unsigned v;
		/* %XX as the step ids write it; anything else stays as it is. */
		if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2]) &&
		    sscanf(p + 1, "%2x", &v) == 1) {
			buf_putc(&b, (char)v);
			p += 2;
		} else {
			buf_putc(&b, *p);
		}
	}
	return b.len ? buf_steal(&b) : xstrdup("");
}
