/* scr_review.c: plan review and second-person verification. The inventory as
 * a tree, each rule warning to acknowledge, the verifier's checklist (the
 * session's table), then the signatures: the author approves, the keyboard
 * goes to the other operator, who verifies. An amended plan shows its diff
 * first. The rules (verifier != author, everything ticked) are the session's;
 * this screen reports what it says. */
#include "ck.h"
#include "app.h"
#include "pubkey.h"
#include "session.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum rv_kind { RV_TEXT, RV_WARNING, RV_CHECK };

static struct {
	struct lines l;
	enum rv_kind *kind;      /* per line */
	int *index;              /* per line: warning or checklist index */
	size_t cap;
	bool *ack, *answer;
	size_t n_ack, n_answer;
	long version;            /* ticks belong to one plan version */
	/* what the built lines show: rebuilt only when one of these changes
	 * (building wraps the whole inventory: ~2 ms a key on a 56-DEP plan) */
	bool built, approved, verified, differs;
	long built_version, ticks, ticks_built;
	int built_w;
	char *built_diff;
} R;

static void rv_reset_ticks(struct ui *u)
{
	const char *const *ids, *const *msgs;
	free(R.ack);
	free(R.answer);
	R.n_ack = session_plan_warnings(u->s, &ids, &msgs);
	R.n_answer = session_n_checklist;
	R.ack = xcalloc(R.n_ack + 1, sizeof *R.ack);
	R.answer = xcalloc(R.n_answer + 1, sizeof *R.answer);
	R.ticks++;
}

static void rv_enter(struct ui *u)
{
	lines_init(&R.l);
	R.l.sel = 0;
	struct session_plan_status ps;
	session_plan_status(u->s, &ps);
	R.version = ps.version;
	rv_reset_ticks(u);
}

static void rv_leave(struct ui *u)
{
	lines_free(&R.l);
	free(R.kind);
	free(R.index);
	free(R.ack);
	free(R.answer);
	free(R.built_diff);
	memset(&R, 0, sizeof R);
}

static void rv_add(int w, const char *s, int indent, int hang, enum term_slot slot,
		   enum rv_kind kind, int index)
{
	size_t first = R.l.n;
	lines_add(&R.l, s, w, indent, hang, slot);
	if (R.l.n > R.cap) {
		R.cap = R.l.n * 2;
		R.kind = xrealloc(R.kind, R.cap * sizeof *R.kind);
		R.index = xrealloc(R.index, R.cap * sizeof *R.index);
	}
	for (size_t i = first; i < R.l.n; i++) {
		R.kind[i] = kind;
		R.index[i] = index;
	}
}

static void rv_text(int w, const char *s, int indent, enum term_slot slot)
{
	rv_add(w, s, indent, 2, slot, RV_TEXT, -1);
}

/* A tree line; parent_last: the parent was its list's last item, so no
 * vertical line continues beside its children. */
static void rv_tree(int w, bool last, int depth, bool parent_last, const char *s)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < depth; i++)
		buf_printf(&b, "%s  ", parent_last ? " " : term_glyph(G_VLINE));
	buf_puts(&b, term_glyph(last ? G_TREE_END : G_TREE_MID));
	buf_puts(&b, s);
	rv_add(w, buf_str(&b), 2, 3 * (depth + 1), SLOT_NORMAL, RV_TEXT, -1);
	buf_free(&b);
}

