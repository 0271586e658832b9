/* keystore.c: operators' key files on disk (format in keystore.h). */
#include "ck.h"
#include "keystore.h"
#include "buf.h"
#include "fileread.h"
#include "keys.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEYSTORE_UPN_MAX 113 /* Entra ID's limit for a userPrincipalName */

char *keystore_default_dir(char **err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/ckwizard/operators", xdg);
	const char *home = getenv("HOME");
	if (home && home[0] == '/')
		return xasprintf("%s/.config/ckwizard/operators", home);
	*err = xstrdup(_("cannot find the configuration directory: set HOME or XDG_CONFIG_HOME, "
			 "or give --dir DIR"));
	return NULL;
}

static int keystore_local_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-' || c == '+' ||
	       c == '\'';
}

int keystore_upn_ok(const char *upn, char **why)
{
	size_t n = strlen(upn);
	const char *at = strchr(upn, '@');
	if (n == 0 || n > KEYSTORE_UPN_MAX || !at || strchr(at + 1, '@') || at == upn) {
		*why = xstrdup(_("a UPN looks like name@contoso.com (at most 113 characters)"));
		return -1;
	}
	for (const char *p = upn; p < at; p++)
		if (!keystore_local_char(*p)) {
			*why = xasprintf(_("the character at position %zu is not allowed in a UPN "
					   "(letters, digits and . _ - + ' only)"),
					 (size_t)(p - upn) + 1);
			return -1;
		}
	if (upn[0] == '.' || at[-1] == '.' || strstr(upn, "..")) {
		*why = xstrdup(_("a UPN cannot start or end its name part with '.', nor hold \"..\""));
		return -1;
	}
	/* domain: labels of letters, digits and '-', at least two of them */
	const char *d = at + 1;
	size_t labels = 0, len = 0;
	for (const char *p = d;; p++) {
		if (*p == '.' || *p == '\0') {
			if (len == 0 || p[-1] == '-' || *(p - len) == '-') {
				*why = xasprintf(_("\"%s\" is not a domain name"), d);
				return -1;
			}
			labels++;
			len = 0;
			if (*p == '\0')
				break;
		} else if (isalnum((unsigned char)*p) || *p == '-') {
			len++;
		} else {
			*why = xasprintf(_("\"%s\" is not a domain name"), d);
			return -1;
		}
	}
	if (labels < 2) {
		*why = xasprintf(_("\"%s\" is not a domain name (expected e.g. contoso.com)"), d);
		return -1;
	}
	return 0;
}

int keystore_name_ok(const char *name, char **why)
{
	size_t n = strlen(name), off;
	uint32_t cp;
	if (n == 0 || n > 128) {
		*why = xstrdup(_("the name must be 1 to 128 bytes long"));
		return -1;
	}
	if (!text_utf8_valid(name, n, &off)) {
		*why = xasprintf(_("the name is not valid UTF-8 (byte %zu)"), off + 1);
		return -1;
	}
	if (text_find_forbidden(name, n, 0, &off, &cp)) {
		*why = xasprintf(_("the name holds a control or direction-changing character "
				   "(U+%04X at byte %zu)"), (unsigned)cp, off + 1);
		return -1;
	}
	return 0;
}

static char *keystore_lower(const char *s)
{
	char *l = xstrdup(s);
	for (char *p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

/* mkdir with 0700; with parents, every missing component (all 0700). */
static int keystore_mkdir(const char *dir, bool parents)
{
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return 0;
	if (!parents || errno != ENOENT)
		return -1;
	char *up = xstrdup(dir);
	char *slash = strrchr(up, '/');
	int rc = -1;
	if (slash && slash != up) {
		*slash = '\0';
		if (keystore_mkdir(up, true) == 0)
			rc = mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -1;
	}
	free(up);
	return rc;
}

/* Create name in dfd exclusively, write data, keep it 0600, fsync. Sets
 * *modes_kept to false when the file system shows another mode. */
static int keystore_write_new(int dfd, const char *name, const char *data, bool *modes_kept)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
			0600);
	if (fd < 0)
		return -1;
	size_t len = strlen(data), done = 0;
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	struct stat st;
	(void)fchmod(fd, 0600); /* whatever the umask did */
	if (fstat(fd, &st) == 0 && (st.st_mode & 0777) != 0600)
		*modes_kept = false;
	int ok = done == len && fsync(fd) == 0;
	int e = errno;
	close(fd);
	if (!ok) {
		unlinkat(dfd, name, 0);
		errno = done == len ? e : (e ? e : EIO);
		return -1;
	}
	return 0;
}

