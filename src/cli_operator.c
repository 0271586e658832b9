/* cli_operator.c: placeholder until its area lands (not a feature). */
#include "ck.h"
#include "cli.h"
#include <stdio.h>
int cli_operator(int argc, char **argv)
{
	fprintf(stderr, "ckwizard operator: not implemented yet\n");
	return CK_EXIT_INPUT;
}
