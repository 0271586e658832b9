/* rules.c: the one rule engine of dual control. Every event, live or
 * replayed (resume, report, verify), goes through sess_apply(): it either
 * refuses the event with a sentence that says which rule it breaks, or
 * changes the state and fills the typed record. The table below is the one
 * place the event types are named: per type, who must sign, whether the
 * actor must sit in an open sitting and the plan be verified, and the rule
 * (session, sitting, plan and ceremony rules here; step rules in
 * rules_step.c). */
#include "ck.h"
#include "session/rule_ctx.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum signers {
	SIG_NONE,    /* no operator: session.open (anchored by the plan hash it embeds) */
	SIG_ACTOR,   /* exactly the actor's signature */
	SIG_PRESENT, /* every operator named present (sitting.open) */
	SIG_BOTH     /* both operators: skip, deviation, amendment, close */
};

typedef int (*rule_fn)(struct rule_ctx *c);

struct rule_type {
	const char *type;
	enum signers signers;
	bool in_sitting;          /* the actor (both, for SIG_BOTH) present in an open sitting */
	bool verified;            /* the current plan version verified */
	bool plan_changed_ok;     /* may be recorded while the plan file differs (amending) */
	rule_fn apply;
};

static bool plan_matches(struct rule_ctx *c)
{
	long v = 0;
	const char *h = sr_str(c->p, "plan_sha256");
	if (!sr_int(c->p, "version", &v) || v != c->s->plan_version || !h ||
	    strcmp(h, c->s->plan->sha256) != 0) {
		sr_refuse(c->why, _("it names plan version %ld %s, but the current version is %ld %s"),
		       v, h ? h : "-", c->s->plan_version, c->s->plan->sha256);
		return false;
	}
	return true;
}

static struct sess_plan_event *plan_event(struct rule_ctx *c, enum sess_ev type)
{
	struct sess_history *h = &c->s->h;
	struct sess_plan_event *e = SR_PUSH(h->plan, h->n_plan);
	long v = 0;
	e->type = type;
	e->when = c->at;
	e->by = c->ev->actor;
	sr_int(c->p, "version", &v);
	e->version = v;
	e->sha256 = xstrdup(sr_str(c->p, "plan_sha256") ? sr_str(c->p, "plan_sha256") : "");
	sr_signers(c, e->signed_by);
	return e;
}

/* ---- session ------------------------------------------------------------ */
static int r_session_open(struct rule_ctx *c)
{
	struct session *s = c->s;
	const char *mode = sr_str(c->p, "mode"), *tool = sr_str(c->p, "tool");
	const char *bytes = sr_str(c->p, "plan"), *h = sr_str(c->p, "plan_sha256");
	char hex[HASH_SHA256_HEX_LEN + 1];
	long fmt;
	if (!sr_int(c->p, "format", &fmt) || fmt < SESSION_FORMAT_MIN || fmt > SESSION_FORMAT)
		return sr_refuse(c->why, _("unknown session format (this tool reads formats %d to %d)"),
			      SESSION_FORMAT_MIN, SESSION_FORMAT);
	if (!mode || (strcmp(mode, "run") && strcmp(mode, "rehearsal")))
		return sr_refuse(c->why, _("the mode must be \"run\" or \"rehearsal\""));
	if (!tool || !bytes || !h)
		return sr_refuse(c->why, _("the tool version, plan or plan hash is missing"));
	long cv = 1;
	if (cJSON_GetObjectItemCaseSensitive(c->p, "catalogue") &&
	    (!sr_int(c->p, "catalogue", &cv) || cv < 2 || cv > (long)STEPS_CATALOGUE_VERSION))
		return sr_refuse(c->why, _("step catalogue version %ld is not one this ckwizard knows "
					"(1 to %u)"), cv, STEPS_CATALOGUE_VERSION);
	s->cat_version = (unsigned)cv;
	const char *cer = sr_str(c->p, "ceremony");
	if (cJSON_GetObjectItemCaseSensitive(c->p, "ceremony") &&
	    (!cer || strcmp(cer, "offboarding") != 0 || cv < 2))
		return sr_refuse(c->why, _("the ceremony must be \"offboarding\" (catalogue 2 or "
					"later), or absent"));
	s->offboarding = cer != NULL;
	const char *live = sr_str(c->p, "live");
	if (cJSON_GetObjectItemCaseSensitive(c->p, "live") &&
	    (!live || (strcmp(live, "checks") && strcmp(live, "execute")) || strcmp(mode, "run")))
		return sr_refuse(c->why, _("live must be \"checks\" or \"execute\" in a run, or "
					"absent (guide mode)"));
	s->live = !live ? SESS_LIVE_GUIDE : strcmp(live, "execute") == 0 ? SESS_LIVE_EXECUTE
									 : SESS_LIVE_CHECKS;
	hash_sha256_hex(bytes, strlen(bytes), hex);
	if (strcmp(hex, h) != 0)
		return sr_refuse(c->why, _("the embedded plan's SHA-256 is %s, not the recorded %s"),
			      hex, h);
	if (sess_plan_set(s, bytes, strlen(bytes), c->why) < 0)
		return -1;
	s->mode = strcmp(mode, "run") == 0 ? SESSION_RUN : SESSION_REHEARSAL;
	if (s->mode == SESSION_RUN && session_uses_demo_keys(s))
		return sr_refuse(c->why, _("a real ceremony (run) cannot use the bundled demo "
					"operators' keys: enroll each operator's own key"));
	free(s->tool_version);
	s->tool_version = xstrdup(tool);
	s->opened_at = c->t;
	s->plan_version = 1;
	s->h.format = fmt;
	s->h.opened = c->at;
	free(s->h.opened_sha256);
	s->h.opened_sha256 = xstrdup(h);
	return 0;
}

