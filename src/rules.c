/* rules.c: the one table of diagnostic IDs with their severity and hint, and
 * the emitters every stage of plan checking uses. IDs are stable: never
 * renumber, only add. It is the bottom of the plan library (the YAML reader
 * and the loader emit through it), so it names no check function: which
 * code checks an ID is plan_rules.c's table, at the top. */
#include "ck.h"
#include "rules.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define E DIAG_ERROR
#define W DIAG_WARNING

const struct rule rules_table[] = {
	/* Loader: unusable input (exit 2). */
	{ "L001", E, N_("the plan file can be opened and read"), N_("check the path and its permissions") },
	{ "L002", E, N_("the plan is a regular file"), N_("give the path of a plan file, not a directory, device or pipe") },
	{ "L003", E, N_("the plan is at most 1 MiB"), N_("a plan is a short text file; is this the right file?") },
	{ "L004", E, N_("the plan is not empty"), N_("start from plans/contoso-exchange.yaml") },
	{ "L005", E, N_("the plan is valid UTF-8"), N_("save the file as UTF-8") },
	{ "L006", E, N_("no NUL, control or bidirectional-override characters"), N_("remove the character: it can hide what the plan says from its reviewer") },
	{ "L007", E, N_("the plan is well-formed YAML"), N_("fix the YAML syntax at the position shown") },
	{ "L008", E, N_("nesting at most 32 levels deep"), N_("a plan needs only a few levels; is this the right file?") },
	{ "L009", E, N_("values at most 4096 bytes"), N_("shorten the value") },
	{ "L010", E, N_("at most 100000 values"), N_("a plan needs only a few thousand values; is this the right file?") },
	{ "L011", E, N_("no anchors or aliases"), N_("write the value out in full: a reviewer must see every value where it applies") },
	{ "L012", E, N_("no tags or directives"), N_("remove the tag: every value is read as text") },
	{ "L013", E, N_("no merge keys (<<)"), N_("write the fields out in full") },
	{ "L014", E, N_("no duplicate keys"), N_("keep one of the two: YAML tools disagree on which one wins") },
	{ "L015", E, N_("exactly one YAML document"), N_("remove the '---' and everything after it, or split the file") },
	{ "L016", E, N_("the top level is a mapping of fields"), N_("start from plans/contoso-exchange.yaml") },
	{ "L017", E, N_("mapping keys are plain values"), N_("use a plain word as the key") },
	/* Fields (the field table). */
	{ "CK001", E, N_("only known fields"), N_("fix the spelling, or remove the field (see plans/README.md)") },
	{ "CK002", E, N_("each field has its kind: mapping, list or single value"), N_("see the field's type in plans/README.md") },
	{ "CK003", E, N_("required fields are present and not empty"), N_("add the field (see plans/README.md)") },
	{ "CK004", E, N_("integers are whole numbers; booleans are exactly true or false"), N_("write a number, or true/false") },
	{ "CK005", E, N_("plan format version 1"), N_("write 'ckwizard: 1' or use the ckwizard release that reads this format") },
	/* Identities. */
	{ "CK010", E, N_("IDs are GUIDs"), N_("copy the ID from the Azure portal or 'az account show'") },
	{ "CK011", E, N_("the tenant domain is a domain name"), N_("e.g. contoso.onmicrosoft.com") },
	{ "CK012", E, N_("UPNs are user@domain"), N_("use the user principal name from Entra ID") },
	{ "CK013", E, N_("e-mail addresses are well formed"), N_("e.g. name@contoso.com") },
	{ "CK014", E, N_("operator keys are Ed25519 public keys"), N_("paste the line 'ckwizard operator enroll' printed") },
	{ "CK015", W, N_("operators use their own keys, not the bundled demo keys"), N_("fine for a rehearsal; 'run' refuses demo keys: enroll real operators") },
	{ "CK016", E, N_("operator keys are full-order, canonical Ed25519 points (no identity, small-order or y >= 2^255-19 key)"), N_("replace it with the line the operator's 'ckwizard operator enroll' (or 'operator export UPN') printed, and compare its fingerprint with them aloud") },
	/* Operators and subscriptions. */
	{ "CK020", E, N_("the two operators are different people (name, UPN, key)"), N_("dual control needs two people with their own keys") },
	{ "CK021", E, N_("the two subscriptions differ"), N_("Customer Key needs two subscriptions, one per side") },
	{ "CK022", E, N_("each subscription is owned by exactly one operator, a different one per side"), N_("set subscriptions.A.operator and subscriptions.B.operator to different operators") },
	{ "CK023", E, N_("operator references are A or B"), N_("write A or B") },
	{ "CK024", W, N_("the two sides' administrators do not overlap"), N_("the seeds want separate people managing each side") },
	{ "CK025", W, N_("an operator does not administer the other operator's side"), N_("let each operator administer only the side they own") },
	{ "CK026", W, N_("each subscription's owner is one of its administrators"), N_("add the owner's UPN to the subscription's administrators") },
	{ "CK027", W, N_("the two operators' names and UPNs do not look alike (after folding look-alike letters, invisible characters, spacing and compatibility forms)"), N_("check that the two operators are two people and write each name as they do; look-alike letters come from another script (e.g. Cyrillic)") },
	/* Regions. */
	{ "CK030", E, N_("regions are Azure regions ckwizard knows"), N_("use the ARM name, e.g. eastus2 (az account list-locations)") },
	{ "CK031", E, N_("the two vaults of a DEP are in different regions"), N_("pick a second region: one region must not hold both keys") },
	{ "CK032", W, N_("the two regions are not an Azure region pair"), N_("a paired region shares planned maintenance; prefer a non-paired region where the geography allows") },
	{ "CK033", W, N_("regions are inside the workload's Microsoft 365 geo"), N_("keep the keys near the data they protect") },
	{ "CK034", E, N_("Microsoft 365 geo codes are known"), N_("e.g. NAM, EUR, APC, GBR, AUS") },
	/* Key vault and keys. */
	{ "CK040", E, N_("the vault SKU is premium or standard"), N_("write premium") },
	{ "CK041", W, N_("the vault SKU is premium (standard is for tests only)"), N_("production keys need HSM protection: write premium") },
	{ "CK042", E, N_("RSA-HSM keys need the premium SKU"), N_("write sku: premium") },
	{ "CK043", E, N_("keys are RSA-HSM or RSA"), N_("elliptic-curve keys cannot wrap: write RSA-HSM") },
	{ "CK044", E, N_("key size 2048, 3072 or 4096"), N_("write 3072 or 4096") },
	{ "CK045", E, N_("soft-delete retention is 90 days"), N_("write 90: a shorter retention makes the key fail Microsoft's check") },
	{ "CK046", E, N_("purge protection is on"), N_("write true") },
	{ "CK047", E, N_("keys do not expire"), N_("remove key_vault.key.expiry: an expired root key stops the service") },
	{ "CK048", E, N_("administrators never get delete or purge"), N_("remove delete/purge: grant delete only for a recorded short-term task") },
	{ "CK049", E, N_("key source is create or import"), N_("write create (or import for BYOK)") },
	{ "CK050", E, N_("administrator permissions are Key Vault key permissions"), N_("use create, import, list, get, backup, restore") },
	{ "CK051", W, N_("administrators get every permission the procedure needs"), N_("add the missing permission") },
	/* Names. */
	{ "CK060", E, N_("naming patterns use only known placeholders"), N_("see the placeholders in plans/README.md") },
	{ "CK061", E, N_("vault names follow Azure's rules (3-24 letters, digits, hyphens; starts with a letter; ends alphanumeric; no --)"), N_("shorten the prefix or the pattern") },
	{ "CK062", E, N_("key names are 1-127 letters, digits and hyphens"), N_("change naming.key") },
	{ "CK063", E, N_("resource group names are 1-90 of letters, digits, _-.() and do not end with ."), N_("change naming.resource_group") },
	{ "CK064", E, N_("backup file names are letters, digits, _-. only, at most 200 characters"), N_("change naming.backup") },
	{ "CK065", E, N_("vault and backup file names are unique within the plan"), N_("add {side}, {workload}, {geo} or {vault_seq} (vaults), {key} (backups) to the pattern") },
	{ "CK066", E, N_("backup files end with .backup (seeds: \"ensure that your output file uses the suffix .backup\")"), N_("end naming.backup with .backup") },
	/* Workloads. */
	{ "CK070", E, N_("at least one workload"), N_("add workloads.exchange, sharepoint or multi_workload") },
	{ "CK071", E, N_("at most 50 Exchange DEPs"), N_("Exchange allows 50 data encryption policies per tenant") },
	{ "CK072", E, N_("DEP names have no spaces (letters, digits, _ - . only)"), N_("replace spaces with _ or -") },
	{ "CK073", E, N_("DEP names are unique"), N_("rename one of them") },
	{ "CK074", E, N_("one SharePoint DEP per geo"), N_("remove the second entry for the geo") },
	{ "CK075", E, N_("admin URLs are https URLs"), N_("e.g. https://contoso-admin.sharepoint.com") },
	{ "CK076", W, N_("SharePoint admin URLs point at <tenant>-admin.sharepoint.com"), N_("copy the URL from the SharePoint admin center") },
	{ "CK077", E, N_("a workload lists at least one DEP or geo"), N_("add a policy or geo, or remove the workload") },
	{ "CK078", E, N_("the geo used in names is 1-4 letters or digits"), N_("e.g. NA, EU, AP") },
	{ "CK079", E, N_("a mailbox is assigned to one DEP only"), N_("remove it from one of the policies") },
	/* Officers. */
	{ "CK080", E, N_("officers are named for the FastTrack form"), N_("add at least one officer with name and e-mail") },
	{ "CK052", W, N_("contributors are a deliberate choice: on an access-policy vault the Contributor role can grant itself key access"), N_("list contributors only where someone must change the vault's permissions, and review every access policy after their changes") },
	/* Onboarding. */
	{ "CK081", E, N_("onboarding is service or email"), N_("write service (the onboarding service) or email (FastTrack and e-mail)") },
	{ "CK082", W, N_("SharePoint may still be onboarded through FastTrack and e-mail"), N_("third-party guides say SharePoint still goes that way; if the service refuses the SharePoint scenario, write onboarding: email") },
	/* Managed HSM (key_store: managed_hsm). */
	{ "CK090", E, N_("key_store is key_vault or managed_hsm"), N_("write key_vault, or managed_hsm with a managed_hsm section") },
	{ "CK091", E, N_("managed_hsm is given exactly when key_store is managed_hsm"), N_("write key_store: managed_hsm, or remove the managed_hsm section") },
	{ "CK092", E, N_("HSM names follow Azure's rules (3-24 letters, digits, hyphens; starts with a letter; ends alphanumeric; no --) and the two differ"), N_("change managed_hsm.name; keep {side} in it") },
	{ "CK093", E, N_("the two HSMs are in different regions"), N_("pick a second region: one region must not hold both HSMs") },
	{ "CK094", E, N_("every DEP's region on a side is that side's HSM region"), N_("with Managed HSM every key of a side lives in the side's HSM: write the HSM's regions") },
	{ "CK095", E, N_("3 to 10 security-domain officers (Microsoft: at least 3, at most 10 RSA key pairs)"), N_("name at least three officers, each holding their own key pair") },
	{ "CK096", E, N_("the security-domain quorum is at least 2 and at most the number of officers"), N_("a quorum of 1 lets one person restore the HSM; more than the officers can never be met") },
	{ "CK097", E, N_("each officer gives an RSA public key (PEM, 2048 bits or more) or the SHA-256 of one, not both"), N_("paste the officer's public key or certificate, or the 64-hex SHA-256 of its DER public key") },
	{ "CK098", E, N_("security-domain officers hold different keys"), N_("one key counted twice lets fewer people than the quorum restore the HSM") },
	{ "CK099", E, N_("key names are unique within each HSM"), N_("put {workload}, {geo} or {vault_seq} in naming.key: every DEP's key of a side is in one HSM") },
	{ "CK100", E, N_("Managed HSM plans create RSA-HSM keys in the HSM"), N_("write key_vault.key.type: RSA-HSM and source: create") },
	{ "CK101", W, N_("SharePoint DEPs on a Managed HSM are not confirmed"), N_("the SharePoint cmdlets name a vault: ask Microsoft whether they take a Managed HSM before registering the DEP (doc/steps.md, version 3)") },
};
const unsigned rules_n = CK_ARRAY_LEN(rules_table);

