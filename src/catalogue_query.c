/* catalogue_query.c: finding things in a built catalogue (a step by id, its
 * binding, a related step). Apart from catalogue.c, which builds the
 * catalogue from the step tables, because the tables' text renderers
 * (steps_text.c) and the variables (steps_hsm_vars.c) read a built catalogue:
 * kept with the builder, they made a circle table -> text -> catalogue ->
 * table. */
#include "ck.h"
#include "steps_int.h"

#include <string.h>

const struct step *catalogue_find(const struct catalogue *c, const char *id)
{
	if (!c || !id)
		return NULL;
	for (size_t i = 0; i < c->n_steps; i++)
		if (strcmp(c->steps[i].id, id) == 0)
			return &c->steps[i];
	return NULL;
}

const struct step_bind *catalogue_bind(const struct catalogue *c, const struct step *s)
{
	return &c->binds[s - c->steps];
}

const struct step *catalogue_related(const struct catalogue *c, const struct step *s,
				     const char *template_id, int side)
{
	const struct step_bind *b = catalogue_bind(c, s);
	if (side == CK_SIDE_NONE)
		side = b->side;
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step_bind *o = &c->binds[i];
		if (strcmp(c->steps[i].template_id, template_id) == 0 && o->dep == b->dep &&
		    o->side == side)
			return &c->steps[i];
	}
	return NULL;
}
