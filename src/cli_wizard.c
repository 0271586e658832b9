/* cli_wizard.c: placeholder until its area lands (not a feature). */
#include "ck.h"
#include "cli.h"
#include <stdio.h>
int cli_run(int argc, char **argv)
{
	fprintf(stderr, "ckwizard run: not implemented yet\n");
	return CK_EXIT_INPUT;
}
int cli_rehearse(int argc, char **argv)
{
	fprintf(stderr, "ckwizard rehearse: not implemented yet\n");
	return CK_EXIT_INPUT;
}
