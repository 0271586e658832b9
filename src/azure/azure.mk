# Azure: the backend seam (backend.h), the simulator, and the REST client
# (http core, endpoints, Entra sign-in, ARM, Key Vault, Graph) with `audit`.
noinst_LIBRARIES += libckazure.a
libckazure_a_SOURCES = src/azure/backend.h src/azure/backend_names.c src/azure/results.h src/azure/results.c \
	src/azure/sim_int.h src/azure/sim.c src/azure/sim_state.c src/azure/sim_faults.c \
	src/azure/sim_lookup.c src/azure/sim_arm.c src/azure/sim_keys.c src/azure/sim_m365.c \
	src/azure/sim_onboard.c src/azure/sim_access.c src/azure/sim_hsm.c \
	src/azure/sim_ctx.c src/azure/sim_status.c \
	src/azure/endpoints.h src/azure/endpoints.c src/azure/http.h src/azure/http.c src/azure/curl_dl.c \
	src/azure/azjson.h src/azure/azjson.c src/azure/token.h src/azure/token.c \
	src/azure/entra.h src/azure/entra_int.h src/azure/entra.c src/azure/entra_az.c \
	src/azure/entra_cert.c src/azure/entra_endpoint.c src/azure/rest.h src/azure/arm.c src/azure/keyvault.c \
	src/azure/managedhsm.c src/azure/graph.c src/azure/audit.h src/azure/audit_int.h src/azure/audit.c \
	src/azure/audit_eval.c src/azure/audit_hsm.c src/azure/audit_hsm_roles.c src/azure/audit_record.c src/azure/audit_out.c \
	src/azure/backend_rest.h src/azure/backend_rest.c src/azure/backend_rest_int.h src/azure/backend_perform.c \
	src/azure/backend_perform_vault.c src/azure/backend_perform_restore.c src/azure/backend_rest_backup.c \
	src/azure/backend_rest_open.c src/azure/backend_write.c src/azure/perform_hsm.h src/azure/perform_hsm.c src/azure/perform_hsm_roles.c src/azure/perform_hsm_sd.c \
	src/azure/lro.h src/azure/lro.c
ckwizard_SOURCES += src/cli_audit.c src/cli_live.h src/cli_live.c
libckazure_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS) $(CURL_CFLAGS)

if HAVE_CMOCKA
# Three binaries over one fixture (tests/sim_fixture.[ch]): the ceremony and
# timeline, vaults and keys, sim.json persistence.
check_PROGRAMS += tests/test_sim tests/test_sim_vault tests/test_sim_state tests/test_sim_hsm
TESTS += tests/test_sim tests/test_sim_vault tests/test_sim_state tests/test_sim_hsm
tests_test_sim_SOURCES = tests/test_sim.c tests/sim_fixture.c tests/sim_fixture.h
tests_test_sim_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_sim_LDADD = $(CK_TEST_LDADD)
tests_test_sim_hsm_SOURCES = tests/test_sim_hsm.c tests/sim_fixture.c tests/sim_fixture.h
tests_test_sim_hsm_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_sim_hsm_LDADD = $(CK_TEST_LDADD)
tests_test_sim_vault_SOURCES = tests/test_sim_vault.c tests/sim_fixture.c tests/sim_fixture.h
tests_test_sim_vault_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_sim_vault_LDADD = $(CK_TEST_LDADD)
tests_test_sim_state_SOURCES = tests/test_sim_state.c tests/sim_fixture.c tests/sim_fixture.h
tests_test_sim_state_CFLAGS = $(CK_TEST_CFLAGS)
tests_test_sim_state_LDADD = $(CK_TEST_LDADD)
# The REST client's readers and rules that need no network.
check_PROGRAMS += tests/test_azure
TESTS += tests/test_azure
tests_test_azure_SOURCES = tests/test_azure.c
tests_test_azure_CFLAGS = $(CK_TEST_CFLAGS) $(CURL_CFLAGS)
tests_test_azure_LDADD = $(CK_TEST_LDADD)
# Tokens, sign-ins, and performs that can ask nothing of Azure.
check_PROGRAMS += tests/test_azure_token
TESTS += tests/test_azure_token
tests_test_azure_token_SOURCES = tests/test_azure_token.c
tests_test_azure_token_CFLAGS = $(CK_TEST_CFLAGS) $(CURL_CFLAGS)
tests_test_azure_token_LDADD = $(CK_TEST_LDADD)
endif
dist_doc_DATA += doc/simulator.md doc/azure.md doc/results.md

# `ckwizard audit` against a local fake of Entra ID, ARM, Key Vault and Graph
# (python3 standard library, HTTPS with a throwaway CA made by openssl).
TESTS += tests/audit_cli.sh tests/live_cli.sh tests/rest_execute.sh tests/audit_connections.sh \
	tests/curl_on_demand.sh tests/audit_hsm.sh
EXTRA_DIST += tests/audit_cli.sh tests/live_cli.sh tests/rest_execute.sh tests/audit_connections.sh \
	tests/curl_on_demand.sh tests/audit_hsm.sh tests/azure/fake.py tests/azure/fake_world.py \
	tests/azure/fake_hsm.py \
	tests/azure/fake_entra.py tests/azure/lib.sh tests/azure/az-stub

# The REST backend through the seam (sign-in per side, batched checks).
check_PROGRAMS += tests/rest_probe
tests_rest_probe_SOURCES = tests/rest_probe.c
tests_rest_probe_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
tests_rest_probe_LDADD = $(CK_CORE_LDADD)
TESTS += tests/rest_backend.sh tests/rest_hsm.sh
EXTRA_DIST += tests/rest_backend.sh tests/rest_hsm.sh
# Agreement: the simulator and the REST backend answer the same checks alike.
TESTS += tests/agreement.sh tests/agreement_hsm.sh
EXTRA_DIST += tests/agreement.sh tests/agreement_hsm.sh
