/* cli_runbook.c: placeholder until its area lands (not a feature). */
#include "ck.h"
#include "cli.h"
#include <stdio.h>
int cli_runbook(int argc, char **argv)
{
	fprintf(stderr, "ckwizard runbook: not implemented yet\n");
	return CK_EXIT_INPUT;
}
