/* walk.c: the parts of the report every format shows the same way
 * (banners, operators, plan history, step details, deviations, notes, clock, open
 * items), walked once over the model; each format gives a table of emitters
 * (v1.h). Format-shaped parts (the summary header, the sittings and
 * step tables, whose cells differ) stay in md.c and html.c. */
#include "report/v1.h"

#include <string.h>

/* Operator sides, joined with "and": our own words (A/B), not escaped. */
static void walk_signers(struct buf *o, const cJSON *arr)
{
	const cJSON *it;
	bool first = true;
	cJSON_ArrayForEach(it, arr) {
		buf_printf(o, "%s%s", first ? "" : " and ", it->valuestring);
		first = false;
	}
}

/* End an item with a block when there is one, else just end it. */
static void walk_end_item(const struct rv1_fmt *f, struct buf *o, const char *block)
{
	if (block)
		f->pre_item(o, block);
	else
		buf_puts(o, f->li_end);
}

/* What a reader must see before anything else, in the same words everywhere. */
static const struct {
	const char *key, *id, *word, *says;
} walk_banners[] = {
	{ "rehearsal", "rehearsal", "REHEARSAL",
	  "a practice run against the built-in simulator. Nothing here happened in Azure." },
	{ "demo_keys", "demo", "DEMO KEYS",
	  "the bundled demo operators signed this journal: it proves nothing about real people." },
};

void rv1_walk_banners(const struct rv1_fmt *f, const cJSON *m, struct buf *o)
{
	for (size_t i = 0; i < sizeof walk_banners / sizeof walk_banners[0]; i++)
		if (rm_bool(m, walk_banners[i].key)) {
			f->banner(o, walk_banners[i].id, walk_banners[i].word);
			buf_puts(o, walk_banners[i].says);
			buf_puts(o, f->banner_close);
		}
	if (rm_str(m, "problem")) {
		f->banner(o, "problem", "JOURNAL PROBLEM");
		f->text(o, rm_str(m, "problem"));
		buf_puts(o, f->banner_close);
	}
}

void rv1_walk_operators(const struct rv1_fmt *f, const cJSON *m, struct buf *o)
{
	static const char *const cols[] = { "Side", "Name", "UPN", "Key fingerprint", "Roles", NULL };
	const cJSON *it;
	char roles[64];
	f->table(o, "Operators", "operators", cols);
	cJSON_ArrayForEach(it, rm_get(m, "operators")) {
		/* Side and roles are our own words; name and UPN were typed. */
		buf_printf(o, "%s%s%s", f->row_open, rm_str(it, "side"), f->cell);
		f->text(o, rm_str(it, "name"));
		buf_puts(o, f->cell);
		f->text(o, rm_str(it, "upn"));
		buf_puts(o, f->cell);
		f->code(o, rm_str(it, "fingerprint"));
		rm_roles(it, roles, sizeof roles);
		buf_printf(o, "%s%s%s", f->cell, roles, f->row_close);
	}
	buf_puts(o, f->table_close);
}

static void walk_verify(const struct rv1_fmt *f, const cJSON *it, struct buf *o)
{
	const cJSON *x = rm_get(it, "checklist") ? rm_get(it, "checklist")->child : NULL;
	buf_printf(o, "%schecklist answered yes:", f->br);
	for (; x; x = x->next) {
		buf_puts(o, " ");
		f->code(o, x->string);
		if (!cJSON_IsTrue(x))
			buf_puts(o, f->checklist_no);
	}
	buf_printf(o, "%swarnings acknowledged:", f->br);
	if (!rm_len(it, "acknowledged"))
		buf_puts(o, " none");
	cJSON_ArrayForEach(x, rm_get(it, "acknowledged")) {
		buf_puts(o, " ");
		f->code(o, x->valuestring);
	}
	buf_puts(o, f->li_end);
}