static void rv_inventory(struct ui *u, int w)
{
	const struct plan *p = session_plan(u->s);
	const struct inventory *inv = session_inventory(u->s);
	char *t;
	rv_text(w, _("Inventory: every resource by its final name"), 1, SLOT_HEADING);
	t = xasprintf(_("Organisation %s, tenant %s (%s)"), p->org.name, p->org.tenant_domain,
		      p->org.tenant_id ? p->org.tenant_id : "-");
	rv_text(w, t, 2, SLOT_NORMAL);
	free(t);
	rv_text(w, _("Operators"), 2, SLOT_NORMAL);
	for (int s = 0; s < CK_SIDES; s++) {
		const struct plan_operator *op = &p->op[s];
		char *fp = op->key_ok ? pubkey_fingerprint(op->pub) : xstrdup("?");
		t = xasprintf("%c  %s <%s>  %s%s%s", ck_side_letter(s), op->name, op->upn, fp,
			      p->author == s ? _("  author") : "",
			      p->tenant_admin == s ? _("  tenant admin") : "");
		rv_tree(w, s == CK_SIDES - 1, 0, false, t);
		free(t);
		free(fp);
	}
	rv_text(w, _("Subscriptions"), 2, SLOT_NORMAL);
	for (int s = 0; s < CK_SIDES; s++) {
		const struct plan_subscription *sub = &p->sub[s];
		/* Each count its own plural; the sentence joins them. */
		char *admins = xasprintf(ngettext("%zu administrator", "%zu administrators",
						  sub->n_administrators), sub->n_administrators);
		char *contribs = xasprintf(ngettext("%zu contributor", "%zu contributors",
						    sub->n_contributors), sub->n_contributors);
		t = xasprintf(_("%c  %s  owned by operator %c, %s, %s"), ck_side_letter(s),
			      sub->id ? sub->id : "?", ck_side_letter(sub->operator_side), admins,
			      contribs);
		free(admins);
		free(contribs);
		rv_tree(w, s == CK_SIDES - 1, 0, false, t);
		free(t);
	}
	t = xasprintf(_("Key vaults: %s, soft delete %ld days, purge protection %s; keys %s %ld"),
		      p->kv.sku ? p->kv.sku : "?", p->kv.retention_days,
		      p->kv.purge_protection ? _("on") : _("OFF"), p->kv.key_type ? p->kv.key_type : "?",
		      p->kv.key_size);
	rv_text(w, t, 2, SLOT_NORMAL);
	free(t);
	rv_text(w, _("Data encryption policies (DEPs), each with a vault and key per side"), 2,
		SLOT_NORMAL);
	for (size_t d = 0; inv && d < inv->n_deps; d++) {
		const struct inv_dep *dep = &inv->deps[d];
		bool last = d + 1 == inv->n_deps;
		t = xasprintf("%s  %s, %s (%s)%s%s", dep->id, _(plan_workload_name(dep->workload)),
			      dep->m365_geo ? dep->m365_geo : "?", dep->name_geo ? dep->name_geo : "?",
			      dep->description ? ": " : "", dep->description ? dep->description : "");
		rv_tree(w, last, 0, false, t);
		free(t);
		for (int s = 0; s < CK_SIDES; s++) {
			const struct inv_side *is = &dep->side[s];
			t = xasprintf(_("%c  region %s, resource group %s, vault %s, key %s"),
				      ck_side_letter(s), is->region ? is->region : "?",
				      is->resource_group ? is->resource_group : "?",
				      is->vault ? is->vault : "?", is->key ? is->key : "?");
			rv_tree(w, s == CK_SIDES - 1, 1, last, t);
			free(t);
		}
	}
	rv_text(w, _("Officers (may approve key destruction)"), 2, SLOT_NORMAL);
	for (size_t o = 0; o < p->n_officers; o++) {
		const struct plan_officer *of = &p->officers[o];
		t = xasprintf("%s%s%s <%s>", of->name, of->title ? ", " : "", of->title ? of->title : "",
			      of->email);
		rv_tree(w, o + 1 == p->n_officers, 0, false, t);
		free(t);
	}
}

