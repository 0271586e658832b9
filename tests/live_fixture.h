/* live_fixture.h: the live-mode session tests' backend and helpers
 * (live_fixture.c): sessions of plan.yaml opened for run --live (and
 * --execute) in "s", both operators unlocked and the plan verified. */
#ifndef CK_LIVE_FIXTURE_H
#define CK_LIVE_FIXTURE_H

#include "azure/backend.h"
#include "session.h"
#include "steps.h"

#include <stdbool.h>

#define TENANT "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"

/* What the backend answers: the identity per subscription side (a refusal
 * when NULL), and what it was asked. */
extern const char *fake_id[CK_SIDES];
extern int fake_sign_outs[CK_SIDES], fake_checks;
/* Entra refused side's refresh token for good: its checks get no token
 * until it signs in again */
extern bool fake_lost[CK_SIDES];
/* an audit found side's sign-in to be another identity than the plan's:
 * its checks and performs are refused until it signs in again */
extern bool fake_refused[CK_SIDES];
/* describing side's writes finds its sign-in to be another identity (and
 * sets fake_refused) */
extern bool fake_describe_refuses[CK_SIDES];
/* --execute: what the backend says a step writes, and how many writes */
extern const char *fake_requests;
extern int fake_writes;
extern const char *const rq_rg, *const rq_other;
/* what the session handed the backend to read its recorded evidence with */
extern evidence_get_fn fake_ev_get;
extern evidence_time_fn fake_ev_time;
extern void *fake_ev_ctx;
struct backend *fake_open(const struct plan *p, const struct inventory *inv, void *arg,
			  char **err);
/* device codes the session showed through its live UI */
extern int codes_shown;

/* open_live with --execute as well (open_executing sets it) */
extern bool open_execute;
struct session *open_live(void);
/* open_live with --execute, both subscriptions signed in */
struct session *open_executing(void);
/* The first step of subscription side with a live check. */
const char *live_step(struct session *s, int side);
/* The session's journal as text (caller frees). */
char *journal_text(void);
/* The next step the operators can act on (of_sub: of a subscription), that
 * can (not) be undone; the steps before it are worked through as the
 * operators would. */
const struct step *ready_step_of(struct session *s, bool irreversible, bool of_sub);
const struct step *ready_step(struct session *s, bool irreversible);

#endif
