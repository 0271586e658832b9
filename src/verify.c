/* verify.c: a journal checked end to end, and against the anchors the team
 * holds outside it. A journal rewritten with other keys is self-consistent,
 * so what it proves depends on the anchors: the output always says which
 * were checked and which were not. */
#include "ck.h"
#include "plan.h"
#include "report.h"
#include "session/session_int.h"
#include "text.h"
#include "util.h"
#include "verify.h"
#include "fileread.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A file the team holds (plan, report), bounded; NULL with *why. */
static char *slurp(const char *path, size_t max, size_t *len, char **why)
{
	char *bytes;
	if (fileread(path, max, 0, &bytes, len, why) != FILEREAD_OK)
		return NULL;
	return bytes;
}

/* --plan: the bytes the team holds must be the current (verified) version. */
static bool check_plan(const struct session *s, const char *path, struct buf *out, int *rc)
{
	size_t len;
	char *why = NULL, *bytes = slurp(path, PLAN_MAX_BYTES, &len, &why);
	char hex[HASH_SHA256_HEX_LEN + 1];
	long version = 0;
	if (!bytes) {
		buf_printf(out, _("FAIL  plan anchor: cannot read %s: %s\n"), path, why);
		free(why);
		*rc = CK_EXIT_INPUT;
		return false;
	}
	hash_sha256_hex(bytes, len, hex);
	free(bytes);
	if (util_streq(s->h.opened_sha256, hex))
		version = 1;
	for (size_t i = 0; i < s->h.n_plan; i++)
		if (s->h.plan[i].type == SEV_PLAN_AMEND && strcmp(s->h.plan[i].sha256, hex) == 0)
			version = s->h.plan[i].version;
	if (strcmp(hex, s->plan->sha256) == 0) {
		buf_printf(out, _("ok    plan anchor: %s is the journal's plan version %ld (SHA-256 %s)%s\n"),
			   path, s->plan_version, hex,
			   s->verified ? _(", verified") : _(", but NOT verified in the journal"));
		return s->verified;
	}
	if (version)
		buf_printf(out, _("FAIL  plan anchor: %s is plan version %ld, but the journal went on "
				  "to version %ld (%s)\n"), path, version, s->plan_version, s->plan->sha256);
	else
		buf_printf(out, _("FAIL  plan anchor: %s (SHA-256 %s) is not the plan in the journal "
				  "(%s): the journal was made for another plan, or rewritten with "
				  "other keys\n"), path, hex, s->plan->sha256);
	return false;
}

static bool check_head(const struct session *s, const char *head, struct buf *out)
{
	char want[65];
	size_t n = 0;
	/* As written down on paper: groups separated by spaces (or tabs), any case. */
	for (const char *p = head; *p; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (n < 64)
			want[n] = (char)tolower((unsigned char)*p);
		n++;
	}
	want[n < 64 ? n : 64] = '\0';
	if (n != 64 || strspn(want, "0123456789abcdef") != 64) {
		buf_printf(out, _("FAIL  head anchor: \"%s\" is not a 64-digit hex hash\n"), head);
		return false;
	}
	if (strcmp(want, s->head) == 0) {
		buf_printf(out, _("ok    head anchor: the journal ends at the hash noted (line %zu)\n"),
			   s->n_ev);
		return true;
	}
	for (size_t i = 0; i < s->n_ev; i++)
		if (strcmp(s->ev[i].hash, want) == 0) {
			buf_printf(out, _("FAIL  head anchor: the hash noted is line %zu; lines %zu to %zu "
					  "were added after it\n"), i + 1, i + 2, s->n_ev);
			return false;
		}
	buf_printf(out, _("FAIL  head anchor: the hash noted is not in this journal (it ends at "
			  "%s): lines were cut off, or the journal was rewritten\n"), s->head);
	return false;
}

/* A report re-renders byte for byte in today's report format, or in the
 * earlier format that rendered it (a team keeps the report it was handed),
 * in the language it records (report/lang.c): a German report is compared
 * with a German rendering, whatever language verify itself speaks. */
