# Plan: strict YAML loader, field table, rules, regions, inventory. Owner: [plan].
noinst_LIBRARIES += libckplan.a
libckplan_a_SOURCES = src/plan.h src/inventory.h src/plan_workload.c \
	src/ydoc.c src/ydoc.h src/plan_load.c src/plan_fields.c src/plan_fields.h \
	src/plan_syntax.c src/rules.c src/rules.h src/plan_rules.h src/plan_rules_people.c \
	src/plan_rules_vault.c src/plan_rules_workloads.c src/plan_rules_names.c \
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
	plans/woodgrove-large.yaml
