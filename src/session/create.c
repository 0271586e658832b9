/* create.c: creating a session: its plan copy and session.open, judged
 * before anything is written, in a directory that appears whole or not at
 * all.
 *
 * It is built in a temporary directory beside the target (same file
 * system), every file fsync'd, the directory fsync'd, then renamed into
 * place and the parent fsync'd: rename(2) is atomic, so a kill at any moment
 * leaves either no session or one that opens. Nothing is created before the
 * caller has checked everything it can. A temporary directory left by a
 * killed start is locked (flock) by its creator while it lives; the next
 * start beside it removes those nobody holds. Directories an older
 * ckwizard left half-made (created in place) are recognised and the
 * operator is told how to remove them. */
#include "buf.h"
#include "ck.h"
#include "fileread.h"
#include "journal.h"
#include "quote.h"
#include "session/session_int.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define SESS_TMP_TAG ".ckw-new."

/* The files a session directory holds after its start: what an older
 * version could leave half-made, and all a temporary directory may hold. */
static const char *const sess_start_files[] = {
	SESSION_PLAN_FILE, JOURNAL_FILE, SESSION_SIM_FILE, SESSION_SIM_FILE ".tmp",
};

static void (*sess_create_hook)(enum session_create_point);

void session_test_create_hook(void (*hook)(enum session_create_point))
{
	sess_create_hook = hook;
}

void sess_create_point(enum session_create_point p)
{
	if (sess_create_hook)
		sess_create_hook(p);
}

static bool sess_is_start_file(const char *name)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(sess_start_files); i++)
		if (strcmp(name, sess_start_files[i]) == 0)
			return true;
	return false;
}

/* Entries of an open directory (. and .. aside): how many, and whether all
 * are start files. -1 when it cannot be read. */
static long sess_scan(int dfd, bool *only_start)
{
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	long n = 0;
	*only_start = true;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n++;
		*only_start &= sess_is_start_file(de->d_name);
	}
	closedir(d);
	return n;
}

char *sess_half_made(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool only_start;
	struct stat st;
	if (dfd < 0)
		return NULL;
	long n = sess_scan(dfd, &only_start);
	/* an empty journal, or none: no event was ever recorded there */
	bool no_events = fstatat(dfd, JOURNAL_FILE, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
			 (S_ISREG(st.st_mode) && st.st_size == 0);
	close(dfd);
	if (n <= 0 || !only_start || !no_events)
		return NULL;
	struct buf cmd = BUF_INIT;
	buf_puts(&cmd, "rm -r -- ");
	if (quote_sh(&cmd, dir) < 0) {
		buf_free(&cmd);
		return xasprintf(_("%s was left half-made when an earlier ckwizard was stopped while "
				   "starting a session: it records nothing. Remove that directory, "
				   "then start again"), dir);
	}
	char *msg = xasprintf(_("%s was left half-made when an earlier ckwizard was stopped while "
				"starting a session: it records nothing (no journal event). Remove "
				"it, then start again:\n    %s"), dir, buf_str(&cmd));
	buf_free(&cmd);
	return msg;
}

/* dir without trailing slashes, split into its parent and last part. */
static void sess_split(const char *dir, char **parent, char **base)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	char *d = xstrndup(dir, n), *slash = strrchr(d, '/');
	if (!slash) {
		*parent = xstrdup(".");
		*base = d;
		return;
	}
	*base = xstrdup(slash + 1);
	*parent = slash == d ? xstrdup("/") : xstrndup(d, (size_t)(slash - d));
	free(d);
}

/* name is the hidden temporary util_write_new_file leaves beside a start
 * file when killed (".plan.yaml.XXXXXX"). */
static bool sess_is_start_tmp(const char *name)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(sess_start_files); i++) {
		size_t n = strlen(sess_start_files[i]);
		if (name[0] == '.' && strncmp(name + 1, sess_start_files[i], n) == 0 &&
		    name[n + 1] == '.' && strlen(name + n + 2) == 6)
			return true;
	}
	return false;
}

