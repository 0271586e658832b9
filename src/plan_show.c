/* plan_show.c: what `ckwizard show` prints, and the generated documentation.
 * The text form is written for the verifying operator: who is who (with key
 * fingerprints), what is created where, and every final name. */
#include "ck.h"
#include "buf.h"
#include "plan_fields.h"
#include "plan_show.h"
#include "pubkey.h"
#include "regions.h"
#include "rules.h"
#include "text.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Print tmpl with its one "%s" (or "%-Ns") replaced by an untrusted string
 * made visible. Not printf: the template may come from a translation. */
static void show_v(FILE *out, const char *tmpl, const char *s)
{
	char *v = text_visible_line(s ? s : "-");
	const char *at = strchr(tmpl, '%');
	if (!at) {
		fputs(tmpl, out);
		free(v);
		return;
	}
	fwrite(tmpl, 1, (size_t)(at - tmpl), out);
	const char *q = at + 1;
	int width = 0;
	if (*q == '-')
		for (q++; *q >= '0' && *q <= '9'; q++)
			width = width * 10 + (*q - '0');
	fputs(v, out);
	for (size_t w = text_width(v); w < (size_t)width; w++)
		fputc(' ', out);
	fputs(*q == 's' ? q + 1 : q, out);
	free(v);
}

static char *show_fingerprint(const struct plan_operator *o)
{
	return o->key_ok ? pubkey_fingerprint(o->pub) : xstrdup(_("(no valid key)"));
}

static void show_operators(const struct plan *p, FILE *out)
{
	fprintf(out, "%s\n", _("Operators"));
	for (int s = 0; s < CK_SIDES; s++) {
		const struct plan_operator *o = &p->op[s];
		char *fp = show_fingerprint(o);
		fprintf(out, "  %c  ", ck_side_letter(s));
		show_v(out, "%s", o->name);
		show_v(out, " <%s>\n", o->upn);
		if (o->object_id) {
			fprintf(out, "     %s: ", _("object ID"));
			show_v(out, "%s\n", o->object_id);
		}
		fprintf(out, "     %s: %s%s\n", _("key"), fp, o->demo ? _("  [DEMO KEY: rehearsal only]") : "");
		fprintf(out, "     %s:", _("role"));
		if (p->author == s)
			fprintf(out, " %s", _("author of the plan"));
		else if (p->author != CK_SIDE_NONE)
			fprintf(out, " %s", _("verifier of the plan"));
		else
			fprintf(out, " %s", _("(author not set)"));
		if (p->tenant_admin == s)
			fprintf(out, ", %s", _("tenant administrator (FastTrack, e-mail, DEPs)"));
		fputc('\n', out);
		free(fp);
	}
}

static void show_list(FILE *out, const char *label, char *const *v, size_t n)
{
	fprintf(out, "     %s:", label);
	if (n == 0)
		fprintf(out, " %s", _("(none)"));
	for (size_t i = 0; i < n; i++)
		show_v(out, i ? ", %s" : " %s", v[i]);
	fputc('\n', out);
}

static void show_subscriptions(const struct plan *p, FILE *out)
{
	fprintf(out, "\n%s\n", _("Subscriptions"));
	for (int s = 0; s < CK_SIDES; s++) {
		const struct plan_subscription *sub = &p->sub[s];
		fprintf(out, "  %c  ", ck_side_letter(s));
		show_v(out, "%s", sub->id);
		if (sub->operator_side != CK_SIDE_NONE) {
			fprintf(out, "  %s %c (", _("owned by operator"), ck_side_letter(sub->operator_side));
			show_v(out, "%s)", p->op[sub->operator_side].name);
		}
		fputc('\n', out);
		show_list(out, _("administrators"), sub->administrators, sub->n_administrators);
		show_list(out, _("contributors"), sub->contributors, sub->n_contributors);
	}
}

