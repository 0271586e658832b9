# Plan: strict YAML loader, field table, rules, regions, inventory.
noinst_LIBRARIES += libckplan.a
libckplan_a_SOURCES = src/plan.h src/inventory.h src/plan_workload.c \
	src/ydoc.c src/ydoc.h src/plan_load.c src/plan_fields.c src/plan_fields.h \
	src/plan_syntax.c src/rules.c src/rules.h src/rules_ctx.c src/plan_rules.h src/plan_rules.c \
	src/plan_rules_people.c \
	src/plan_rules_vault.c src/plan_rules_workloads.c src/plan_rules_names.c src/plan_rules_hsm.c \
	src/regions.c src/regions.h src/inventory.c src/plan_show.c src/plan_show.h
libckplan_a_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
ckwizard_SOURCES += src/cli_plan.c
EXTRA_DIST += plans/README.md plans/contoso-exchange.yaml
EXTRA_DIST += plans/contoso-all.yaml tests/plans-bad tests/gen

# Shell tests (TAP): the broken-plan corpus and hostile inputs.
TESTS += tests/plan_corpus.sh
EXTRA_DIST += tests/plan_corpus.sh
TESTS += tests/plan_examples.sh tests/plan_doc.sh
EXTRA_DIST += tests/plan_examples.sh tests/plan_doc.sh plans/fabrikam-multigeo.yaml \
	plans/woodgrove-large.yaml plans/contoso-service.yaml

# Unit tests (cmocka), one binary per module.
# They link only the plan and base layers, so they build while other areas change.
CK_PLAN_TEST_LDADD = libckplan.a libckbase.a $(YAML_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) \
	$(LIBINTL) $(CMOCKA_LIBS)
if HAVE_CMOCKA
check_PROGRAMS += tests/test_plan tests/test_rules tests/test_inventory tests/test_regions \
	tests/test_plan_show
TESTS += tests/test_plan tests/test_rules tests/test_inventory tests/test_regions \
	tests/test_plan_show
tests_test_plan_SOURCES = tests/test_plan.c tests/plan_base_yaml.h
tests_test_plan_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_plan_LDADD = $(CK_PLAN_TEST_LDADD)
tests_test_rules_SOURCES = tests/test_rules.c tests/plan_base_yaml.h
tests_test_rules_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_rules_LDADD = $(CK_PLAN_TEST_LDADD)
tests_test_inventory_SOURCES = tests/test_inventory.c tests/plan_base_yaml.h
tests_test_inventory_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_inventory_LDADD = $(CK_PLAN_TEST_LDADD)
tests_test_plan_show_SOURCES = tests/test_plan_show.c tests/plan_base_yaml.h
tests_test_plan_show_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_plan_show_LDADD = $(CK_PLAN_TEST_LDADD)
tests_test_regions_SOURCES = tests/test_regions.c
tests_test_regions_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_regions_LDADD = $(CK_PLAN_TEST_LDADD)
endif
EXTRA_DIST += doc/bench.md
