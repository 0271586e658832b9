/* cli_journal.c: placeholder until its area lands (not a feature). */
#include "ck.h"
#include "cli.h"
#include <stdio.h>
int cli_report(int argc, char **argv)
{
	fprintf(stderr, "ckwizard report: not implemented yet\n");
	return CK_EXIT_INPUT;
}
int cli_verify(int argc, char **argv)
{
	fprintf(stderr, "ckwizard verify: not implemented yet\n");
	return CK_EXIT_INPUT;
}
