/* test_regions.c: the region table is consistent with itself and with the
 * pairs Microsoft publishes (doc/sources.md). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ck.h"
#include "regions.h"
#include "util.h"

static void test_regions_names_unique_and_lowercase(void **state)
{
	for (unsigned i = 0; i < regions_n; i++) {
		const struct region *r = &regions_table[i];
		assert_true(regions_find(r->name) == r);
		for (const char *c = r->name; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'));
		assert_non_null(r->display);
		assert_non_null(r->geography);
		assert_non_null(r->area);
		assert_true(regions_m365_geo_known(r->area) || util_streq(r->area, "LAM") ||
			    util_streq(r->area, "MEA"));
	}
	assert_null(regions_find("eastus4"));
	assert_null(regions_find(NULL));
}

static void test_regions_pairs_symmetric_except_one_way(void **state)
{
	unsigned one_way = 0;
	for (unsigned i = 0; i < regions_n; i++) {
		const struct region *r = &regions_table[i];
		if (!r->pair) {
			assert_false(r->one_way);
			continue;
		}
		const struct region *q = regions_find(r->pair);
		assert_non_null(q); /* every pair names a known region */
		assert_true(regions_paired(r->name, q->name));
		assert_true(regions_paired(q->name, r->name));
		if (r->one_way) {
			one_way++;
			assert_false(util_streq(q->pair, r->name));
		} else {
			assert_string_equal(q->pair, r->name);
			assert_string_equal(q->geography, r->geography);
		}
	}
	assert_int_equal(one_way, 3);
	assert_true(regions_find("brazilsouth")->one_way);
	assert_true(regions_find("westindia")->one_way);
	assert_true(regions_find("westus3")->one_way);
}

static void test_regions_pairs_match_azure_md(void **state)
{
	static const char *const pairs[][2] = {
		{ "eastus", "westus" }, { "eastus2", "centralus" },
		{ "northcentralus", "southcentralus" }, { "westus2", "westcentralus" },
		{ "canadacentral", "canadaeast" }, { "northeurope", "westeurope" },
		{ "uksouth", "ukwest" }, { "francecentral", "francesouth" },
		{ "germanywestcentral", "germanynorth" }, { "norwayeast", "norwaywest" },
		{ "switzerlandnorth", "switzerlandwest" }, { "swedencentral", "swedensouth" },
		{ "japaneast", "japanwest" }, { "koreacentral", "koreasouth" },
		{ "eastasia", "southeastasia" }, { "australiaeast", "australiasoutheast" },
		{ "australiacentral", "australiacentral2" }, { "centralindia", "southindia" },
		{ "uaenorth", "uaecentral" }, { "southafricanorth", "southafricawest" },
		{ "brazilsouth", "southcentralus" }, { "westindia", "southindia" },
		{ "westus3", "eastus" },
	};
	static const char *const unpaired[] = {
		"austriaeast", "belgiumcentral", "chilecentral", "indonesiacentral", "israelcentral",
		"italynorth", "malaysiawest", "mexicocentral", "newzealandnorth", "polandcentral",
		"qatarcentral", "spaincentral",
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(pairs); i++) {
		assert_true(regions_paired(pairs[i][0], pairs[i][1]));
		assert_string_equal(regions_find(pairs[i][0])->pair, pairs[i][1]);
	}
	for (size_t i = 0; i < CK_ARRAY_LEN(unpaired); i++) {
		assert_non_null(regions_find(unpaired[i]));
		assert_null(regions_find(unpaired[i])->pair);
	}
	assert_false(regions_paired("eastus2", "westus2"));
	assert_false(regions_paired("centralus", "westus3"));
}

static void test_regions_serve_their_geo_and_area(void **state)
{
	assert_true(regions_serves(regions_find("eastus2"), "NAM"));
	assert_true(regions_serves(regions_find("canadacentral"), "NAM"));
	assert_true(regions_serves(regions_find("canadacentral"), "CAN"));
	assert_false(regions_serves(regions_find("eastus2"), "CAN"));
	assert_true(regions_serves(regions_find("francecentral"), "EUR"));
	assert_false(regions_serves(regions_find("westeurope"), "FRA"));
	assert_true(regions_serves(regions_find("japaneast"), "APC"));
	assert_false(regions_serves(regions_find("japaneast"), "EUR"));
	assert_true(regions_m365_geo_known("NAM"));
	assert_true(regions_m365_geo_known("GBR"));
	assert_false(regions_m365_geo_known("LAM"));
	assert_false(regions_m365_geo_known("USA"));
}

static void test_regions_suggest_close_names(void **state)
{
	assert_string_equal(regions_suggest("eastus3"), "eastus");
	assert_string_equal(regions_suggest("westeurop"), "westeurope");
	assert_null(regions_suggest("mars"));
	assert_string_equal(regions_suggest("East US 2"), "eastus2");
	assert_string_equal(regions_suggest("UK South"), "uksouth");
	assert_non_null(regions_source);
	assert_non_null(strstr(regions_source, "20"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regions_names_unique_and_lowercase),
		cmocka_unit_test(test_regions_pairs_symmetric_except_one_way),
		cmocka_unit_test(test_regions_pairs_match_azure_md),
		cmocka_unit_test(test_regions_serve_their_geo_and_area),
		cmocka_unit_test(test_regions_suggest_close_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