static void show_key_vault(const struct plan *p, FILE *out)
{
	const struct plan_key_vault *kv = &p->kv;
	fprintf(out, "\n%s\n", _("Key vaults and keys"));
	show_v(out, "  SKU %s", kv->sku);
	if (kv->retention_days != LONG_MIN)
		fprintf(out, _(", soft delete %ld days"), kv->retention_days);
	fprintf(out, ", %s\n", kv->purge_protection ? _("purge protection on") : _("purge protection OFF"));
	show_v(out, "  %s", kv->key_type);
	if (kv->key_size != LONG_MIN)
		fprintf(out, " %ld", kv->key_size);
	show_v(out, _(" keys, source %s"), kv->key_source);
	if (kv->key_expiry)
		show_v(out, _(", EXPIRY %s\n"), kv->key_expiry);
	else
		fprintf(out, ", %s\n", _("no expiry"));
	fprintf(out, "  %s:", _("administrator key permissions"));
	for (size_t i = 0; i < kv->n_admin_permissions; i++)
		show_v(out, i ? ", %s" : " %s", kv->admin_permissions[i]);
	fputc('\n', out);
}

/* The labels are whole messages with their padding, so a translation keeps
 * its own columns aligned. Translated once for the whole inventory, not
 * for each of its DEPs and sides: a gettext call costs more than the line
 * it labels (1,400 calls for woodgrove-large). */
struct show_labels {
	const char *side, *region, *subscription, *op, *rg, *hsm, *vault, *key, *backup, *uri;
	const char *name, *description, *m365, *name_geo, *admin_url, *mailboxes;
};

static void show_labels_init(struct show_labels *l)
{
	*l = (struct show_labels){
		.side = _("side"),
		.region = _("      region          %s"),
		.subscription = _("      subscription    %s"),
		.op = _("operator"),
		.rg = _("      resource group  %s\n"),
		.hsm = _("      Managed HSM     %s\n"),
		.vault = _("      vault           %s\n"),
		.key = _("      key             %s\n"),
		.backup = _("      backup file     %s\n"),
		.uri = _("      key URI         %s\n"),
		.name = _("    name            %s\n"),
		.description = _("    description     %s\n"),
		.m365 = _("    Microsoft 365   %s"),
		.name_geo = _(" (names use %s)\n"),
		.admin_url = _("    admin URL       %s\n"),
		.mailboxes = _("    mailboxes      "),
	};
}

static void show_side(const struct inv_side *s, const struct plan *p,
		      const struct show_labels *l, FILE *out)
{
	const struct region *r = regions_find(s->region);
	fprintf(out, "    %s %c\n", l->side, ck_side_letter(s->side));
	show_v(out, l->region, s->region);
	if (r)
		fprintf(out, " (%s, %s)", r->display, r->geography);
	fputc('\n', out);
	show_v(out, l->subscription, s->subscription);
	if (s->operator_side != CK_SIDE_NONE) {
		fprintf(out, " (%s %c, ", l->op, ck_side_letter(s->operator_side));
		show_v(out, "%s)", p->op[s->operator_side].name);
	}
	fputc('\n', out);
	show_v(out, l->rg, s->resource_group);
	show_v(out, plan_uses_hsm(p) ? l->hsm : l->vault, s->vault);
	show_v(out, l->key, s->key);
	show_v(out, l->backup, s->backup_pattern);
	show_v(out, l->uri, s->key_uri);
}

static void show_dep(const struct inv_dep *dep, const struct plan *p,
		     const struct show_labels *l, FILE *out)
{
	fputc('\n', out);
	show_v(out, "  DEP %s", dep->id);
	fprintf(out, "  [%s]  (%s)\n", _(plan_workload_name(dep->workload)), dep->plan_path);
	if (dep->name)
		show_v(out, l->name, dep->name);
	if (dep->description)
		show_v(out, l->description, dep->description);
	show_v(out, l->m365, dep->m365_geo);
	show_v(out, l->name_geo, dep->name_geo);
	if (dep->admin_url)
		show_v(out, l->admin_url, dep->admin_url);
	if (dep->n_mailboxes) {
		fputs(l->mailboxes, out);
		for (size_t i = 0; i < dep->n_mailboxes; i++)
			show_v(out, i ? ", %s" : " %s", dep->mailboxes[i]);
		fputc('\n', out);
	}
	for (int s = 0; s < CK_SIDES; s++)
		show_side(&dep->side[s], p, l, out);
}

