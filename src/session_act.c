/* session_act.c: what the operators do. Each action builds its event, runs
 * it through the rule engine on a scratch replay of the journal (refused
 * there = never written), appends it signed, then applies the recorded event
 * to the state. The time an event carries and the time the rules judged are
 * the same instant: the journal's clock is pinned for the append. */
#include "ck.h"
#include "keystore.h"
#include "report.h"
#include "session_int.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static time_t (*sess_clock)(void);
static time_t sess_stamp = (time_t)-1;

static time_t sess_real_now(void)
{
	return sess_clock ? sess_clock() : time(NULL);
}

static time_t sess_journal_clock(void)
{
	return sess_stamp != (time_t)-1 ? sess_stamp : sess_real_now();
}

void session_test_set_clock(time_t (*clock)(void))
{
	sess_clock = clock;
}

time_t session_now(const struct session *s)
{
	return sess_real_now() + s->clock_offset;
}

static int fail(char **err, char *msg)
{
	*err = msg;
	return -1;
}

/* Run the event through the rules on a scratch replay: the real state is
 * changed only by events that are on disk. */
static int sess_precheck(const struct session *s, const struct journal_event *ev, char **why)
{
	struct session *x = xcalloc(1, sizeof *x);
	int rc = 0;
	x->verifier = CK_SIDE_NONE;
	x->torn_offset = -1;
	for (size_t i = 0; i < s->n_ev && rc == 0; i++)
		rc = sess_apply(x, &s->ev[i], false, why);
	if (rc == 0)
		rc = sess_apply(x, ev, false, why);
	session_free(x);
	return rc;
}

static bool allowed_while_plan_changed(const char *type)
{
	static const char *const ok[] = { "sitting.open", "sitting.close", "note", "plan.amend",
					  "deviation" };
	for (size_t i = 0; i < CK_ARRAY_LEN(ok); i++)
		if (strcmp(ok[i], type) == 0)
			return true;
	return false;
}

/* Check, sign, append, apply. payload is consumed. */
static int sess_record(struct session *s, const char *type, int actor, cJSON *payload,
		       const int *sides, size_t n_sides, char **err)
{
	struct journal_event fake, out;
	struct keys_private *signers[CK_SIDES];
	char *why = NULL;
	int rc;
	if (!s->j) {
		cJSON_Delete(payload);
		return fail(err, xstrdup(_("this session is open read only")));
	}
	if (journal_failed(s->j)) {
		cJSON_Delete(payload);
		sess_refresh_blocker(s);
		return fail(err, xstrdup(s->blocker_text));
	}
	if ((s->blocker == SESSION_PLAN_CHANGED && !allowed_while_plan_changed(type)) ||
	    s->blocker == SESSION_TORN_TAIL) {
		cJSON_Delete(payload);
		return fail(err, xstrdup(s->blocker_text));
	}
	for (size_t i = 0; i < n_sides; i++) {
		if (!s->key[sides[i]]) {
			cJSON_Delete(payload);
			return fail(err, xasprintf(_("operator %s must unlock their key first"),
						   sess_side_name(sides[i])));
		}
		signers[i] = s->key[sides[i]];
	}
	memset(&fake, 0, sizeof fake);
	sess_stamp = sess_real_now();
	fake.seq = (long)s->n_ev + 1;
	sess_format_time(sess_stamp, fake.time);
	fake.type = xstrdup(type);
	fake.actor = actor;
	fake.payload = payload;
	for (size_t i = 0; i < n_sides; i++)
		fake.sigs[i].by = sides[i];
	fake.n_sigs = n_sides;
	rc = sess_precheck(s, &fake, &why);
	free(fake.type);
	if (rc < 0) {
		sess_stamp = (time_t)-1;
		cJSON_Delete(payload);
		*err = xasprintf(_("Refused: %s."), why);
		free(why);
		return -1;
	}
	journal_test_set_clock(sess_journal_clock);
	memset(&out, 0, sizeof out);
	rc = journal_append(s->j, type, actor, payload, signers, sides, n_sides, &out, err);
	sess_stamp = (time_t)-1;
	if (rc < 0) {
		sess_refresh_blocker(s);
		return -1;
	}
	if (sess_apply(s, &out, true, &why) < 0) {
		/* Cannot happen unless the rules depend on something the scratch
		 * replay did not have; the journal now holds it: stop here. */
		*err = xasprintf(_("Recorded, but the recorded event is refused on replay: %s. "
				   "Stop and run ckwizard verify."), why);
		free(why);
		journal_event_free(&out);
		s->blocker = SESSION_FAILED;
		return -1;
	}
	s->ev = xrealloc(s->ev, (s->n_ev + 1) * sizeof *s->ev);
	s->ev[s->n_ev++] = out;
	memcpy(s->head, out.hash, sizeof s->head);
	sess_refresh_blocker(s);
	return 0;
}