static int r_session_close(struct rule_ctx *c)
{
	struct sess_history *h = &c->s->h;
	long open_items = 0;
	c->s->closed = true;
	c->s->sitting_open = false;
	c->s->sitting_closed = c->t;
	if (h->n_sittings && !h->sittings[h->n_sittings - 1].closed.line)
		h->sittings[h->n_sittings - 1].closed = c->at;
	h->closing.closed = true;
	h->closing.when = c->at;
	h->closing.by = c->ev->actor;
	sr_signers(c, h->closing.signed_by);
	h->closing.open_items = sr_int(c->p, "open_items", &open_items) ? open_items : -1;
	return 0;
}

/* ---- sittings ----------------------------------------------------------- */
/* A sitting still open when the next one opens was left by a ckwizard that
 * died (kill -9, a crash, a terminal gone) before closing it. Whoever was
 * present in it closes it with sitting.close. An operator who was not there
 * cannot sign that close, so their sitting.open ends it instead, naming it
 * in "stale": its number and "last_seen", the time of the journal's last
 * line, the last moment anyone saw the sitting alive. That ends a dead
 * sitting and nothing else: no step, skip or closing follows from it, and
 * the new sitting holds only the operators who signed it. */
static int stale_sitting(struct rule_ctx *c, const bool present[CK_SIDES])
{ /* 1: a stale sitting to end, 0: none open, -1: refused */
	struct session *s = c->s;
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(c->p, "stale");
	char last[21];
	long n = 0;
	if (!s->sitting_open) {
		if (st)
			return sr_refuse(c->why, _("\"stale\" names a sitting, but none is open"));
		return 0;
	}
	if (!st)
		return sr_refuse(c->why, _("sitting %ld is still open"), s->sitting_no);
	for (int side = 0; side < CK_SIDES; side++)
		if (present[side] && s->present[side])
			return sr_refuse(c->why, _("operator %s is present in sitting %ld and closes "
						"it (sitting.close) before opening another"),
				      sess_side_name(side), s->sitting_no);
	sess_format_time(s->h.last.real, last);
	if (!cJSON_IsObject(st) || !sr_int(st, "sitting", &n) || n != s->sitting_no ||
	    !util_streq(sr_str(st, "last_seen"), last))
		return sr_refuse(c->why, _("\"stale\" must name the open sitting (%ld) and, as "
					"\"last_seen\", the time of the line before (%s)"),
			      s->sitting_no, last);
	return 1;
}

