/* rules_presence.c: who is at which terminal. In two-terminal mode each
 * operator joins the open sitting from their own terminal (operator.join),
 * leaves it (operator.leave: quit, or the terminal hung up), or is found
 * gone by the other (operator.lost: their ckwizard died, e.g. killed); the
 * last one present closes the sitting instead of leaving it. Every signature
 * comes from a terminal a sitting.open or an operator.join names. */
#include "ck.h"
#include "session/rule_ctx.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const presence_modes[] = { "one-keyboard", "two-terminals" };
static const char *const leave_hows[] = { "quit", "hangup" };

static bool one_of(const char *v, const char *const *set, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(v, set[i]) == 0)
			return true;
	return false;
}

static bool safe(const char *v)
{
	size_t off;
	uint32_t cp;
	return text_utf8_valid(v, strlen(v), &off) == 1 &&
	       !text_find_forbidden(v, strlen(v), 0, &off, &cp);
}

/* An optional "terminal": {"mode", "tty", "user"}; its members copied out. */
int sr_terminal(struct rule_ctx *c, struct sess_terminal *out)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(c->p, "terminal");
	memset(out, 0, sizeof *out);
	if (!t)
		return 0;
	const char *mode = sr_str(t, "mode"), *tty = sr_str(t, "tty"), *user = sr_str(t, "user");
	if (!cJSON_IsObject(t) || !one_of(mode, presence_modes, CK_ARRAY_LEN(presence_modes)) ||
	    !tty || !user || strlen(tty) > 256 || strlen(user) > 256 || !safe(tty) || !safe(user))
		return sr_refuse(c->why, _("\"terminal\" must give the mode (one-keyboard or "
					"two-terminals), the tty and the Unix user"));
	out->mode = xstrdup(mode);
	out->tty = xstrdup(tty);
	out->user = xstrdup(user);
	return 0;
}

static struct sess_presence *presence_push(struct rule_ctx *c, enum sess_ev kind, int who)
{
	struct sess_presence *p = SR_PUSH(c->s->h.presence, c->s->h.n_presence);
	p->kind = kind;
	p->when = c->at;
	p->by = c->ev->actor;
	p->who = who;
	p->sitting = c->s->sitting_no;
	return p;
}

static void sitting_present(struct session *s, int side, bool here)
{
	s->present[side] = here;
	if (here && s->h.n_sittings)
		s->h.sittings[s->h.n_sittings - 1].present[side] = true;
}

int sr_operator_join(struct rule_ctx *c)
{
	struct session *s = c->s;
	struct sess_terminal t;
	if (!s->sitting_open)
		return sr_refuse(c->why, _("there is no open sitting to join: the first operator "
					"opens one"));
	if (s->present[c->ev->actor])
		return sr_refuse(c->why, _("operator %s is present already"),
			      sess_side_name(c->ev->actor));
	if (sr_terminal(c, &t) < 0)
		return -1;
	sitting_present(s, c->ev->actor, true);
	presence_push(c, SEV_OPERATOR_JOIN, c->ev->actor)->term = t;
	return 0;
}

int sr_operator_leave(struct rule_ctx *c)
{
	struct session *s = c->s;
	const char *how = sr_str(c->p, "how");
	int other = ck_other_side(c->ev->actor);
	if (!one_of(how, leave_hows, CK_ARRAY_LEN(leave_hows)))
		return sr_refuse(c->why, _("\"how\" must be quit or hangup"));
	if (!s->present[other])
		return sr_refuse(c->why, _("the last operator present closes the sitting "
					"(sitting.close) instead of leaving it"));
	sitting_present(s, c->ev->actor, false);
	presence_push(c, SEV_OPERATOR_LEAVE, c->ev->actor)->how = xstrdup(how);
	return 0;
}

int sr_operator_lost(struct rule_ctx *c)
{
	struct session *s = c->s;
	const char *op = sr_str(c->p, "operator");
	int who = op ? sess_side_parse(op) : CK_SIDE_NONE;
	if (who == CK_SIDE_NONE || who == c->ev->actor)
		return sr_refuse(c->why, _("\"operator\" must name the other operator"));
	if (!s->present[who])
		return sr_refuse(c->why, _("operator %s is not present"), sess_side_name(who));
	sitting_present(s, who, false);
	presence_push(c, SEV_OPERATOR_LOST, who);
	return 0;
}
