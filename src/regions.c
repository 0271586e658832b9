/* regions.c: the Azure region table, as data.
 *
 * Source: Microsoft Learn, "Azure region pairs and nonpaired regions"
 * (learn.microsoft.com/azure/reliability/regions-paired) and "Microsoft 365
 * Multi-Geo availability" for the geo codes (doc/sources.md); taken 2026-11. The Microsoft 365 geo a region serves is our own
 * reading of data residency (a region serves its country's geo and the wider
 * area it sits in); the rule that uses it is a warning, not an error.
 * Re-check before relying on it: Azure adds regions every year. */
#include "ck.h"
#include "regions.h"
#include "util.h"

#include <ctype.h>
#include <string.h>

const char regions_source[] =
	"Microsoft Learn: Azure region pairs and nonpaired regions; Microsoft 365 Multi-Geo "
	"availability (taken 2026-11)";

#define US "United States"
const struct region regions_table[] = {
	{ "eastus", "East US", US, "NAM", "NAM", "westus", false },
	{ "westus", "West US", US, "NAM", "NAM", "eastus", false },
	{ "eastus2", "East US 2", US, "NAM", "NAM", "centralus", false },
	{ "centralus", "Central US", US, "NAM", "NAM", "eastus2", false },
	{ "northcentralus", "North Central US", US, "NAM", "NAM", "southcentralus", false },
	{ "southcentralus", "South Central US", US, "NAM", "NAM", "northcentralus", false },
	{ "westus2", "West US 2", US, "NAM", "NAM", "westcentralus", false },
	{ "westcentralus", "West Central US", US, "NAM", "NAM", "westus2", false },
	{ "westus3", "West US 3", US, "NAM", "NAM", "eastus", true },
	{ "canadacentral", "Canada Central", "Canada", "CAN", "NAM", "canadaeast", false },
	{ "canadaeast", "Canada East", "Canada", "CAN", "NAM", "canadacentral", false },
	{ "mexicocentral", "Mexico Central", "Mexico", NULL, "LAM", NULL, false },
	{ "brazilsouth", "Brazil South", "Brazil", "BRA", "LAM", "southcentralus", true },
	{ "chilecentral", "Chile Central", "Chile", NULL, "LAM", NULL, false },
	{ "northeurope", "North Europe", "Europe", "EUR", "EUR", "westeurope", false },
	{ "westeurope", "West Europe", "Europe", "EUR", "EUR", "northeurope", false },
	{ "uksouth", "UK South", "United Kingdom", "GBR", "EUR", "ukwest", false },
	{ "ukwest", "UK West", "United Kingdom", "GBR", "EUR", "uksouth", false },
	{ "francecentral", "France Central", "France", "FRA", "EUR", "francesouth", false },
	{ "francesouth", "France South", "France", "FRA", "EUR", "francecentral", false },
	{ "germanywestcentral", "Germany West Central", "Germany", "DEU", "EUR", "germanynorth",
	  false },
	{ "germanynorth", "Germany North", "Germany", "DEU", "EUR", "germanywestcentral", false },
	{ "norwayeast", "Norway East", "Norway", "NOR", "EUR", "norwaywest", false },
	{ "norwaywest", "Norway West", "Norway", "NOR", "EUR", "norwayeast", false },
	{ "switzerlandnorth", "Switzerland North", "Switzerland", "CHE", "EUR", "switzerlandwest",
	  false },
	{ "switzerlandwest", "Switzerland West", "Switzerland", "CHE", "EUR", "switzerlandnorth",
	  false },
	{ "swedencentral", "Sweden Central", "Sweden", "SWE", "EUR", "swedensouth", false },
	{ "swedensouth", "Sweden South", "Sweden", "SWE", "EUR", "swedencentral", false },
	{ "italynorth", "Italy North", "Italy", "ITA", "EUR", NULL, false },
	{ "polandcentral", "Poland Central", "Poland", "POL", "EUR", NULL, false },
	{ "spaincentral", "Spain Central", "Spain", "ESP", "EUR", NULL, false },
	{ "austriaeast", "Austria East", "Austria", NULL, "EUR", NULL, false },
	{ "belgiumcentral", "Belgium Central", "Belgium", NULL, "EUR", NULL, false },
	{ "eastasia", "East Asia", "Asia Pacific", "APC", "APC", "southeastasia", false },
	{ "southeastasia", "Southeast Asia", "Asia Pacific", "APC", "APC", "eastasia", false },
	{ "japaneast", "Japan East", "Japan", "JPN", "APC", "japanwest", false },
	{ "japanwest", "Japan West", "Japan", "JPN", "APC", "japaneast", false },
	{ "koreacentral", "Korea Central", "Korea", "KOR", "APC", "koreasouth", false },
	{ "koreasouth", "Korea South", "Korea", "KOR", "APC", "koreacentral", false },
	{ "centralindia", "Central India", "India", "IND", "APC", "southindia", false },
	{ "southindia", "South India", "India", "IND", "APC", "centralindia", false },
	{ "westindia", "West India", "India", "IND", "APC", "southindia", true },
	{ "australiaeast", "Australia East", "Australia", "AUS", "APC", "australiasoutheast", false },
	{ "australiasoutheast", "Australia Southeast", "Australia", "AUS", "APC", "australiaeast",
	  false },
	{ "australiacentral", "Australia Central", "Australia", "AUS", "APC", "australiacentral2",
	  false },
	{ "australiacentral2", "Australia Central 2", "Australia", "AUS", "APC", "australiacentral",
	  false },
	{ "indonesiacentral", "Indonesia Central", "Indonesia", NULL, "APC", NULL, false },
	{ "malaysiawest", "Malaysia West", "Malaysia", NULL, "APC", NULL, false },
	{ "newzealandnorth", "New Zealand North", "New Zealand", NULL, "APC", NULL, false },
	{ "uaenorth", "UAE North", "United Arab Emirates", "ARE", "MEA", "uaecentral", false },
	{ "uaecentral", "UAE Central", "United Arab Emirates", "ARE", "MEA", "uaenorth", false },
	{ "southafricanorth", "South Africa North", "South Africa", "ZAF", "MEA", "southafricawest",
	  false },
	{ "southafricawest", "South Africa West", "South Africa", "ZAF", "MEA", "southafricanorth",
	  false },
	{ "israelcentral", "Israel Central", "Israel", "ISR", "MEA", NULL, false },
	{ "qatarcentral", "Qatar Central", "Qatar", "QAT", "MEA", NULL, false },
};
const unsigned regions_n = CK_ARRAY_LEN(regions_table);