static void stale_sitting_end(struct session *s)
{
	if (s->h.n_sittings) {
		struct sess_sitting *x = &s->h.sittings[s->h.n_sittings - 1];
		x->closed = s->h.last;
		x->closed_stale = true;
	}
	s->sitting_open = false;
	s->sitting_closed = s->h.last.at;
}

static int r_sitting_open(struct rule_ctx *c)
{
	struct session *s = c->s;
	const cJSON *pr = cJSON_GetObjectItemCaseSensitive(c->p, "present"), *it;
	bool present[CK_SIDES] = { false, false }, signed_by[CK_SIDES] = { false, false };
	long n;
	if (!sr_int(c->p, "sitting", &n) || n != s->sitting_no + 1)
		return sr_refuse(c->why, _("the sitting must be number %ld"), s->sitting_no + 1);
	if (!cJSON_IsArray(pr) || cJSON_GetArraySize(pr) < 1 || cJSON_GetArraySize(pr) > 2)
		return sr_refuse(c->why, _("\"present\" must list one or two operators"));
	cJSON_ArrayForEach(it, pr) {
		int side = cJSON_IsString(it) ? sess_side_parse(it->valuestring) : CK_SIDE_NONE;
		if (side == CK_SIDE_NONE || present[side])
			return sr_refuse(c->why, _("\"present\" must list operators A and B at most once"));
		present[side] = true;
	}
	for (size_t i = 0; i < c->ev->n_sigs; i++)
		signed_by[c->ev->sigs[i].by] = true;
	for (int side = 0; side < CK_SIDES; side++)
		if (present[side] != signed_by[side])
			return sr_refuse(c->why, _("a sitting is signed by exactly the operators present; "
						"operator %s is not"), sess_side_name(side));
	if (!present[c->ev->actor])
		return sr_refuse(c->why, _("the actor is not among those present"));
	int stale = stale_sitting(c, present);
	if (stale < 0)
		return -1;
	struct sess_terminal term;
	if (sr_terminal(c, &term) < 0)
		return -1;
	if (stale)
		stale_sitting_end(s);
	s->sitting_no = n;
	s->sitting_open = true;
	s->sitting_opened = c->t;
	s->sitting_closed = 0;
	memcpy(s->present, present, sizeof present);
	{
		struct sess_sitting *x = SR_PUSH(s->h.sittings, s->h.n_sittings);
		x->number = n;
		x->opened = c->at;
		x->opened_by = c->ev->actor;
		x->term = term;
		memcpy(x->present, present, sizeof present);
	}
	return 0;
}

static int r_sitting_close(struct rule_ctx *c)
{
	long n;
	if (!sr_int(c->p, "sitting", &n) || n != c->s->sitting_no)
		return sr_refuse(c->why, _("the sitting to close is number %ld"), c->s->sitting_no);
	c->s->sitting_open = false;
	c->s->sitting_closed = c->t;
	if (c->s->h.n_sittings)
		c->s->h.sittings[c->s->h.n_sittings - 1].closed = c->at;
	return 0;
}

/* ---- plan --------------------------------------------------------------- */
static int r_plan_approve(struct rule_ctx *c)
{
	struct session *s = c->s;
	if (c->ev->actor != s->plan->author)
		return sr_refuse(c->why, _("only the plan's author (operator %s) can approve it"),
			      sess_side_name(s->plan->author));
	if (s->approved)
		return sr_refuse(c->why, _("this plan version is already approved"));
	if (!plan_matches(c))
		return -1;
	s->approved = true;
	plan_event(c, SEV_PLAN_APPROVE);
	return 0;
}

static bool acked(const cJSON *ack, const char *id)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, ack)
		if (cJSON_IsString(it) && strcmp(it->valuestring, id) == 0)
			return true;
	return false;
}