/* An enrollment writes both files under hidden temporary names first
 * (".BASE.key.new", ".BASE.pub.new": not *.pub, so never listed), fsyncs
 * them, then links the key and then the .pub to their names: the .pub is
 * what makes an operator exist (list, export, find), so a kill before it
 * leaves no operator, and one after it a whole pair. A kill between the two
 * links leaves BASE.key as a second name of .BASE.key.new without a .pub:
 * that key was never shown to anyone, and this undoes it. Called with the
 * directory locked, so the temporaries are a dead enrollment's. Returns 0,
 * or -1 with errno when a leftover could not be removed. */
static int keystore_undo_unfinished(int dfd, const char *keyname, const char *pubname,
				    const char *tmpkey, const char *tmppub)
{
	struct stat tk, k, p;
	bool removed = false;
	if (fstatat(dfd, tmpkey, &tk, AT_SYMLINK_NOFOLLOW) == 0 &&
	    fstatat(dfd, keyname, &k, AT_SYMLINK_NOFOLLOW) == 0 && k.st_ino == tk.st_ino &&
	    k.st_dev == tk.st_dev && fstatat(dfd, pubname, &p, AT_SYMLINK_NOFOLLOW) != 0) {
		if (unlinkat(dfd, keyname, 0) != 0)
			return -1;
		removed = true;
	}
	const char *tmps[] = {tmpkey, tmppub};
	for (size_t i = 0; i < 2; i++) {
		if (unlinkat(dfd, tmps[i], 0) == 0)
			removed = true;
		else if (errno != ENOENT)
			return -1;
	}
	return removed ? fsync(dfd) : 0;
}

/* Give the file tmp its name: link(2), which never replaces a file and keeps
 * tmp as a second name until it is removed. File systems without hard links
 * (FAT, exFAT on removable media) get rename(2) instead, under the
 * directory's lock and after the check that the name is free; there a kill
 * between the key and its .pub leaves the key alone, as before. */
static int keystore_publish(int dfd, const char *tmp, const char *name)
{
	if (linkat(dfd, tmp, dfd, name, 0) == 0)
		return 0;
	if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
		return -1;
	return renameat(dfd, tmp, dfd, name);
}

static void keystore_fill(struct keystore_entry *e, const char *dir, const char *base,
			  const char *name, const char *upn, const unsigned char pub[PUBKEY_LEN])
{
	e->name = xstrdup(name);
	e->upn = xstrdup(upn);
	e->key_line = pubkey_format(pub);
	e->fingerprint = pubkey_fingerprint(pub);
	e->key_path = xasprintf("%s/%s.key", dir, base);
	e->pub_path = xasprintf("%s/%s.pub", dir, base);
	e->demo = pubkey_demo_find(pub) != NULL;
}