static bool check_report(const struct session *s, const char *path, struct buf *out, int *rc)
{
	static const struct { enum report_format f; const char *name; } fmts[] = {
		{ REPORT_MD, "Markdown" }, { REPORT_HTML, "HTML" }, { REPORT_JSON, "JSON" },
	};
	size_t len;
	char *why = NULL, *bytes = slurp(path, 64u * 1024 * 1024, &len, &why);
	bool ok = false;
	if (!bytes) {
		buf_printf(out, _("FAIL  report anchor: cannot read %s: %s\n"), path, why);
		free(why);
		*rc = CK_EXIT_INPUT;
		return false;
	}
	char lang[REPORT_LANG_MAX + 1];
	report_lang_of(bytes, len, lang);
	bool english = util_streq(lang, "en");
	for (int v = REPORT_FORMAT; v >= REPORT_FORMAT_MIN && !ok; v--)
		for (size_t i = 0; i < CK_ARRAY_LEN(fmts) && !ok; i++) {
			struct buf r = BUF_INIT;
			report_render_lang(s, fmts[i].f, v, lang, &r);
			if (r.len == len && memcmp(r.p, bytes, len) == 0) {
				if (v == REPORT_FORMAT && !english)
					buf_printf(out, _("ok    report anchor: %s re-renders byte for "
							  "byte (%s, in language %s)\n"), path,
						   fmts[i].name, lang);
				else if (v == REPORT_FORMAT)
					buf_printf(out, _("ok    report anchor: %s re-renders byte for "
							  "byte (%s)\n"), path, fmts[i].name);
				else
					buf_printf(out, _("ok    report anchor: %s is valid, rendered in "
							  "report format %d (%s; today's is %d)\n"),
						   path, v, fmts[i].name, REPORT_FORMAT);
				ok = true;
			}
			buf_free(&r);
		}
	if (!ok)
		buf_printf(out, _("FAIL  report anchor: %s is not what this journal renders (in any "
				  "format, report formats %d to %d): the report was altered, or belongs "
				  "to another journal\n"), path, REPORT_FORMAT_MIN, REPORT_FORMAT);
	if (!ok && !english)
		buf_printf(out, _("      it says it was rendered in language %s: re-rendering it needs "
				  "ckwizard's %s catalogue, as installed when it was rendered\n"), lang, lang);
	free(bytes);
	return ok;
}

/* Every plan the journal carries (session.open, plan.amend) names two keys;
 * a weak one (pubkey.h) lets anyone sign as that operator, so nothing
 * signed under it proves anything. Checked on the raw lines, before and
 * whatever the replay says, so the reason is named even when the replay
 * refuses the plan. false when such a key was found. */
static bool check_keys(const char *journal_path, struct buf *out)
{
	struct journal_read r;
	char *err = NULL;
	size_t bad = 0;
	if (journal_read_file(journal_path, &r, &err) != 0) {
		free(err);
		return true; /* unreadable: session_load says why */
	}
	for (size_t i = 0; i < r.n; i++) {
		const cJSON *plan = cJSON_GetObjectItemCaseSensitive(r.ev[i].payload, "plan");
		if (!sess_ev_embeds_plan(r.ev[i].type) || !cJSON_IsString(plan))
			continue;
		struct diags d = DIAGS_INIT;
		plan_free(plan_load_mem(SESSION_PLAN_FILE, plan->valuestring,
					strlen(plan->valuestring), &d));
		for (size_t k = 0; k < d.n; k++) {
			if (!d.v[k].id || strcmp(d.v[k].id, "CK016") != 0)
				continue;
			buf_printf(out, _("FAIL  operator keys: line %zu (%s): %s: %s\n"), i + 1,
				   r.ev[i].type, d.v[k].path ? d.v[k].path : "", d.v[k].message);
			bad++;
		}
		diags_free(&d);
	}
	journal_read_free(&r);
	if (bad)
		buf_puts(out, _("      a key like this lets anyone sign as that operator: no signature "
				"in this journal proves who made it\n"));
	return bad == 0;
}