static int r_plan_verify(struct rule_ctx *c)
{
	struct session *s = c->s;
	const cJSON *cl = cJSON_GetObjectItemCaseSensitive(c->p, "checklist");
	const cJSON *ack = cJSON_GetObjectItemCaseSensitive(c->p, "acknowledged");
	if (!s->approved)
		return sr_refuse(c->why, _("the author must approve the plan before it is verified"));
	if (s->verified)
		return sr_refuse(c->why, _("this plan version is already verified"));
	if (c->ev->actor == s->plan->author)
		return sr_refuse(c->why, _("the plan's author cannot verify their own plan: "
					"operator %s must"), sess_side_name(ck_other_side(s->plan->author)));
	if (!plan_matches(c))
		return -1;
	if (!cJSON_IsObject(cl) || !cJSON_IsArray(ack))
		return sr_refuse(c->why, _("the checklist or the acknowledged warnings are missing"));
	for (size_t i = 0; i < session_n_checklist; i++)
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cl, session_checklist[i].id)))
			return sr_refuse(c->why, _("checklist item \"%s\" is not answered yes"),
				      session_checklist[i].id);
	for (size_t i = 0; i < s->n_warn; i++)
		if (!acked(ack, s->warn_ids[i]))
			return sr_refuse(c->why, _("warning %s is not acknowledged"), s->warn_ids[i]);
	s->verified = true;
	s->verifier = c->ev->actor;
	{
		struct sess_plan_event *e = plan_event(c, SEV_PLAN_VERIFY);
		const cJSON *x;
		cJSON_ArrayForEach(x, cl) {
			e->check_ids = xrealloc(e->check_ids, (e->n_check + 1) * sizeof *e->check_ids);
			e->check_yes = xrealloc(e->check_yes, (e->n_check + 1) * sizeof *e->check_yes);
			e->check_ids[e->n_check] = xstrdup(x->string);
			e->check_yes[e->n_check++] = cJSON_IsTrue(x);
		}
		e->acked = sr_strv(c->p, "acknowledged", &e->n_acked);
	}
	return 0;
}

static int r_plan_amend(struct rule_ctx *c)
{
	struct session *s = c->s;
	const char *bytes = sr_str(c->p, "plan"), *h = sr_str(c->p, "plan_sha256");
	char hex[HASH_SHA256_HEX_LEN + 1];
	unsigned char old_pub[CK_SIDES][PUBKEY_LEN];
	int old_author = s->plan->author;
	long v;
	if (!sr_int(c->p, "version", &v) || v != s->plan_version + 1)
		return sr_refuse(c->why, _("an amendment must be plan version %ld"), s->plan_version + 1);
	if (!bytes || !h || !sr_str(c->p, "diff"))
		return sr_refuse(c->why, _("the amendment's plan, hash or diff is missing"));
	hash_sha256_hex(bytes, strlen(bytes), hex);
	if (strcmp(hex, h) != 0)
		return sr_refuse(c->why, _("the amended plan's SHA-256 is %s, not the recorded %s"), hex, h);
	memcpy(old_pub, s->pub, sizeof old_pub);
	if (sess_plan_set(s, bytes, strlen(bytes), c->why) < 0)
		return -1;
	/* An amendment changes resources, never the people: swapping an operator's
	 * key would let anyone re-sign the rest of the ceremony. */
	if (memcmp(old_pub, s->pub, sizeof old_pub) != 0 || s->plan->author != old_author)
		return sr_refuse(c->why, _("an amendment cannot change the operators' keys or the "
					"author: start a new session for new operators"));
	s->plan_version = v;
	s->approved = true; /* both signed it, the author included */
	s->verified = false;
	s->verifier = CK_SIDE_NONE;
	{
		struct sess_plan_event *e = plan_event(c, SEV_PLAN_AMEND);
		e->diff = xstrdup(sr_str(c->p, "diff"));
		e->reset_steps = s->rebuilt;
		e->n_reset = s->n_rebuilt;
		s->rebuilt = NULL;
		s->n_rebuilt = 0;
	}
	return 0;
}

static int r_deviation(struct rule_ctx *c)
{
	const char *reason;
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(c->p, "step");
	struct sess_deviation *d;
	long off;
	if (!cJSON_IsNull(st) && sr_step(c) < 0)
		return -1;
	if (sr_text(c, "reason", true, &reason) < 0)
		return -1;
	d = SR_PUSH(c->s->h.devs, c->s->h.n_devs);
	d->when = c->at;
	d->step = cJSON_IsString(st) ? xstrdup(st->valuestring) : NULL;
	d->reason = xstrdup(reason);
	d->torn_offset = sr_int(c->p, "torn_offset", &off) ? off : -1;
	d->by = c->ev->actor;
	sr_signers(c, d->signed_by);
	return 0;
}

