/* session_record.c: how an event gets into the journal. The action builds
 * it, the rules judge it on a scratch replay of the journal (refused there =
 * never written), the journal appends it signed, and the recorded event is
 * applied to the state. The time an event carries and the time the rules
 * judged are the same instant: the journal's clock is pinned for the append.
 * Also: creating a session (directory, plan copy, session.open). */
#include "ck.h"
#include "session_int.h"
#include "fileread.h"
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

static unsigned sess_new_cat_version;

void session_test_set_catalogue_version(unsigned version)
{
	sess_new_cat_version = version;
}

time_t session_now(const struct session *s)
{
	return sess_real_now() + s->clock_offset;
}

int sess_fail(char **err, char *msg)
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
int sess_record(struct session *s, const char *type, int actor, cJSON *payload,
		       const int *sides, size_t n_sides, char **err)
{
	struct journal_event fake, out;
	struct keys_private *signers[CK_SIDES];
	char *why = NULL;
	int rc;
	if (!s->j) {
		cJSON_Delete(payload);
		return sess_fail(err, xstrdup(_("this session is open read only")));
	}
	if (journal_failed(s->j)) {
		cJSON_Delete(payload);
		sess_refresh_blocker(s);
		return sess_fail(err, xstrdup(s->blocker_text));
	}
	if ((s->blocker == SESSION_PLAN_CHANGED && !allowed_while_plan_changed(type)) ||
	    s->blocker == SESSION_TORN_TAIL) {
		cJSON_Delete(payload);
		return sess_fail(err, xstrdup(s->blocker_text));
	}
	for (size_t i = 0; i < n_sides; i++) {
		if (!s->key[sides[i]]) {
			cJSON_Delete(payload);
			return sess_fail(err, xasprintf(_("operator %s must unlock their key first"),
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

int sess_record1(struct session *s, const char *type, int side, cJSON *p, char **err)
{
	if (side != CK_SIDE_A && side != CK_SIDE_B) {
		cJSON_Delete(p);
		return sess_fail(err, xstrdup(_("say which operator (A or B) is acting")));
	}
	return sess_record(s, type, side, p, &side, 1, err);
}

int sess_record_both(struct session *s, const char *type, int actor, cJSON *p, char **err)
{
	static const int both[CK_SIDES] = { CK_SIDE_A, CK_SIDE_B };
	return sess_record(s, type, actor, p, both, 2, err);
}

cJSON *sess_step_payload(const char *step_id)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "step", step_id ? step_id : "");
	return p;
}

/* ---- creating a session ------------------------------------------------- */

int sess_write_new_file(const char *path, const char *data, size_t len, char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	size_t off = 0;
	if (fd < 0)
		return sess_fail(err, xasprintf(_("cannot create %s: %s"), path, strerror(errno)));
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(fd);
			return sess_fail(err, xasprintf(_("cannot write %s: %s"), path, strerror(e)));
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0)
		return sess_fail(err, xasprintf(_("cannot write %s: %s"), path, strerror(errno)));
	return 0;
}

/* Write a new session into s->dir (the temporary directory): the plan copy,
 * the journal with session.open (p consumed), and for a rehearsal the
 * simulator's state with its faults, so all of it moves into place at once. */
static int sess_create_in(struct session *s, const char *bytes, size_t len, cJSON *p,
			  char **err)
{
	struct journal_event out;
	char *why = NULL, *path = xasprintf("%s/%s", s->dir, SESSION_PLAN_FILE);
	int rc = sess_write_new_file(path, bytes, len, err);
	free(path);
	if (rc < 0) {
		sess_stamp = (time_t)-1;
		cJSON_Delete(p);
		return -1;
	}
	sess_create_point(SESS_AT_PLAN_WRITTEN);
	s->j = journal_create(s->journal_path, err);
	if (!s->j) {
		sess_stamp = (time_t)-1;
		cJSON_Delete(p);
		return -1;
	}
	sess_create_point(SESS_AT_JOURNAL_MADE);
	journal_test_set_clock(sess_journal_clock);
	memset(&out, 0, sizeof out);
	if (journal_append(s->j, "session.open", CK_SIDE_NONE, p, NULL, NULL, 0, &out, err) < 0) {
		sess_stamp = (time_t)-1;
		return -1;
	}
	sess_stamp = (time_t)-1;
	sess_create_point(SESS_AT_OPENED);
	if (sess_apply(s, &out, true, &why) < 0) {
		*err = why;
		journal_event_free(&out);
		return -1;
	}
	s->ev = xmalloc(sizeof *s->ev);
	s->ev[s->n_ev++] = out;
	memcpy(s->head, out.hash, sizeof s->head);
	if (sess_reopen_backend(s, err) < 0)
		return -1;
	if (s->backend && s->backend->ops->save && s->backend->ops->save(s->backend, err) < 0)
		return -1;
	sess_create_point(SESS_AT_SIM_SAVED);
	return 0;
}

int sess_create(struct session *s, const struct session_opts *o, char **err)
{
	char *bytes = NULL, *why = NULL;
	cJSON *p;
	size_t len = 0;
	if (fileread(o->plan_path, PLAN_MAX_BYTES, 0, &bytes, &len, &why) != FILEREAD_OK) {
		int rc = sess_fail(err, xasprintf(_("cannot read %s: %s"), o->plan_path, why));
		free(why);
		return rc;
	}
	why = NULL;
	/* Everything is checked before the first side effect. */
	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "format", SESSION_FORMAT);
	cJSON_AddStringToObject(p, "tool", PACKAGE_STRING);
	cJSON_AddStringToObject(p, "mode", sess_mode_name(o->mode));
	{
		/* Absent means 1, so journals of the first catalogue keep their bytes. */
		unsigned v = sess_new_cat_version ? sess_new_cat_version : STEPS_CATALOGUE_VERSION;
		if (v > 1)
			cJSON_AddNumberToObject(p, "catalogue", v);
		if (o->offboarding)
			cJSON_AddStringToObject(p, "ceremony", "offboarding");
	}
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
	/* Built beside its place and renamed into it (session_create.c). */
	struct sess_tmp t;
	if ((o->before_create && o->before_create(o->before_create_arg, err) < 0) ||
	    sess_dir_prepare(o->dir, &t, err) < 0) {
		sess_stamp = (time_t)-1;
		free(bytes);
		cJSON_Delete(p);
		return -1;
	}
	char *final_dir = s->dir, *final_journal = s->journal_path;
	s->dir = t.path;
	s->journal_path = xasprintf("%s/%s", t.path, JOURNAL_FILE);
	int rc = sess_create_in(s, bytes, len, p, err);
	free(bytes);
	if (rc == 0) {
		journal_close(s->j); /* opened again below, at its final place */
		s->j = NULL;
		backend_free(s->backend);
		s->backend = NULL;
	}
	free(s->journal_path);
	s->dir = final_dir;
	s->journal_path = final_journal;
	if (rc < 0 || sess_dir_commit(&t, o->dir, err) < 0) {
		if (s->j)
			journal_close(s->j);
		s->j = NULL;
		backend_free(s->backend);
		s->backend = NULL;
		sess_dir_abandon(&t);
		return -1;
	}
	struct journal_read r;
	s->j = journal_open(s->journal_path, &r, err);
	bool same = s->j && r.problem == JPROB_NONE && r.n == 1 &&
		    strcmp(r.ev[0].hash, s->head) == 0;
	journal_read_free(&r);
	if (!same) {
		if (s->j && err && !*err)
			*err = xasprintf(_("%s changed while the session was being created"),
					 s->journal_path);
		return -1;
	}
	return sess_reopen_backend(s, err);
}