int verify_journal(const char *journal_path, const struct verify_anchors *a, struct buf *out)
{
	char *err = NULL;
	const char *problem = NULL;
	struct session *s = session_load(journal_path, &err);
	bool ok = true;
	int rc = CK_EXIT_OK;
	size_t nsig = 0;
	if (!s) {
		buf_printf(out, _("FAIL  %s\n"), err);
		free(err);
		return CK_EXIT_INPUT;
	}
	if (!check_keys(journal_path, out)) {
		if (session_problem(s, &problem))
			buf_printf(out, _("FAIL  %s: %s\n"), journal_path, problem);
		buf_puts(out, _("FAILED: the journal's plan gives an operator a key that proves "
				"nothing\n"));
		session_free(s);
		return CK_EXIT_FAIL;
	}
	if (session_problem(s, &problem)) {
		buf_printf(out, _("FAIL  %s: %s\n"), journal_path, problem);
		buf_printf(out, ngettext("      %zu line before it holds.\n",
					 "      %zu lines before it hold.\n", s->n_ev), s->n_ev);
		session_free(s);
		return CK_EXIT_FAIL;
	}
	for (size_t i = 0; i < s->n_ev; i++)
		nsig += s->ev[i].n_sigs;
	{
		char *org = text_visible_line(s->plan->org.name ? s->plan->org.name : "");
		buf_printf(out, _("about %s: %s, plan version %ld (SHA-256 %s), %s\n"), org,
			   sess_mode_name(s->mode), s->plan_version, s->plan->sha256,
			   s->closed ? _("closed") : _("open"));
		free(org);
	}
	buf_printf(out, ngettext("ok    chain: %zu event, each line's hash and link to the one "
				 "before\n",
				 "ok    chain: %zu events, each line's hash and link to the one "
				 "before\n", s->n_ev),
		   s->n_ev);
	buf_printf(out, ngettext("ok    signatures: %zu, by the plan's key for its operator\n",
				 "ok    signatures: %zu, each by the plan's key for its operator\n",
				 nsig), nsig);
	buf_puts(out, _("ok    dual control: every event allowed by the rules when it was recorded\n"));
	if (session_uses_demo_keys(s))
		buf_puts(out, _("note  DEMO KEYS: signed by the bundled demo operators; a rehearsal "
				"proves nothing about real people\n"));
	if (s->mode == SESSION_REHEARSAL)
		buf_puts(out, _("note  REHEARSAL: a practice run against the simulator\n"));
	if (a && a->plan_path)
		ok &= check_plan(s, a->plan_path, out, &rc);
	else
		buf_puts(out, _("--    plan anchor not checked (give --plan FILE, the plan the team "
				"holds): a journal rewritten end to end with other keys would pass\n"));
	if (a && a->head)
		ok &= check_head(s, a->head, out);
	else
		buf_puts(out, _("--    head anchor not checked (give --head HASH, noted on paper): "
				"a journal cut short would pass\n"));
	if (a && a->report_path)
		ok &= check_report(s, a->report_path, out, &rc);
	else
		buf_puts(out, _("--    report not checked (give --report FILE)\n"));
	buf_printf(out, _("head  %s\n"), s->head);
	if (rc == CK_EXIT_INPUT) {
		session_free(s);
		return rc;
	}
	if (!ok) {
		buf_puts(out, _("FAILED: the journal does not match the anchors given\n"));
		rc = CK_EXIT_FAIL;
	} else if (!s->closed) {
		buf_puts(out, _("VALID, but the ceremony is still open (no session.close)\n"));
		rc = CK_EXIT_OPEN;
	} else {
		buf_puts(out, _("VALID: the ceremony is closed and everything checked holds\n"));
	}
	session_free(s);
	return rc;
}