static int r_note(struct rule_ctx *c)
{
	const char *text;
	struct sess_note *n;
	if (sr_text(c, "text", true, &text) < 0)
		return -1;
	n = SR_PUSH(c->s->h.notes, c->s->h.n_notes);
	n->when = c->at;
	n->by = c->ev->actor;
	n->text = xstrdup(text);
	return 0;
}

static int r_clock_advance(struct rule_ctx *c)
{
	long sec, off;
	if (c->s->mode != SESSION_REHEARSAL)
		return sr_refuse(c->why, _("only a rehearsal's clock can be moved forward"));
	if (!sr_int(c->p, "seconds", &sec) || sec <= 0 || sec > 400L * 86400 ||
	    !sr_int(c->p, "offset", &off) || off != c->s->clock_offset + sec)
		return sr_refuse(c->why, _("a clock advance must be 1 s to 400 days, and the new "
					"offset the old plus that"));
	c->s->clock_offset = off;
	{
		struct sess_clock_move *m = SR_PUSH(c->s->h.clock, c->s->h.n_clock);
		m->when = c->at;
		m->by = c->ev->actor;
		m->seconds = sec;
		m->offset = off;
	}
	return 0;
}

/* The one place the event type names are written. */
static const struct rule_type rule_types[SEV_N] = {
	[SEV_SESSION_OPEN]  = { "session.open",  SIG_NONE,    false, false, false, r_session_open },
	[SEV_SITTING_OPEN]  = { "sitting.open",  SIG_PRESENT, false, false, true,  r_sitting_open },
	[SEV_SITTING_CLOSE] = { "sitting.close", SIG_ACTOR,   true,  false, true,  r_sitting_close },
	[SEV_PLAN_APPROVE]  = { "plan.approve",  SIG_ACTOR,   true,  false, false, r_plan_approve },
	[SEV_PLAN_VERIFY]   = { "plan.verify",   SIG_ACTOR,   true,  false, false, r_plan_verify },
	[SEV_PLAN_AMEND]    = { "plan.amend",    SIG_BOTH,    true,  false, true,  r_plan_amend },
	[SEV_STEP_START]    = { "step.start",    SIG_ACTOR,   true,  true,  false, sr_step_start },
	[SEV_STEP_EVIDENCE] = { "step.evidence", SIG_ACTOR,   true,  true,  false, sr_step_evidence },
	[SEV_STEP_CHECK]    = { "step.check",    SIG_ACTOR,   true,  true,  false, sr_step_check },
	[SEV_STEP_PERFORM]  = { "step.perform",  SIG_ACTOR,   true,  true,  false, sr_step_perform },
	[SEV_STEP_CONFIRM]  = { "step.confirm",  SIG_ACTOR,   true,  true,  false, sr_step_confirm },
	[SEV_STEP_WAIT]     = { "step.wait",     SIG_ACTOR,   true,  true,  false, sr_step_wait },
	[SEV_STEP_WITNESS]  = { "step.witness",  SIG_ACTOR,   true,  true,  false, sr_step_witness },
	[SEV_STEP_EVENT]    = { "step.event",    SIG_ACTOR,   true,  true,  false, sr_step_event },
	[SEV_STEP_SKIP]     = { "step.skip",     SIG_BOTH,    true,  true,  false, sr_step_skip },
	[SEV_DEVIATION]     = { "deviation",     SIG_BOTH,    true,  false, true,  r_deviation },
	[SEV_NOTE]          = { "note",          SIG_ACTOR,   true,  false, true,  r_note },
	[SEV_CLOCK_ADVANCE] = { "clock.advance", SIG_ACTOR,   true,  false, false, r_clock_advance },
	[SEV_SESSION_CLOSE] = { "session.close", SIG_BOTH,    true,  false, false, r_session_close },
	[SEV_AZURE_SIGN_IN] = { "azure.signin", SIG_ACTOR,   true,  false, false, sr_azure_sign_in },
	[SEV_STEP_AUTHORIZE]= { "step.authorize",SIG_ACTOR,   true,  true,  false, sr_step_authorize },
	[SEV_STEP_COSIGN]   = { "step.cosign",   SIG_ACTOR,   true,  true,  false, sr_step_cosign },
	[SEV_OPERATOR_JOIN] = { "operator.join", SIG_ACTOR,   false, false, true,  sr_operator_join },
	[SEV_OPERATOR_LEAVE]= { "operator.leave",SIG_ACTOR,   true,  false, true,  sr_operator_leave },
	[SEV_OPERATOR_LOST] = { "operator.lost", SIG_ACTOR,   true,  false, true,  sr_operator_lost },
};

