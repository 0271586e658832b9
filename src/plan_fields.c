/* plan_fields.c: the field table of plan format 1 and the schema check it
 * drives. The loader (plan_load.c) reads values by the same paths. */
#include "ck.h"
#include "buf.h"
#include "plan_fields.h"
#include "pubkey.h"
#include "regions.h"
#include "rules.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define REQ true
#define OPT false

const struct plan_field plan_fields[] = {
	{ "ckwizard", PF_INT, REQ, NULL, N_("plan format version: 1"), "CK005" },
	{ "organization", PF_MAP, REQ, NULL, N_("the organisation whose tenant is onboarded"), NULL },
	{ "organization.name", PF_STR, REQ, NULL, N_("organisation name, as shown to the operators"), NULL },
	{ "organization.tenant_domain", PF_FQDN, REQ, NULL,
	  N_("tenant domain (FQDN), e.g. contoso.onmicrosoft.com; the e-mail subject names it"), NULL },
	{ "organization.tenant_id", PF_GUID, REQ, NULL, N_("Entra tenant ID"), NULL },
	{ "naming", PF_MAP, REQ, NULL, N_("naming conventions: patterns with {placeholders}"), NULL },
	{ "naming.prefix", PF_STR, REQ, NULL, N_("{prefix}: usually the organisation's short name"), "CK061 CK063" },
	{ "naming.resource_group", PF_PATTERN, OPT, "{prefix}-CK-{workload}-{geo}-RG{side}",
	  N_("resource group pattern; one group per workload, geo and side when it has no {vault_seq}"), "CK063" },
	{ "naming.vault", PF_PATTERN, OPT, "{prefix}-CK-{workload}-{geo}-Vault{side}{vault_seq}",
	  N_("key vault pattern (3-24 characters after expansion, globally unique in Azure)"), "CK061 CK065" },
	{ "naming.key", PF_PATTERN, OPT, "{vault}-Key{key_seq:03}", N_("key pattern"), "CK062 CK099" },
	{ "naming.backup", PF_PATTERN, OPT, "{key}-Backup-{date}.backup",
	  N_("key backup file pattern; {date} is filled when the backup is taken"), "CK064 CK065 CK066" },
	{ "operators", PF_MAP, REQ, NULL, N_("the two operators, A and B"), NULL },
	{ "operators.<side>", PF_MAP, REQ, NULL, N_("one operator"), NULL },
	{ "operators.<side>.name", PF_STR, REQ, NULL, N_("full name"), "CK020 CK027" },
	{ "operators.<side>.upn", PF_UPN, REQ, NULL, N_("Entra user principal name"), "CK020 CK027" },
	{ "operators.<side>.object_id", PF_GUID, OPT, NULL,
	  N_("Entra object ID: when given, a sign-in must carry it (a UPN can be renamed or reused, an object ID cannot)"),
	  "CK020" },
	{ "operators.<side>.key", PF_PUBKEY, REQ, NULL,
	  N_("Ed25519 public key \"ed25519:<base64>\" (ckwizard operator enroll prints it)"), "CK015 CK016 CK020" },
	{ "author", PF_SIDE, REQ, NULL, N_("operator who wrote the plan (A or B); the other verifies it"), NULL },
	{ "tenant_admin", PF_SIDE, REQ, NULL,
	  N_("operator who does the tenant-wide steps (FastTrack, e-mail, DEPs); the other witnesses"), NULL },
	{ "onboarding", PF_STR, OPT, "email",
	  N_("how Microsoft is asked to onboard the tenant: service (the Customer Key onboarding "
	     "service, validated then enabled; what new plans use) or email (FastTrack and the "
	     "onboarding e-mail; what a plan without this field gets)"), "CK081 CK082" },
	{ "subscriptions", PF_MAP, REQ, NULL, N_("the two Azure subscriptions, A and B"), NULL },
	{ "subscriptions.<side>", PF_MAP, REQ, NULL, N_("one subscription (its vaults are side A or B)"), NULL },
	{ "subscriptions.<side>.id", PF_GUID, REQ, NULL, N_("subscription ID"), "CK021" },
	{ "subscriptions.<side>.operator", PF_SIDE, REQ, NULL, N_("the operator who owns it (A or B)"), "CK022" },
	{ "subscriptions.<side>.administrators", PF_LIST, REQ, NULL,
	  N_("key vault administrators (UPNs): key permissions create, import, list, get, backup, restore"), "CK024 CK025 CK026" },
	{ "subscriptions.<side>.administrators[]", PF_UPN, REQ, NULL, N_("an administrator's UPN"), NULL },
	{ "subscriptions.<side>.contributors", PF_LIST, OPT, "[]",
	  N_("UPNs given the Contributor role on this side's vaults: a deliberate choice, since "
	     "on an access-policy vault the role can grant itself key access"), "CK052" },
	{ "subscriptions.<side>.contributors[]", PF_UPN, REQ, NULL, N_("a contributor's UPN"), NULL },
	{ "key_vault", PF_MAP, OPT, NULL, N_("settings of every key vault and key"), NULL },
	{ "key_vault.sku", PF_STR, OPT, "premium", N_("premium (standard: tests only)"), "CK040 CK041 CK042" },
	{ "key_vault.soft_delete_retention_days", PF_INT, OPT, "90", N_("soft-delete retention: 90"), "CK045" },
	{ "key_vault.purge_protection", PF_BOOL, OPT, "true", N_("purge protection: true"), "CK046" },
	{ "key_vault.administrator_key_permissions", PF_LIST, OPT,
	  "[create, import, list, get, backup, restore]",
	  N_("key permissions the administrators get (never delete or purge)"), "CK048 CK050 CK051" },
	{ "key_vault.administrator_key_permissions[]", PF_STR, REQ, NULL, N_("a key permission"), NULL },
	{ "key_vault.key", PF_MAP, OPT, NULL, N_("the root keys"), NULL },
	{ "key_vault.key.type", PF_STR, OPT, "RSA-HSM", N_("RSA-HSM (premium) or RSA"), "CK042 CK043 CK100" },
	{ "key_vault.key.size", PF_INT, OPT, "3072", N_("2048, 3072 or 4096 bits"), "CK044" },
	{ "key_vault.key.source", PF_STR, OPT, "create",
	  N_("create (in the vault) or import (BYOK, attested outside ckwizard)"), "CK049" },
	{ "key_vault.key.expiry", PF_STR, OPT, NULL,
	  N_("must be absent (keys never expire); 9999-12-31 is tolerated"), "CK047" },
	{ "officers", PF_LIST, REQ, NULL,
	  N_("officers named in the FastTrack form (who may approve key destruction)"), "CK080" },
	{ "officers[]", PF_MAP, REQ, NULL, N_("one officer"), NULL },
	{ "officers[].name", PF_STR, REQ, NULL, N_("full name"), NULL },
	{ "officers[].title", PF_STR, OPT, NULL, N_("job title"), NULL },
	{ "officers[].email", PF_EMAIL, REQ, NULL, N_("e-mail address"), NULL },
	{ "workloads", PF_MAP, REQ, NULL, N_("at least one of exchange, sharepoint, multi_workload"), "CK070" },
	{ "workloads.exchange", PF_MAP, OPT, NULL, N_("Exchange Online (and Skype for Business)"), NULL },
	{ "workloads.exchange.m365_geo", PF_M365GEO, REQ, NULL,
	  N_("Microsoft 365 geo of the mailboxes (NAM, EUR, APC, ...); a policy may set its own"), "CK033" },
	{ "workloads.exchange.name_geo", PF_NAMEGEO, REQ, NULL, N_("{geo} in names, e.g. NA"), NULL },
	{ "workloads.exchange.policies", PF_LIST, REQ, NULL, N_("data encryption policies (1-50)"), "CK071 CK077" },
	{ "workloads.exchange.policies[]", PF_MAP, REQ, NULL, N_("one DEP"), NULL },
	{ "workloads.exchange.policies[].name", PF_STR, REQ, NULL, N_("DEP name, no spaces"), "CK072 CK073" },
	{ "workloads.exchange.policies[].m365_geo", PF_M365GEO, OPT, NULL,
	  N_("Multi-Geo: the Microsoft 365 geo of this DEP's mailboxes (default: the workload's)"),
	  "CK033" },
	{ "workloads.exchange.policies[].name_geo", PF_NAMEGEO, OPT, NULL,
	  N_("Multi-Geo: {geo} in this DEP's names (default: the workload's)"), NULL },
	{ "workloads.exchange.policies[].description", PF_STR, OPT, NULL, N_("DEP description"), NULL },
	{ "workloads.exchange.policies[].regions", PF_MAP, REQ, NULL, N_("Azure region per side"), NULL },
	{ "workloads.exchange.policies[].regions.<side>", PF_REGION, REQ, NULL,
	  N_("Azure region of this side's vault"), "CK031 CK032 CK033" },
	{ "workloads.exchange.policies[].mailboxes", PF_LIST, OPT, "[]",
	  N_("mailboxes to assign to this DEP"), NULL },
	{ "workloads.exchange.policies[].mailboxes[]", PF_EMAIL, REQ, NULL, N_("a mailbox address"), "CK079" },
	{ "workloads.sharepoint", PF_MAP, OPT, NULL, N_("SharePoint Online, OneDrive and Teams files"), "CK101" },
	{ "workloads.sharepoint.geos", PF_LIST, REQ, NULL, N_("one DEP per geo"), "CK077" },
	{ "workloads.sharepoint.geos[]", PF_MAP, REQ, NULL, N_("one geo"), NULL },
	{ "workloads.sharepoint.geos[].m365_geo", PF_M365GEO, REQ, NULL, N_("Microsoft 365 geo"), "CK033 CK074" },
	{ "workloads.sharepoint.geos[].name_geo", PF_NAMEGEO, REQ, NULL, N_("{geo} in names"), NULL },
	{ "workloads.sharepoint.geos[].admin_url", PF_URL, REQ, NULL,
	  N_("SharePoint admin URL of the geo, https://<tenant>-admin.sharepoint.com"), "CK076" },
	{ "workloads.sharepoint.geos[].regions", PF_MAP, REQ, NULL, N_("Azure region per side"), NULL },
	{ "workloads.sharepoint.geos[].regions.<side>", PF_REGION, REQ, NULL, N_("Azure region"), "CK031 CK032 CK033" },
	{ "workloads.multi_workload", PF_MAP, OPT, NULL, N_("the multi-workload DEP (Teams, ...)"), NULL },
	{ "workloads.multi_workload.m365_geo", PF_M365GEO, REQ, NULL, N_("Microsoft 365 geo"), "CK033" },
	{ "workloads.multi_workload.name_geo", PF_NAMEGEO, REQ, NULL, N_("{geo} in names"), NULL },
	{ "workloads.multi_workload.name", PF_STR, OPT, "{prefix}-M365-DEP", N_("DEP name, no spaces"), "CK072 CK073" },
	{ "workloads.multi_workload.description", PF_STR, OPT, NULL, N_("DEP description"), NULL },
	{ "workloads.multi_workload.regions", PF_MAP, REQ, NULL, N_("Azure region per side"), NULL },
	{ "workloads.multi_workload.regions.<side>", PF_REGION, REQ, NULL, N_("Azure region"), "CK031 CK032 CK033" },
	{ "key_store", PF_STR, OPT, "key_vault",
	  N_("where the root keys live: key_vault (a pair of vaults per DEP) or managed_hsm (one "
	     "Managed HSM per subscription for every DEP, described under managed_hsm)"), "CK090 CK091" },
	{ "managed_hsm", PF_MAP, OPT, NULL,
	  N_("the two Managed HSMs (key_store: managed_hsm); key_vault's retention, purge "
	     "protection and key settings apply to them"), "CK091" },
	{ "managed_hsm.name", PF_PATTERN, OPT, "{prefix}-CK-HSM{side}",
	  N_("HSM name pattern ({prefix}, {side}): 3-24 characters after expansion, globally unique"),
	  "CK092" },
	{ "managed_hsm.resource_group", PF_PATTERN, OPT, "{prefix}-CK-HSM-RG{side}",
	  N_("resource group pattern of the HSMs ({prefix}, {side})"), "CK063" },
	{ "managed_hsm.regions", PF_MAP, REQ, NULL, N_("Azure region of each side's HSM"), NULL },
	{ "managed_hsm.regions.<side>", PF_REGION, REQ, NULL,
	  N_("the HSM's region; every DEP's region on this side must be the same"), "CK093 CK094" },
	{ "managed_hsm.administrators", PF_MAP, REQ, NULL,
	  N_("initial administrators of each HSM (Managed HSM Administrator role)"), NULL },
	{ "managed_hsm.administrators.<side>", PF_LIST, REQ, NULL,
	  N_("Entra object IDs of the HSM's initial administrators (New-AzKeyVaultManagedHsm "
	     "-Administrator takes object IDs, not UPNs)"), NULL },
	{ "managed_hsm.administrators.<side>[]", PF_GUID, REQ, NULL, N_("an object ID"), NULL },
	{ "managed_hsm.security_domain", PF_MAP, REQ, NULL,
	  N_("who can restore the HSMs: the security domain is encrypted to each officer's RSA key"),
	  NULL },
	{ "managed_hsm.security_domain.quorum", PF_INT, REQ, NULL,
	  N_("how many officers' private keys restore the security domain (2 up to the number "
	     "of officers)"), "CK096" },
	{ "managed_hsm.security_domain.officers", PF_LIST, REQ, NULL,
	  N_("the security-domain officers: 3 to 10, each with their own RSA key pair"), "CK095 CK098" },
	{ "managed_hsm.security_domain.officers[]", PF_MAP, REQ, NULL, N_("one officer"), NULL },
	{ "managed_hsm.security_domain.officers[].name", PF_STR, REQ, NULL, N_("full name"), NULL },
	{ "managed_hsm.security_domain.officers[].email", PF_EMAIL, REQ, NULL, N_("e-mail address"),
	  NULL },
	{ "managed_hsm.security_domain.officers[].public_key", PF_STR, OPT, NULL,
	  N_("the officer's RSA public key or certificate (PEM, 2048 bits or more); or give "
	     "public_key_sha256"), "CK097" },
	{ "managed_hsm.security_domain.officers[].public_key_sha256", PF_STR, OPT, NULL,
	  N_("SHA-256 (64 hex digits) of the DER public key the officer will generate at the "
	     "ceremony; or give public_key"), "CK097" },
	{ "email_aliases", PF_MAP, OPT, NULL, N_("overrides of Microsoft's onboarding addresses"), NULL },
	{ "email_aliases.exchange", PF_EMAIL, OPT, "exock@microsoft.com", N_("Exchange onboarding"), NULL },
	{ "email_aliases.sharepoint", PF_EMAIL, OPT, "spock@microsoft.com",
	  N_("SharePoint onboarding"), NULL },
	{ "email_aliases.multi_workload", PF_EMAIL, OPT, "m365-ck@service.microsoft.com",
	  N_("multi-workload onboarding"), NULL },
};
const unsigned plan_n_fields = CK_ARRAY_LEN(plan_fields);

