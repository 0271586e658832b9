/* plan_fields.h: the field table of plan format 1 (plan_fields.c) and the
 * syntax checks its types use (plan_syntax.c). Private to the plan area.
 *
 * One table describes every field: its path pattern, type, whether it is
 * required, its default and its meaning. It drives the schema check (unknown
 * keys with "did you mean", kinds, required fields, typed values), the
 * defaults the loader fills in, and the field reference in plans/README.md.
 * Path patterns: "a.b" for keys, "[]" for any list item, "<side>" for the keys
 * A and B (both required when the field is). */
#ifndef CK_PLAN_FIELDS_H
#define CK_PLAN_FIELDS_H

#include "diag.h"
#include "ydoc.h"

#include <stdbool.h>

enum pf_type {
	PF_MAP, PF_LIST, PF_STR, PF_INT, PF_BOOL, PF_SIDE, PF_GUID, PF_FQDN, PF_UPN,
	PF_EMAIL, PF_PUBKEY, PF_REGION, PF_M365GEO, PF_NAMEGEO, PF_URL, PF_PATTERN,
	PF_NTYPES
};

struct plan_field {
	const char *path;
	enum pf_type type;
	bool required;
	const char *def;   /* default as written in YAML, or NULL */
	const char *desc;  /* N_() */
	const char *rules; /* rule IDs that judge this field beyond its type, or NULL */
};

extern const struct plan_field plan_fields[];
extern const unsigned plan_n_fields;

const struct plan_field *plan_field_find(const char *pattern);
const char *plan_field_default(const char *pattern);
/* Type name for documentation, and the rule ID that checks its values (or NULL). */
const char *plan_field_type_name(enum pf_type t);
const char *plan_field_type_rule(enum pf_type t);

/* Check the tree against the table (CK001-CK004 and the typed-value IDs). */
void plan_fields_check(const struct ydoc *doc, struct diags *d);
/* Markdown table of every field (for plans/README.md). */
char *plan_fields_doc_markdown(void);

/* Syntax of typed values (plan_syntax.c): 1 if well formed. */
int plan_is_guid(const char *s);
int plan_is_fqdn(const char *s);
int plan_is_upn(const char *s);      /* user@fqdn */
int plan_is_email(const char *s);    /* local@fqdn, local part limited to a safe set */
int plan_is_https_url(const char *s);
int plan_is_name_geo(const char *s); /* 2-4 letters or digits: used inside names */
int plan_is_int(const char *s, long *out);
/* "0" followed by more digits (after an optional '-'): refused as a number,
 * since YAML 1.1 tools read 03072 as octal 1594 and others as 3072. */
int plan_has_leading_zero(const char *s);

#endif
