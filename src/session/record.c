/* record.c: how an event gets into the journal. The action builds it, the
 * rules judge it on a copy of the state (shadow.c; refused there = never
 * written), the journal appends it signed, and the recorded event is
 * applied to the state. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sess_fail(char **err, char *msg)
{
	*err = msg;
	return -1;
}

/* Run the event through the rules on a copy of the state: the real state
 * is changed only by events that are on disk. */
int sess_precheck(const struct session *s, const struct journal_event *ev, char **why)
{
	return sess_dry_run(s, ev, 1, why);
}

/* Check, sign, append, apply. payload is consumed. */
int sess_record(struct session *s, enum sess_ev type, int actor, cJSON *payload,
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
	if ((s->blocker == SESSION_PLAN_CHANGED && !sess_ev_allowed_while_plan_changed(type)) ||
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
	fake.seq = (long)s->n_ev + 1;
	sess_format_time(sess_clock_stamp(), fake.time);
	fake.type = xstrdup(sess_ev_name(type));
	fake.actor = actor;
	fake.payload = payload;
	for (size_t i = 0; i < n_sides; i++)
		fake.sigs[i].by = sides[i];
	fake.n_sigs = n_sides;
	rc = sess_precheck(s, &fake, &why);
	free(fake.type);
	if (rc < 0) {
		sess_clock_unstamp();
		cJSON_Delete(payload);
		*err = xasprintf(_("Refused: %s."), why);
		free(why);
		return -1;
	}
	sess_clock_pin_journal();
	memset(&out, 0, sizeof out);
	rc = journal_append(s->j, sess_ev_name(type), actor, payload, signers, sides, n_sides, &out, err);
	sess_clock_unstamp();
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

int sess_record1(struct session *s, enum sess_ev type, int side, cJSON *p, char **err)
{
	if (side != CK_SIDE_A && side != CK_SIDE_B) {
		cJSON_Delete(p);
		return sess_fail(err, xstrdup(_("say which operator (A or B) is acting")));
	}
	return sess_record(s, type, side, p, &side, 1, err);
}

int sess_record_both(struct session *s, enum sess_ev type, int actor, cJSON *p, char **err)
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