static const struct {
	const char *name, *rule;
} pf_types[PF_NTYPES] = {
	[PF_MAP] = { "mapping", NULL },        [PF_LIST] = { "list", NULL },
	[PF_STR] = { "string", NULL },         [PF_INT] = { "integer", "CK004" },
	[PF_BOOL] = { "true/false", "CK004" }, [PF_SIDE] = { "A or B", "CK023" },
	[PF_GUID] = { "GUID", "CK010" },       [PF_FQDN] = { "domain name", "CK011" },
	[PF_UPN] = { "UPN", "CK012" },         [PF_EMAIL] = { "e-mail", "CK013" },
	[PF_PUBKEY] = { "public key", "CK014" }, [PF_REGION] = { "Azure region", "CK030" },
	[PF_M365GEO] = { "M365 geo", "CK034" }, [PF_NAMEGEO] = { "name geo", "CK078" },
	[PF_URL] = { "https URL", "CK075" },   [PF_PATTERN] = { "name pattern", "CK060" },
};

const char *plan_field_type_name(enum pf_type t) { return pf_types[t].name; }
const char *plan_field_type_rule(enum pf_type t) { return pf_types[t].rule; }

/* The fields by path, sorted once: plan_field_find runs for every key of
 * every plan read (and every default asked for), and a scan of the whole
 * table with strcmp was a tenth of a plan's loading time. The table itself
 * stays in the order the documentation shows. */
