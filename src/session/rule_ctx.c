/* rule_ctx.c: what every rule reads an event with: payload members,
 * operator text, the step it names, its signers; and the refusal. */
#include "ck.h"
#include "session/rule_ctx.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

int sr_refuse(char **why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (why)
		*why = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

const char *sr_str(const cJSON *p, const char *k)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(p, k);
	return cJSON_IsString(o) ? o->valuestring : NULL;
}

/* Integers are written by us; anything fractional or out of range is refused. */
bool sr_int(const cJSON *p, const char *k, long *out)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(p, k);
	if (!cJSON_IsNumber(o) || o->valuedouble != (double)(long)o->valuedouble)
		return false;
	*out = (long)o->valuedouble;
	return true;
}

/* Free text typed by an operator: bounded, no NUL, control or bidi. */
int sr_text(struct rule_ctx *c, const char *k, bool multiline, const char **out)
{
	const char *v = sr_str(c->p, k);
	size_t off;
	uint32_t cp;
	if (!v || !*v)
		return sr_refuse(c->why, _("\"%s\" is missing or empty"), k);
	if (strlen(v) > SESSION_MAX_TEXT)
		return sr_refuse(c->why, _("\"%s\" is longer than %d bytes"), k, SESSION_MAX_TEXT);
	if (text_find_forbidden(v, strlen(v), multiline, &off, &cp))
		return sr_refuse(c->why, _("\"%s\" holds the forbidden character U+%04X at byte %zu"),
			      k, (unsigned)cp, off);
	*out = v;
	return 0;
}

long sr_step(struct rule_ctx *c)
{
	const char *id = sr_str(c->p, "step");
	long i = id ? session_step_index(c->s, id) : -1;
	if (i < 0)
		sr_refuse(c->why, _("unknown step \"%s\""), id ? id : "(none)");
	return i;
}

const struct step *sr_cstep(struct rule_ctx *c, long i)
{
	return &c->s->cat->steps[i];
}

void sr_signers(const struct rule_ctx *c, bool out[CK_SIDES])
{
	out[0] = out[1] = false;
	for (size_t i = 0; i < c->ev->n_sigs; i++)
		if (c->ev->sigs[i].by == CK_SIDE_A || c->ev->sigs[i].by == CK_SIDE_B)
			out[c->ev->sigs[i].by] = true;
}

char **sr_strv(const cJSON *p, const char *k, size_t *n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(p, k), *it;
	char **v = NULL;
	*n = 0;
	cJSON_ArrayForEach(it, a)
		if (cJSON_IsString(it)) {
			v = xrealloc(v, (*n + 1) * sizeof *v);
			v[(*n)++] = xstrdup(it->valuestring);
		}
	return v;
}

/* The step rules' common questions (rules_step.c, rules_authorize.c). */
int sr_need_owner(struct rule_ctx *c, const struct step *st)
{
	if (c->ev->actor != st->owner)
		return sr_refuse(c->why, _("step %s belongs to operator %s; operator %s cannot do it"),
			      st->id, sess_side_name(st->owner), sess_side_name(c->ev->actor));
	return 0;
}

int sr_need_open_step(struct rule_ctx *c, long i)
{
	const struct sess_step *ss = sess_step_get(c->s, (size_t)i);
	if (ss->skipped)
		return sr_refuse(c->why, _("step %s was skipped"), sr_cstep(c, i)->id);
	if (ss->confirmed_by != CK_SIDE_NONE)
		return sr_refuse(c->why, _("step %s is already confirmed"), sr_cstep(c, i)->id);
	return 0;
}

int sr_need_prereqs(struct rule_ctx *c, long i)
{
	const char *blocked = NULL;
	if (sess_step_state(c->s, (size_t)i, c->t, &blocked) == STEP_BLOCKED)
		return sr_refuse(c->why, _("step %s needs step %s done first"), sr_cstep(c, i)->id,
			      blocked ? blocked : "?");
	return 0;
}
