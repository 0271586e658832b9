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
	const char *journal, *format, *outp, *problem = NULL;
	struct cli_args ca;
	enum report_format f;
	struct session *s;
	struct buf b = BUF_INIT;
	char *path, *err = NULL;
	int rc;
	rc = cli_parse("report", argc, argv, 1, &ca);
	if (rc != CK_EXIT_OK)
		return rc;
	journal = ca.n_pos ? ca.pos[0] : NULL;
	format = cli_opt(&ca, "--format") ? cli_opt(&ca, "--format") : "md";
	outp = cli_opt(&ca, "--output");
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
	const char *journal;
	struct cli_args ca;
	struct buf b = BUF_INIT;
	char *path;
	int rc = cli_parse("verify", argc, argv, 1, &ca);
	if (rc != CK_EXIT_OK)
		return rc;
	if (cli_opt(&ca, "--rules")) {
		const char *type, *signers;
		for (size_t i = 0; session_rule_at(i, &type, &signers); i++)
			printf("%s %s\n", type, signers);
		return CK_EXIT_OK;
	}
	journal = ca.n_pos ? ca.pos[0] : NULL;
	a.plan_path = cli_opt(&ca, "--plan");
	a.head = cli_opt(&ca, "--head");
	a.report_path = cli_opt(&ca, "--report");
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