static const struct plan_field *pf_by_path[CK_ARRAY_LEN(plan_fields)];

static int pf_cmp_path(const void *a, const void *b)
{
	return strcmp((*(const struct plan_field *const *)a)->path,
		      (*(const struct plan_field *const *)b)->path);
}

static int pf_cmp_key(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct plan_field *const *)elem)->path);
}

const struct plan_field *plan_field_find(const char *pattern)
{
	if (!pf_by_path[0]) {
		for (unsigned i = 0; i < plan_n_fields; i++)
			pf_by_path[i] = &plan_fields[i];
		qsort(pf_by_path, plan_n_fields, sizeof pf_by_path[0], pf_cmp_path);
	}
	const struct plan_field *const *f =
		bsearch(pattern, pf_by_path, plan_n_fields, sizeof pf_by_path[0], pf_cmp_key);
	return f ? *f : NULL;
}

const char *plan_field_default(const char *pattern)
{
	const struct plan_field *f = plan_field_find(pattern);
	return f ? f->def : NULL;
}

/* The parent pattern of a field ("" for top-level fields). */
static size_t pf_parent_len(const char *path)
{
	size_t n = strlen(path);
	if (n >= 2 && strcmp(path + n - 2, "[]") == 0)
		return n - 2;
	const char *dot = strrchr(path, '.');
	return dot ? (size_t)(dot - path) : 0;
}