void rv1_walk_plan(const struct rv1_fmt *f, const cJSON *m, struct buf *o)
{
	const cJSON *it;
	f->section(o, "Plan approval and verification", "plan-history");
	if (!rm_len(m, "plan_history"))
		buf_puts(o, f->never_approved);
	cJSON_ArrayForEach(it, rm_get(m, "plan_history")) {
		const char *ev = rm_str(it, "event");
		/* The hash is ours (computed on load), written as it is. */
		buf_printf(o, "%s%s (line %ld): version %ld %s%s%s %s by operator ", f->li,
			   rm_str(it, "time"), rm_num(it, "line"), rm_num(it, "version"), f->code_open,
			   rm_str(it, "sha256"), f->code_close,
			   strcmp(ev, "approve") == 0 ? "approved" :
			   strcmp(ev, "verify") == 0 ? "verified" : "amended, signed");
		walk_signers(o, rm_get(it, "signed_by"));
		if (strcmp(ev, "verify") == 0)
			walk_verify(f, it, o);
		else
			walk_end_item(f, o, rm_str(it, "diff"));
	}
	buf_puts(o, f->list_close);
	if (rm_len(rm_get(m, "plan"), "warnings")) {
		f->para_list(o, "Rule warnings of the current version:", "warnings");
		cJSON_ArrayForEach(it, rm_get(rm_get(m, "plan"), "warnings")) {
			buf_puts(o, f->li);
			f->code(o, rm_str(it, "id"));
			buf_puts(o, " ");
			f->text(o, rm_str(it, "message"));
			buf_puts(o, f->li_end);
		}
		buf_puts(o, f->list_close);
	}
}

static void walk_wait(const struct rv1_fmt *f, const cJSON *w, struct buf *o)
{
	if (rm_get(w, "hours")) {
		buf_printf(o, "%sWait: %ld hours", f->li, rm_num(w, "hours"));
		if (rm_str(w, "until"))
			buf_printf(o, ", until %s", rm_str(w, "until"));
	} else {
		buf_printf(o, "%sWait for: ", f->li);
		f->text(o, rm_str(w, "event"));
		if (rm_str(w, "arrived")) {
			buf_printf(o, "; arrived %s: ", rm_str(w, "arrived_at"));
			f->text(o, rm_str(w, "arrived"));
		}
	}
	buf_puts(o, f->li_end);
}

static void walk_evidence(const struct rv1_fmt *f, const cJSON *st, struct buf *o)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, rm_get(st, "evidence")) {
		const char *v = rm_str(it, "value");
		buf_printf(o, "%sEvidence ", f->li);
		f->code(o, rm_str(it, "id"));
		buf_puts(o, " (");
		f->text(o, rm_str(it, "label"));
		buf_printf(o, ", line %ld): ", rm_num(it, "line"));
		/* One line reads best as code; more need a block to keep their lines. */
		if (v && strchr(v, '\n')) {
			f->pre_item(o, v);
		} else {
			f->code(o, v);
			buf_puts(o, f->li_end);
		}
	}
}

static void walk_check(const struct rv1_fmt *f, const cJSON *c, struct buf *o)
{
	buf_printf(o, "%s%s at %s: %s%s%s \u2014 ", f->li,
		   rm_bool(c, "performed") ? "Performed (simulator)" : "Check", rm_str(c, "at"),
		   f->strong_open, rm_str(c, "status"), f->strong_close);
	f->text(o, rm_str(c, "summary"));
	walk_end_item(f, o, rm_len_str(c, "detail") ? rm_str(c, "detail") : NULL);
}

