/* sim_lookup.c: finding and adding things in the simulated tenant. Names
 * compare as Azure compares them: vault, group and key names and GUIDs
 * without regard to case, step ids exactly. */
#include "ck.h"
#include "azure/sim_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void *sim_grow(void *arr, size_t *n, size_t elem)
{
	char *p = xrealloc(arr, (*n + 1) * elem);
	memset(p + *n * elem, 0, elem);
	(*n)++;
	return p;
}

bool sim_strv_has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

void sim_strv_add(char ***v, size_t *n, const char *s)
{
	*v = sim_grow(*v, n, sizeof **v);
	(*v)[*n - 1] = xstrdup(s);
}

struct sim_sub *sim_sub(struct sim_state *st, const char *id, bool create)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < st->n_subs; i++)
		if (util_strcaseeq(st->subs[i].id, id)) /* GUIDs: case does not matter */
			return &st->subs[i];
	if (!create)
		return NULL;
	st->subs = sim_grow(st->subs, &st->n_subs, sizeof *st->subs);
	st->subs[st->n_subs - 1].id = xstrdup(id);
	return &st->subs[st->n_subs - 1];
}

struct sim_rg *sim_rg(struct sim_state *st, const char *sub, const char *name)
{
	/* Azure resource group names are case-insensitive. */
	for (size_t i = 0; name && i < st->n_rgs; i++)
		if (util_strcaseeq(st->rgs[i].subscription, sub) &&
		    util_strcaseeq(st->rgs[i].name, name))
			return &st->rgs[i];
	return NULL;
}

struct sim_vault *sim_vault(struct sim_state *st, const char *name)
{
	/* Vault names are global and case-insensitive (DNS names). */
	for (size_t i = 0; name && i < st->n_vaults; i++)
		if (util_strcaseeq(st->vaults[i].name, name))
			return &st->vaults[i];
	return NULL;
}

struct sim_key *sim_key(struct sim_vault *v, const char *name)
{
	for (size_t i = 0; v && name && i < v->n_keys; i++)
		if (util_strcaseeq(v->keys[i].name, name))
			return &v->keys[i];
	return NULL;
}

struct sim_policy *sim_policy(struct sim_vault *v, const char *object, bool create)
{
	for (size_t i = 0; i < v->n_policies; i++)
		if (util_strcaseeq(v->policies[i].object, object))
			return &v->policies[i];
	if (!create)
		return NULL;
	v->policies = sim_grow(v->policies, &v->n_policies, sizeof *v->policies);
	v->policies[v->n_policies - 1].object = xstrdup(object);
	return &v->policies[v->n_policies - 1];
}

const struct sim_event *sim_event_find(const struct sim_state *st, const char *what,
				       const char *step)
{
	const struct sim_event *found = NULL;
	for (size_t i = 0; i < st->n_events; i++)
		if (strcmp(st->events[i].what, what) == 0 &&
		    (!step || strcmp(st->events[i].step, step) == 0))
			if (!found || st->events[i].at < found->at)
				found = &st->events[i];
	return found;
}

void sim_event_add(struct sim_state *st, const char *step, const char *what, long long at)
{
	st->events = sim_grow(st->events, &st->n_events, sizeof *st->events);
	struct sim_event *e = &st->events[st->n_events - 1];
	e->step = xstrdup(step);
	e->what = xstrdup(what);
	e->at = at;
}

struct sim_dep *sim_dep(struct sim_state *st, const char *id)
{
	for (size_t i = 0; i < st->n_deps; i++)
		if (strcmp(st->deps[i].id, id) == 0)
			return &st->deps[i];
	return NULL;
}

struct sim_assign *sim_assign(struct sim_state *st, const char *dep, const char *mailbox)
{
	for (size_t i = 0; i < st->n_assigns; i++)
		if (strcmp(st->assigns[i].dep, dep) == 0 &&
		    util_strcaseeq(st->assigns[i].mailbox, mailbox))
			return &st->assigns[i];
	return NULL;
}