/* What the verifying operator checks against the world, not against the plan:
 * the plan cannot vouch for itself (source 004, doc/sources.md: "use a second person to verify
 * the plan is executed correctly"). */
static const char *const show_checklist[] = {
	N_("each operator reads their key fingerprint aloud from 'ckwizard operator list' on their own device, and it matches the one above"),
	N_("the tenant ID and both subscription IDs match the Azure portal"),
	N_("each subscription's owner is the person who will act on it, and nobody else is"),
	N_("every region is where the organisation wants its keys (two regions per DEP)"),
	N_("the officers are the people who may approve key destruction"),
	N_("the SHA-256 above is the one you will sign"),
};

static const char *const show_checklist_hsm[] = {
	N_("each security-domain officer reads the SHA-256 of their public key aloud, and it matches the one above"),
	N_("each HSM administrator's object ID is that person's in Entra ID"),
};

static void show_checklist_text(const struct plan *p, FILE *out)
{
	fprintf(out, "\n%s\n", _("Before you sign (verifier)"));
	for (size_t i = 0; i < CK_ARRAY_LEN(show_checklist); i++)
		fprintf(out, "  [ ] %s\n", _(show_checklist[i]));
	for (size_t i = 0; plan_uses_hsm(p) && i < CK_ARRAY_LEN(show_checklist_hsm); i++)
		fprintf(out, "  [ ] %s\n", _(show_checklist_hsm[i]));
}

/* The two HSMs and the security domain's officers (Managed HSM plans). */
static void show_hsm(const struct plan *p, const struct inventory *inv, FILE *out)
{
	const struct plan_managed_hsm *h = &p->hsm;
	fprintf(out, "\n%s\n", _("Managed HSMs"));
	for (int s = 0; s < CK_SIDES; s++) {
		fprintf(out, "  %c  ", ck_side_letter(s));
		show_v(out, "%s", inv->hsm[s]);
		show_v(out, "  %s", h->regions.region[s]);
		show_v(out, _("  in %s\n"), inv->hsm_rg[s]);
		fprintf(out, "     https://");
		show_v(out, "%s.managedhsm.azure.net\n", inv->hsm[s]);
		show_list(out, _("initial administrators (object IDs)"), h->administrators[s],
			  h->n_administrators[s]);
	}
	fprintf(out, "\n%s\n", _("Security domain"));
	if (h->quorum != LONG_MIN)
		fprintf(out, _("  quorum: %ld of %zu officers restore it\n"), h->quorum, h->n_officers);
	for (size_t i = 0; i < h->n_officers; i++) {
		const struct plan_sd_officer *o = &h->officers[i];
		show_v(out, "  %s", o->name);
		show_v(out, " <%s>\n", o->email);
		if (o->public_key && o->sha256[0])
			fprintf(out, _("     RSA %d, SHA-256 %s\n"), o->bits, o->sha256);
		else if (o->sha256[0])
			fprintf(out, _("     key made at the ceremony, SHA-256 %s\n"), o->sha256);
		else
			fprintf(out, "     %s\n", _("KEY NOT USABLE (see the diagnostics)"));
	}
}