/* Each field's parent length, and which fields are required, measured once:
 * a plan's every mapping asks which required fields belong under it. */
static size_t pf_plen[CK_ARRAY_LEN(plan_fields)];
static unsigned pf_required[CK_ARRAY_LEN(plan_fields)], pf_n_required;

static void pf_measure(void)
{
	static bool measured;
	if (measured)
		return;
	for (unsigned j = 0; j < CK_ARRAY_LEN(plan_fields); j++) {
		pf_plen[j] = pf_parent_len(plan_fields[j].path);
		if (plan_fields[j].required)
			pf_required[pf_n_required++] = j;
	}
	measured = true;
}

/* Whether field i is a direct child (not a list item) of the pattern of
 * parent_len bytes at parent. */
static bool pf_is_child(unsigned i, const char *parent, size_t parent_len)
{
	pf_measure();
	const char *p = plan_fields[i].path;
	return pf_plen[i] == parent_len && strncmp(p, parent, parent_len) == 0 &&
	       p[parent_len] != '[';
}

static const char *pf_last(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : path;
}

/* parent.key (key alone at the top). Called for every node of every plan:
 * plain copies, not a printf. */
static char *pf_join(const char *parent, const char *key)
{
	size_t np = strlen(parent), nk = strlen(key);
	char *r = xmalloc(np + nk + 2);
	if (np) {
		memcpy(r, parent, np);
		r[np++] = '.';
	}
	memcpy(r + np, key, nk + 1);
	return r;
}