/* Each event recorded in a sitting, in words for the refusal that says who
 * must be present: the type names above are the journal's, not the
 * operators'. */
static const char *const rule_words[SEV_N] = {
	[SEV_SITTING_CLOSE]  = N_("closing the sitting"),
	[SEV_PLAN_APPROVE]   = N_("the author's approval"),
	[SEV_PLAN_VERIFY]    = N_("verifying the plan"),
	[SEV_PLAN_AMEND]     = N_("amending the plan"),
	[SEV_STEP_START]     = N_("starting a step"),
	[SEV_STEP_EVIDENCE]  = N_("entering evidence"),
	[SEV_STEP_CHECK]     = N_("a step's check"),
	[SEV_STEP_PERFORM]   = N_("performing a step"),
	[SEV_STEP_CONFIRM]   = N_("confirming a step"),
	[SEV_STEP_WAIT]      = N_("a step's wait"),
	[SEV_STEP_WITNESS]   = N_("witnessing a step"),
	[SEV_STEP_EVENT]     = N_("a step's event"),
	[SEV_STEP_SKIP]      = N_("skipping a step"),
	[SEV_DEVIATION]      = N_("a deviation"),
	[SEV_NOTE]           = N_("a note"),
	[SEV_CLOCK_ADVANCE]  = N_("moving the clock"),
	[SEV_SESSION_CLOSE]  = N_("closing the ceremony"),
	[SEV_AZURE_SIGN_IN]  = N_("signing in to Azure"),
	[SEV_STEP_AUTHORIZE] = N_("authorizing a step"),
	[SEV_STEP_COSIGN]    = N_("co-signing"),
	[SEV_OPERATOR_LEAVE] = N_("leaving"),
	[SEV_OPERATOR_LOST]  = N_("recording a lost operator"),
};

const char *sess_ev_name(enum sess_ev t)
{
	return t < SEV_N ? rule_types[t].type : "?";
}

/* For readers of raw lines that must not replay them (verify looks at
 * every embedded plan's keys before and whatever the replay says). */
bool sess_ev_embeds_plan(const char *type)
{
	return util_streq(type, rule_types[SEV_SESSION_OPEN].type) ||
	       util_streq(type, rule_types[SEV_PLAN_AMEND].type);
}

bool sess_ev_allowed_while_plan_changed(enum sess_ev t)
{
	return t < SEV_N && rule_types[t].plan_changed_ok;
}

bool session_rule_at(size_t i, const char **type, const char **signers)
{
	static const char *const names[] = { [SIG_NONE] = "none", [SIG_ACTOR] = "actor",
					     [SIG_PRESENT] = "present", [SIG_BOTH] = "both" };
	if (i >= CK_ARRAY_LEN(rule_types))
		return false;
	*type = rule_types[i].type;
	*signers = names[rule_types[i].signers];
	return true;
}