void plan_show_text(const struct plan *p, const struct inventory *inv, FILE *out)
{
	show_v(out, "%s", _("Plan"));
	show_v(out, "  %s\n", p->path);
	fprintf(out, "SHA-256  %s\n", p->sha256);
	show_v(out, "%s", _("Organisation"));
	show_v(out, "  %s", p->org.name);
	show_v(out, "  %s", p->org.tenant_domain);
	show_v(out, _("  tenant %s\n\n"), p->org.tenant_id);
	show_operators(p, out);
	show_subscriptions(p, out);
	show_key_vault(p, out);
	if (plan_uses_hsm(p))
		show_hsm(p, inv, out);
	fprintf(out, "\n%s\n", _("Resource groups"));
	for (size_t i = 0; i < inv->n_rgs; i++) {
		fprintf(out, "  %c  ", ck_side_letter(inv->rgs[i].side));
		show_v(out, "%-40s", inv->rgs[i].name);
		show_v(out, "  %s\n", inv->rgs[i].region);
	}
	fprintf(out, "\n%s (%zu)\n", _("Data encryption policies"), inv->n_deps);
	struct show_labels labels;
	show_labels_init(&labels);
	for (size_t i = 0; i < inv->n_deps; i++)
		show_dep(&inv->deps[i], p, &labels, out);
	fprintf(out, "\n%s\n", _("Officers (FastTrack form)"));
	for (size_t i = 0; i < p->n_officers; i++) {
		show_v(out, "  %s", p->officers[i].name);
		if (p->officers[i].title)
			show_v(out, ", %s", p->officers[i].title);
		show_v(out, " <%s>\n", p->officers[i].email);
	}
	fprintf(out, "\n%s\n", _("Onboarding e-mail addresses"));
	for (int w = 0; w < WL_COUNT; w++) {
		bool used = (w == WL_EXCHANGE && p->exchange.present) ||
			    (w == WL_SHAREPOINT && p->sharepoint.present) ||
			    (w == WL_MULTI && p->multi.present);
		if (!used)
			continue;
		fprintf(out, "  %-4s", plan_workload_code((enum plan_workload)w));
		show_v(out, "%s", p->email_alias[w]);
		if (!util_streq(p->email_alias[w], plan_workload_default_alias((enum plan_workload)w)))
			fprintf(out, "  (%s)", _("overrides the default"));
		fputc('\n', out);
	}
	show_checklist_text(p, out);
}

static void json_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static const char *show_side_name(int side)
{
	return side == CK_SIDE_A ? "A" : side == CK_SIDE_B ? "B" : NULL;
}