/* path[*i], or pattern[] when i is NULL: plain copies, as pf_join. */
static char *pf_item(const char *path, const size_t *i)
{
	char digits[24];
	size_t nd = 0;
	for (size_t v = i ? *i : 0; i && (v || !nd); v /= 10)
		digits[nd++] = (char)('0' + v % 10);
	size_t np = strlen(path);
	char *r = xmalloc(np + nd + 3), *o = r + np;
	memcpy(r, path, np);
	*o++ = '[';
	while (nd)
		*o++ = digits[--nd];
	*o++ = ']';
	*o = '\0';
	return r;
}

/* The closest known key under parent, for "did you mean". */
static const char *pf_suggest(const char *parent, const char *key)
{
	char *side = pf_join(parent, "<side>");
	bool has_side = plan_field_find(side) != NULL;
	free(side);
	if (has_side && (util_streq(key, "a") || util_streq(key, "b")))
		return key[0] == 'a' ? "A" : "B"; /* sides are upper case */
	const char *best = NULL;
	size_t bestd = (size_t)-1, parent_len = strlen(parent);
	for (unsigned i = 0; i < plan_n_fields; i++) {
		if (!pf_is_child(i, parent, parent_len))
			continue;
		const char *name = pf_last(plan_fields[i].path);
		if (strcmp(name, "<side>") == 0)
			continue;
		size_t dist = util_edit_distance(key, name);
		if (dist < bestd) {
			bestd = dist;
			best = name;
		}
	}
	size_t limit = strlen(key) / 3 > 2 ? strlen(key) / 3 : 2;
	return bestd <= limit ? best : NULL;
}

