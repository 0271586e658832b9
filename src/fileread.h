/* fileread.h: the one way ckwizard reads a whole file it was given or keeps
 * (plans, journals, reports, keys, sim.json, key scripts): a regular file of
 * bounded size, or a clear refusal. A FIFO, a device or a directory is
 * refused before a byte is read, and never blocks: the file is opened with
 * O_NONBLOCK and judged by fstat on that same descriptor. */
#ifndef CK_FILEREAD_H
#define CK_FILEREAD_H

#include <stddef.h>

enum fileread_flag {
	FILEREAD_NOFOLLOW = 1u   /* refuse a symbolic link (files ckwizard keeps) */
};

enum fileread_status {
	FILEREAD_OK,
	FILEREAD_OPEN,           /* cannot open (errno: missing, permission, a link) */
	FILEREAD_NOT_REGULAR,    /* a pipe, device, socket or directory */
	FILEREAD_TOO_LARGE,      /* over the caller's limit */
	FILEREAD_READ            /* an error while reading */
};

/* Read the regular file at path, at most max bytes, into *bytes (caller
 * frees; NUL-terminated, *len excludes the NUL). On failure returns the
 * status and, when why is given, a translated phrase saying what is wrong
 * ("a pipe, not a regular file"), for "cannot read PATH: WHY" (caller frees). */
enum fileread_status fileread(const char *path, size_t max, unsigned flags, char **bytes,
			      size_t *len, char **why);
/* FILEREAD_OPEN leaves errno as open() set it (ENOENT: no such file). */
/* The same on a descriptor already open (it is not closed). */
enum fileread_status fileread_fd(int fd, size_t max, char **bytes, size_t *len, char **why);
/* Open path for reading the way fileread does (O_NONBLOCK, then cleared;
 * flags as above) and check it is a regular file: the descriptor, or -1
 * with the status in *st and the phrase in *why (optional). */
int fileread_open(const char *path, unsigned flags, enum fileread_status *st, char **why);

#endif
