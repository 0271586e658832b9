/* cli_journal.c: `ckwizard report` and `ckwizard verify`. JOURNAL is a
 * journal file or a session directory (its journal.jsonl is used). */
#include "ck.h"
#include "cli.h"
#include "report.h"
#include "session.h"
#include "util.h"
#include "verify.h"
#include "journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *journal_arg(const char *arg)
{
	struct stat st;
	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		return xasprintf("%s/%s", arg, JOURNAL_FILE);
	return xstrdup(arg);
}

/* Options: "--name value" or "--name=value". Returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int write_out(const char *path, const struct buf *b)
{
	char *err = NULL;
	if (!path) {
		if (fwrite(b->p ? b->p : "", 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
			fprintf(stderr, _("ckwizard: cannot write the output\n"));
			return CK_EXIT_IO;
		}
		return CK_EXIT_OK;
	}
	if (report_write_file(path, b->p ? b->p : "", b->len, &err) < 0) {
		fprintf(stderr, "ckwizard: %s\n", err);
		free(err);
		return CK_EXIT_IO;
	}
	return CK_EXIT_OK;
}

int cli_report(int argc, char **argv)
{
	const char *journal = NULL, *format = "md", *outp = NULL, *v, *problem = NULL;
	enum report_format f;
	struct session *s;
	struct buf b = BUF_INIT;
	char *path, *err = NULL;
	int rc;
	for (int i = 1; i < argc; i++) {
		if ((v = opt_value(argc, argv, &i, "--format")))
			format = v;
		else if ((v = opt_value(argc, argv, &i, "-o")) || (v = opt_value(argc, argv, &i, "--output")))
			outp = v;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("report", _("unknown option or missing value: %s"), argv[i]);
		else if (journal)
			return cli_usage_error("report", _("one journal at a time"));
		else
			journal = argv[i];
	}
	if (!journal)
		return cli_usage_error("report", _("which journal? give a journal file or session directory"));
	if (report_format_parse(format, &f) < 0)
		return cli_usage_error("report", _("unknown format \"%s\" (md, html or json)"), format);
	path = journal_arg(journal);
	s = session_load(path, &err);
	if (!s) {
		fprintf(stderr, "ckwizard report: %s\n", err);
		free(err);
		free(path);
		return CK_EXIT_INPUT;
	}
	if (session_problem(s, &problem)) {
		fprintf(stderr, _("ckwizard report: %s does not verify: %s\n"
				  "Run `ckwizard verify %s` for the details; no report is rendered "
				  "from a journal that does not hold.\n"), path, problem, journal);
		session_free(s);
		free(path);
		return CK_EXIT_FAIL;
	}
	report_render(s, f, &b);
	rc = write_out(outp, &b);
	buf_free(&b);
	session_free(s);
	free(path);
	return rc;
}

int cli_verify(int argc, char **argv)
{
	struct verify_anchors a = { NULL, NULL, NULL };
	const char *journal = NULL, *v;
	struct buf b = BUF_INIT;
	char *path;
	int rc;
	for (int i = 1; i < argc; i++) {
		if ((v = opt_value(argc, argv, &i, "--plan")))
			a.plan_path = v;
		else if ((v = opt_value(argc, argv, &i, "--head")))
			a.head = v;
		else if ((v = opt_value(argc, argv, &i, "--report")))
			a.report_path = v;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("verify", _("unknown option or missing value: %s"), argv[i]);
		else if (journal)
			return cli_usage_error("verify", _("one journal at a time"));
		else
			journal = argv[i];
	}
	if (!journal)
		return cli_usage_error("verify", _("which journal? give a journal file or session directory"));
	path = journal_arg(journal);
	rc = verify_journal(path, &a, &b);
	fputs(buf_str(&b), stdout);
	fflush(stdout);
	buf_free(&b);
	free(path);
	return rc;
}