static int record1(struct session *s, const char *type, int side, cJSON *p, char **err)
{
	if (side != CK_SIDE_A && side != CK_SIDE_B) {
		cJSON_Delete(p);
		return fail(err, xstrdup(_("say which operator (A or B) is acting")));
	}
	return sess_record(s, type, side, p, &side, 1, err);
}

static int record_both(struct session *s, const char *type, int actor, cJSON *p, char **err)
{
	static const int both[CK_SIDES] = { CK_SIDE_A, CK_SIDE_B };
	return sess_record(s, type, actor, p, both, 2, err);
}

static cJSON *step_payload(const char *step_id)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "step", step_id ? step_id : "");
	return p;
}

/* ---- creating a session ------------------------------------------------- */

static int write_new_file(const char *path, const char *data, size_t len, char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	size_t off = 0;
	if (fd < 0)
		return fail(err, xasprintf(_("cannot create %s: %s"), path, strerror(errno)));
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(fd);
			return fail(err, xasprintf(_("cannot write %s: %s"), path, strerror(e)));
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0)
		return fail(err, xasprintf(_("cannot write %s: %s"), path, strerror(errno)));
	return 0;
}

int sess_create(struct session *s, const struct session_opts *o, char **err)
{
	struct stat st;
	char *bytes = NULL, *path, *why = NULL;
	cJSON *p;
	struct journal_event out;
	size_t len = 0;
	int fd = open(o->plan_path, O_RDONLY | O_CLOEXEC);
	struct buf b = BUF_INIT;
	char chunk[8192];
	ssize_t n;
	if (fd < 0)
		return fail(err, xasprintf(_("cannot read %s: %s"), o->plan_path, strerror(errno)));
	while ((n = read(fd, chunk, sizeof chunk)) > 0 && b.len <= PLAN_MAX_BYTES)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	if (n < 0 || b.len > PLAN_MAX_BYTES) {
		buf_free(&b);
		return fail(err, xasprintf(_("cannot read %s (or larger than %d bytes)"),
					   o->plan_path, PLAN_MAX_BYTES));
	}
	len = b.len;
	bytes = buf_steal(&b);
	/* Everything is checked before the first side effect. */
	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "format", SESSION_FORMAT);
	cJSON_AddStringToObject(p, "tool", PACKAGE_STRING);
	cJSON_AddStringToObject(p, "mode", sess_mode_name(o->mode));
	{
		char hex[HASH_SHA256_HEX_LEN + 1];
		hash_sha256_hex(bytes, len, hex);
		cJSON_AddStringToObject(p, "plan_sha256", hex);
	}
	cJSON_AddStringToObject(p, "plan", bytes);
	{
		struct journal_event fake;
		memset(&fake, 0, sizeof fake);
		fake.seq = 1;
		sess_stamp = sess_real_now();
		sess_format_time(sess_stamp, fake.time);
		fake.type = xstrdup("session.open");
		fake.actor = CK_SIDE_NONE;
		fake.payload = p;
		int prc = strlen(bytes) != len ? -1 : sess_precheck(s, &fake, &why);
		free(fake.type);
		if (prc < 0) {
			sess_stamp = (time_t)-1;
			*err = xasprintf(_("%s: cannot start a session: %s"), o->plan_path,
					 why ? why : _("the plan holds a NUL byte"));
			free(why);
			free(bytes);
			cJSON_Delete(p);
			return -1;
		}
	}
	if (mkdir(o->dir, 0700) < 0 && errno != EEXIST) {
		sess_stamp = (time_t)-1;
		free(bytes);
		cJSON_Delete(p);
		return fail(err, xasprintf(_("cannot create %s: %s"), o->dir, strerror(errno)));
	}
	if (lstat(o->dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		sess_stamp = (time_t)-1;
		free(bytes);
		cJSON_Delete(p);
		return fail(err, xasprintf(_("%s is not a directory"), o->dir));
	}
	path = xasprintf("%s/%s", o->dir, SESSION_PLAN_FILE);
	if (write_new_file(path, bytes, len, err) < 0) {
		sess_stamp = (time_t)-1;
		free(path);
		free(bytes);
		cJSON_Delete(p);
		return -1;
	}
	free(path);
	free(bytes);
	s->j = journal_create(s->journal_path, err);
	if (!s->j) {
		sess_stamp = (time_t)-1;
		cJSON_Delete(p);
		return -1;
	}
	journal_test_set_clock(sess_journal_clock);
	memset(&out, 0, sizeof out);
	if (journal_append(s->j, "session.open", CK_SIDE_NONE, p, NULL, NULL, 0, &out, err) < 0) {
		sess_stamp = (time_t)-1;
		return -1;
	}
	sess_stamp = (time_t)-1;
	if (sess_apply(s, &out, true, &why) < 0) {
		*err = why;
		journal_event_free(&out);
		return -1;
	}
	s->ev = xmalloc(sizeof *s->ev);
	s->ev[s->n_ev++] = out;
	memcpy(s->head, out.hash, sizeof s->head);
	return sess_reopen_backend(s, err);
}