/* Empty a temporary directory of ours (only start files and their hidden
 * temporaries) and remove it. */
static void sess_remove_tmp(int parent_fd, const char *name, int dfd)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(sess_start_files); i++)
		(void)unlinkat(dfd, sess_start_files[i], 0);
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d && fd >= 0)
		close(fd);
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL)
		if (sess_is_start_tmp(de->d_name))
			(void)unlinkat(dfd, de->d_name, 0);
	if (d)
		closedir(d);
	(void)unlinkat(parent_fd, name, AT_REMOVEDIR); /* fails if anything else is there */
}

/* Temporary directories of killed starts of this target, that no living
 * ckwizard holds. */
static void sess_clean_stale(const char *parent, const char *base)
{
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = pfd >= 0 ? dup(pfd) : -1;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	char *prefix = xasprintf(".%s" SESS_TMP_TAG, base);
	if (!d && fd >= 0)
		close(fd);
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL) {
		if (!util_has_prefix(de->d_name, prefix) ||
		    strlen(de->d_name) != strlen(prefix) + 6)
			continue;
		int dfd = openat(pfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue;
		if (flock(dfd, LOCK_EX | LOCK_NB) == 0)
			sess_remove_tmp(pfd, de->d_name, dfd);
		close(dfd);
	}
	if (d)
		closedir(d);
	if (pfd >= 0)
		close(pfd);
	free(prefix);
}

static bool sess_has_journal(const char *dir)
{
	char *path = xasprintf("%s/%s", dir, JOURNAL_FILE);
	struct stat st;
	bool there = lstat(path, &st) == 0;
	free(path);
	return there;
}

/* Two ckwizards started the same new session at once, and the other one
 * got there first. */
static char *sess_race_text(const char *dir)
{
	return xasprintf(_("another ckwizard is creating this session in %s at the same moment; "
			   "this one stops and records nothing. Run the command again to open "
			   "that session"), dir);
}

int sess_dir_check_mode(const char *dir, char **err)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return sess_fail(err, xasprintf(_("cannot use %s: %s"), dir, strerror(errno)));
	if (!(st.st_mode & S_IWOTH))
		return 0;
	struct buf cmd = BUF_INIT;
	buf_puts(&cmd, "chmod o-w ");
	if (quote_sh(&cmd, dir) < 0) {
		buf_reset(&cmd);
		buf_puts(&cmd, "chmod o-w DIRECTORY");
	}
	char *msg = xasprintf(_("session directory %s is writable by every user (mode %04o): "
				"anyone on this machine could add or replace its files. Make it "
				"private (a group that shares it keeps its access), then open the "
				"session again; the journal's signatures show whether anything was "
				"changed:\n    %s"),
			      dir, (unsigned)(st.st_mode & 07777), buf_str(&cmd));
	buf_free(&cmd);
	return sess_fail(err, msg);
}

