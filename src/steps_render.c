/* steps_render.c: a step's commands for the operator's shell.
 *
 * Template lines (steps_table.c) are literal text with variables:
 *   {{name}}                       a value from the plan or the inventory
 *   {{ev:TEMPLATE:SIDE:ID[:PART]}} evidence recorded for a related step: the
 *        instance of TEMPLATE with this step's DEP on SIDE (A, B, "self" =
 *        this step's side, "-" = this very step); PART "version" takes the
 *        key version out of a key URI, "path" the path out of a recorded file
 *   {{@name}}                      a list (Managed HSM plans: steps_hsm_vars.c),
 *        each value quoted, joined by "," for PowerShell and " " for sh
 * A line may start with "@admins ", "@contributors ", "@mailboxes " or
 * "@apps ": it is repeated for each administrator or contributor of the
 * step's subscription (variable {{upn}}), each mailbox of its DEP
 * ({{mailbox}}) or each Microsoft 365 app the plan's DEPs use ({{app_id}}).
 *
 * Every value is quoted for the shell (quote.h) as one literal argument. A
 * value that is not known yet (evidence not recorded) or cannot be quoted
 * safely becomes a visible placeholder "<...>", and its whole line is turned
 * into a comment marked NOT READY, so pasting it can never run a half-filled
 * command (an unquoted "<" or ">" would be a redirection in sh). */
#include "ck.h"
#include "quote.h"
#include "steps_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rctx {
	const struct catalogue *c;
	const struct step *s;
	const struct step_bind *b;
	enum step_shell sh;
	evidence_get_fn get;
	void *ctx;
	const char *loop_upn;     /* @admins / @contributors */
	const char *loop_mailbox; /* @mailboxes */
	int loop_workload;        /* @apps, -1 outside */
	int placeholders;
};

/* The part of recorded evidence a template asks for, or NULL. */
static char *evidence_part(const char *v, const char *part)
{
	if (!part)
		return xstrdup(v);
	if (strcmp(part, "version") == 0) {
		/* a key URI, normalised when it was recorded */
		char *vault, *key, *version;
		if (!inventory_key_uri_split(v, &vault, &key, &version))
			return NULL;
		free(vault);
		free(key);
		return version;
	}
	if (strcmp(part, "path") == 0) {
		/* "sha256:<hex>  <path>" as steps_validate_evidence normalises it */
		const char *sp = strstr(v, "  ");
		return sp ? xstrdup(sp + 2) : NULL;
	}
	return NULL;
}

static char *resolve_evidence(struct rctx *r, const char *spec, char **placeholder)
{
	char *copy = xstrdup(spec), *save = NULL;
	char *tmpl = strtok_r(copy, ":", &save);
	char *side = strtok_r(NULL, ":", &save);
	char *evid = strtok_r(NULL, ":", &save);
	char *part = strtok_r(NULL, ":", &save);
	char *val = NULL;
	const struct step *rel = NULL;
	if (tmpl && side && evid) {
		if (strcmp(side, "-") == 0)
			rel = r->s;
		else
			rel = catalogue_related(r->c, r->s, tmpl,
						strcmp(side, "A") == 0	 ? CK_SIDE_A
						: strcmp(side, "B") == 0 ? CK_SIDE_B
									 : CK_SIDE_NONE);
	}
	const struct evidence_spec *e = rel ? step_evidence_find(rel, evid) : NULL;
	const char *v = rel && r->get ? r->get(r->ctx, rel->id, evid) : NULL;
	if (v)
		val = evidence_part(v, part);
	if (!val) {
		const char *what = e ? e->label : evid ? evid : "?";
		if (part && strcmp(part, "version") == 0)
			what = N_("key version");
		*placeholder = xasprintf("<%s %s %s>", _(what), _("from step"),
					 rel ? rel->id : tmpl ? tmpl : "?");
	}
	free(copy);
	return val;
}

/* A variable's value (caller frees), or NULL with *placeholder set. */
static char *resolve(struct rctx *r, const char *name, char **placeholder)
{
	if (strncmp(name, "ev:", 3) == 0)
		return resolve_evidence(r, name + 3, placeholder);
	struct steps_var_ctx x = { r->c, r->b, r->loop_upn, r->loop_mailbox, r->loop_workload };
	bool known;
	char *v = steps_var_value(&x, name, &known);
	if (!v)
		*placeholder = xasprintf("<%s %s>", _("value missing from the plan:"), name);
	return v;
}

