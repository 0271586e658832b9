/* test_session.c: the session's dual-control rules, live and on replay. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "session.h"
#include "session_fixture.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	*state = fx_setup();
	return 0;
}

static int teardown(void **state)
{
	fx_teardown(*state);
	return 0;
}

static void test_session_sample_ceremony_runs(void **state)
{
	fx_write_plan("plan.yaml", 0x11, 0x22);
	fx_sample_ceremony("plan.yaml", "sess", true, 0x11, 0x22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session_sample_ceremony_runs, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
