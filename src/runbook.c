/* runbook.c: the ceremony binder. One section per phase, one entry per step
 * instance in catalogue order: why it matters, who does it and who watches,
 * what must be done first, what to wait for, the commands for the chosen
 * shell, the evidence to write down, a checkbox and signature lines.
 *
 * Everything from the plan or from evidence goes through text_visible(), and
 * every code block is fenced with more backticks than it contains, so no
 * value can end a block early or hide a character on paper. */
#include "ck.h"
#include "runbook.h"
#include "steps_int.h"
#include "text.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static size_t longest_backtick_run(const char *s)
{
	size_t best = 0, run = 0;
	for (; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

/* Plain text from the plan (names, UPNs, subjects) in running Markdown:
 * made visible, and the characters that Markdown or HTML would act on
 * backslash-escaped, so a name cannot turn into a link, markup or a table
 * cell when the binder is rendered. */
static void put_visible(struct buf *out, const char *s)
{
	char *v = text_visible_line(s ? s : "");
	for (const char *p = v; *p; p++) {
		if (strchr("\\`*[]<>&|", *p))
			buf_putc(out, '\\');
		buf_putc(out, *p);
	}
	free(v);
}

/* Inline code that survives any backticks inside it. */
static void md_code(struct buf *out, const char *s)
{
	char *v = text_visible_line(s);
	size_t n = longest_backtick_run(v) + 1;
	for (size_t i = 0; i < n; i++)
		buf_putc(out, '`');
	buf_puts(out, n > 1 ? " " : "");
	buf_puts(out, v);
	buf_puts(out, n > 1 ? " " : "");
	for (size_t i = 0; i < n; i++)
		buf_putc(out, '`');
	free(v);
}

static void md_block(struct buf *out, const char *lang, const char *body)
{
	char *v = text_visible(body);
	size_t n = longest_backtick_run(v) + 1;
	if (n < 3)
		n = 3;
	for (size_t i = 0; i < n; i++)
		buf_putc(out, '`');
	buf_printf(out, "%s\n%s", lang, v);
	if (!*v || v[strlen(v) - 1] != '\n')
		buf_putc(out, '\n');
	for (size_t i = 0; i < n; i++)
		buf_putc(out, '`');
	buf_puts(out, "\n\n");
	free(v);
}

static void md_person(struct buf *out, const struct plan *p, int side)
{
	put_visible(out, p->op[side].name);
	buf_printf(out, " (%s %c, ", _("operator"), ck_side_letter(side));
	put_visible(out, p->op[side].upn);
	buf_puts(out, ")");
}

static void md_header(const struct catalogue *c, const struct runbook_opts *o, struct buf *out)
{
	const struct plan *p = c->plan;
	buf_printf(out, "# %s: ", _("Customer Key ceremony runbook"));
	put_visible(out, p->org.name);
	buf_puts(out, " (");
	put_visible(out, p->org.tenant_domain);
	buf_puts(out, ")\n\n");
	buf_printf(out, "- %s: ", _("Plan"));
	md_code(out, o->plan_name ? o->plan_name : "?");
	buf_printf(out, ", SHA-256 `%s`\n", p->sha256);
	buf_printf(out, "- %s: %zu (%s)\n", _("Plan warnings"), o->warnings,
		   _("see `ckwizard check`"));
	buf_printf(out, "- %s: %s\n", _("Commands for"),
		   o->shell == SHELL_BASH ? "bash (Azure CLI)" : "PowerShell");
	buf_printf(out, "- %s: %.4s-%.2s-%.2s\n", _("Backup file names dated"), c->today,
		   c->today + 4, c->today + 6);
	for (int side = 0; side < CK_SIDES; side++) {
		buf_printf(out, "- %s %c: ", _("Subscription"), ck_side_letter(side));
		md_code(out, p->sub[side].id);
		buf_printf(out, ", %s ", _("run by"));
		md_person(out, p, p->sub[side].operator_side);
		buf_puts(out, "\n");
	}
	buf_printf(out, "- %s: ", _("Tenant administrator"));
	md_person(out, p, p->tenant_admin);
	buf_printf(out, "\n- %s: %zu\n\n", _("Steps"), c->n_steps);
	buf_printf(out, "%s\n\n",
		   _("Each step is done and signed by its owner. Where a witness is named, the "
		     "other operator watches it done and signs too. Critical steps are confirmed "
		     "by typing the resource's name. Lines marked NOT READY need evidence from an "
		     "earlier step: fill them in from the binder before running them."));
}

static void md_step(const struct catalogue *c, const struct runbook_opts *o,
		    const struct step *s, int phase_no, int step_no, struct buf *out)
{
	const struct plan *p = c->plan;
	buf_printf(out, "### %d.%d %s", phase_no, step_no, _(s->title));
	if (s->subject) {
		buf_puts(out, ": ");
		put_visible(out, s->subject);
	}
	buf_puts(out, "\n\n");
	md_code(out, s->id);
	buf_puts(out, "\n\n");
	buf_printf(out, "%s\n\n", _(s->why));
	buf_printf(out, "- %s: ", _("Owner"));
	md_person(out, p, s->owner);
	buf_puts(out, "\n");
	buf_printf(out, "- %s: ", _("Witness"));
	if (s->witness)
		md_person(out, p, ck_other_side(s->owner));
	else
		buf_puts(out, _("none required"));
	buf_puts(out, "\n");
	if (s->critical && s->confirm_name) {
		buf_printf(out, "- %s: ", _("Confirm by typing"));
		md_code(out, s->confirm_name);
		buf_puts(out, "\n");
	}
	if (s->n_prereqs) {
		buf_printf(out, "- %s: ", _("After"));
		for (size_t k = 0; k < s->n_prereqs; k++) {
			buf_puts(out, k ? ", " : "");
			md_code(out, s->prereqs[k]);
		}
		buf_puts(out, "\n");
	}
	if (s->wait.kind == WAIT_HOURS)
		buf_printf(out, "- %s: %d %s\n", _("Then wait"), s->wait.hours,
			   _("hours before the next step that depends on it"));
	else if (s->wait.kind == WAIT_EVENT)
		buf_printf(out, "- %s: %s (%s %d %s)\n", _("Then wait for"), _(s->wait.event),
			   _("up to"), s->wait.max_business_days, _("business days"));
	buf_printf(out, "- %s: %s\n\n", _("Source"), s->source);

	struct buf cmd = BUF_INIT, text = BUF_INIT;
	int sh = steps_command_shell(s, o->shell);
	if (sh >= 0) {
		steps_render_commands(c, s, o->shell, o->get, o->ctx, &cmd);
		buf_printf(out, "%s (%s):\n\n", _("Commands"),
			   sh == SHELL_BASH ? "bash" : "PowerShell");
		md_block(out, sh == SHELL_BASH ? "bash" : "powershell", cmd.p);
	}
	steps_render_text(c, s, o->get, o->ctx, &text);
	if (text.len) {
		buf_printf(out, "%s:\n\n", _("To do outside the shell"));
		md_block(out, "text", text.p);
	}
	buf_free(&cmd);
	buf_free(&text);

	buf_printf(out, "%s:\n\n", _("Evidence to record"));
	for (size_t i = 0; i < s->n_evidence; i++) {
		const struct evidence_spec *e = &s->evidence[i];
		buf_printf(out, "- %s (%s)", _(e->label), evidence_kind_name(e->kind));
		if (e->kind == EV_CHOICE && e->choices)
			buf_printf(out, ", %s %s", _("one of"), e->choices);
		if (e->hint)
			buf_printf(out, ": %s", _(e->hint));
		buf_puts(out, e->kind == EV_CONFIRM ? "  [ ] yes\n" : "\n  `______________________________`\n");
	}
	buf_printf(out, "\n[ ] %s\n\n", _("done"));
	buf_printf(out, "%s: ____________________  %s: ____________  %s: ______\n\n", _("Owner"),
		   _("signature"), _("date/time UTC"));
	if (s->witness)
		buf_printf(out, "%s: ____________________  %s: ____________  %s: ______\n\n",
			   _("Witness"), _("signature"), _("date/time UTC"));
}

void runbook_markdown(const struct catalogue *c, const struct runbook_opts *o, struct buf *out)
{
	md_header(c, o, out);
	int phase_no = 0, step_no = 0;
	int last = -1;
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *s = &c->steps[i];
		if ((int)s->phase != last) {
			last = (int)s->phase;
			phase_no++;
			step_no = 0;
			buf_printf(out, "## %d. %s\n\n", phase_no, _(step_phase_name(s->phase)));
		}
		md_step(c, o, s, phase_no, ++step_no, out);
	}
	buf_printf(out, "## %s\n\n", _("Close of the ceremony"));
	buf_printf(out, "%s\n\n", _("Both operators sign: every step above is done or its "
				   "deviation is written down."));
	for (int side = 0; side < CK_SIDES; side++) {
		buf_printf(out, "%s %c: ", _("Operator"), ck_side_letter(side));
		put_visible(out, c->plan->op[side].name);
		buf_printf(out, "  %s: ____________  %s: ______\n\n", _("signature"),
			   _("date/time UTC"));
	}
}

/* ---- JSON --------------------------------------------------------------- */
static cJSON *json_side(int side)
{
	if (side == CK_SIDE_NONE)
		return cJSON_CreateNull();
	char s[2] = { ck_side_letter(side), '\0' };
	return cJSON_CreateString(s);
}

static cJSON *json_step(const struct catalogue *c, const struct runbook_opts *o,
			const struct step *s)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "id", s->id);
	cJSON_AddStringToObject(j, "template", s->template_id);
	cJSON_AddNumberToObject(j, "phase", s->phase);
	cJSON_AddStringToObject(j, "phase_name", step_phase_name(s->phase));
	cJSON_AddStringToObject(j, "title", s->title);
	if (s->subject) {
		/* Like title and why: the English, whatever the messages are in. */
		char *subj = step_subject(s, false);
		cJSON_AddStringToObject(j, "subject", subj);
		free(subj);
	}
	cJSON_AddStringToObject(j, "why", s->why);
	cJSON_AddStringToObject(j, "source", s->source);
	cJSON_AddItemToObject(j, "side", json_side(s->side));
	cJSON_AddItemToObject(j, "owner", json_side(s->owner));
	cJSON_AddItemToObject(j, "witness", s->witness ? json_side(ck_other_side(s->owner))
						       : cJSON_CreateNull());
	cJSON_AddBoolToObject(j, "critical", s->critical);
	if (s->confirm_name)
		cJSON_AddStringToObject(j, "confirm_name", s->confirm_name);
	cJSON_AddBoolToObject(j, "management", s->management);
	cJSON *pr = cJSON_AddArrayToObject(j, "prereqs");
	for (size_t k = 0; k < s->n_prereqs; k++)
		cJSON_AddItemToArray(pr, cJSON_CreateString(s->prereqs[k]));
	cJSON *w = cJSON_AddObjectToObject(j, "wait");
	static const char *const wait_names[] = { "none", "hours", "event" };
	cJSON_AddStringToObject(w, "kind", wait_names[s->wait.kind]);
	if (s->wait.kind == WAIT_HOURS)
		cJSON_AddNumberToObject(w, "hours", s->wait.hours);
	if (s->wait.kind == WAIT_EVENT) {
		cJSON_AddStringToObject(w, "event", s->wait.event);
		cJSON_AddNumberToObject(w, "max_business_days", s->wait.max_business_days);
	}
	cJSON *ev = cJSON_AddArrayToObject(j, "evidence");
	for (size_t i = 0; i < s->n_evidence; i++) {
		const struct evidence_spec *e = &s->evidence[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "id", e->id);
		cJSON_AddStringToObject(x, "kind", evidence_kind_name(e->kind));
		cJSON_AddStringToObject(x, "label", e->label);
		if (e->hint)
			cJSON_AddStringToObject(x, "hint", e->hint);
		if (e->choices && e->kind == EV_CHOICE)
			cJSON_AddStringToObject(x, "choices", e->choices);
		cJSON_AddBoolToObject(x, "optional", e->optional);
		cJSON_AddItemToArray(ev, x);
	}
	cJSON *chk = cJSON_AddObjectToObject(j, "check");
	cJSON_AddStringToObject(chk, "kind", step_check_kind_name(s->check.kind));
	const char *const fields[][2] = {
		{ "subscription", s->check.subscription }, { "resource_group", s->check.resource_group },
		{ "vault", s->check.vault }, { "key", s->check.key }, { "region", s->check.region },
	};
	for (size_t i = 0; s->check.kind != CHECK_NONE && i < CK_ARRAY_LEN(fields); i++)
		if (fields[i][1])
			cJSON_AddStringToObject(chk, fields[i][0], fields[i][1]);
	int sh = steps_command_shell(s, o->shell);
	if (sh >= 0) {
		struct buf b = BUF_INIT;
		int ph = steps_render_commands(c, s, o->shell, o->get, o->ctx, &b);
		cJSON *cm = cJSON_AddObjectToObject(j, "commands");
		cJSON_AddStringToObject(cm, "shell", step_shell_name((enum step_shell)sh));
		cJSON_AddStringToObject(cm, "text", buf_str(&b));
		cJSON_AddNumberToObject(cm, "placeholders", ph);
		buf_free(&b);
	} else {
		cJSON_AddNullToObject(j, "commands");
	}
	struct buf t = BUF_INIT;
	steps_render_text(c, s, o->get, o->ctx, &t);
	if (t.len)
		cJSON_AddStringToObject(j, "text", t.p);
	buf_free(&t);
	return j;
}