/* ---- operators ---------------------------------------------------------- */

static char *find_demo_key(const struct session *s, const char *file)
{
	const char *env = getenv("CK_SRCDIR");
	char *cands[3] = {
		s->data_dir ? xasprintf("%s/demo-operators/%s", s->data_dir, file) : NULL,
		env && *env ? xasprintf("%s/plans/demo-operators/%s", env, file) : NULL,
		xasprintf("%s/demo-operators/%s", PKGDATADIR, file),
	};
	char *found = NULL;
	for (int i = 0; i < 3; i++) {
		if (!found && cands[i] && access(cands[i], R_OK) == 0)
			found = cands[i];
		else
			free(cands[i]);
	}
	return found;
}

static char *key_path_for(const struct session *s, int side, char **err)
{
	const struct plan_operator *op = &s->plan->op[side];
	const struct pubkey_demo *demo = pubkey_demo_find(op->pub);
	char *path;
	if (s->key_path[side])
		return xstrdup(s->key_path[side]);
	if (demo && s->mode == SESSION_REHEARSAL) {
		path = find_demo_key(s, demo->file);
		if (!path)
			*err = xasprintf(_("the demo key %s was not found (looked in the data "
					   "directory, $CK_SRCDIR/plans and %s)"), demo->file, PKGDATADIR);
		return path;
	}
	{
		struct keystore_entry e;
		char *dir = s->keystore_dir ? xstrdup(s->keystore_dir) : keystore_default_dir(err);
		int rc = dir ? keystore_find_key(dir, op->pub, &e, err) : -1;
		if (rc == 1)
			*err = xasprintf(_("no key for operator %s (%s) in %s: enroll it with "
					   "`ckwizard operator enroll`, or give its file with --key-%s"),
					 sess_side_name(side), op->upn, dir, sess_side_name(side));
		free(dir);
		if (rc != 0)
			return NULL;
		path = e.has_key ? xstrdup(e.key_path) : NULL;
		if (!path)
			*err = xasprintf(_("the key file of operator %s (%s) is missing"),
					 sess_side_name(side), op->upn);
		keystore_entry_free(&e);
		return path;
	}
}