static void rv_build(struct ui *u, int w)
{
	lines_clear(&R.l);
	struct session_plan_status ps;
	session_plan_status(u->s, &ps);
	if (ps.version != R.version) {
		R.version = ps.version;
		rv_reset_ticks(u);
	}
	char *author = ui_op_name(u, ps.author);
	char *verifier = ui_op_name(u, ck_other_side(ps.author));
	char *t = xasprintf(_("Plan review: version %ld"), ps.version);
	rv_text(w, t, 1, SLOT_HEADING);
	free(t);
	t = xasprintf(_("SHA-256 %s"), ps.sha256);
	rv_text(w, t, 1, SLOT_NORMAL);
	free(t);
	if (ps.file_differs) {
		rv_text(w, _("The plan file changed since this version was verified (for example a "
			     "vault name was taken). The changes, for the verifier to read:"), 1,
			SLOT_WARN);
		if (ps.diff) {
			struct lines tmp;
			lines_init(&tmp);
			lines_add_raw(&tmp, ps.diff, SLOT_NORMAL);
			for (size_t i = 0; i < tmp.n; i++)
				rv_text(w, tmp.text[i], 3, tmp.text[i][0] == '+' ? SLOT_DONE :
					tmp.text[i][0] == '-' ? SLOT_FAILED : SLOT_NORMAL);
			lines_free(&tmp);
		}
		rv_text(w, _("Both operators sign the amendment (s); then the author approves it and "
			     "the verifier verifies it again."), 1, SLOT_WARN);
		rv_text(w, "", 0, SLOT_NORMAL);
	}
	if (ps.file_differs)
		goto inventory; /* the two signatures below are for the old version */
	t = xasprintf(_("1. %s, the author, approves it: %s"), author,
		      ps.approved ? _("done") : _("to do"));
	rv_text(w, t, 1, ps.approved ? SLOT_DONE : SLOT_CURRENT);
	free(t);
	t = xasprintf(_("2. %s reads it, acknowledges each warning, ticks the checklist and "
			"verifies it: %s"), verifier, ps.verified ? _("done") : _("to do"));
	rv_text(w, t, 1, ps.verified ? SLOT_DONE : ps.approved ? SLOT_CURRENT : SLOT_NORMAL);
	free(t);
	rv_text(w, "", 0, SLOT_NORMAL);
inventory:
	rv_inventory(u, w);
	rv_text(w, "", 0, SLOT_NORMAL);
	const char *const *ids, *const *msgs;
	size_t n = session_plan_warnings(u->s, &ids, &msgs);
	t = xasprintf(_("Rule warnings to acknowledge one by one (%zu): Space ticks"), n);
	rv_text(w, t, 1, SLOT_HEADING);
	free(t);
	if (!n)
		rv_text(w, _("none"), 3, SLOT_DIM);
	for (size_t i = 0; i < n && i < R.n_ack; i++) {
		t = xasprintf("%s %s: %s", term_glyph(R.ack[i] ? G_CHECKED : G_UNCHECKED), ids[i],
			      msgs[i]);
		rv_add(w, t, 3, 4, R.ack[i] ? SLOT_NORMAL : SLOT_WARN, RV_WARNING, (int)i);
		free(t);
	}
	rv_text(w, "", 0, SLOT_NORMAL);
	t = xasprintf(_("The verifier's checklist (%s): Space ticks"), verifier);
	rv_text(w, t, 1, SLOT_HEADING);
	free(t);
	for (size_t i = 0; i < session_n_checklist && i < R.n_answer; i++) {
		t = xasprintf("%s %s", term_glyph(R.answer[i] ? G_CHECKED : G_UNCHECKED),
			      _(session_checklist[i].text));
		rv_add(w, t, 3, 4, SLOT_NORMAL, RV_CHECK, (int)i);
		free(t);
	}
	rv_text(w, "", 0, SLOT_NORMAL);
	rv_text(w, _("s (or F2) signs for whoever's turn it is; the keyboard is handed over "
		     "when needed."), 1, SLOT_DIM);
	free(author);
	free(verifier);
	if (R.l.sel >= (long)R.l.n)
		R.l.sel = (long)R.l.n - 1;
}

/* Whether the built lines still show the session as it is: same plan
 * version and signatures, same changed-file diff, same ticks, same width.
 * Records the new state when not. */
static bool rv_current(struct ui *u, int w)
{
	struct session_plan_status ps;
	session_plan_status(u->s, &ps);
	const char *diff = ps.file_differs && ps.diff ? ps.diff : "";
	if (R.built && R.built_version == ps.version && R.approved == ps.approved &&
	    R.verified == ps.verified && R.differs == ps.file_differs && R.built_w == w &&
	    R.ticks == R.ticks_built && strcmp(R.built_diff, diff) == 0)
		return true;
	R.built = true;
	R.built_version = ps.version;
	R.approved = ps.approved;
	R.verified = ps.verified;
	R.differs = ps.file_differs;
	R.built_w = w;
	R.ticks_built = R.ticks;
	free(R.built_diff);
	R.built_diff = xstrdup(diff);
	return false;
}