const struct region *regions_find(const char *name)
{
	for (unsigned i = 0; name && i < regions_n; i++)
		if (strcmp(regions_table[i].name, name) == 0)
			return &regions_table[i];
	return NULL;
}

/* Lower case without spaces or hyphens: "East US 2" and "east-us-2" -> eastus2. */
static void regions_fold(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	for (; *in && n + 1 < cap; in++)
		if (*in != ' ' && *in != '-' && *in != '_')
			out[n++] = (char)tolower((unsigned char)*in);
	out[n] = '\0';
}

const char *regions_suggest(const char *name)
{
	char folded[64], disp[64];
	if (!name)
		return NULL;
	regions_fold(name, folded, sizeof folded);
	for (unsigned i = 0; i < regions_n; i++) { /* a display name written out */
		regions_fold(regions_table[i].display, disp, sizeof disp);
		if (strcmp(folded, disp) == 0 && strcmp(name, regions_table[i].name) != 0)
			return regions_table[i].name;
	}
	const char *best = NULL;
	size_t bestd = 3; /* "east us 2" -> eastus2 is 2 edits */
	for (unsigned i = 0; name && i < regions_n; i++) {
		size_t dd = util_edit_distance(name, regions_table[i].name);
		if (dd < bestd) {
			bestd = dd;
			best = regions_table[i].name;
		}
	}
	return best;
}

int regions_paired(const char *a, const char *b)
{
	const struct region *ra = regions_find(a), *rb = regions_find(b);
	return (ra && util_streq(ra->pair, b)) || (rb && util_streq(rb->pair, a));
}

int regions_serves(const struct region *r, const char *m365_geo)
{
	return r && m365_geo &&
	       (util_streq(r->m365, m365_geo) || util_streq(r->area, m365_geo));
}

int regions_m365_geo_known(const char *code)
{
	for (unsigned i = 0; code && i < regions_n; i++)
		if (util_streq(regions_table[i].m365, code) ||
		    (util_streq(regions_table[i].area, code) && strcmp(code, "LAM") != 0 &&
		     strcmp(code, "MEA") != 0))
			return 1;
	return 0;
}
