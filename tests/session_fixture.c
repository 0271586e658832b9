/* session_fixture.c: see session_fixture.h. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "buf.h"
#include "hash.h"
#include "inventory.h"
#include "keys.h"
#include "session.h"
#include "session_fixture.h"
#include "util.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

time_t fx_now = FX_START;
static char fx_oldcwd[PATH_MAX];

static time_t fx_clock(void)
{
	return fx_now;
}

char *fx_src(const char *rel)
{
	const char *src = getenv("CK_SRCDIR");
	if (rel[0] == '/')
		return xstrdup(rel);
	return xasprintf("%s/%s", src && *src ? src : (fx_oldcwd[0] ? fx_oldcwd : "."), rel);
}

char *fx_setup(void)
{
	char tmpl[] = "/tmp/ckw-session-XXXXXX";
	char *dir;
	fx_now = FX_START;
	session_test_set_clock(fx_clock);
	if (!fx_oldcwd[0])
		assert_non_null(getcwd(fx_oldcwd, sizeof fx_oldcwd));
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	assert_int_equal(chdir(dir), 0);
	return xstrdup(dir);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void fx_teardown(char *dir)
{
	assert_int_equal(chdir(fx_oldcwd), 0);
	if (getenv("CK_KEEP_TMP")) /* to look at a test's journals and reports */
		fprintf(stderr, "# kept %s\n", dir);
	else
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

const bool fx_both[CK_SIDES] = { true, true };

int fx_setup_plan(void **state)
{
	*state = fx_setup();
	fx_write_plan("plan.yaml", 0x11, 0x22);
	return 0;
}

int fx_teardown_plan(void **state)
{
	fx_teardown(*state);
	return 0;
}

struct session *fx_open_run(void)
{
	return fx_open("plan.yaml", "s", SESSION_RUN, 0x11, 0x22);
}

struct session *fx_open_verified(void)
{
	struct session *s = fx_open_run();
	fx_verify_plan(s);
	return s;
}

void fx_refused(struct session *s, int rc, char **err, const char *needle)
{
	(void)s;
	assert_int_equal(rc, -1);
	assert_non_null(*err);
	if (!strstr(*err, needle))
		fail_msg("message \"%s\" does not say \"%s\"", *err, needle);
	free(*err);
	*err = NULL;
}

struct session *fx_open_plan(const char *plan, const char *dir, enum session_mode m,
			     char **err)
{
	struct session_opts o;
	memset(&o, 0, sizeof o);
	o.plan_path = plan;
	o.dir = dir;
	o.mode = m;
	return session_open(&o, err);
}

char *fx_read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = xcalloc(1, 65536);
	size_t len;
	assert_non_null(f);
	len = fread(text, 1, 65535, f);
	fclose(f);
	assert_true(len > 0);
	return text;
}