static void pf_check_node(const struct plan_field *f, const struct ydoc_node *n, const char *pat,
			  const char *path, int line, int col, struct diags *d);

/* A list item's pattern ends in "[]": an empty item is reported, not
 * defaulted. */
static bool pf_is_item(const char *pat)
{
	size_t n = strlen(pat);
	return n >= 2 && strcmp(pat + n - 2, "[]") == 0;
}

/* *vis, made from v on first use: most values are never shown. */
static const char *pf_vis(char **vis, const char *v)
{
	if (!*vis)
		*vis = text_visible_line(v);
	return *vis;
}

static void pf_check_value(enum pf_type t, const struct ydoc_node *n, const char *path,
			   struct diags *d)
{
	const char *v = n->value;
	const char *id = pf_types[t].rule;
	unsigned char pub[PUBKEY_LEN];
	long l;
	char *vis = NULL; /* v made visible, made only for a message */
	switch (t) {
	case PF_INT:
		if (plan_has_leading_zero(v))
			rules_emit(d, id, path, n->line, n->col,
				   _("'%s' has a leading zero: write the number without it (YAML "
				     "1.1 tools read it as octal)"), pf_vis(&vis, v));
		else if (!plan_is_int(v, &l))
			rules_emit(d, id, path, n->line, n->col, _("'%s' is not a whole number"), pf_vis(&vis, v));
		break;
	case PF_BOOL:
		if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
			rules_emit(d, id, path, n->line, n->col,
				   _("'%s' is not true or false (yes/no/on/off are not booleans here)"),
				   pf_vis(&vis, v));
		break;
	case PF_SIDE:
		if (strcmp(v, "A") != 0 && strcmp(v, "B") != 0)
			rules_emit(d, id, path, n->line, n->col, _("'%s' names no operator (A or B)"),
				   pf_vis(&vis, v));
		break;
	case PF_GUID:
		if (!plan_is_guid(v))
			rules_emit(d, id, path, n->line, n->col, _("'%s' is not a GUID"), pf_vis(&vis, v));
		else if (strspn(v, "0-") == strlen(v)) /* left from a template */
			rules_emit(d, id, path, n->line, n->col,
				   _("the nil GUID is a placeholder, not an ID"));
		break;
	case PF_FQDN:
		if (!plan_is_fqdn(v))
			rules_emit(d, id, path, n->line, n->col, _("'%s' is not a domain name"), pf_vis(&vis, v));
		break;
	case PF_UPN:
		if (!plan_is_upn(v))
			rules_emit(d, id, path, n->line, n->col,
				   _("'%s' is not a user principal name (user@domain)"), pf_vis(&vis, v));
		break;
	case PF_EMAIL:
		if (!plan_is_email(v))
			rules_emit(d, id, path, n->line, n->col, _("'%s' is not an e-mail address"), pf_vis(&vis, v));
		break;
	case PF_PUBKEY: {
		const char *why;
		int rc = pubkey_read(v, pub, &why);
		if (rc != 0) /* a well-formed key that signs nothing securely has its own rule */
			rules_emit(d, rc == -2 ? "CK016" : id, path, n->line, n->col, "%s", why);
		break;
	}
	case PF_REGION:
		if (!regions_find(v)) {
			const char *s = regions_suggest(v);
			if (s)
				rules_emit(d, id, path, n->line, n->col,
					   _("unknown Azure region '%s' (did you mean %s?)"), pf_vis(&vis, v), s);
			else
				rules_emit(d, id, path, n->line, n->col, _("unknown Azure region '%s'"),
					   pf_vis(&vis, v));
		}
		break;
	case PF_M365GEO:
		if (!regions_m365_geo_known(v))
			rules_emit(d, id, path, n->line, n->col,
				   _("'%s' is not a Microsoft 365 geo code"), pf_vis(&vis, v));
		break;
	case PF_NAMEGEO:
		if (!plan_is_name_geo(v))
			rules_emit(d, id, path, n->line, n->col,
				   _("'%s' is not 1-4 letters or digits"), pf_vis(&vis, v));
		break;
	case PF_URL:
		if (!plan_is_https_url(v))
			rules_emit(d, id, path, n->line, n->col,
				   _("'%s' is not an https URL with a host name"), pf_vis(&vis, v));
		break;
	default: /* strings and patterns: checked by rules and the inventory */
		break;
	}
	free(vis);
}