int session_unlock_key(struct session *s, int side, struct keys_private *k, char **err)
{
	unsigned char pub[PUBKEY_LEN];
	char *fp_have, *fp_want;
	if ((side != CK_SIDE_A && side != CK_SIDE_B) || !s->plan || !k) {
		keys_lock(k);
		return fail(err, xstrdup(_("say which operator (A or B) is unlocking")));
	}
	keys_public(k, pub);
	if (memcmp(pub, s->pub[side], PUBKEY_LEN) != 0) {
		fp_have = pubkey_fingerprint(pub);
		fp_want = pubkey_fingerprint(s->pub[side]);
		*err = xasprintf(_("this key (%s) is not operator %s's key in the plan (%s)%s"),
				 fp_have, sess_side_name(side), fp_want,
				 memcmp(pub, s->pub[ck_other_side(side)], PUBKEY_LEN) == 0
					 ? _(": it is the other operator's key; one person cannot "
					     "act as both")
					 : "");
		free(fp_have);
		free(fp_want);
		keys_lock(k);
		return -1;
	}
	if (s->mode == SESSION_RUN && pubkey_demo_find(pub)) {
		keys_lock(k);
		return fail(err, xstrdup(_("the bundled demo keys are for rehearsals only")));
	}
	keys_lock(s->key[side]);
	s->key[side] = k;
	return 0;
}

int session_unlock(struct session *s, int side, const char *passphrase, char **err)
{
	char *path;
	struct keys_private *k;
	if ((side != CK_SIDE_A && side != CK_SIDE_B) || !s->plan)
		return fail(err, xstrdup(_("say which operator (A or B) is unlocking")));
	path = key_path_for(s, side, err);
	if (!path)
		return -1;
	k = keys_unlock_file(path, passphrase, err);
	free(path);
	if (!k)
		return -1;
	return session_unlock_key(s, side, k, err);
}

void session_lock(struct session *s, int side)
{
	if (side == CK_SIDE_A || side == CK_SIDE_B) {
		keys_lock(s->key[side]);
		s->key[side] = NULL;
	}
}

int session_sitting_open(struct session *s, const bool present[CK_SIDES], char **err)
{
	int sides[CK_SIDES], n = 0;
	cJSON *p, *arr;
	for (int side = 0; side < CK_SIDES; side++)
		if (present[side])
			sides[n++] = side;
	if (n == 0)
		return fail(err, xstrdup(_("at least one operator must be present")));
	if (s->sitting_open) { /* left open by a crash or a quit: close it first */
		p = cJSON_CreateObject();
		cJSON_AddNumberToObject(p, "sitting", (double)s->sitting_no);
		if (sess_record(s, "sitting.close", sides[0], p, sides, 1, err) < 0)
			return -1;
	}
	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "sitting", (double)(s->sitting_no + 1));
	arr = cJSON_AddArrayToObject(p, "present");
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(sess_side_name(sides[i])));
	return sess_record(s, "sitting.open", sides[0], p, sides, (size_t)n, err);
}

int session_sitting_close(struct session *s, int side, char **err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "sitting", (double)s->sitting_no);
	return record1(s, "sitting.close", side, p, err);
}

/* ---- plan --------------------------------------------------------------- */

static cJSON *plan_payload(const struct session *s)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "version", (double)s->plan_version);
	cJSON_AddStringToObject(p, "plan_sha256", s->plan ? s->plan->sha256 : "");
	return p;
}

int session_plan_approve(struct session *s, int side, char **err)
{
	return record1(s, "plan.approve", side, plan_payload(s), err);
}

