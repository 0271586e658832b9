/* util.h: allocation that never returns NULL, and small string helpers. */
#ifndef CK_UTIL_H
#define CK_UTIL_H

#include <stdbool.h>

#include <stddef.h>
#include <stdarg.h>

/* A fatal message is written after util_fatal_begin(), which runs (once)
 * what util_on_fatal set: the wizard restores the terminal there, so the
 * message stays readable after the process ends. */
void util_on_fatal(void (*restore)(void));
void util_fatal_begin(void);
/* Out of memory: said (after the restore) and abort(). */
void util_out_of_memory(void) __attribute__((noreturn));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Overwrite memory the compiler may not optimise away (secrets). */
void util_wipe(void *p, size_t n);
/* Wipe then free a NUL-terminated secret. */
void util_free_secret(char *s);

int util_streq(const char *a, const char *b);     /* NULL-safe */
int util_strcaseeq(const char *a, const char *b); /* ASCII, NULL-safe */
int util_has_prefix(const char *s, const char *prefix);
/* Levenshtein distance, capped; used for "did you mean". */
size_t util_edit_distance(const char *a, const char *b);

/* A directory two operators of one Unix group share (two terminals, each
 * its own user): setgid, readable, writable and searchable by the group,
 * nothing for others. The files both processes write in it are made 0660
 * there (the setgid bit gives them the directory's group), else 0600. */
bool util_group_shared(unsigned mode);
unsigned util_shared_file_mode(const char *dir);

/* Create path holding data, never over an existing file: written under a
 * hidden temporary name beside it (".NAME.XXXXXX"), fsync'd, linked to path
 * (link(2) never replaces a file), the temporary removed, the directory
 * fsync'd. A kill at any moment leaves path absent or whole, at most with
 * the temporary beside it. mode is the file's mode (0600 for secrets). 0, or
 * -1 with errno (EEXIST: path is there). */
int util_write_new_file(const char *path, const void *data, size_t len, unsigned mode);

/* The same in two halves, for data that arrives once and cannot be asked
 * for again (a Managed HSM's security domain): open makes the temporary and
 * reserves `reserve` bytes of disk for it (posix_fallocate) before the data
 * exists, so a full disk is found before anything is asked for; commit
 * writes the data, gives back the rest of the reservation and links the
 * name as util_write_new_file does. Both 0, or -1 with errno; after a
 * failed open nothing is left to close. close always follows a successful
 * open, whether commit ran or not, and keeps errno. */
struct util_newfile {
	char *path, *dir, *tmp;
	int fd;
	bool reserved;
	/* keep (set by the caller after open): when only the directory cannot
	 * be synced, commit fails but leaves the file under its name rather
	 * than take it back, and says so in linked: for data that exists
	 * nowhere else, a name that may not survive a crash beats none. */
	bool keep, linked;
};
int util_newfile_open(struct util_newfile *nf, const char *path, unsigned mode, size_t reserve);
int util_newfile_commit(struct util_newfile *nf, const void *data, size_t len);
void util_newfile_close(struct util_newfile *nf);
/* What a process killed between util_newfile_open and its close left for
 * path: hidden temporaries beside it. One that never held data (empty, or
 * only its reservation's zeros) or that is only a second name of path (the
 * kill came after the link) is removed; the first that holds data is kept
 * and returned (caller frees), as it may be the only copy of what was being
 * saved. NULL when none holds data. The caller excludes other writers of
 * path (a temporary being filled is all zeros too): the session's lock. */
char *util_newfile_leftover(const char *path);

/* A library opened on first use (libcurl, libcrypto): its functions'
 * names and where each address goes in the caller's table of pointers. */
struct util_dl_sym {
	const char *name;
	size_t off;
};
/* dlopen soname (found as the dynamic loader finds a library), then fill
 * fns with every symbol of syms. 0; -1 with *what = dlerror()'s text (not
 * loaded); -2 with *what = the first symbol it lacks (the library is
 * closed again). Callers say which, and stop. */
int util_dl_load(const char *soname, const struct util_dl_sym *syms, size_t n, void *fns,
		 const char **what);

#endif