static int check_signers(struct session *s, const struct journal_event *ev,
			 const struct rule_type *rt, bool check_sigs, char **why)
{
	bool seen[CK_SIDES] = { false, false };
	char msg[128];
	if (rt->signers == SIG_NONE) {
		if (ev->actor != CK_SIDE_NONE || ev->n_sigs)
			return sr_refuse(why, _("%s has no actor and no signature"), ev->type);
		return 0;
	}
	if (ev->actor != CK_SIDE_A && ev->actor != CK_SIDE_B)
		return sr_refuse(why, _("%s needs an actor, operator A or B"), ev->type);
	for (size_t i = 0; i < ev->n_sigs; i++) {
		int by = ev->sigs[i].by;
		if ((by != CK_SIDE_A && by != CK_SIDE_B) || seen[by])
			return sr_refuse(why, _("a signature is repeated or not by operator A or B"));
		seen[by] = true;
		if (check_sigs) {
			journal_sig_message(ev->hash, msg, sizeof msg);
			if (pubkey_verify(s->pub[by], msg, strlen(msg), ev->sigs[i].sig) != 1)
				return sr_refuse(why, _("operator %s's signature does not match the "
						     "plan's key for operator %s"),
					      sess_side_name(by), sess_side_name(by));
		}
	}
	if (!seen[ev->actor])
		return sr_refuse(why, _("%s by operator %s is not signed by operator %s"), ev->type,
			      sess_side_name(ev->actor), sess_side_name(ev->actor));
	if (rt->signers == SIG_ACTOR && ev->n_sigs != 1)
		return sr_refuse(why, _("%s is signed by its actor alone"), ev->type);
	if (rt->signers == SIG_BOTH && ev->n_sigs != 2)
		return sr_refuse(why, _("%s needs the signatures of both operators"), ev->type);
	return 0;
}

/* Says who must be present, by name: the one missing, or both. */
static int refuse_absent(const struct session *s, int actor, bool both, const char *what,
			 char **why)
{
	int other = ck_other_side(actor);
	int missing = s->present[actor] ? other : actor;
	const char *name = s->plan->op[missing].name;
	if (both && !s->present[actor] && !s->present[other])
		return sr_refuse(why, _("%s needs both operators present in this sitting"), what);
	return sr_refuse(why, _("%s needs %s (operator %s) present in this sitting"), what,
			 name ? name : "?", sess_side_name(missing));
}

static long rules_applied; /* events judged or applied: a cost the tests count */

long session_test_rules_applied(void)
{
	return rules_applied;
}

int sess_apply(struct session *s, const struct journal_event *ev, bool check_sigs, char **why)
{
	const struct rule_type *rt = NULL;
	struct rule_ctx c = { s, ev, ev->payload, 0, why, { 0, 0, 0 } };
	time_t t = sess_parse_time(ev->time);
	int rc;
	rules_applied++;
	for (size_t i = 0; i < CK_ARRAY_LEN(rule_types); i++)
		if (strcmp(rule_types[i].type, ev->type) == 0)
			rt = &rule_types[i];
	if (!rt)
		return sr_refuse(why, _("unknown event type \"%s\""), ev->type);
	if (t == (time_t)-1)
		return sr_refuse(why, _("the time \"%s\" is not a UTC time"), ev->time);
	c.t = t + s->clock_offset;
	c.at = (struct sess_stamp){ ev->seq, t, c.t };
	if (s->closed)
		return sr_refuse(why, _("the session is closed: nothing can follow session.close"));
	if ((ev->seq == 1) != (rt == &rule_types[SEV_SESSION_OPEN]))
		return sr_refuse(why, _("a journal starts with session.open, and only once"));
	if (!cJSON_IsObject(ev->payload))
		return sr_refuse(why, _("the payload is not an object"));
	if (check_signers(s, ev, rt, check_sigs, why) < 0)
		return -1;
	if (rt->in_sitting) {
		if (!s->sitting_open)
			return sr_refuse(why, _("%s outside a sitting: open a sitting first"), ev->type);
		if (!s->present[ev->actor] ||
		    (rt->signers == SIG_BOTH && !(s->present[0] && s->present[1])))
			return refuse_absent(s, ev->actor, rt->signers == SIG_BOTH,
					     rule_words[rt - rule_types] ? _(rule_words[rt - rule_types])
									 : ev->type, why);
	}
	if (rt->verified && !s->verified)
		return sr_refuse(why, _("no step can be worked on before the plan is approved by its "
				     "author and verified by the other operator"));
	rc = rt->apply(&c);
	if (rc == 0)
		s->h.last = c.at;
	return rc;
}