static void rv_draw(struct ui *u, int y, int h)
{
	if (!rv_current(u, COLS - 2))
		rv_build(u, COLS - 2);
	lines_show_sel(&R.l, h);
	lines_draw(&R.l, y, 0, COLS, h, 1);
}

static bool *rv_tick_of(long i)
{
	if (i < 0 || (size_t)i >= R.l.n)
		return NULL;
	if (R.kind[i] == RV_WARNING && (size_t)R.index[i] < R.n_ack)
		return &R.ack[R.index[i]];
	if (R.kind[i] == RV_CHECK && (size_t)R.index[i] < R.n_answer)
		return &R.answer[R.index[i]];
	return NULL;
}

/* The next line after i whose item is not ticked, or -1. */
static long rv_next_unticked(long i)
{
	for (long j = i + 1; j < (long)R.l.n; j++) {
		bool *t = rv_tick_of(j);
		if (t && !*t && (j == 0 || R.index[j] != R.index[j - 1] || R.kind[j] != R.kind[j - 1]))
			return j;
	}
	return -1;
}

/* Space reads a checklist: tick this item and go to the next one not ticked
 * (from a text line, go to the first one). It never unticks, so a slip of
 * the thumb at the end changes nothing; x toggles. */
static int rv_tick(struct ui *u, int key)
{
	long i = R.l.sel;
	bool *t = rv_tick_of(i);
	if (!t || (key == ' ' && *t)) {
		long j = rv_next_unticked(-1);
		if (j >= 0)
			R.l.sel = j;
		else
			ui_message(u, SLOT_NORMAL, _("Everything is ticked: s signs (x unticks an item)."));
		return UF_HANDLED;
	}
	*t = key == ' ' ? true : !*t;
	R.ticks++;
	if (*t) {
		long j = rv_next_unticked(i);
		if (j < 0)
			j = rv_next_unticked(-1);
		if (j >= 0)
			R.l.sel = j;
	}
	return UF_HANDLED;
}

static int rv_amend(struct ui *u)
{
	int extra;
	char *err = NULL;
	if (ui_confirm(u, _("Amend the plan"), _("Record the changed plan file as a new version? "
						 "Both operators sign; it must then be approved and "
						 "verified again.")) != UA_OK)
		return UF_HANDLED;
	if (ui_both(u, _("An amendment needs both operators."), &extra)) {
		if (session_amend(u->s, &err) == 0)
			ui_message(u, SLOT_DONE, _("Recorded: the plan amendment."));
		else
			ui_error(u, err);
	}
	ui_both_done(u, extra);
	return UF_HANDLED;
}

/* The warnings ticked so far, by id (caller frees the array). */
static const char **rv_acked(struct ui *u, size_t *n_ack, size_t *left)
{
	const char *const *ids, *const *msgs;
	size_t n = session_plan_warnings(u->s, &ids, &msgs);
	const char **acked = xcalloc(n + 1, sizeof *acked);
	*n_ack = *left = 0;
	for (size_t i = 0; i < n; i++) {
		if (i < R.n_ack && R.ack[i])
			acked[(*n_ack)++] = ids[i];
		else
			(*left)++;
	}
	for (size_t i = 0; i < session_n_checklist; i++)
		*left += !(i < R.n_answer && R.answer[i]);
	return acked;
}

/* Before the verifier is handed the keyboard or asked for a PIN: every item
 * ticked, and the rules agree. */
static bool rv_verify_allowed(struct ui *u, int verifier)
{
	size_t n_ack, left;
	const char **acked = rv_acked(u, &n_ack, &left);
	char *err = NULL;
	int rc = session_plan_verify_allowed(u->s, verifier, R.answer, acked, n_ack, &err);
	free(acked);
	if (left) {
		free(err);
		ui_message(u, SLOT_ERROR,
			   ngettext("First tick every warning and checklist item (Space): %zu is left.",
				    "First tick every warning and checklist item (Space): %zu are left.",
				    (unsigned long)left),
			   left);
		return false;
	}
	return ui_pre_ok(u, rc, &err, false);
}

