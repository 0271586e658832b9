/* cli_plan.c: placeholder until its area lands (not a feature). */
#include "ck.h"
#include "cli.h"
#include <stdio.h>
int cli_check(int argc, char **argv)
{
	fprintf(stderr, "ckwizard check: not implemented yet\n");
	return CK_EXIT_INPUT;
}
int cli_show(int argc, char **argv)
{
	fprintf(stderr, "ckwizard show: not implemented yet\n");
	return CK_EXIT_INPUT;
}
