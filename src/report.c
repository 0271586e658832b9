/* report.c: the report model (one cJSON tree built from the replayed session
 * and its events), the JSON rendering, and writing report files. The
 * Markdown and HTML renderers (report_md.c, report_html.c) walk the same
 * model, so the three formats cannot disagree.
 *
 * The state is judged as of the last event (not "now"): the same journal
 * gives the same report on any day. */
#include "ck.h"
#include "report.h"
#include "session_int.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int report_format_parse(const char *name, enum report_format *f)
{
	if (util_streq(name, "md") || util_streq(name, "markdown"))
		*f = REPORT_MD;
	else if (util_streq(name, "html"))
		*f = REPORT_HTML;
	else if (util_streq(name, "json"))
		*f = REPORT_JSON;
	else
		return -1;
	return 0;
}

static void add_time(cJSON *o, const char *k, time_t t)
{
	char buf[21];
	if (t <= 0) {
		cJSON_AddNullToObject(o, k);
		return;
	}
	sess_format_time(t, buf);
	cJSON_AddStringToObject(o, k, buf);
}

static void add_side(cJSON *o, const char *k, int side)
{
	if (side == CK_SIDE_A || side == CK_SIDE_B)
		cJSON_AddStringToObject(o, k, sess_side_name(side));
	else
		cJSON_AddNullToObject(o, k);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

/* A copy of a payload member (absent: null). */
static void add_copy(cJSON *o, const char *k, const cJSON *p, const char *pk)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, pk);
	cJSON_AddItemToObject(o, k, v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
}

static cJSON *signers(const struct journal_event *e)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < e->n_sigs; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(sess_side_name(e->sigs[i].by)));
	return a;
}

static cJSON *model_operators(const struct session *s)
{
	cJSON *a = cJSON_CreateArray();
	for (int side = 0; side < CK_SIDES; side++) {
		const struct plan_operator *op = &s->plan->op[side];
		cJSON *o = cJSON_CreateObject();
		char *fp = pubkey_fingerprint(op->pub);
		add_side(o, "side", side);
		add_str(o, "name", op->name);
		add_str(o, "upn", op->upn);
		add_str(o, "fingerprint", fp);
		cJSON_AddBoolToObject(o, "demo", pubkey_demo_find(op->pub) != NULL);
		cJSON_AddBoolToObject(o, "author", s->plan->author == side);
		cJSON_AddBoolToObject(o, "tenant_admin", s->plan->tenant_admin == side);
		cJSON_AddItemToArray(a, o);
		free(fp);
	}
	return a;
}

/* Walk the events once for what the state does not keep: the history of the
 * plan, the sittings, deviations and skips, notes and clock moves. */
static void model_history(const struct session *s, cJSON *m)
{
	cJSON *plan = cJSON_AddArrayToObject(m, "plan_history");
	cJSON *sit = cJSON_AddArrayToObject(m, "sittings");
	cJSON *dev = cJSON_AddArrayToObject(m, "deviations");
	cJSON *notes = cJSON_AddArrayToObject(m, "notes");
	cJSON *clock = cJSON_AddArrayToObject(m, "clock");
	cJSON *cur = NULL;
	for (size_t i = 0; i < s->n_ev; i++) {
		const struct journal_event *e = &s->ev[i];
		const cJSON *p = e->payload;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "line", (double)e->seq);
		cJSON_AddStringToObject(o, "time", e->time);
		if (strcmp(e->type, "plan.approve") == 0 || strcmp(e->type, "plan.verify") == 0 ||
		    strcmp(e->type, "plan.amend") == 0) {
			cJSON_AddStringToObject(o, "event", e->type + 5);
			add_copy(o, "version", p, "version");
			add_copy(o, "sha256", p, "plan_sha256");
			add_side(o, "by", e->actor);
			cJSON_AddItemToObject(o, "signed_by", signers(e));
			if (e->type[5] == 'v') {
				add_copy(o, "checklist", p, "checklist");
				add_copy(o, "acknowledged", p, "acknowledged");
			} else if (e->type[5] == 'a' && e->type[6] == 'm') {
				add_copy(o, "diff", p, "diff");
			}
			cJSON_AddItemToArray(plan, o);
		} else if (strcmp(e->type, "sitting.open") == 0) {
			add_copy(o, "number", p, "sitting");
			cJSON_AddStringToObject(o, "opened", e->time);
			cJSON_AddNullToObject(o, "closed");
			add_copy(o, "present", p, "present");
			cJSON_DeleteItemFromObjectCaseSensitive(o, "time");
			cJSON_AddItemToArray(sit, o);
			cur = o;
		} else if ((strcmp(e->type, "sitting.close") == 0 ||
			    strcmp(e->type, "session.close") == 0) && cur) {
			cJSON_ReplaceItemInObjectCaseSensitive(cur, "closed", cJSON_CreateString(e->time));
			cur = NULL;
			cJSON_Delete(o);
		} else if (strcmp(e->type, "deviation") == 0 || strcmp(e->type, "step.skip") == 0) {
			cJSON_AddStringToObject(o, "kind", e->type[0] == 'd' ? "deviation" : "skip");
			add_copy(o, "step", p, "step");
			add_copy(o, "reason", p, "reason");
			if (cJSON_GetObjectItemCaseSensitive(p, "torn_offset"))
				add_copy(o, "torn_offset", p, "torn_offset");
			cJSON_AddItemToObject(o, "signed_by", signers(e));
			cJSON_AddItemToArray(dev, o);
		} else if (strcmp(e->type, "note") == 0) {
			add_side(o, "by", e->actor);
			add_copy(o, "text", p, "text");
			cJSON_AddItemToArray(notes, o);
		} else if (strcmp(e->type, "clock.advance") == 0) {
			add_side(o, "by", e->actor);
			add_copy(o, "seconds", p, "seconds");
			cJSON_AddItemToArray(clock, o);
		} else {
			cJSON_Delete(o);
		}
	}
}