static cJSON *json_list(char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static cJSON *json_side(const struct inv_side *s)
{
	cJSON *o = cJSON_CreateObject();
	char side[2] = { ck_side_letter(s->side), 0 };
	char op[2] = { ck_side_letter(s->operator_side), 0 };
	json_str(o, "side", side);
	json_str(o, "operator", s->operator_side == CK_SIDE_NONE ? NULL : op);
	json_str(o, "subscription", s->subscription);
	json_str(o, "region", s->region);
	json_str(o, "resource_group", s->resource_group);
	json_str(o, "vault", s->vault);
	json_str(o, "key", s->key);
	json_str(o, "backup_pattern", s->backup_pattern);
	json_str(o, "key_uri", s->key_uri);
	return o;
}

static cJSON *json_people(const struct plan *p)
{
	cJSON *ops = cJSON_CreateObject();
	for (int s = 0; s < CK_SIDES; s++) {
		const struct plan_operator *o = &p->op[s];
		cJSON *j = cJSON_CreateObject();
		char *fp = o->key_ok ? pubkey_fingerprint(o->pub) : NULL;
		json_str(j, "name", o->name);
		json_str(j, "upn", o->upn);
		if (o->object_id)
			json_str(j, "object_id", o->object_id);
		json_str(j, "key", o->key);
		json_str(j, "fingerprint", fp);
		cJSON_AddBoolToObject(j, "demo", o->demo);
		cJSON_AddBoolToObject(j, "author", p->author == s);
		cJSON_AddBoolToObject(j, "tenant_admin", p->tenant_admin == s);
		free(fp);
		char k[2] = { ck_side_letter(s), 0 };
		cJSON_AddItemToObject(ops, k, j);
	}
	return ops;
}

char *plan_show_json(const struct plan *p, const struct inventory *inv, const struct diags *d)
{
	cJSON *o = cJSON_CreateObject();
	json_str(o, "file", p->path);
	json_str(o, "sha256", p->sha256);
	json_str(o, "author", show_side_name(p->author));
	json_str(o, "tenant_admin", show_side_name(p->tenant_admin));
	cJSON *org = cJSON_AddObjectToObject(o, "organization");
	json_str(org, "name", p->org.name);
	json_str(org, "tenant_domain", p->org.tenant_domain);
	json_str(org, "tenant_id", p->org.tenant_id);
	cJSON_AddItemToObject(o, "operators", json_people(p));
	cJSON *subs = cJSON_AddObjectToObject(o, "subscriptions");
	for (int s = 0; s < CK_SIDES; s++) {
		cJSON *j = cJSON_CreateObject();
		json_str(j, "id", p->sub[s].id);
		char op[2] = { ck_side_letter(p->sub[s].operator_side), 0 };
		json_str(j, "operator", p->sub[s].operator_side == CK_SIDE_NONE ? NULL : op);
		cJSON_AddItemToObject(j, "administrators",
				      json_list(p->sub[s].administrators, p->sub[s].n_administrators));
		cJSON_AddItemToObject(j, "contributors",
				      json_list(p->sub[s].contributors, p->sub[s].n_contributors));
		char k[2] = { ck_side_letter(s), 0 };
		cJSON_AddItemToObject(subs, k, j);
	}
	cJSON *kv = cJSON_AddObjectToObject(o, "key_vault");
	json_str(kv, "sku", p->kv.sku);
	if (p->kv.retention_days != LONG_MIN)
		cJSON_AddNumberToObject(kv, "soft_delete_retention_days", (double)p->kv.retention_days);
	cJSON_AddBoolToObject(kv, "purge_protection", p->kv.purge_protection);
	cJSON_AddItemToObject(kv, "administrator_key_permissions",
			      json_list(p->kv.admin_permissions, p->kv.n_admin_permissions));
	json_str(kv, "key_type", p->kv.key_type);
	if (p->kv.key_size != LONG_MIN)
		cJSON_AddNumberToObject(kv, "key_size", (double)p->kv.key_size);
	json_str(kv, "key_source", p->kv.key_source);
	json_str(kv, "key_expiry", p->kv.key_expiry);
	cJSON *rgs = cJSON_AddArrayToObject(o, "resource_groups");
	for (size_t i = 0; i < inv->n_rgs; i++) {
		cJSON *j = cJSON_CreateObject();
		char side[2] = { ck_side_letter(inv->rgs[i].side), 0 };
		json_str(j, "side", side);
		json_str(j, "name", inv->rgs[i].name);
		json_str(j, "region", inv->rgs[i].region);
		cJSON_AddItemToArray(rgs, j);
	}
	cJSON *deps = cJSON_AddArrayToObject(o, "deps");
	for (size_t i = 0; i < inv->n_deps; i++) {
		const struct inv_dep *dep = &inv->deps[i];
		cJSON *j = cJSON_CreateObject();
		json_str(j, "id", dep->id);
		json_str(j, "workload", plan_workload_code(dep->workload));
		json_str(j, "plan_path", dep->plan_path);
		json_str(j, "name", dep->name);
		json_str(j, "description", dep->description);
		json_str(j, "m365_geo", dep->m365_geo);
		json_str(j, "name_geo", dep->name_geo);
		json_str(j, "admin_url", dep->admin_url);
		cJSON_AddItemToObject(j, "mailboxes", json_list(dep->mailboxes, dep->n_mailboxes));
		cJSON *sides = cJSON_AddArrayToObject(j, "sides");
		for (int s = 0; s < CK_SIDES; s++)
			cJSON_AddItemToArray(sides, json_side(&dep->side[s]));
		cJSON_AddItemToArray(deps, j);
	}
	cJSON *off = cJSON_AddArrayToObject(o, "officers");
	for (size_t i = 0; i < p->n_officers; i++) {
		cJSON *j = cJSON_CreateObject();
		json_str(j, "name", p->officers[i].name);
		json_str(j, "title", p->officers[i].title);
		json_str(j, "email", p->officers[i].email);
		cJSON_AddItemToArray(off, j);
	}
	if (plan_uses_hsm(p)) {
		cJSON *h = cJSON_AddObjectToObject(o, "managed_hsm");
		for (int s = 0; s < CK_SIDES; s++) {
			cJSON *j = cJSON_CreateObject();
			json_str(j, "name", inv->hsm[s]);
			json_str(j, "resource_group", inv->hsm_rg[s]);
			json_str(j, "region", p->hsm.regions.region[s]);
			cJSON_AddItemToObject(j, "administrators",
					      json_list(p->hsm.administrators[s],
							p->hsm.n_administrators[s]));
			char k[2] = { ck_side_letter(s), 0 };
			cJSON_AddItemToObject(h, k, j);
		}
		if (p->hsm.quorum != LONG_MIN)
			cJSON_AddNumberToObject(h, "quorum", (double)p->hsm.quorum);
		cJSON *so = cJSON_AddArrayToObject(h, "officers");
		for (size_t i = 0; i < p->hsm.n_officers; i++) {
			cJSON *j = cJSON_CreateObject();
			json_str(j, "name", p->hsm.officers[i].name);
			json_str(j, "email", p->hsm.officers[i].email);
			json_str(j, "public_key_sha256",
				 p->hsm.officers[i].sha256[0] ? p->hsm.officers[i].sha256 : NULL);
			cJSON_AddItemToArray(so, j);
		}
	}
	cJSON *al = cJSON_AddObjectToObject(o, "email_aliases");
	json_str(al, "exchange", p->email_alias[WL_EXCHANGE]);
	json_str(al, "sharepoint", p->email_alias[WL_SHAREPOINT]);
	json_str(al, "multi_workload", p->email_alias[WL_MULTI]);
	if (d) {
		char *arr = diags_to_json(d, p->path);
		cJSON *dj = cJSON_Parse(arr);
		free(arr);
		cJSON_AddItemToObject(o, "diagnostics", dj ? dj : cJSON_CreateArray());
	}
	char *s = cJSON_Print(o);
	cJSON_Delete(o);
	char *r = xstrdup(s ? s : "{}");
	free(s);
	return r;
}

static void doc_regions(struct buf *b)
{
	buf_printf(b, "Source: %s.\n\n", regions_source);
	buf_puts(b, "| Region | Name | Geography | Microsoft 365 geo | Area | Pair |\n");
	buf_puts(b, "|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < regions_n; i++) {
		const struct region *r = &regions_table[i];
		buf_printf(b, "| `%s` | %s | %s | %s | %s | %s%s |\n", r->name, r->display,
			   r->geography, r->m365 ? r->m365 : "-", r->area, r->pair ? r->pair : "none",
			   r->one_way ? " (one way)" : "");
	}
}

char *plan_show_doc_markdown(void)
{
	struct buf b = BUF_INIT;
	char *fields = plan_fields_doc_markdown();
	char *rules = rules_doc_markdown();
	buf_puts(&b, "<!-- generated by `ckwizard check --doc`: do not edit by hand -->\n\n");
	buf_puts(&b, "### Fields\n\n");
	buf_puts(&b, fields);
	buf_puts(&b, "\n### Rules and loader checks\n\n");
	buf_puts(&b, rules);
	buf_puts(&b, "\n### Azure regions\n\n");
	doc_regions(&b);
	buf_puts(&b, "\n<!-- end of generated part -->\n");
	free(fields);
	free(rules);
	return buf_steal(&b);
}