static void pf_check_map(const struct ydoc_node *n, const char *pat, const char *path, int line,
			 int col, struct diags *d)
{
	for (size_t i = 0; i < n->n; i++) {
		const struct ydoc_pair *pr = &n->pairs[i];
		char *cpat = pf_join(pat, pr->key);
		char *cpath = pf_join(path, pr->key);
		const struct plan_field *cf = plan_field_find(cpat);
		if (!cf && (strcmp(pr->key, "A") == 0 || strcmp(pr->key, "B") == 0)) {
			free(cpat);
			cpat = pf_join(pat, "<side>");
			cf = plan_field_find(cpat);
		}
		if (!cf) {
			char *vis = text_visible_line(pr->key);
			const char *s = pf_suggest(pat, pr->key);
			if (s)
				rules_emit(d, "CK001", cpath, pr->line, pr->col,
					   _("unknown field '%s' (did you mean '%s'?)"), vis, s);
			else
				rules_emit(d, "CK001", cpath, pr->line, pr->col,
					   _("unknown field '%s'"), vis);
			free(vis);
		} else {
			pf_check_node(cf, pr->value, cpat, cpath, pr->line, pr->col, d);
		}
		free(cpat);
		free(cpath);
	}
	size_t pat_len = strlen(pat);
	pf_measure();
	for (unsigned r = 0; r < pf_n_required; r++) {
		const struct plan_field *f = &plan_fields[pf_required[r]];
		if (!pf_is_child(pf_required[r], pat, pat_len))
			continue;
		const char *key = pf_last(f->path);
		bool side = strcmp(key, "<side>") == 0;
		for (int s = 0; s < (side ? 2 : 1); s++) {
			const char *k = side ? (s ? "B" : "A") : key;
			if (ydoc_get(n, k))
				continue;
			char *cpath = pf_join(path, k);
			rules_emit(d, "CK003", cpath, line, col, _("required field '%s' is missing"), k);
			free(cpath);
		}
	}
}

