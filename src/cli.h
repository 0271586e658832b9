/* cli.h: the subcommands. One table (cli.c) drives dispatch, --help, `help
 * COMMAND` and the man page's command list; each handler lives in the file of
 * its area and parses its own options. Handlers return an enum ck_exit. */
#ifndef CK_CLI_H
#define CK_CLI_H

struct cli_command {
	const char *name;
	const char *args;     /* usage after the name */
	const char *summary;  /* one line, N_() */
	const char *help;     /* options and details, N_() */
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
};

extern const struct cli_command cli_commands[];
extern const unsigned cli_n_commands;

const struct cli_command *cli_find(const char *name);
/* Print "usage: ckwizard NAME ARGS" and the command's help to stdout. */
void cli_print_command_help(const struct cli_command *c);
/* For handlers: complain about usage on stderr, return CK_EXIT_INPUT. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int cli_check(int argc, char **argv);    /* src/cli_plan.c */
int cli_show(int argc, char **argv);     /* src/cli_plan.c */
int cli_runbook(int argc, char **argv);  /* src/cli_runbook.c */
int cli_run(int argc, char **argv);      /* src/cli_wizard.c */
int cli_rehearse(int argc, char **argv); /* src/cli_wizard.c */
int cli_report(int argc, char **argv);   /* src/cli_journal.c */
int cli_verify(int argc, char **argv);   /* src/cli_journal.c */
int cli_operator(int argc, char **argv); /* src/cli_operator.c */
int cli_audit(int argc, char **argv);    /* src/cli_audit.c */

#endif