void fx_write_text(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

struct keys_private *fx_key(unsigned char seed)
{
	unsigned char raw[32];
	memset(raw, seed, sizeof raw);
	return keys_from_raw(raw);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_steal(&b);
}

static char *replace(char *text, const char *old, const char *new)
{
	char *at = strstr(text, old), *r;
	assert_non_null(at);
	r = xasprintf("%.*s%s%s", (int)(at - text), text, new, at + strlen(old));
	free(text);
	return r;
}

void fx_write_plan(const char *name, unsigned char seed_a, unsigned char seed_b)
{
	char *src = fx_src("plans/contoso-exchange.yaml"), *text = slurp(src);
	static const char *const demo[2] = { "ed25519:KP6+l1egG1YdHGuGeKmvwwy3q1/1yPehMByAq0o3OfY=",
					     "ed25519:sSxTRn1e1FovB8YplWI3alLxtizcQZ0T2HBFQs52NjA=" };
	unsigned char seeds[2] = { seed_a, seed_b };
	FILE *f;
	for (int side = 0; side < 2; side++) {
		struct keys_private *k = fx_key(seeds[side]);
		unsigned char pub[32];
		char *line;
		keys_public(k, pub);
		keys_lock(k);
		line = pubkey_format(pub);
		text = replace(text, demo[side], line);
		free(line);
	}
	f = fopen(name, "wx");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	free(text);
	free(src);
}

struct session *fx_open(const char *plan, const char *dir, enum session_mode m,
			unsigned char seed_a, unsigned char seed_b)
{
	struct session_opts o;
	char *err = NULL, *data = fx_src("plans");
	struct session *s;
	memset(&o, 0, sizeof o);
	o.plan_path = plan;
	o.dir = dir;
	o.mode = m;
	o.data_dir = data;
	s = session_open(&o, &err);
	if (!s)
		fail_msg("session_open: %s", err);
	free(data);
	if (seed_a) {
		assert_int_equal(session_unlock_key(s, CK_SIDE_A, fx_key(seed_a), &err), 0);
		assert_int_equal(session_unlock_key(s, CK_SIDE_B, fx_key(seed_b), &err), 0);
	} else {
		if (session_unlock(s, CK_SIDE_A, "rehearse-alice", &err) < 0 ||
		    session_unlock(s, CK_SIDE_B, "rehearse-bob", &err) < 0)
			fail_msg("unlock demo: %s", err);
	}
	return s;
}

static void ok(int rc, char **err, const char *what)
{
	if (rc != 0)
		fail_msg("%s: %s", what, *err ? *err : "(no message)");
}

void fx_verify_plan(struct session *s)
{
	static const bool both[CK_SIDES] = { true, true };
	bool answers[32];
	const char *const *ids;
	size_t n = session_plan_warnings(s, &ids, NULL);
	struct session_plan_status ps;
	char *err = NULL;
	for (size_t i = 0; i < session_n_checklist; i++)
		answers[i] = true;
	session_plan_status(s, &ps);
	ok(session_sitting_open(s, both, &err), &err, "sitting");
	ok(session_plan_approve(s, ps.author, &err), &err, "approve");
	ok(session_plan_verify(s, ck_other_side(ps.author), answers, ids, n, &err), &err, "verify");
}

char *fx_evidence(struct session *s, const struct step *st, const struct evidence_spec *e)
{
	const char *c;
	switch (e->kind) {
	case EV_CONFIRM:
		return xstrdup("yes");
	case EV_TEXT:
		return xasprintf("As seen on screen for %s", st->id);
	case EV_FASTTRACK_ID:
		return xstrdup("FT-20261123-0042");
	case EV_REQUEST_ID:
		return xstrdup("3f2b9c1e-7d4a-4e5b-9a6c-0d1e2f3a4b5c");
	case EV_TOOL_VERSION:
		return xstrdup("Az.KeyVault 6.2.1");
	case EV_NEW_KEY_URI:
		return xasprintf("https://%s.vault.azure.net/keys/Replacement-Key",
				 st->dep->side[e->id[strlen(e->id) - 1] == 'B'].vault);
	case EV_ACCESS_LIST: {
		/* what Get-AzKeyVault lists once the plan's policies are set */
		const struct plan *p = session_plan(s);
		const struct plan_subscription *ps = &p->sub[st->side];
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < ps->n_administrators; i++) {
			buf_printf(&b, "Admin %zu (%s) | keys: ", i, ps->administrators[i]);
			for (size_t k = 0; k < p->kv.n_admin_permissions; k++)
				buf_printf(&b, "%s%s", k ? ", " : "", p->kv.admin_permissions[k]);
			buf_puts(&b, " | secrets: | certificates: | storage:\n");
		}
		buf_printf(&b, "%s | keys: wrapKey, unwrapKey, get | secrets: | certificates: | "
			   "storage:\n", plan_workload_app_name(st->dep->workload));
		return buf_steal(&b);
	}
	case EV_GUID:
		if (st->check.subscription)
			return xstrdup(st->check.subscription);
		return xstrdup("6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b");
	case EV_KEY_URI:
		return xasprintf("https://%s.vault.azure.net/keys/%s/0123456789abcdef0123456789abcdef",
				 st->check.vault, st->check.key);
	case EV_KEY_VERSION:
		return xstrdup("0123456789abcdef0123456789abcdef");
	case EV_FILE_SHA256: {
		char *name = st->dep ? inventory_backup_name(&st->dep->side[st->side], "20261123")
				     : xstrdup("backup.bin");
		FILE *f = fopen(name, "w");
		assert_non_null(f);
		fprintf(f, "backup blob of %s\n", name);
		fclose(f);
		return name;
	}
	case EV_SHA256: {
		const char *rec = e->same_as ? session_evidence(s, st->id, e->same_as) : NULL;
		if (rec && strncmp(rec, "sha256:", 7) == 0)
			return xstrndup(rec + 7, 64);
		return xstrdup("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	}
	case EV_CHOICE:
		c = e->choices ? e->choices : "";
		return xstrndup(c, strcspn(c, "|"));
	case EV_DATE:
		return xstrdup("2026-11-23");
	}
	return xstrdup("?");
}

static void fx_do_step(struct session *s, size_t i)
{
	struct session_step_info info;
	char *err = NULL;
	const struct step *st;
	session_step_info(s, i, &info);
	st = info.step;
	if (info.state == STEP_WAIT_WITNESS) {
		ok(session_step_witness(s, ck_other_side(st->owner), st->id, &err), &err, "witness");
		return;
	}
	if (!info.started)
		ok(session_step_start(s, st->owner, st->id, &err), &err, "start");
	for (size_t k = 0; k < st->n_evidence; k++) {
		char *v = fx_evidence(s, st, &st->evidence[k]);
		ok(session_step_evidence(s, st->owner, st->id, st->evidence[k].id, v, &err), &err,
		   st->evidence[k].id);
		free(v);
	}
	if (session_mode(s) == SESSION_REHEARSAL)
		ok(session_step_perform(s, st->owner, st->id, NULL, &err), &err, "perform");
	ok(session_step_check(s, st->owner, st->id, NULL, &err), &err, "check");
	ok(session_step_confirm(s, st->owner, st->id, st->confirm_name, &err), &err, "confirm");
}

/* Nothing to do now: move the clock past timed waits, record outside events. */
static bool fx_unwait(struct session *s)
{
	struct session_wait_item *w;
	bool all, moved = false;
	size_t n = session_waits(s, &w, &all);
	char *err = NULL;
	for (size_t k = 0; k < n; k++) {
		const struct step *st = &session_catalogue(s)->steps[w[k].step];
		if (w[k].state == STEP_WAIT_TIME && w[k].until >= session_now(s)) {
			fx_now += w[k].until - session_now(s) + 1;
			moved = true;
		} else if (w[k].state == STEP_WAIT_EVENT) {
			ok(session_step_event(s, st->owner, st->id,
					      "Microsoft's confirmation e-mail arrived", &err), &err, st->id);
			moved = true;
		}
	}
	free(w);
	return moved;
}

size_t fx_run_steps(struct session *s, size_t max_steps)
{
	size_t done = 0;
	while (done < max_steps) {
		long i = session_next_step(s);
		struct session_step_info info;
		if (i < 0) {
			if (!fx_unwait(s))
				break;
			continue;
		}
		session_step_info(s, (size_t)i, &info);
		fx_do_step(s, (size_t)i);
		if (info.state != STEP_WAIT_WITNESS)
			done++;
		fx_now += 60;
	}
	return done;
}

void fx_sample_ceremony(const char *plan, const char *dir, bool close, unsigned char seed_a,
			unsigned char seed_b)
{
	static const bool both[CK_SIDES] = { true, true };
	/* The shipped sample was recorded under the first step catalogue and
	 * must keep verifying as one (tests/journals/README). */
	session_test_set_catalogue_version(1);
	struct session *s = fx_open(plan, dir, SESSION_RUN, seed_a, seed_b);
	session_test_set_catalogue_version(0);
	char *err = NULL;
	long next;
	fx_verify_plan(s);
	fx_now += 600;
	ok(session_note(s, CK_SIDE_B, "Fingerprints compared aloud: both match.", &err), &err,
	   "note");
	fx_run_steps(s, 3);
	ok(session_sitting_close(s, CK_SIDE_A, &err), &err, "close sitting");
	fx_now += 86400;
	ok(session_sitting_open(s, both, &err), &err, "sitting 2");
	ok(session_deviation(s, NULL, "Second sitting a day late: Bob was travelling.", &err),
	   &err, "deviation");
	fx_run_steps(s, 2);
	/* A skip, as both operators would agree it (with both signatures). */
	next = -1; /* the last step of the catalogue not worked on */
	for (size_t i = session_n_steps(s); i-- > 0 && next < 0;) {
		struct session_step_info info;
		session_step_info(s, i, &info);
		if ((info.state == STEP_READY || info.state == STEP_BLOCKED) && !info.started)
			next = (long)i;
	}
	assert_true(next >= 0);
	ok(session_step_skip(s, session_catalogue(s)->steps[next].id,
			     "Done last year for another tenant; see ticket <CK-7> & \"notes\".", &err),
	   &err, "skip");
	if (close)
		ok(session_close(s, &err), &err, "close");
	session_free(s);
}
