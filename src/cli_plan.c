/* cli_plan.c: `ckwizard check` and `ckwizard show`. */
#include "ck.h"
#include "cli.h"
#include "inventory.h"
#include "plan.h"
#include "plan_show.h"
#include "rules.h"
#include "text.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum cli_plan_format { FMT_TEXT, FMT_JSON };

struct cli_plan_args {
	const char *path;
	enum cli_plan_format format;
	bool doc; /* hidden: print the generated tables of plans/README.md */
};

static int cli_plan_parse(const char *cmd, int argc, char **argv, struct cli_plan_args *a)
{
	struct cli_args ca;
	memset(a, 0, sizeof(*a));
	int rc = cli_parse(cmd, argc, argv, 1, &ca);
	if (rc != CK_EXIT_OK)
		return rc;
	a->path = ca.n_pos ? ca.pos[0] : NULL;
	a->doc = cli_opt(&ca, "--doc") != NULL;
	const char *val = cli_opt(&ca, "--format");
	if (!val || strcmp(val, "text") == 0)
		a->format = FMT_TEXT;
	else if (strcmp(val, "json") == 0)
		a->format = FMT_JSON;
	else
		return cli_usage_error(cmd, _("--format is text or json, not %s"), val);
	if (!a->path && !a->doc)
		return cli_usage_error(cmd, _("which plan? give its path"));
	return CK_EXIT_OK;
}

/* Load, expand and judge: the same steps for check and show. hash: the
 * plan's SHA-256 is printed (show, check --format json). */
static struct plan *cli_plan_judge(const char *path, struct diags *d, struct inventory **inv,
				   bool hash)
{
	*inv = NULL;
	crypto_dl_offline(); /* check and show never go online */
	struct plan *p = hash ? plan_load(path, d) : plan_load_unhashed(path, d);
	if (p) {
		*inv = inventory_build(p, d);
		rules_check(p, *inv, d);
	}
	diags_sort(d);
	return p;
}

static void cli_plan_summary(const char *path, const struct diags *d, FILE *out)
{
	size_t e = diags_count(d, DIAG_ERROR), w = diags_count(d, DIAG_WARNING);
	char *vis = text_visible_line(path);
	if (rules_exit_code(d) == CK_EXIT_INPUT)
		fprintf(out, _("%s: unusable input\n"), vis);
	else if (e) {
		/* Two counts: each its own plural, joined by a third message. */
		char *es = xasprintf(ngettext("%zu error", "%zu errors", e), e);
		char *ws = xasprintf(ngettext("%zu warning", "%zu warnings", w), w);
		fprintf(out, _("%s: %s, %s\n"), vis, es, ws);
		free(es);
		free(ws);
	} else
		fprintf(out, ngettext("%s: valid, %zu warning\n", "%s: valid, %zu warnings\n", w),
			vis, w);
	free(vis);
}

static void cli_check_json(const char *path, const struct plan *p, const struct diags *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "file", path);
	if (p)
		cJSON_AddStringToObject(o, "sha256", p->sha256);
	else
		cJSON_AddNullToObject(o, "sha256");
	int code = rules_exit_code(d);
	cJSON_AddBoolToObject(o, "valid", code == CK_EXIT_OK);
	cJSON_AddNumberToObject(o, "exit", code);
	cJSON_AddNumberToObject(o, "errors", (double)diags_count(d, DIAG_ERROR));
	cJSON_AddNumberToObject(o, "warnings", (double)diags_count(d, DIAG_WARNING));
	cJSON_AddNumberToObject(o, "not_shown", (double)diags_not_shown(d));
	char *arr = diags_to_json(d, path);
	cJSON *diag = cJSON_Parse(arr);
	free(arr);
	cJSON_AddItemToObject(o, "diagnostics", diag ? diag : cJSON_CreateArray());
	char *s = cJSON_Print(o);
	if (s)
		puts(s);
	free(s);
	cJSON_Delete(o);
}

int cli_check(int argc, char **argv)
{
	struct cli_plan_args a;
	int rc = cli_plan_parse("check", argc, argv, &a);
	if (rc != CK_EXIT_OK)
		return rc;
	if (a.doc) {
		char *f = plan_show_doc_markdown();
		fputs(f, stdout);
		free(f);
		return CK_EXIT_OK;
	}
	struct diags d = DIAGS_INIT;
	struct inventory *inv;
	struct plan *p = cli_plan_judge(a.path, &d, &inv, a.format == FMT_JSON);
	if (a.format == FMT_JSON) {
		cli_check_json(a.path, p, &d);
	} else {
		diags_print_text(&d, a.path, stdout);
		cli_plan_summary(a.path, &d, stdout);
	}
	rc = rules_exit_code(&d);
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
	return rc;
}

int cli_show(int argc, char **argv)
{
	struct cli_plan_args a;
	int rc = cli_plan_parse("show", argc, argv, &a);
	if (rc != CK_EXIT_OK)
		return rc;
	struct diags d = DIAGS_INIT;
	struct inventory *inv;
	struct plan *p = cli_plan_judge(a.path, &d, &inv, true);
	rc = rules_exit_code(&d);
	/* Problems go to stderr so that stdout stays the inventory alone. */
	if (d.n) {
		diags_print_text(&d, a.path, stderr);
		cli_plan_summary(a.path, &d, stderr);
	}
	if (p && inv) {
		if (rc != CK_EXIT_OK)
			fprintf(stderr, _("warning: the plan has errors; the inventory below may "
					  "be wrong\n"));
		if (a.format == FMT_JSON) {
			char *s = plan_show_json(p, inv, &d);
			puts(s);
			free(s);
		} else {
			plan_show_text(p, inv, stdout);
		}
	}
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
	return rc;
}
