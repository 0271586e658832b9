/* plan_workload.c: facts about the three Customer Key workloads, as data.
 * Sources (doc/sources.md): 000 (2023) for the app IDs and display names; 004 (2018)
 * for the exock/spock aliases; later Microsoft documentation for the
 * multi-workload alias (the 2023 text lost the addresses, see doc/sources.md). */
#include "ck.h"
#include "plan.h"

static const struct {
	const char *code, *name, *app_id, *app_name, *alias;
} plan_workloads[WL_COUNT] = {
	[WL_EXCHANGE] = { "EX", N_("Exchange Online and Skype for Business"),
			  "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online",
			  "exock@microsoft.com" },
	[WL_SHAREPOINT] = { "SP", N_("SharePoint Online, OneDrive and Teams files"),
			    "00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online",
			    "spock@microsoft.com" },
	[WL_MULTI] = { "MW", N_("Multiple Microsoft 365 workloads"),
		       "c066d759-24ae-40e7-a56f-027002b5d3e4", "M365DataAtRestEncryption",
		       "m365-ck@service.microsoft.com" },
};

const char *plan_workload_code(enum plan_workload w) { return plan_workloads[w].code; }
const char *plan_workload_name(enum plan_workload w) { return plan_workloads[w].name; }
const char *plan_workload_app_id(enum plan_workload w) { return plan_workloads[w].app_id; }
const char *plan_workload_app_name(enum plan_workload w) { return plan_workloads[w].app_name; }
const char *plan_workload_default_alias(enum plan_workload w) { return plan_workloads[w].alias; }
