# Plan: strict YAML loader, field table, rules, regions, inventory. Owner: [plan].
noinst_LIBRARIES += libckplan.a
libckplan_a_SOURCES = src/plan.h src/inventory.h src/plan_workload.c
libckplan_a_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
ckwizard_SOURCES += src/cli_plan.c
