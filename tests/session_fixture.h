/* session_fixture.h: building ceremonies through the session API, the way
 * the wizard does, with a fixed clock and fixed test keys, so the journals
 * they write are the same bytes on every run (tests/journals/README). */
#ifndef CK_SESSION_FIXTURE_H
#define CK_SESSION_FIXTURE_H

#include "session.h"
#include "steps.h"

#include <stdbool.h>
#include <time.h>

extern time_t fx_now;          /* the fixed clock: tests move it by hand */
#define FX_START ((time_t)1795435200) /* 2026-11-23T12:00:00Z */

/* Pin the clock, make a scratch directory and change into it (evidence
 * files are recorded by relative path, so journals do not name it). */
char *fx_setup(void);
void fx_teardown(char *dir);
/* The plain fixture of the session tests: fx_setup() plus plan.yaml with
 * the operators of seeds 0x11 (A) and 0x22 (B); cmocka setup/teardown. */
int fx_setup_plan(void **state);
int fx_teardown_plan(void **state);
/* plan.yaml opened for a real run in "s", both operators unlocked. */
struct session *fx_open_run(void);
/* The same with the plan approved and verified (fx_verify_plan): where
 * most tests of the steps start. */
struct session *fx_open_verified(void);
/* Both operators present: the sitting every dual-control action needs. */
extern const bool fx_both[CK_SIDES];
/* A refused action: rc is -1 and *err names the rule (contains needle);
 * *err is freed and reset for the next call. */
void fx_refused(struct session *s, int rc, char **err, const char *needle);
/* Open plan in dir with no key unlocked yet, as a fresh start or a resume
 * does. NULL (and *err) when refused. */
struct session *fx_open_plan(const char *plan, const char *dir, enum session_mode m,
			     char **err);
/* A plan file's text (plans are small: < 64 KiB), to edit. Caller frees. */
char *fx_read_text(const char *path);
/* text written to path, opened with this fopen mode ("w" or "a"). */
void fx_write_text(const char *path, const char *mode, const char *text);
/* $CK_SRCDIR/rel (or ./rel). Caller frees. */
char *fx_src(const char *rel);
/* plans/contoso-exchange.yaml with the operators' keys replaced by the keys
 * of these seeds (bytes repeated 32 times), written to name in the cwd. */
void fx_write_plan(const char *name, unsigned char seed_a, unsigned char seed_b);
struct keys_private *fx_key(unsigned char seed);
/* Open (asserting success) and unlock both operators from the seeds. */
struct session *fx_open(const char *plan, const char *dir, enum session_mode m,
			unsigned char seed_a, unsigned char seed_b);
/* Sitting with both, approval by the author, verification by the other. */
void fx_verify_plan(struct session *s);
/* A valid evidence value for a step (files made as needed). Caller frees. */
char *fx_evidence(struct session *s, const struct step *st, const struct evidence_spec *e);
/* Move steps on as both operators would, waits included (the clock is moved
 * past timed waits, outside events recorded), until max_steps steps were
 * confirmed or nothing is left. Returns how many were confirmed. */
size_t fx_run_steps(struct session *s, size_t max_steps);
/* The sample ceremony of tests/journals: verification, steps, a note, a
 * second sitting, a skip and a deviation, closed when close is true. */
void fx_sample_ceremony(const char *plan, const char *dir, bool close, unsigned char seed_a,
			unsigned char seed_b);

#endif