static const char *evidence_label(const struct step *st, const char *id)
{
	for (size_t k = 0; k < st->n_evidence; k++)
		if (strcmp(st->evidence[k].id, id) == 0 && st->evidence[k].label)
			return st->evidence[k].label;
	return id;
}

static cJSON *model_step(const struct session *s, size_t i, time_t at)
{
	const struct step *st = &s->cat->steps[i];
	const struct sess_step *ss = &s->steps[i];
	const char *blocked = NULL;
	enum session_step_state state = sess_step_state(s, i, at, &blocked);
	static const char *const names[] = { "pending", "ready", "blocked", "waiting-witness",
					     "waiting-time", "waiting-event", "done", "skipped",
					     "failed" };
	cJSON *o = cJSON_CreateObject(), *ev, *w;
	cJSON_AddStringToObject(o, "id", st->id);
	add_str(o, "title", st->title);
	add_str(o, "phase", step_phase_name(st->phase));
	add_side(o, "owner", st->owner);
	cJSON_AddBoolToObject(o, "witness_required", st->witness);
	cJSON_AddBoolToObject(o, "critical", st->critical);
	cJSON_AddStringToObject(o, "state", names[state]);
	cJSON_AddBoolToObject(o, "started", ss->started);
	add_str(o, "blocked_by", state == STEP_BLOCKED ? blocked : NULL);
	add_side(o, "confirmed_by", ss->confirmed_by);
	add_time(o, "confirmed_at", ss->confirmed_by != CK_SIDE_NONE ? ss->confirmed_at : 0);
	add_side(o, "witnessed_by", ss->witnessed_by);
	add_time(o, "witnessed_at", ss->witnessed_by != CK_SIDE_NONE ? ss->witnessed_at : 0);
	if (st->wait.kind == WAIT_NONE) {
		cJSON_AddNullToObject(o, "wait");
	} else {
		w = cJSON_AddObjectToObject(o, "wait");
		if (st->wait.kind == WAIT_HOURS) {
			cJSON_AddNumberToObject(w, "hours", st->wait.hours);
			add_time(w, "until", ss->confirmed_by != CK_SIDE_NONE
					     ? ss->confirmed_at + (time_t)st->wait.hours * 3600 : 0);
		} else {
			add_str(w, "event", st->wait.event);
			add_str(w, "arrived", ss->arrived ? ss->arrived_what : NULL);
			add_time(w, "arrived_at", ss->arrived ? ss->arrived_at : 0);
		}
	}
	ev = cJSON_AddArrayToObject(o, "evidence");
	for (size_t k = 0; k < ss->n_ev; k++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "id", ss->ev[k].id);
		add_str(e, "label", evidence_label(st, ss->ev[k].id));
		cJSON_AddStringToObject(e, "value", ss->ev[k].value);
		cJSON_AddNumberToObject(e, "line", (double)ss->ev[k].seq);
		cJSON_AddItemToArray(ev, e);
	}
	if (ss->has_check) {
		cJSON *c = cJSON_AddObjectToObject(o, "check");
		cJSON_AddStringToObject(c, "status", check_status_name((enum check_status)ss->check.status));
		add_str(c, "summary", ss->check.summary);
		add_str(c, "detail", ss->check.detail);
		add_time(c, "at", ss->check.at);
		cJSON_AddBoolToObject(c, "performed", ss->check.performed);
	} else {
		cJSON_AddNullToObject(o, "check");
	}
	add_str(o, "skip_reason", ss->skipped ? ss->reason : NULL);
	return o;
}

