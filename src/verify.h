/* verify.h: `ckwizard verify`: prove a journal (and a report) was not altered.
 * The chain and form (journal.h), every signature against the embedded
 * plan's keys and every dual-control rule (the session's rule engine), then
 * the trust anchors the caller holds. */
#ifndef CK_VERIFY_H
#define CK_VERIFY_H

#include "buf.h"

struct verify_anchors {
	const char *plan_path;   /* the plan the team holds, or NULL */
	const char *head;        /* the head hash noted on paper, or NULL */
	const char *report_path; /* a report to re-render byte for byte, or NULL */
};

/* The findings, one a line, go to out. Returns CK_EXIT_OK (all holds and the
 * ceremony is closed), CK_EXIT_OPEN (all holds, still open), CK_EXIT_FAIL, or
 * CK_EXIT_INPUT (a file could not be read). */
int verify_journal(const char *journal_path, const struct verify_anchors *a, struct buf *out);

#endif