/* One template line into out; returns the number of placeholders in it. */
static int render_line(struct rctx *r, const char *line, struct buf *out)
{
	struct buf l = BUF_INIT;
	int missing = 0;
	const char *p = line, *open;
	while ((open = strstr(p, "{{")) != NULL) {
		const char *close = strstr(open + 2, "}}");
		if (!close)
			break;
		buf_add(&l, p, (size_t)(open - p));
		char *name = xstrndup(open + 2, (size_t)(close - open - 2));
		char *ph = NULL;
		char *val = NULL;
		int q = -1;
		if (name[0] == '@') {
			size_t n = 0;
			char **vals = steps_hsm_list(r->c, r->b, name + 1, &n);
			q = vals && n ? 0 : -1;
			if (q != 0)
				ph = xasprintf("<%s %s>", _("value missing from the plan:"), name);
			for (size_t k = 0; k < n; k++) {
				if (k)
					buf_puts(&l, r->sh == SHELL_BASH ? " " : ",");
				if (q == 0)
					q = r->sh == SHELL_BASH ? quote_sh(&l, vals[k])
								: quote_ps(&l, vals[k]);
				free(vals[k]);
			}
			free(vals);
		} else {
			val = resolve(r, name, &ph);
		}
		if (val)
			q = r->sh == SHELL_BASH ? quote_sh(&l, val) : quote_ps(&l, val);
		if (q != 0) {
			if (!ph)
				ph = xasprintf("<%s %s>", _("refused: unsafe characters in"), name);
			buf_puts(&l, ph);
			missing++;
		}
		free(ph);
		free(val);
		free(name);
		p = close + 2;
	}
	buf_puts(&l, p);
	if (missing && l.p[0] != '#')
		buf_printf(out, "# %s %s\n", _("NOT READY:"), l.p);
	else
		buf_printf(out, "%s\n", buf_str(&l));
	buf_free(&l);
	return missing;
}

static void render_lines(struct rctx *r, const char *const *lines, struct buf *out)
{
	const struct plan *p = r->c->plan;
	for (size_t i = 0; lines[i]; i++) {
		const char *line = lines[i];
		if (util_has_prefix(line, "@admins ") || util_has_prefix(line, "@contributors ")) {
			bool admins = line[1] == 'a';
			const struct plan_subscription *sub =
				r->b->side != CK_SIDE_NONE ? &p->sub[r->b->side] : NULL;
			size_t n = sub ? (admins ? sub->n_administrators : sub->n_contributors) : 0;
			for (size_t k = 0; k < n; k++) {
				r->loop_upn = admins ? sub->administrators[k] : sub->contributors[k];
				r->placeholders += render_line(r, strchr(line, ' ') + 1, out);
			}
			r->loop_upn = NULL;
		} else if (util_has_prefix(line, "@apps ")) {
			/* one line per Microsoft 365 app the plan's DEPs use */
			for (int w = 0; w < WL_COUNT; w++) {
				bool used = false;
				for (size_t k = 0; k < r->c->inv->n_deps && !used; k++)
					used = (int)r->c->inv->deps[k].workload == w;
				if (!used)
					continue;
				r->loop_workload = w;
				r->placeholders += render_line(r, strchr(line, ' ') + 1, out);
			}
			r->loop_workload = -1;
		} else if (util_has_prefix(line, "@mailboxes ")) {
			const struct inv_dep *dep = r->b->dep;
			for (size_t k = 0; dep && k < dep->n_mailboxes; k++) {
				r->loop_mailbox = dep->mailboxes[k];
				r->placeholders += render_line(r, strchr(line, ' ') + 1, out);
			}
			r->loop_mailbox = NULL;
		} else {
			r->placeholders += render_line(r, line, out);
		}
	}
}

int steps_command_shell(const struct step *s, enum step_shell wanted)
{
	if (!s->def->ps)
		return -1;
	return wanted == SHELL_BASH && s->def->az ? SHELL_BASH : SHELL_POWERSHELL;
}

int steps_render_commands(const struct catalogue *c, const struct step *s, enum step_shell sh,
			  evidence_get_fn get, void *ctx, struct buf *out)
{
	int eff = steps_command_shell(s, sh);
	if (eff < 0)
		return 0;
	struct rctx r = { c, s, catalogue_bind(c, s), (enum step_shell)eff, get, ctx, NULL, NULL,
			  -1, 0 };
	const struct step_def *d = s->def;
	if (eff != (int)sh)
		buf_printf(out, "# %s\n", _("No Azure CLI equivalent: run these in PowerShell."));
	static const char *const az_ps[] = { "Set-AzContext -SubscriptionId {{sub}}", NULL };
	static const char *const az_sh[] = { "az account set --subscription {{sub}}", NULL };
	static const char *const exo[] = {
		"Connect-ExchangeOnline -UserPrincipalName {{admin_upn}}", NULL };
	static const char *const spo[] = { "Connect-SPOService -Url {{admin_url}}", NULL };
	switch (d->session) {
	case SESS_AZ:
		render_lines(&r, eff == SHELL_BASH ? az_sh : az_ps, out);
		break;
	case SESS_EXO:
		render_lines(&r, exo, out);
		break;
	case SESS_SPO:
		render_lines(&r, spo, out);
		break;
	case SESS_NONE:
		break;
	}
	render_lines(&r, eff == SHELL_BASH ? d->az : d->ps, out);
	return r.placeholders;
}

int steps_render_text(const struct catalogue *c, const struct step *s, evidence_get_fn get,
		      void *ctx, struct buf *out)
{
	return s->def->text ? s->def->text(c, s, get, ctx, out) : 0;
}

const struct evidence_spec *step_evidence_find(const struct step *s, const char *evidence_id)
{
	for (size_t i = 0; s && i < s->n_evidence; i++)
		if (strcmp(s->evidence[i].id, evidence_id) == 0)
			return &s->evidence[i];
	return NULL;
}