int session_plan_verify(struct session *s, int side, const bool *answers,
			const char *const *ack_ids, size_t n_ack, char **err)
{
	cJSON *p = plan_payload(s), *cl = cJSON_AddObjectToObject(p, "checklist");
	cJSON *ack = cJSON_AddArrayToObject(p, "acknowledged");
	for (size_t i = 0; i < session_n_checklist; i++)
		cJSON_AddBoolToObject(cl, session_checklist[i].id, answers && answers[i]);
	for (size_t i = 0; i < n_ack; i++)
		cJSON_AddItemToArray(ack, cJSON_CreateString(ack_ids[i]));
	return record1(s, "plan.verify", side, p, err);
}

int session_amend(struct session *s, char **err)
{
	char hex[HASH_SHA256_HEX_LEN + 1], *path;
	cJSON *p;
	if (!s->pending_bytes)
		return fail(err, xstrdup(_("the plan file has not changed: nothing to amend")));
	if (strlen(s->pending_bytes) != s->pending_len)
		return fail(err, xstrdup(_("the plan file holds a NUL byte")));
	hash_sha256_hex(s->pending_bytes, s->pending_len, hex);
	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "version", (double)(s->plan_version + 1));
	cJSON_AddStringToObject(p, "plan_sha256", hex);
	cJSON_AddStringToObject(p, "plan", s->pending_bytes);
	cJSON_AddStringToObject(p, "diff", s->pending_diff);
	if (record_both(s, "plan.amend", s->plan->author, p, err) < 0)
		return -1;
	/* Keep each version next to the first: plan-v2.yaml, ... */
	path = xasprintf("%s/plan-v%ld.yaml", s->dir, s->plan_version);
	if (write_new_file(path, s->pending_bytes, s->pending_len, err) < 0) {
		free(path);
		return -1;
	}
	free(path);
	free(s->pending_bytes);
	free(s->pending_diff);
	s->pending_bytes = s->pending_diff = NULL;
	sess_refresh_blocker(s);
	return sess_reopen_backend(s, err);
}

/* ---- steps -------------------------------------------------------------- */

static const struct step *find_step(const struct session *s, const char *id, char **err)
{
	long i = session_step_index(s, id);
	if (i < 0)
		*err = xasprintf(_("unknown step \"%s\""), id ? id : "");
	return i < 0 ? NULL : &s->cat->steps[i];
}

int session_step_start(struct session *s, int side, const char *step_id, char **err)
{
	return record1(s, "step.start", side, step_payload(step_id), err);
}

int session_step_evidence(struct session *s, int side, const char *step_id,
			  const char *evidence_id, const char *value, char **err)
{
	const struct step *st = find_step(s, step_id, err);
	const struct evidence_spec *e = NULL;
	char *norm = NULL;
	cJSON *p;
	if (!st)
		return -1;
	for (size_t k = 0; k < st->n_evidence; k++)
		if (util_streq(st->evidence[k].id, evidence_id))
			e = &st->evidence[k];
	if (!e)
		return fail(err, xasprintf(_("step %s asks for no evidence \"%s\""), st->id,
					   evidence_id ? evidence_id : ""));
	if (!value || steps_validate_evidence_with(s->cat, st, e, value, session_evidence, s, &norm,
						   err) < 0)
		return -1;
	p = step_payload(step_id);
	cJSON_AddStringToObject(p, "evidence", e->id);
	cJSON_AddStringToObject(p, "value", norm ? norm : value);
	free(norm);
	return record1(s, "step.evidence", side, p, err);
}

static int record_check(struct session *s, int side, const struct step *st, const char *type,
			struct check_result *r, const struct session_check **out, char **err)
{
	cJSON *p = step_payload(st->id);
	int rc;
	cJSON_AddStringToObject(p, "status", check_status_name(r->status));
	cJSON_AddStringToObject(p, "summary", r->summary ? r->summary : "");
	cJSON_AddStringToObject(p, "detail", r->detail ? r->detail : "");
	check_result_free(r);
	rc = record1(s, type, side, p, err);
	if (rc == 0 && out)
		*out = &s->steps[st - s->cat->steps].check;
	return rc;
}