int sess_dir_prepare(const char *dir, struct sess_tmp *t, char **err)
{
	struct stat st;
	/* An empty directory the operators' group shares (setgid, 2770), or one
	 * in such a directory, was made for two Unix users: the new session
	 * keeps the group and mode (the parent must let the first operator
	 * create the session beside its place, as always). */
	bool shared = false;
	gid_t shared_gid = 0;
	mode_t shared_mode = 0;
	memset(t, 0, sizeof *t);
	t->fd = -1;
	if (lstat(dir, &st) == 0) {
		bool only_start;
		shared = S_ISDIR(st.st_mode) && util_group_shared(st.st_mode);
		shared_gid = st.st_gid;
		shared_mode = st.st_mode & 07770;
		if (S_ISLNK(st.st_mode))
			return sess_fail(err, xasprintf(_("%s is a symbolic link: a new session is "
							  "never created through a link; give the "
							  "directory's own path, or a path that does "
							  "not exist yet"), dir));
		if (!S_ISDIR(st.st_mode))
			return sess_fail(err, xasprintf(_("%s exists and is not a directory"), dir));
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		long n = dfd >= 0 ? sess_scan(dfd, &only_start) : -1;
		if (dfd >= 0)
			close(dfd);
		if (n < 0)
			return sess_fail(err, xasprintf(_("cannot read %s: %s"), dir, strerror(errno)));
		if (n > 0 && sess_has_journal(dir))
			return sess_fail(err, sess_race_text(dir));
		if (n > 0) {
			char *half = sess_half_made(dir);
			return sess_fail(err, half ? half
						   : xasprintf(_("%s is not empty and holds no session: "
								 "choose a new directory for a new "
								 "session"), dir));
		}
	} else if (errno != ENOENT) {
		return sess_fail(err, xasprintf(_("cannot use %s: %s"), dir, strerror(errno)));
	}
	char *base;
	sess_split(dir, &t->parent, &base);
	/* Or a directory the group shares holds the new session: it is the
	 * group's as well. */
	struct stat pst;
	if (!shared && stat(t->parent, &pst) == 0 && util_group_shared(pst.st_mode)) {
		shared = true;
		shared_gid = pst.st_gid;
		shared_mode = 02770;
	}
	sess_clean_stale(t->parent, base);
	t->path = xasprintf("%s/.%s" SESS_TMP_TAG "XXXXXX", t->parent, base);
	free(base);
	if (!mkdtemp(t->path)) {
		int e = errno;
		sess_dir_abandon(t);
		return sess_fail(err, xasprintf(_("cannot create a directory beside %s: %s"), dir,
						strerror(e)));
	}
	t->fd = open(t->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (t->fd < 0 || flock(t->fd, LOCK_EX | LOCK_NB) != 0 ||
	    (shared && (fchown(t->fd, (uid_t)-1, shared_gid) != 0 ||
			fchmod(t->fd, shared_mode) != 0))) {
		int e = errno;
		sess_dir_abandon(t);
		return sess_fail(err, xasprintf(_("cannot create a directory beside %s: %s"), dir,
						strerror(e)));
	}
	sess_create_point(SESS_AT_TMP_MADE);
	return 0;
}

static int sess_sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd), e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* A creation that failed on the way (a full disk, a failing device) left
 * nothing, since it was built beside its place: say so after the cause, and
 * what to do. Not when another ckwizard's session is there now (the race,
 * whose message already says what happened). */
static void sess_not_created(const char *dir, char **err)
{
	if (!err || !*err || sess_has_journal(dir))
		return;
	char *msg = xasprintf(_("%s. No session was created: free disk space or fix the device, "
				"then run the same command again"), *err);
	free(*err);
	*err = msg;
}

int sess_dir_commit(struct sess_tmp *t, const char *dir, char **err)
{
	if (fsync(t->fd) != 0)
		return sess_fail(err, xasprintf(_("cannot make %s durable: %s"), t->path,
						strerror(errno)));
	sess_create_point(SESS_AT_SYNCED);
	/* Over an empty directory too (rename(2) allows it); a directory that
	 * got content meanwhile is refused with ENOTEMPTY, never replaced. */
	if (rename(t->path, dir) != 0) {
		/* Linux says ENOTEMPTY, POSIX allows EEXIST: the directory got
		 * content since prepare, and a journal there means another
		 * ckwizard won the race to start this session. */
		if ((errno == ENOTEMPTY || errno == EEXIST) && sess_has_journal(dir))
			return sess_fail(err, sess_race_text(dir));
		return sess_fail(err, xasprintf(_("cannot move the new session into place as %s: "
						  "%s"), dir, strerror(errno)));
	}
	sess_create_point(SESS_AT_RENAMED);
	if (sess_sync_path(t->parent) != 0)
		return sess_fail(err, xasprintf(_("cannot make %s durable: %s"), dir,
						strerror(errno)));
	close(t->fd); /* the lock goes with it */
	t->fd = -1;
	free(t->path);
	free(t->parent);
	t->path = t->parent = NULL;
	return 0;
}