/* Rules added after the first step catalogue, with the catalogue version
 * they came with: a journal replayed under an older catalogue is not asked
 * to have acknowledged a warning that did not exist when it was verified. */
static const struct { const char *id; unsigned since; } rules_versions[] = {
	{ "CK052", 2 }, { "CK081", 2 }, { "CK082", 2 },
	{ "CK090", 3 }, { "CK091", 3 }, { "CK092", 3 }, { "CK093", 3 }, { "CK094", 3 },
	{ "CK095", 3 }, { "CK096", 3 }, { "CK097", 3 }, { "CK098", 3 }, { "CK099", 3 },
	{ "CK100", 3 }, { "CK101", 3 },
};

unsigned rules_catalogue_since(const char *id)
{
	for (size_t i = 0; id && i < CK_ARRAY_LEN(rules_versions); i++)
		if (strcmp(rules_versions[i].id, id) == 0)
			return rules_versions[i].since;
	return 1;
}

const struct rule *rules_find(const char *id)
{
	for (unsigned i = 0; id && i < rules_n; i++)
		if (strcmp(rules_table[i].id, id) == 0)
			return &rules_table[i];
	return NULL;
}

void rules_vemit(struct diags *d, const char *id, const char *path, int line, int col,
		 const char *fmt, va_list ap)
{
	const struct rule *r = rules_find(id);
	char *msg = xvasprintf(fmt, ap);
	diags_add(d, r ? r->severity : DIAG_ERROR, id, path, line, col, r ? _(r->hint) : NULL,
		  "%s", msg);
	free(msg);
}

void rules_emit(struct diags *d, const char *id, const char *path, int line, int col,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rules_vemit(d, id, path, line, col, fmt, ap);
	va_end(ap);
}

int rules_exit_code(const struct diags *d)
{
	if (d->dropped_input)
		return CK_EXIT_INPUT;
	int code = d->dropped[DIAG_ERROR] ? CK_EXIT_FAIL : CK_EXIT_OK;
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].severity != DIAG_ERROR)
			continue;
		if (d->v[i].id[0] == 'L')
			return CK_EXIT_INPUT;
		code = CK_EXIT_FAIL;
	}
	return code;
}
