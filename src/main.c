/* main.c: ckwizard's entry point: locale, then dispatch through the table. */
#include "ck.h"
#include "cli.h"
#include "../ui/ui.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static void main_usage(FILE *out)
{
	fprintf(out, _("usage: ckwizard COMMAND [ARGS]\n\n"
		       "Runs a Microsoft 365 Customer Key onboarding ceremony for two operators.\n\n"
		       "Commands:\n"));
	for (unsigned i = 0; i < cli_n_commands; i++)
		fprintf(out, "  %-10s %s\n", cli_commands[i].name, _(cli_commands[i].summary));
	fprintf(out, _("\n  help COMMAND   details of one command\n"
		       "  --version      print the version\n\n"
		       "Exit codes: 0 ok, 1 rules broken or verification failed, 2 unusable input or\n"
		       "usage, 3 journal valid but ceremony still open, 4 refused, 5 write failed.\n"));
}

/* Secrets (passphrases, unlocked keys, later tokens) live in this process.
 * No core dumps, and not dumpable: ptrace(2) ("Ptrace access mode
 * checking") then lets only a process with CAP_SYS_PTRACE attach or read
 * /proc/PID/mem, so a same-user debugger or script cannot lift a key while
 * it is unlocked. Both hold for the life of the process: the kernel resets
 * them only on exec or a change of credentials, and ckwizard does neither. */
static int main_harden(void)
{
	struct rlimit nocore = { 0, 0 };
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 || setrlimit(RLIMIT_CORE, &nocore) != 0)
		return -1;
	return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : -1;
}

/* The locale's categories ckwizard uses, from the environment: LC_CTYPE
 * (characters: UTF-8 or not, their widths on screen) and LC_MESSAGES (the
 * translations). Nothing formats numbers, dates, money or sorts by the
 * locale: dates are ISO 8601 in UTC, numbers C's, order by code point. Each
 * category setlocale reads is a file of its own where there is no locale
 * archive, and reading the ten others was a measurable part of every
 * command's start (doc/bench.md, "Fifth round"). LC_NUMERIC staying "C" also
 * keeps strtod and printf of numbers independent of the operator's locale. */
static void main_locale(void)
{
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
}

int main(int argc, char **argv)
{
	/* First, before any input is read: see main_harden. */
	int harden_errno = main_harden() == 0 ? 0 : (errno ? errno : EPERM);
	main_locale();
#if ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
	if (harden_errno) {
		fprintf(stderr, _("ckwizard: cannot protect this process's memory from debuggers "
				  "and core dumps (%s): refusing to run\n"), strerror(harden_errno));
		return CK_EXIT_REFUSED;
	}

	if (argc < 2) {
		main_usage(stderr);
		return CK_EXIT_INPUT;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		main_usage(stdout);
		return CK_EXIT_OK;
	}
	if (!strcmp(cmd, "--version")) {
		printf("ckwizard %s\n", PACKAGE_VERSION);
		return CK_EXIT_OK;
	}
	if (!strcmp(cmd, "help")) {
		if (argc < 3) {
			main_usage(stdout);
			return CK_EXIT_OK;
		}
		if (!strcmp(argv[2], "--man")) { /* hidden: doc/ckwizard.1's COMMANDS */
			cli_print_man();
			return CK_EXIT_OK;
		}
		if (!strcmp(argv[2], "--man-keys")) { /* hidden: doc/ckwizard.1's KEYS */
			char *k = ui_keys_man();
			fputs(k, stdout);
			free(k);
			return CK_EXIT_OK;
		}
		if (!strcmp(argv[2], "--bash")) { /* hidden: completion/ckwizard */
			cli_print_bash();
			return CK_EXIT_OK;
		}
		if (!strcmp(argv[2], "--zsh")) { /* hidden: completion/_ckwizard */
			cli_print_zsh();
			return CK_EXIT_OK;
		}
		const struct cli_command *c = cli_find(argv[2]);
		if (!c) {
			fprintf(stderr, _("ckwizard: no command '%s'; try 'ckwizard --help'\n"), argv[2]);
			return CK_EXIT_INPUT;
		}
		cli_print_command_help(c);
		return CK_EXIT_OK;
	}
	const struct cli_command *c = cli_find(cmd);
	if (!c) {
		fprintf(stderr, _("ckwizard: no command '%s'; try 'ckwizard --help'\n"), cmd);
		return CK_EXIT_INPUT;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			cli_print_command_help(c);
			return CK_EXIT_OK;
		}
		if (!strcmp(argv[i], "--"))
			break;
	}
	return c->run(argc - 1, argv + 1);
}
