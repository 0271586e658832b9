/* audit_out.c: the audit's result as text for people and JSON for tools. */
#include "ck.h"
#include "azure/audit_int.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const audit_status_names[AUDIT_NSTATUS] = { "holds", "drift", "unchecked" };
static const char *const audit_status_labels[AUDIT_NSTATUS] = { N_("holds"), N_("DRIFT"),
								 N_("UNCHECKED") };

static void audit_print_side(const struct audit *a, int s, FILE *out)
{
	const struct audit_side *sd = &a->side[s];
	char *who = sd->identity ? text_visible_line(sd->identity) : NULL;
	if (!sd->cred)
		fprintf(out, _("side %c: not audited in this run\n"), ck_side_letter(s));
	else if (sd->problem) {
		/* most problems already begin with "side X: ", in the language
		 * they were phrased in: drop it, as this line names the side */
		char en[16], tr[64];
		snprintf(en, sizeof(en), "side %c: ", ck_side_letter(s));
		snprintf(tr, sizeof(tr), _("side %c: "), ck_side_letter(s));
		const char *pb = sd->problem;
		if (util_has_prefix(pb, tr))
			pb += strlen(tr);
		else if (util_has_prefix(pb, en))
			pb += strlen(en);
		if (who)
			fprintf(out, _("side %c: signed in as %s\n"), ck_side_letter(s), who);
		fprintf(out, _("side %c: nothing checked: %s\n"), ck_side_letter(s), pb);
	} else
		fprintf(out, _("side %c: signed in as %s\n"), ck_side_letter(s), who ? who : "?");
	free(who);
}

void audit_print_text(const struct audit *a, FILE *out)
{
	for (int s = 0; s < CK_SIDES; s++)
		audit_print_side(a, s, out);
	for (int st = 0; st < AUDIT_NSTATUS; st++) {
		for (size_t i = 0; i < a->n; i++) {
			const struct audit_finding *f = &a->f[i];
			/* drift first, then what could not be checked, then what holds:
			 * the lines that need someone come first */
			static const int order[AUDIT_NSTATUS] = { AUDIT_DRIFT, AUDIT_UNCHECKED, AUDIT_HOLDS };
			if ((int)f->status != order[st])
				continue;
			char *name = text_visible_line(f->name);
			fprintf(out, "%-9s %c %s %s: %s: %s\n", _(audit_status_labels[f->status]),
				ck_side_letter(f->side), _(f->kind), name, _(f->check), f->detail);
			free(name);
		}
	}
	/* The total and the requests are counts with their own plurals. */
	char *checks = xasprintf(ngettext("%zu check", "%zu checks", a->n), a->n);
	char *reqs = xasprintf(ngettext("%zu request", "%zu requests", a->requests), a->requests);
	fprintf(out, _("%s: %zu hold, %zu drifted, %zu could not be checked (%s)\n"), checks,
		a->count[AUDIT_HOLDS], a->count[AUDIT_DRIFT], a->count[AUDIT_UNCHECKED], reqs);
	free(checks);
	free(reqs);
}

char *audit_json(const struct audit *a)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "plan", a->plan->path);
	cJSON_AddStringToObject(o, "plan_sha256", a->plan->sha256);
	cJSON_AddStringToObject(o, "cloud", a->ep->name);
	cJSON *sides = cJSON_AddObjectToObject(o, "sides");
	for (int s = 0; s < CK_SIDES; s++) {
		char key[2] = { ck_side_letter(s), 0 };
		cJSON *so = cJSON_AddObjectToObject(sides, key);
		const struct audit_side *sd = &a->side[s];
		cJSON_AddBoolToObject(so, "audited", sd->cred != NULL);
		if (sd->identity)
			cJSON_AddStringToObject(so, "identity", sd->identity);
		if (sd->problem)
			cJSON_AddStringToObject(so, "problem", sd->problem);
		cJSON_AddBoolToObject(so, "refused", sd->refused);
	}
	cJSON *arr = cJSON_AddArrayToObject(o, "findings");
	for (size_t i = 0; i < a->n; i++) {
		const struct audit_finding *f = &a->f[i];
		cJSON *fo = cJSON_CreateObject();
		char key[2] = { ck_side_letter(f->side), 0 };
		cJSON_AddStringToObject(fo, "side", key);
		cJSON_AddStringToObject(fo, "kind", f->kind);
		cJSON_AddStringToObject(fo, "name", f->name);
		cJSON_AddStringToObject(fo, "check", f->check);
		cJSON_AddStringToObject(fo, "status", audit_status_names[f->status]);
		cJSON_AddStringToObject(fo, "detail", f->detail);
		cJSON_AddItemToArray(arr, fo);
	}
	cJSON *sum = cJSON_AddObjectToObject(o, "summary");
	for (int st = 0; st < AUDIT_NSTATUS; st++)
		cJSON_AddNumberToObject(sum, audit_status_names[st], (double)a->count[st]);
	cJSON_AddNumberToObject(sum, "requests", (double)a->requests);
	cJSON_AddNumberToObject(o, "exit", audit_exit_code(a));
	char *txt = cJSON_Print(o);
	cJSON_Delete(o);
	char *out = xstrdup(txt);
	cJSON_free(txt);
	return out;
}