cJSON *report_model(const struct session *s)
{
	cJSON *m = cJSON_CreateObject(), *o, *steps, *open;
	const struct plan *p = s->plan;
	time_t at = s->n_ev ? sess_parse_time(s->ev[s->n_ev - 1].time) + s->clock_offset : 0;
	const char *problem = NULL;
	cJSON_AddStringToObject(m, "report", "ckwizard session report");
	cJSON_AddNumberToObject(m, "format", 1);
	cJSON_AddStringToObject(m, "mode", sess_mode_name(s->mode));
	cJSON_AddBoolToObject(m, "rehearsal", s->mode == SESSION_REHEARSAL);
	cJSON_AddBoolToObject(m, "demo_keys", session_uses_demo_keys(s));
	cJSON_AddStringToObject(m, "status", s->closed ? "closed" : "open");
	session_problem(s, &problem);
	add_str(m, "problem", problem);
	add_str(m, "tool", s->tool_version);
	add_time(m, "opened", s->opened_at);
	add_time(m, "as_of", at);
	o = cJSON_AddObjectToObject(m, "journal");
	cJSON_AddNumberToObject(o, "events", (double)s->n_ev);
	cJSON_AddStringToObject(o, "head", s->head);
	if (!p)
		return m;
	o = cJSON_AddObjectToObject(m, "organization");
	add_str(o, "name", p->org.name);
	add_str(o, "tenant_domain", p->org.tenant_domain);
	add_str(o, "tenant_id", p->org.tenant_id);
	o = cJSON_AddObjectToObject(m, "plan");
	cJSON_AddNumberToObject(o, "version", (double)s->plan_version);
	cJSON_AddStringToObject(o, "sha256", p->sha256);
	add_side(o, "author", p->author);
	cJSON_AddBoolToObject(o, "approved", s->approved);
	cJSON_AddBoolToObject(o, "verified", s->verified);
	add_side(o, "verifier", s->verifier);
	{
		cJSON *w = cJSON_AddArrayToObject(o, "warnings");
		for (size_t i = 0; i < s->n_warn; i++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "id", s->warn_ids[i]);
			cJSON_AddStringToObject(x, "message", s->warn_msgs[i]);
			cJSON_AddItemToArray(w, x);
		}
	}
	cJSON_AddItemToObject(m, "operators", model_operators(s));
	model_history(s, m);
	steps = cJSON_AddArrayToObject(m, "steps");
	open = cJSON_AddArrayToObject(m, "open_items");
	for (size_t i = 0; s->cat && i < s->cat->n_steps; i++) {
		cJSON *st = model_step(s, i, at);
		const char *state = cJSON_GetObjectItemCaseSensitive(st, "state")->valuestring;
		if (strcmp(state, "done") && strcmp(state, "skipped")) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "id", s->cat->steps[i].id);
			add_str(x, "title", s->cat->steps[i].title);
			cJSON_AddStringToObject(x, "state", state);
			cJSON_AddItemToArray(open, x);
		}
		cJSON_AddItemToArray(steps, st);
	}
	return m;
}

void report_render(const struct session *s, enum report_format f, struct buf *out)
{
	cJSON *m = report_model(s);
	char *txt;
	switch (f) {
	case REPORT_JSON:
		txt = cJSON_Print(m);
		buf_puts(out, txt);
		buf_putc(out, '\n');
		cJSON_free(txt);
		break;
	case REPORT_MD:
		report_render_md(m, out);
		break;
	case REPORT_HTML:
		report_render_html(m, out);
		break;
	}
	cJSON_Delete(m);
}

int report_write_file(const char *path, const char *data, size_t len, char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	size_t off = 0;
	if (fd < 0) {
		if (errno == EEXIST)
			*err = xasprintf(_("%s already exists: reports are never overwritten, "
					   "choose another name"), path);
		else
			*err = xasprintf(_("cannot create %s: %s"), path, strerror(errno));
		return -1;
	}
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = xasprintf(_("cannot write %s: %s"), path, strerror(n < 0 ? errno : EIO));
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0) {
		*err = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