int keystore_enroll(const char *dir, bool create_parents, const char *name, const char *upn,
		    const char *passphrase, struct keystore_entry *out, char **warn, bool *exists,
		    char **err)
{
	memset(out, 0, sizeof *out);
	*warn = NULL;
	*exists = false;
	if (keystore_mkdir(dir, create_parents) != 0) {
		*err = xasprintf(_("cannot create directory %s: %s"), dir, strerror(errno));
		return -1;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		*err = xasprintf(_("cannot open directory %s: %s"), dir, strerror(errno));
		return -1;
	}
	char *base = keystore_lower(upn);
	char *keyname = xasprintf("%s.key", base), *pubname = xasprintf("%s.pub", base);
	char *tmpkey = xasprintf(".%s.key.new", base), *tmppub = xasprintf(".%s.pub.new", base);
	char *pem = NULL;
	int rc = -1;
	struct stat st;
	/* One enrollment at a time in this directory: the temporaries are fixed names. */
	if (flock(dfd, LOCK_EX) != 0 ||
	    keystore_undo_unfinished(dfd, keyname, pubname, tmpkey, tmppub) != 0) {
		*err = xasprintf(_("cannot clear an unfinished enrollment of %s in %s: %s; nothing "
				   "was enrolled: run the same command again once that is fixed"),
				 upn, dir, strerror(errno));
		goto done;
	}
	if (fstatat(dfd, keyname, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
	    fstatat(dfd, pubname, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		*exists = true;
		*err = xasprintf(_("operator %s is enrolled in %s already: ckwizard never "
				   "overwrites a key (remove %s/%s.* yourself if it must go)"),
				 upn, dir, dir, base);
		goto done;
	}
	unsigned char pub[PUBKEY_LEN];
	if (keys_generate(passphrase, &pem, pub, err) != 0)
		goto done;
	if (pubkey_weakness(pub) != PUBKEY_STRONG) { /* a clamped scalar never gives one */
		*err = xasprintf(_("the new key is refused: %s"),
				 pubkey_weakness_text(pubkey_weakness(pub)));
		goto done;
	}
	keystore_fill(out, dir, base, name, upn, pub);
	struct buf meta = BUF_INIT;
	buf_printf(&meta, "# ckwizard operator public key (private key: %s.key)\nname: %s\nupn: %s\n"
			  "key: %s\n", base, name, upn, out->key_line);
	bool modes_kept = true;
	if (keystore_write_new(dfd, tmpkey, pem, &modes_kept) != 0 ||
	    keystore_write_new(dfd, tmppub, meta.p, &modes_kept) != 0) {
		*err = xasprintf(_("cannot write the key files in %s: %s; nothing was enrolled, "
				   "run the same command again once that is fixed"),
				 dir, strerror(errno));
		(void)unlinkat(dfd, tmpkey, 0);
		buf_free(&meta);
		goto done;
	}
	buf_free(&meta);
	int made = 0; /* names made: 1 the key, 2 the key and the .pub */
	bool ok = keystore_publish(dfd, tmpkey, keyname) == 0;
	if (ok) {
		made = 1;
		ok = keystore_publish(dfd, tmppub, pubname) == 0;
	}
	if (ok) {
		made = 2;
		ok = fsync(dfd) == 0;
	}
	if (!ok) {
		int e = errno;
		*exists = e == EEXIST;
		if (made == 2) /* both names made but not durable: take both back */
			(void)unlinkat(dfd, pubname, 0);
		if (made >= 1)
			(void)unlinkat(dfd, keyname, 0);
		(void)unlinkat(dfd, tmpkey, 0);
		(void)unlinkat(dfd, tmppub, 0);
		*err = xasprintf(_("cannot write the key files in %s: %s; nothing was enrolled, "
				   "run the same command again once that is fixed"),
				 dir, strerror(e));
		goto done;
	}
	/* Both names are durable: the temporaries are only second names now. */
	(void)unlinkat(dfd, tmpkey, 0);
	(void)unlinkat(dfd, tmppub, 0);
	out->has_key = true;
	struct stat dst;
	if (!modes_kept)
		*warn = xasprintf(_("the file system of %s does not keep file modes (removable media "
				    "formatted FAT or exFAT?): anyone who can read it can copy the "
				    "encrypted key. Keep the medium locked away; the passphrase is "
				    "the only protection left"), dir);
	else if (fstat(dfd, &dst) == 0 && (dst.st_mode & 0077))
		*warn = xasprintf(_("directory %s can be read by other users (mode %04o): "
				    "run chmod 700 on it"), dir, (unsigned)(dst.st_mode & 0777));
	rc = 0;
done:
	if (rc != 0)
		keystore_entry_free(out);
	free(pem); /* encrypted: not secret */
	free(keyname);
	free(pubname);
	free(tmpkey);
	free(tmppub);
	free(base);
	close(dfd); /* and the lock with it */
	return rc;
}

int keystore_parse_pub(const char *text, size_t len, char **name, char **upn, char **key,
		       unsigned char pub[PUBKEY_LEN], const char **weak)
{
	*name = *upn = *key = NULL;
	*weak = NULL;
	if (len > KEYSTORE_PUB_MAX || memchr(text, '\0', len))
		return -1;
	size_t at = 0;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		char *line = xstrndup(text + at, n);
		at += n + (nl != NULL);
		char **slot = util_has_prefix(line, "name: ") ? name
			      : util_has_prefix(line, "upn: ") ? upn
			      : util_has_prefix(line, "key: ") ? key
							      : NULL;
		if (slot && !*slot)
			*slot = xstrdup(strchr(line, ' ') + 1);
		free(line);
	}
	char *why = NULL;
	int rc = -1, krc = *key ? pubkey_read(*key, pub, weak) : -1;
	if (*name && *upn && krc != -1 && keystore_upn_ok(*upn, &why) == 0 &&
	    keystore_name_ok(*name, &why) == 0)
		rc = krc;
	free(why);
	if (rc == -1) {
		free(*name);
		free(*upn);
		free(*key);
		*name = *upn = *key = NULL;
		*weak = NULL;
	}
	return rc;
}

/* Read and parse a .pub file. 0, or -1 when it is not one of ours. A file of
 * ours whose key is weak (pubkey.h) is returned with e->refused set: listed
 * so that its owner sees why, never used. */
static int keystore_read_pub(const char *dir, const char *file, struct keystore_entry *e)
{
	char *path = xasprintf("%s/%s", dir, file), *text = NULL;
	size_t len = 0;
	/* A link, a FIFO or a file too long for a .pub is not one of ours. */
	enum fileread_status fs = fileread(path, KEYSTORE_PUB_MAX, FILEREAD_NOFOLLOW, &text, &len, NULL);
	free(path);
	if (fs != FILEREAD_OK)
		return -1;
	char *name, *upn, *key;
	const char *weak;
	unsigned char pub[PUBKEY_LEN] = { 0 };
	int krc = keystore_parse_pub(text, len, &name, &upn, &key, pub, &weak);
	free(text);
	if (krc == -1)
		return -1;
	int rc = -1;
	char *base = keystore_lower(upn);
	size_t bl = strlen(base);
	if (strncmp(file, base, bl) == 0 && strcmp(file + bl, ".pub") == 0) {
		keystore_fill(e, dir, base, name, upn, pub);
		if (krc == -2) {
			e->refused = weak;
			free(e->key_line);
			e->key_line = xstrdup(key);
		}
		e->has_key = access(e->key_path, F_OK) == 0;
		rc = 0;
	}
	free(base);
	free(name);
	free(upn);
	free(key);
	return rc;
}

static int keystore_cmp(const void *a, const void *b)
{
	return strcmp(((const struct keystore_entry *)a)->upn,
		      ((const struct keystore_entry *)b)->upn);
}

int keystore_list(const char *dir, struct keystore_entry **out, size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		*err = xasprintf(_("cannot read directory %s: %s"), dir, strerror(errno));
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".pub") != 0)
			continue;
		struct keystore_entry e;
		memset(&e, 0, sizeof e);
		if (keystore_read_pub(dir, de->d_name, &e) != 0)
			continue;
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = e;
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof **out, keystore_cmp);
	return 0;
}