void runbook_json(const struct catalogue *c, const struct runbook_opts *o, struct buf *out)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "plan", o->plan_name ? o->plan_name : "");
	cJSON_AddStringToObject(root, "sha256", c->plan->sha256);
	cJSON_AddStringToObject(root, "shell", step_shell_name(o->shell));
	cJSON_AddStringToObject(root, "backup_date", c->today);
	cJSON_AddNumberToObject(root, "warnings", (double)o->warnings);
	cJSON_AddItemToObject(root, "tenant_admin", json_side(c->plan->tenant_admin));
	cJSON *steps = cJSON_AddArrayToObject(root, "steps");
	for (size_t i = 0; i < c->n_steps; i++)
		cJSON_AddItemToArray(steps, json_step(c, o, &c->steps[i]));
	char *s = cJSON_Print(root);
	buf_puts(out, s ? s : "null");
	buf_putc(out, '\n');
	free(s);
	cJSON_Delete(root);
}

/* ---- the template reference (doc/steps.md) -------------------------------- */
static const char *const scope_names[SCOPE_COUNT] = {
	[SCOPE_ONCE] = "once",
	[SCOPE_SUBSCRIPTION] = "per subscription",
	[SCOPE_WORKLOAD] = "per workload",
	[SCOPE_RG] = "per resource group",
	[SCOPE_VAULT] = "per vault (DEP and side)",
	[SCOPE_DEP] = "per DEP",
	[SCOPE_MAILBOX] = "per mailbox",
	[SCOPE_VAULT_ADMIN] = "per vault and administrator",
	[SCOPE_OFFICER] = "per security-domain officer",
	[SCOPE_HSM_OFFICER] = "per HSM (side) and officer",
};

