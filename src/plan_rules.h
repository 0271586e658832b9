/* plan_rules.h: the rule checks behind rules_table (private to the plan area).
 * Each function implements exactly one rule ID of the table. */
#ifndef CK_PLAN_RULES_H
#define CK_PLAN_RULES_H

#include "rules.h"

/* plan_rules.c: the rule IDs that have a check, in rules_table's order. */
struct plan_rules_check {
	const char *id;
	void (*check)(const struct rules_ctx *c);
};
extern const struct plan_rules_check plan_rules_checks[];
extern const unsigned plan_rules_checks_n;
/* Whether a function checks the rule id (else another stage emits it). */
bool plan_rules_checked(const char *id);

/* plan_rules_people.c */
void rule_demo_keys(const struct rules_ctx *c);
void rule_operators_differ(const struct rules_ctx *c);
void rule_operators_lookalike(const struct rules_ctx *c);
void rule_subscriptions_differ(const struct rules_ctx *c);
void rule_subscription_owners(const struct rules_ctx *c);
void rule_admins_overlap(const struct rules_ctx *c);
void rule_admin_other_side(const struct rules_ctx *c);
void rule_owner_administers(const struct rules_ctx *c);
void rule_officers_present(const struct rules_ctx *c);
void rule_onboarding_known(const struct rules_ctx *c);
void rule_contributors_self_grant(const struct rules_ctx *c);
void rule_onboarding_sharepoint(const struct rules_ctx *c);

/* plan_rules_vault.c */
void rule_sku_known(const struct rules_ctx *c);
void rule_sku_premium(const struct rules_ctx *c);
void rule_hsm_premium(const struct rules_ctx *c);
void rule_key_type(const struct rules_ctx *c);
void rule_key_size(const struct rules_ctx *c);
void rule_retention(const struct rules_ctx *c);
void rule_purge_protection(const struct rules_ctx *c);
void rule_key_expiry(const struct rules_ctx *c);
void rule_admin_no_delete(const struct rules_ctx *c);
void rule_key_source(const struct rules_ctx *c);
void rule_admin_perm_known(const struct rules_ctx *c);
void rule_admin_perm_needed(const struct rules_ctx *c);

/* plan_rules_workloads.c */
void rule_regions_differ(const struct rules_ctx *c);
void rule_regions_paired(const struct rules_ctx *c);
void rule_regions_geo(const struct rules_ctx *c);
void rule_workload_present(const struct rules_ctx *c);
void rule_exchange_max(const struct rules_ctx *c);
void rule_dep_name(const struct rules_ctx *c);
void rule_dep_unique(const struct rules_ctx *c);
void rule_sharepoint_geo_unique(const struct rules_ctx *c);
void rule_sharepoint_admin_host(const struct rules_ctx *c);
void rule_deps_listed(const struct rules_ctx *c);
void rule_mailbox_once(const struct rules_ctx *c);

/* plan_rules_names.c */
void rule_vault_names(const struct rules_ctx *c);
void rule_key_names(const struct rules_ctx *c);
void rule_rg_names(const struct rules_ctx *c);
void rule_backup_names(const struct rules_ctx *c);
void rule_names_unique(const struct rules_ctx *c);
void rule_backup_suffix(const struct rules_ctx *c);
void rule_hsm_keys_unique(const struct rules_ctx *c);
/* NULL if s is a valid vault (or Managed HSM) name, else why not (N_ text). */
const char *rules_vault_name_problem(const char *s);

/* plan_rules_hsm.c */
void rule_key_store_known(const struct rules_ctx *c);
void rule_hsm_section(const struct rules_ctx *c);
void rule_hsm_names(const struct rules_ctx *c);
void rule_hsm_regions_differ(const struct rules_ctx *c);
void rule_hsm_dep_regions(const struct rules_ctx *c);
void rule_sd_officer_count(const struct rules_ctx *c);
void rule_sd_quorum(const struct rules_ctx *c);
void rule_sd_officer_key(const struct rules_ctx *c);
void rule_sd_officer_distinct(const struct rules_ctx *c);
void rule_hsm_keys_rsa_hsm(const struct rules_ctx *c);
void rule_hsm_sharepoint(const struct rules_ctx *c);

#endif