static void walk_step(const struct rv1_fmt *f, const cJSON *st, long n, struct buf *o)
{
	const cJSON *w = rm_get(st, "wait"), *c = rm_get(st, "check");
	f->step_open(o, st, n);
	f->state(o, rm_str(st, "state"));
	if (rm_str(st, "blocked_by")) {
		buf_puts(o, " (needs ");
		f->code(o, rm_str(st, "blocked_by"));
		buf_puts(o, ")");
	}
	buf_puts(o, f->li_end);
	if (rm_str(st, "confirmed_by"))
		buf_printf(o, "%sConfirmed by operator %s at %s%s", f->li, rm_str(st, "confirmed_by"),
			   rm_str(st, "confirmed_at"), f->li_end);
	if (rm_str(st, "witnessed_by"))
		buf_printf(o, "%sWitnessed by operator %s at %s%s", f->li, rm_str(st, "witnessed_by"),
			   rm_str(st, "witnessed_at"), f->li_end);
	if (cJSON_IsObject(w))
		walk_wait(f, w, o);
	walk_evidence(f, st, o);
	if (cJSON_IsObject(c))
		walk_check(f, c, o);
	if (rm_str(st, "skip_reason")) {
		buf_printf(o, "%sSkipped: ", f->li);
		f->text(o, rm_str(st, "skip_reason"));
		buf_puts(o, f->li_end);
	}
	buf_puts(o, f->step_close);
}

void rv1_walk_steps(const struct rv1_fmt *f, const cJSON *m, struct buf *o)
{
	const cJSON *it;
	long n = 0;
	cJSON_ArrayForEach(it, rm_get(m, "steps")) {
		++n;
		if (rm_step_active(it))
			walk_step(f, it, n, o);
	}
}

static void walk_deviations(const struct rv1_fmt *f, const cJSON *m, struct buf *o)
{
	const cJSON *it;
	f->section(o, "Deviations and skips", "deviations");
	if (!rm_len(m, "deviations"))
		f->none(o, "None.");
	cJSON_ArrayForEach(it, rm_get(m, "deviations")) {
		buf_printf(o, "%s%s (line %ld): %s", f->li, rm_str(it, "time"), rm_num(it, "line"),
			   rm_str(it, "kind"));
		if (rm_str(it, "step")) {
			buf_puts(o, " of ");
			f->code(o, rm_str(it, "step"));
		}
		if (rm_get(it, "torn_offset"))
			buf_printf(o, " (torn journal tail at byte %ld set aside)", rm_num(it, "torn_offset"));
		buf_puts(o, ", signed by ");
		walk_signers(o, rm_get(it, "signed_by"));
		buf_puts(o, ": ");
		f->text(o, rm_str(it, "reason"));
		buf_puts(o, f->li_end);
	}
	buf_puts(o, f->list_close);
}

void rv1_walk_events(const struct rv1_fmt *f, const cJSON *m, struct buf *o)
{
	const cJSON *it;
	walk_deviations(f, m, o);
	f->section(o, "Notes", "notes");
	if (!rm_len(m, "notes"))
		f->none(o, "None.");
	cJSON_ArrayForEach(it, rm_get(m, "notes")) {
		buf_printf(o, "%s%s (line %ld), operator %s: ", f->li, rm_str(it, "time"),
			   rm_num(it, "line"), rm_str(it, "by"));
		f->text(o, rm_str(it, "text"));
		buf_puts(o, f->li_end);
	}
	buf_puts(o, f->list_close);
	if (rm_len(m, "clock")) {
		f->section(o, "Simulated clock", "clock");
		cJSON_ArrayForEach(it, rm_get(m, "clock"))
			buf_printf(o, "%s%s (line %ld): operator %s moved the rehearsal clock forward "
				      "%ld s%s", f->li, rm_str(it, "time"), rm_num(it, "line"),
				   rm_str(it, "by"), rm_num(it, "seconds"), f->li_end);
		buf_puts(o, f->list_close);
	}
	f->section(o, "Open items", "open-items");
	if (!rm_len(m, "open_items"))
		f->none(o, "None: every step is done or skipped.");
	cJSON_ArrayForEach(it, rm_get(m, "open_items")) {
		buf_puts(o, f->li);
		f->code(o, rm_str(it, "id"));
		buf_puts(o, " ");
		f->text(o, rm_str(it, "title"));
		buf_printf(o, ": %s%s", rm_state_words(rm_str(it, "state")), f->li_end);
	}
	buf_puts(o, f->list_close);
}
