# Azure: the backend seam (backend.h) and the simulator; the REST backend comes
# in a later issue. Owner: [wizard] (simulator engineer).
noinst_LIBRARIES += libckazure.a
libckazure_a_SOURCES = src/azure/backend.h src/azure/backend_names.c \
	src/azure/sim_int.h src/azure/sim.c src/azure/sim_state.c src/azure/sim_faults.c \
	src/azure/sim_lookup.c src/azure/sim_arm.c src/azure/sim_keys.c src/azure/sim_m365.c src/azure/sim_onboard.c src/azure/sim_access.c src/azure/sim_hsm.c
libckazure_a_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)

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
endif
dist_doc_DATA += doc/simulator.md