static int rv_verify(struct ui *u, int verifier)
{
	size_t n_ack, left;
	const char **acked = rv_acked(u, &n_ack, &left);
	char *err = NULL;
	if (session_plan_verify(u->s, verifier, R.answer, acked, n_ack, &err) == 0) {
		ui_message(u, SLOT_DONE, _("Recorded: the plan is verified. The ceremony can begin."));
		ui_route(u);
	} else {
		ui_error(u, err);
	}
	free(acked);
	return UF_HANDLED;
}

static int rv_sign(struct ui *u)
{
	struct session_plan_status ps;
	session_plan_status(u->s, &ps);
	if (ps.file_differs)
		return rv_amend(u);
	int verifier = ck_other_side(ps.author);
	char *err = NULL;
	if (!ps.approved) {
		if (!ui_pre_ok(u, session_plan_approve_allowed(u->s, ps.author, &err), &err, false))
			return UF_HANDLED;
		err = NULL;
		if (!ui_handoff(u, ps.author, _("The author approves the plan first.")))
			return UF_HANDLED;
		char *q = xasprintf(_("Approve plan version %ld (SHA-256 %.16s...) as its author? "
				      "Your signature goes into the journal."), ps.version, ps.sha256);
		bool signed_ = ui_pin(u, ps.author, _("Approve the plan"), q);
		free(q);
		if (!signed_)
			return UF_HANDLED;
		if (session_plan_approve(u->s, ps.author, &err) != 0) {
			ui_error(u, err);
			return UF_HANDLED;
		}
		/* said now: the handoff below draws over the message line */
		ui_message(u, SLOT_DONE, _("Recorded: approved by the author."));
		ui_handoff(u, verifier, _("The other operator now reads the plan, acknowledges each "
					  "warning, goes through the checklist and signs (s)."));
		ui_message(u, SLOT_DONE, _("Recorded: approved by the author. Now tick every item "
					   "(Space), then s."));
		return UF_HANDLED;
	}
	if (!ps.verified) {
		if (!rv_verify_allowed(u, verifier))
			return UF_HANDLED;
		if (u->active != verifier) {
			ui_handoff(u, verifier, _("The plan is verified by the operator who did not "
						  "write it."));
			return UF_HANDLED;
		}
		char *q = xasprintf(_("Verify plan version %ld (SHA-256 %.16s...): every warning "
				      "acknowledged, every checklist item ticked? Your signature goes "
				      "into the journal."), ps.version, ps.sha256);
		bool signed_ = ui_pin(u, verifier, _("Verify the plan"), q);
		free(q);
		return signed_ ? rv_verify(u, verifier) : UF_HANDLED;
	}
	ui_route(u);
	return UF_HANDLED;
}

static int rv_act(struct ui *u, enum ui_action a, int key)
{
	int h = LINES - 3;
	switch (a) {
	case ACT_TICK:
		return rv_tick(u, key);
	case ACT_APPROVE:
		return rv_sign(u);
	case ACT_ENTER: {
		long i = R.l.sel;
		if (i >= 0 && (size_t)i < R.l.n && R.kind[i] != RV_TEXT)
			return rv_tick(u, 'x');
		ui_message(u, SLOT_NORMAL, _("Space ticks an item; s signs."));
		return UF_HANDLED;
	}
	case ACT_HANDOFF:
		ui_handoff(u, ck_other_side(u->active == CK_SIDE_NONE ? CK_SIDE_B : u->active), NULL);
		return UF_HANDLED;
	default:
		return lines_scroll(&R.l, a, h) ? UF_HANDLED : UF_NONE;
	}
}

const struct ui_screen screen_review = {
	.name = "review",
	.scopes = SC_MOVE | SC_REVIEW,
	.enter = rv_enter,
	.draw = rv_draw,
	.act = rv_act,
	.leave = rv_leave,
};
