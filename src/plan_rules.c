/* plan_rules.c: which function checks which rule ID, the driver that runs
 * them, and the rule list for plans/README.md. It sits at the top of the plan
 * library: the checks (plan_rules_*.c) call down into the loader and the
 * inventory, and only this table names them, so nothing below depends on the
 * checks (doc/STYLE.md gives the order of the files). */
#include "ck.h"
#include "buf.h"
#include "plan_rules.h"
#include "rules.h"

#include <string.h>

/* In the order of rules_table, so the checks run (and report) in the order
 * they always did; test_rules checks that order and that every ID exists. */
const struct plan_rules_check plan_rules_checks[] = {
	{ "CK015", rule_demo_keys },
	{ "CK020", rule_operators_differ },
	{ "CK021", rule_subscriptions_differ },
	{ "CK022", rule_subscription_owners },
	{ "CK024", rule_admins_overlap },
	{ "CK025", rule_admin_other_side },
	{ "CK026", rule_owner_administers },
	{ "CK027", rule_operators_lookalike },
	{ "CK031", rule_regions_differ },
	{ "CK032", rule_regions_paired },
	{ "CK033", rule_regions_geo },
	{ "CK040", rule_sku_known },
	{ "CK041", rule_sku_premium },
	{ "CK042", rule_hsm_premium },
	{ "CK043", rule_key_type },
	{ "CK044", rule_key_size },
	{ "CK045", rule_retention },
	{ "CK046", rule_purge_protection },
	{ "CK047", rule_key_expiry },
	{ "CK048", rule_admin_no_delete },
	{ "CK049", rule_key_source },
	{ "CK050", rule_admin_perm_known },
	{ "CK051", rule_admin_perm_needed },
	{ "CK061", rule_vault_names },
	{ "CK062", rule_key_names },
	{ "CK063", rule_rg_names },
	{ "CK064", rule_backup_names },
	{ "CK065", rule_names_unique },
	{ "CK066", rule_backup_suffix },
	{ "CK070", rule_workload_present },
	{ "CK071", rule_exchange_max },
	{ "CK072", rule_dep_name },
	{ "CK073", rule_dep_unique },
	{ "CK074", rule_sharepoint_geo_unique },
	{ "CK076", rule_sharepoint_admin_host },
	{ "CK077", rule_deps_listed },
	{ "CK079", rule_mailbox_once },
	{ "CK080", rule_officers_present },
	{ "CK052", rule_contributors_self_grant },
	{ "CK081", rule_onboarding_known },
	{ "CK082", rule_onboarding_sharepoint },
	{ "CK090", rule_key_store_known },
	{ "CK091", rule_hsm_section },
	{ "CK092", rule_hsm_names },
	{ "CK093", rule_hsm_regions_differ },
	{ "CK094", rule_hsm_dep_regions },
	{ "CK095", rule_sd_officer_count },
	{ "CK096", rule_sd_quorum },
	{ "CK097", rule_sd_officer_key },
	{ "CK098", rule_sd_officer_distinct },
	{ "CK099", rule_hsm_keys_unique },
	{ "CK100", rule_hsm_keys_rsa_hsm },
	{ "CK101", rule_hsm_sharepoint },
};
const unsigned plan_rules_checks_n = CK_ARRAY_LEN(plan_rules_checks);

bool plan_rules_checked(const char *id)
{
	for (unsigned i = 0; i < plan_rules_checks_n; i++)
		if (strcmp(plan_rules_checks[i].id, id) == 0)
			return true;
	return false;
}

void rules_check(const struct plan *p, const struct inventory *inv, struct diags *d)
{
	struct rules_ctx c = { p, inv, d };
	for (unsigned i = 0; i < plan_rules_checks_n; i++)
		plan_rules_checks[i].check(&c);
}

char *rules_doc_markdown(void)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "| ID | Severity | Rule | How to fix | Checked by |\n");
	buf_puts(&b, "|---|---|---|---|---|\n");
	for (unsigned i = 0; i < rules_n; i++) {
		const struct rule *r = &rules_table[i];
		const char *by = r->id[0] == 'L'	   ? "loader"
				 : plan_rules_checked(r->id) ? "rule"
				 : strcmp(r->id, "CK060") == 0 ? "inventory"
							   : "field table";
		buf_printf(&b, "| %s | %s | %s | %s | %s |\n", r->id, diag_severity_name(r->severity),
			   r->what, r->hint, by);
	}
	return buf_steal(&b);
}
