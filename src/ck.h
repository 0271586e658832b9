/* ck.h: what every file of ckwizard shares: gettext, exit codes, small macros. */
#ifndef CK_H
#define CK_H

#include "config.h"
#include <stddef.h>

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) ((char *)(s))
#define ngettext(s, p, n) ((n) == 1 ? (char *)(s) : (char *)(p))
#endif
#define N_(s) (s)

#define CK_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes: documented in the README and in ckwizard(1). */
enum ck_exit {
	CK_EXIT_OK = 0,      /* valid, or done */
	CK_EXIT_FAIL = 1,    /* the plan breaks rules / verification failed */
	CK_EXIT_INPUT = 2,   /* unusable input or bad usage */
	CK_EXIT_OPEN = 3,    /* journal valid but the ceremony is still open */
	CK_EXIT_REFUSED = 4, /* refused: dual control, demo keys outside rehearsal, locks */
	CK_EXIT_IO = 5       /* could not write: disk full, I/O error (fail closed) */
};

/* The two sides of every Customer Key pair, and the operators who own them. */
enum ck_side { CK_SIDE_A = 0, CK_SIDE_B = 1, CK_SIDES = 2 };
#define CK_SIDE_NONE (-1)
static inline char ck_side_letter(int side) { return side == CK_SIDE_B ? 'B' : 'A'; }
static inline int ck_other_side(int side) { return side == CK_SIDE_A ? CK_SIDE_B : CK_SIDE_A; }

#endif
