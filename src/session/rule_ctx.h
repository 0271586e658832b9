/* rule_ctx.h: the rule engine's shared parts, for rules.c (the table,
 * session/sitting/plan rules), rules_step.c (the step rules) and rule_ctx.c
 * (reading an event, refusing it). Internal to the session. */
#ifndef CK_SESSION_RULES_H
#define CK_SESSION_RULES_H

#include "session/session_int.h"

struct rule_ctx {
	struct session *s;
	const struct journal_event *ev;
	const cJSON *p;
	time_t t;                 /* session time of the event */
	char **why;
	struct sess_stamp at;     /* line, real and session time of the event */
};

/* *why = the formatted, translated reason; returns -1. */
int sr_refuse(char **why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sr_str(const cJSON *p, const char *k);      /* string member or NULL */
bool sr_int(const cJSON *p, const char *k, long *out);  /* integral number member */
/* Free text typed by an operator: bounded, no NUL, control or bidi. */
int sr_text(struct rule_ctx *c, const char *k, bool multiline, const char **out);
long sr_step(struct rule_ctx *c);                       /* payload "step" -> index, or -1 */
const struct step *sr_cstep(struct rule_ctx *c, long i);
/* The signers of the event, as a flag per side. */
void sr_signers(const struct rule_ctx *c, bool out[CK_SIDES]);
/* A copy of a string array member (non-strings skipped); count in *n. */
char **sr_strv(const cJSON *p, const char *k, size_t *n);

/* Append a zeroed element to a history array; a pointer to it. */
#define SR_PUSH(arr, n) ((arr) = xrealloc((arr), ((n) + 1) * sizeof *(arr)), \
			 memset(&(arr)[n], 0, sizeof *(arr)), &(arr)[(n)++])

/* The step rules (rules_step.c): 0, or -1 with *c->why. */
int sr_step_start(struct rule_ctx *c);
int sr_step_evidence(struct rule_ctx *c);
int sr_step_check(struct rule_ctx *c);
int sr_step_perform(struct rule_ctx *c);
int sr_step_confirm(struct rule_ctx *c);
int sr_step_wait(struct rule_ctx *c);
int sr_step_witness(struct rule_ctx *c);
int sr_step_event(struct rule_ctx *c);
int sr_step_skip(struct rule_ctx *c);
/* rules_live.c: live mode's events. */
int sr_azure_sign_in(struct rule_ctx *c);
/* A live check's "observer" (absent in guide mode and rehearsals) must be
 * the identity last signed in for the step's subscription. */
int sr_live_observer(struct rule_ctx *c, const struct step *st);
/* rules_authorize.c: --execute: the owner authorizes exactly the requests
 * a perform will send; the witness co-signs an irreversible one; a perform
 * in a real ceremony consumes a matching authorization. */
int sr_step_authorize(struct rule_ctx *c);
int sr_step_cosign(struct rule_ctx *c);
int sr_live_perform(struct rule_ctx *c, long i);
/* rules_presence.c: two terminals: joining, leaving and losing an operator;
 * the terminal a sitting.open or operator.join names. */
int sr_operator_join(struct rule_ctx *c);
int sr_operator_leave(struct rule_ctx *c);
int sr_operator_lost(struct rule_ctx *c);
int sr_terminal(struct rule_ctx *c, struct sess_terminal *out);
/* Shared with the step rules (rules_step.c). */
int sr_need_owner(struct rule_ctx *c, const struct step *st);
int sr_need_open_step(struct rule_ctx *c, long i);
int sr_need_prereqs(struct rule_ctx *c, long i);

#endif