static const char *pf_kind_name(enum ydoc_kind k)
{
	return k == YDOC_MAP ? _("a mapping") : k == YDOC_SEQ ? _("a list") : _("a single value");
}

/* An empty value or YAML's null: missing when required; on an optional
 * field an error too, since leaving the field out is how a default is asked
 * for, and an empty value is more likely an edit left unfinished. */
static void pf_no_value(const struct plan_field *f, const char *path, int line, int col,
			struct diags *d)
{
	if (f->required)
		rules_emit(d, "CK003", path, line, col, _("required field '%s' has no value"),
			   pf_last(path));
	else
		rules_emit(d, "CK002", path, line, col,
			   _("no value: give one, or leave the field out for the default"));
}

static void pf_check_node(const struct plan_field *f, const struct ydoc_node *n, const char *pat,
			  const char *path, int line, int col, struct diags *d)
{
	enum ydoc_kind want = f->type == PF_MAP ? YDOC_MAP : f->type == PF_LIST ? YDOC_SEQ
								 : YDOC_SCALAR;
	if (n->kind == YDOC_SCALAR && n->null && !pf_is_item(pat)) {
		/* null (~, null, nothing) is no value, whatever kind the field
		 * wants: never the text "~", never "a single value instead of a
		 * mapping" */
		pf_no_value(f, path, line, col, d);
		return;
	}
	if (n->kind != want) {
		int l = n->kind == YDOC_SCALAR ? n->line : line;
		int c = n->kind == YDOC_SCALAR ? n->col : col;
		rules_emit(d, "CK002", path, l, c, _("expected %s (%s), found %s"), pf_kind_name(want),
			   plan_field_type_name(f->type), pf_kind_name(n->kind));
		return;
	}
	if (want == YDOC_MAP) {
		pf_check_map(n, pat, path, line, col, d);
	} else if (want == YDOC_SEQ) {
		char *ipat = pf_item(pat, NULL);
		const struct plan_field *itf = plan_field_find(ipat);
		for (size_t i = 0; itf && i < n->n; i++) {
			char *ipath = pf_item(path, &i);
			const struct ydoc_node *it = n->items[i];
			pf_check_node(itf, it, ipat, ipath, it->line, it->col, d);
			free(ipath);
		}
		free(ipat);
	} else if (n->len == 0) {
		pf_no_value(f, path, line, col, d);
	} else {
		pf_check_value(f->type, n, path, d);
	}
}

void plan_fields_check(const struct ydoc *doc, struct diags *d)
{
	pf_check_map(doc->root, "", "", 1, 1, d);
}

char *plan_fields_doc_markdown(void)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "| Field | Type | Required | Default | Checked by | Meaning |\n");
	buf_puts(&b, "|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < plan_n_fields; i++) {
		const struct plan_field *f = &plan_fields[i];
		const char *rule = pf_types[f->type].rule;
		char *rules = xasprintf("%s%s%s", rule ? rule : "", rule && f->rules ? " " : "",
					f->rules ? f->rules : "");
		buf_printf(&b, "| `%s` | %s | %s | %s%s%s | %s | %s |\n", f->path,
			   pf_types[f->type].name, f->required ? "yes" : "no", f->def ? "`" : "",
			   f->def ? f->def : "", f->def ? "`" : "", rules, f->desc);
		free(rules);
	}
	return buf_steal(&b);
}
