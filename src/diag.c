/* diag.c: collecting and printing diagnostics. */
#include "ck.h"
#include "diag.h"
#include "text.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diags_add(struct diags *d, enum diag_severity sev, const char *id, const char *path,
	       int line, int col, const char *hint, const char *fmt, ...)
{
	if (d->n >= 2 * DIAGS_MAX)
		diags_sort(d); /* keeps the first DIAGS_MAX in file order */
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	struct diag *g = &d->v[d->n++];
	va_list ap;
	va_start(ap, fmt);
	g->message = xvasprintf(fmt, ap);
	va_end(ap);
	g->severity = sev;
	g->id = xstrdup(id ? id : "");
	g->path = path ? xstrdup(path) : NULL;
	g->line = line;
	g->col = col;
	g->hint = hint ? xstrdup(hint) : NULL;
}

size_t diags_count(const struct diags *d, enum diag_severity sev)
{
	size_t n = sev <= DIAG_NOTE ? d->dropped[sev] : 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].severity == sev;
	return n;
}

size_t diags_not_shown(const struct diags *d)
{
	return d->dropped[DIAG_ERROR] + d->dropped[DIAG_WARNING] + d->dropped[DIAG_NOTE] +
	       (d->n > DIAGS_MAX ? d->n - DIAGS_MAX : 0);
}

static int diag_cmp(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	int c = strcmp(a->id, b->id);
	if (c)
		return c;
	return strcmp(a->path ? a->path : "", b->path ? b->path : "");
}

static void diag_free_one(struct diag *g)
{
	free(g->id);
	free(g->path);
	free(g->message);
	free(g->hint);
}

/* Up to twice DIAGS_MAX are collected between sorts, so that what is kept
 * is the first DIAGS_MAX by position, not the first found. */
void diags_sort(struct diags *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), diag_cmp);
	for (; d->n > DIAGS_MAX; d->n--) {
		struct diag *g = &d->v[d->n - 1];
		d->dropped[g->severity <= DIAG_NOTE ? g->severity : DIAG_NOTE]++;
		if (g->severity == DIAG_ERROR && g->id[0] == 'L')
			d->dropped_input = 1;
		diag_free_one(g);
	}
}

const char *diag_severity_name(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	default: return "note";
	}
}

void diags_print_text(const struct diags *d, const char *file, FILE *out)
{
	for (size_t i = 0; i < d->n && i < DIAGS_MAX; i++) {
		const struct diag *g = &d->v[i];
		char *vfile = text_visible(file ? file : "-");
		char *msg = text_visible(g->message);
		fputs(vfile, out);
		if (g->line > 0)
			fprintf(out, ":%d:%d", g->line, g->col);
		fprintf(out, ": %s[%s]: ", _(diag_severity_name(g->severity)), g->id);
		if (g->path) {
			char *p = text_visible(g->path);
			fprintf(out, "%s: ", p);
			free(p);
		}
		fprintf(out, "%s\n", msg);
		if (g->hint) {
			char *h = text_visible(g->hint);
			fprintf(out, "  %s: %s\n", _("hint"), h);
			free(h);
		}
		free(vfile);
		free(msg);
	}
	size_t more = diags_not_shown(d);
	if (more) {
		char *vfile = text_visible(file ? file : "-");
		fprintf(out, ngettext("%s: %zu more problem not shown (the first %d are above); "
				      "fix those and check again\n",
				      "%s: %zu more problems not shown (the first %d are above); "
				      "fix those and check again\n", more),
			vfile, more, DIAGS_MAX);
		free(vfile);
	}
}

char *diags_to_json(const struct diags *d, const char *file)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < d->n && i < DIAGS_MAX; i++) {
		const struct diag *g = &d->v[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "file", file ? file : "-");
		cJSON_AddNumberToObject(o, "line", g->line);
		cJSON_AddNumberToObject(o, "column", g->col);
		cJSON_AddStringToObject(o, "severity", diag_severity_name(g->severity));
		cJSON_AddStringToObject(o, "id", g->id);
		if (g->path)
			cJSON_AddStringToObject(o, "path", g->path);
		else
			cJSON_AddNullToObject(o, "path");
		cJSON_AddStringToObject(o, "message", g->message);
		if (g->hint)
			cJSON_AddStringToObject(o, "hint", g->hint);
		else
			cJSON_AddNullToObject(o, "hint");
		cJSON_AddItemToArray(arr, o);
	}
	char *s = cJSON_Print(arr);
	cJSON_Delete(arr);
	char *r = xstrdup(s ? s : "[]");
	free(s);
	return r;
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		diag_free_one(&d->v[i]);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
	memset(d->dropped, 0, sizeof d->dropped);
	d->dropped_input = 0;
}