int session_step_check(struct session *s, int side, const char *step_id,
		       const struct session_check **out, char **err)
{
	const struct step *st = find_step(s, step_id, err);
	struct check_result r = { CHECK_UNAVAILABLE, NULL, NULL };
	if (!st)
		return -1;
	if (!s->backend || st->check.kind == CHECK_NONE) {
		r.summary = xstrdup(s->backend ? _("nothing to check for this step")
					       : _("not checked: guide mode"));
		r.detail = xstrdup("");
	} else if (backend_check(s->backend, st, session_now(s), &r) < 0 && !r.summary) {
		r.status = CHECK_UNAVAILABLE;
		r.summary = xstrdup(_("the check could not run"));
	}
	return record_check(s, side, st, "step.check", &r, out, err);
}

int session_step_perform(struct session *s, int side, const char *step_id,
			 const struct session_check **out, char **err)
{
	const struct step *st = find_step(s, step_id, err);
	struct check_result r = { CHECK_UNAVAILABLE, NULL, NULL };
	char *serr = NULL;
	if (!st)
		return -1;
	if (!s->backend)
		return fail(err, xstrdup(_("steps are performed only in a rehearsal, on the "
					   "simulator: in a real ceremony run the commands yourself")));
	/* Ask the rules first so the simulator is not changed for nothing. */
	if (side != st->owner || !s->key[side] || !s->sitting_open || !s->present[side] ||
	    !s->verified)
		return fail(err, xasprintf(_("Refused: step %s is performed by its owner, operator "
					     "%s, present, unlocked, once the plan is verified."),
					   st->id, sess_side_name(st->owner)));
	if (backend_perform(s->backend, st, session_now(s), &r) < 0 && !r.summary) {
		r.status = CHECK_FAIL;
		r.summary = xstrdup(_("the simulator could not perform this step"));
	}
	if (s->backend->ops->save && s->backend->ops->save(s->backend, &serr) < 0) {
		check_result_free(&r);
		*err = serr;
		return -1;
	}
	return record_check(s, side, st, "step.perform", &r, out, err);
}

int session_step_confirm(struct session *s, int side, const char *step_id,
			 const char *typed_name, char **err)
{
	const struct step *st = find_step(s, step_id, err);
	char *res, until[21];
	cJSON *p;
	if (!st)
		return -1;
	p = step_payload(step_id);
	res = sess_step_resources(st);
	cJSON_AddStringToObject(p, "resources", res);
	free(res);
	if (st->critical)
		cJSON_AddStringToObject(p, "typed", typed_name ? typed_name : "");
	if (record1(s, "step.confirm", side, p, err) < 0)
		return -1;
	if (st->wait.kind == WAIT_NONE)
		return 0;
	/* The wait starts now: record what it is, for the report and the screen. */
	p = step_payload(step_id);
	if (st->wait.kind == WAIT_HOURS) {
		sess_format_time(s->steps[st - s->cat->steps].confirmed_at +
					 (time_t)st->wait.hours * 3600, until);
		cJSON_AddStringToObject(p, "kind", "until");
		cJSON_AddStringToObject(p, "until", until);
	} else {
		cJSON_AddStringToObject(p, "kind", "event");
		cJSON_AddStringToObject(p, "event", st->wait.event ? st->wait.event : "");
	}
	return record1(s, "step.wait", side, p, err);
}

int session_step_witness(struct session *s, int side, const char *step_id, char **err)
{
	return record1(s, "step.witness", side, step_payload(step_id), err);
}

int session_step_event(struct session *s, int side, const char *step_id, const char *what,
		       char **err)
{
	cJSON *p = step_payload(step_id);
	cJSON_AddStringToObject(p, "what", what ? what : "");
	return record1(s, "step.event", side, p, err);
}