void sess_dir_abandon(struct sess_tmp *t)
{
	if (t->path && t->fd >= 0) {
		int pfd = open(t->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		const char *slash = strrchr(t->path, '/');
		if (pfd >= 0) {
			sess_remove_tmp(pfd, slash ? slash + 1 : t->path, t->fd);
			close(pfd);
		}
	} else if (t->path) {
		(void)rmdir(t->path); /* made but not opened: empty */
	}
	if (t->fd >= 0)
		close(t->fd);
	free(t->path);
	free(t->parent);
	memset(t, 0, sizeof *t);
	t->fd = -1;
}

/* In a directory the group shares, the files both terminals write are
 * group-writable (created 0600 like every file, then opened up). */
static void sess_share_files(const char *dir)
{
	static const char *const files[] = { SESSION_PLAN_FILE, JOURNAL_FILE, SESSION_SIM_FILE };
	mode_t mode = (mode_t)util_shared_file_mode(dir);
	if (mode == 0600)
		return;
	for (size_t i = 0; i < CK_ARRAY_LEN(files); i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		(void)chmod(path, mode);
		free(path);
	}
}

static unsigned sess_new_cat_version;

void session_test_set_catalogue_version(unsigned version)
{
	sess_new_cat_version = version;
}

/* Write a new session into s->dir (the temporary directory): the plan copy,
 * the journal with session.open (p consumed), and for a rehearsal the
 * simulator's state with its faults, so all of it moves into place at once. */
static int sess_create_in(struct session *s, const char *bytes, size_t len, cJSON *p,
			  char **err)
{
	struct journal_event out;
	char *path = xasprintf("%s/%s", s->dir, SESSION_PLAN_FILE);
	int rc = sess_write_new_file(path, bytes, len, err);
	free(path);
	if (rc < 0) {
		sess_clock_unstamp();
		cJSON_Delete(p);
		return -1;
	}
	sess_create_point(SESS_AT_PLAN_WRITTEN);
	s->j = journal_create(s->journal_path, err);
	if (!s->j) {
		sess_clock_unstamp();
		cJSON_Delete(p);
		return -1;
	}
	sess_create_point(SESS_AT_JOURNAL_MADE);
	sess_clock_pin_journal();
	memset(&out, 0, sizeof out);
	if (journal_append(s->j, sess_ev_name(SEV_SESSION_OPEN), CK_SIDE_NONE, p, NULL, NULL, 0, &out, err) < 0) {
		sess_clock_unstamp();
		return -1;
	}
	sess_clock_unstamp();
	sess_create_point(SESS_AT_OPENED);
	/* Applied already when it was judged (sess_create): the same event. */
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
		/* Absent means guide mode, so every earlier journal keeps its bytes. */
		if (o->mode == SESSION_RUN && o->live_open)
			cJSON_AddStringToObject(p, "live", o->execute ? "execute" : "checks");
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
		sess_format_time(sess_clock_stamp(), fake.time);
		fake.type = xstrdup(sess_ev_name(SEV_SESSION_OPEN));
		fake.actor = CK_SIDE_NONE;
		fake.payload = p;
		/* Judged on the new session itself, which holds nothing a refusal
		 * could spoil (a refused creation frees it): accepted, it is the
		 * state after the event, and the plan is loaded once, not once to
		 * judge and again to apply. The journal writes this event with
		 * the same time (pinned) and payload. */
		int prc = strlen(bytes) != len ? -1 : sess_apply(s, &fake, false, &why);
		free(fake.type);
		if (prc < 0) {
			sess_clock_unstamp();
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
		sess_clock_unstamp();
		free(bytes);
		cJSON_Delete(p);
		return -1;
	}
	char *final_dir = s->dir, *final_journal = s->journal_path;
	s->dir = t.path;
	s->journal_path = xasprintf("%s/%s", t.path, JOURNAL_FILE);
	int rc = sess_create_in(s, bytes, len, p, err);
	free(bytes);
	if (rc == 0)
		sess_share_files(t.path);
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
		sess_not_created(o->dir, err);
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