int keystore_find(const char *dir, const char *upn, struct keystore_entry *out, char **err)
{
	memset(out, 0, sizeof *out);
	char *why = NULL;
	if (keystore_upn_ok(upn, &why) != 0) {
		*err = xasprintf(_("\"%s\" is not a UPN: %s"), upn, why);
		free(why);
		return -1;
	}
	char *base = keystore_lower(upn);
	char *file = xasprintf("%s.pub", base);
	int rc = keystore_read_pub(dir, file, out) == 0 ? 0 : 1;
	if (rc == 0 && out->refused) {
		*err = xasprintf(_("the key in %s is refused: %s; enroll this operator again "
				   "(move %s/%s.* away first)"), out->pub_path, out->refused, dir, base);
		keystore_entry_free(out);
		rc = -1;
	}
	free(file);
	free(base);
	return rc;
}

int keystore_find_key(const char *dir, const unsigned char pub[PUBKEY_LEN],
		      struct keystore_entry *out, char **err)
{
	memset(out, 0, sizeof *out);
	struct keystore_entry *es;
	size_t n;
	if (keystore_list(dir, &es, &n, err) != 0)
		return -1;
	char *want = pubkey_format(pub);
	int rc = 1;
	for (size_t i = 0; i < n; i++) {
		if (rc == 1 && !es[i].refused && strcmp(es[i].key_line, want) == 0) {
			*out = es[i];
			rc = 0;
		} else {
			keystore_entry_free(&es[i]);
		}
	}
	free(want);
	free(es);
	return rc;
}

void keystore_entry_free(struct keystore_entry *e)
{
	free(e->name);
	free(e->upn);
	free(e->key_line);
	free(e->fingerprint);
	free(e->key_path);
	free(e->pub_path);
	memset(e, 0, sizeof *e);
}