void runbook_templates_markdown(struct buf *out)
{
	buf_puts(out, "<!-- generated by `ckwizard runbook --doc`: do not edit by hand -->\n");
	buf_puts(out, "| template | phase | instances | owner | witness | evidence | check | "
		      "az CLI | source |\n");
	buf_puts(out, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < steps_def_count(); i++) {
		const struct step_def *d = steps_def_at(i);
		if (!steps_def_in(d, STEPS_CATALOGUE_VERSION))
			continue;
		buf_printf(out, "| `%s` | %s | %s", d->id, step_phase_name(d->phase),
			   scope_names[d->scope]);
		if (d->workloads != WLM_ALL) {
			buf_puts(out, " (");
			for (int w = 0, n = 0; w < WL_COUNT; w++)
				if (d->workloads & WLM(w))
					buf_printf(out, "%s%s", n++ ? ", " : "",
						   plan_workload_code((enum plan_workload)w));
			buf_puts(out, ")");
		}
		if (d->flags & SD_CONTRIB)
			buf_puts(out, ", if contributors");
		if (d->flags & SD_CREATE)
			buf_puts(out, ", key source create");
		if (d->flags & SD_IMPORT)
			buf_puts(out, ", key source import");
		if (d->flags & SD_MANAGE)
			buf_puts(out, ", management");
		buf_printf(out, " | %s | %s%s | ", step_owner_kind_name(d->owner),
			   d->flags & SD_WITNESS ? "yes" : "no",
			   d->flags & SD_CRITICAL ? ", type name" : "");
		for (size_t k = 0; k < d->n_evidence; k++)
			buf_printf(out, "%s%s (%s)", k ? ", " : "", d->evidence[k].id,
				   evidence_kind_name(d->evidence[k].kind));
		buf_printf(out, " | %s | %s | %s |\n", step_check_kind_name(d->check),
			   d->az ? "yes" : d->ps ? "no" : "n/a", d->source);
	}
	steps_vars_markdown(out);
	buf_puts(out, "<!-- end of generated part -->\n");
}
