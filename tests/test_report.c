/* test_report.c: reports are deterministic and escape what they did not write. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "report.h"

static void test_report_format_names(void **state)
{
	enum report_format f;
	(void)state;
	assert_int_equal(report_format_parse("md", &f), 0);
	assert_int_equal(f, REPORT_MD);
	assert_int_equal(report_format_parse("html", &f), 0);
	assert_int_equal(f, REPORT_HTML);
	assert_int_equal(report_format_parse("json", &f), 0);
	assert_int_equal(f, REPORT_JSON);
	assert_int_equal(report_format_parse("pdf", &f), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_format_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