int session_step_skip(struct session *s, const char *step_id, const char *reason, char **err)
{
	const struct step *st = find_step(s, step_id, err);
	cJSON *p;
	if (!st)
		return -1;
	p = step_payload(step_id);
	cJSON_AddStringToObject(p, "reason", reason ? reason : "");
	return record_both(s, "step.skip", st->owner, p, err);
}

int session_deviation(struct session *s, const char *step_id, const char *reason, char **err)
{
	cJSON *p = cJSON_CreateObject();
	int actor = s->plan ? s->plan->tenant_admin : CK_SIDE_A;
	if (step_id) {
		const struct step *st = find_step(s, step_id, err);
		if (!st) {
			cJSON_Delete(p);
			return -1;
		}
		actor = st->owner;
		cJSON_AddStringToObject(p, "step", step_id);
	} else {
		cJSON_AddNullToObject(p, "step");
	}
	cJSON_AddStringToObject(p, "reason", reason ? reason : "");
	return record_both(s, "deviation", actor, p, err);
}

int session_note(struct session *s, int side, const char *text, char **err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "text", text ? text : "");
	return record1(s, "note", side, p, err);
}

int session_clock_advance(struct session *s, int side, long seconds, char **err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "seconds", (double)seconds);
	cJSON_AddNumberToObject(p, "offset", (double)(s->clock_offset + seconds));
	return record1(s, "clock.advance", side, p, err);
}

int session_set_aside_tail(struct session *s, const char *reason, char **err)
{
	static const bool both[CK_SIDES] = { true, true };
	cJSON *p;
	long off = s->torn_offset;
	if (s->blocker != SESSION_TORN_TAIL)
		return fail(err, xstrdup(_("the journal has no torn tail to set aside")));
	if (!s->key[0] || !s->key[1])
		return fail(err, xstrdup(_("both operators must unlock their keys to set a torn "
					   "tail aside")));
	if (!reason || !*reason)
		return fail(err, xstrdup(_("say why the torn tail is set aside")));
	if (journal_set_aside_tail(s->j, err) < 0)
		return -1;
	s->blocker = SESSION_OK;
	sess_refresh_blocker(s);
	if (!(s->sitting_open && s->present[0] && s->present[1]) &&
	    session_sitting_open(s, both, err) < 0)
		return -1;
	p = cJSON_CreateObject();
	cJSON_AddNullToObject(p, "step");
	cJSON_AddStringToObject(p, "reason", reason);
	cJSON_AddNumberToObject(p, "torn_offset", (double)off);
	return record_both(s, "deviation", s->plan->tenant_admin, p, err);
}

int session_close(struct session *s, char **err)
{
	static const struct { enum report_format f; const char *ext; } outs[] = {
		{ REPORT_MD, "md" }, { REPORT_HTML, "html" }, { REPORT_JSON, "json" },
	};
	cJSON *p = cJSON_CreateObject();
	long open_items = 0;
	time_t now = session_now(s);
	for (size_t i = 0; s->cat && i < s->cat->n_steps; i++) {
		enum session_step_state st = sess_step_state(s, i, now, NULL);
		open_items += st != STEP_DONE && st != STEP_SKIPPED;
	}
	cJSON_AddNumberToObject(p, "open_items", (double)open_items);
	if (record_both(s, "session.close", s->plan ? s->plan->tenant_admin : CK_SIDE_A, p, err) < 0)
		return -1;
	for (size_t i = 0; i < CK_ARRAY_LEN(outs); i++) {
		struct buf b = BUF_INIT;
		char *path = xasprintf("%s/report.%s", s->dir, outs[i].ext), *werr = NULL;
		report_render(s, outs[i].f, &b);
		if (report_write_file(path, b.p ? b.p : "", b.len, &werr) < 0) {
			*err = xasprintf(_("The ceremony is closed and recorded, but a report could "
					   "not be written (%s): render it with `ckwizard report`."),
					 werr);
			free(werr);
			free(path);
			buf_free(&b);
			return -1;
		}
		free(path);
		buf_free(&b);
	}
	return 0;
}
