/* steps_text.c: what a step asks of a browser or a mail client rather than a
 * shell: the FastTrack offer form and the onboarding e-mail to Microsoft.
 *
 * The e-mail is drafted in English on purpose: it goes to Microsoft's
 * onboarding team, whatever language the wizard speaks. Evidence pasted by an
 * operator (the Get-AzProviderFeature output) is untrusted text: it is shown
 * through text_visible(), so a control or bidi character cannot hide in it. */
#include "ck.h"
#include "steps_int.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void put_visible(struct buf *out, const char *s)
{
	char *v = text_visible(s ? s : "");
	buf_puts(out, v);
	free(v);
}

int steps_fasttrack_text(const struct catalogue *c, const struct step *s, evidence_get_fn get,
			 void *ctx, struct buf *out)
{
	const struct plan *p = c->plan;
	const struct step_bind *b = catalogue_bind(c, s);
	buf_printf(out, "%s ", _("In a browser, signed in as a global administrator of"));
	put_visible(out, p->org.tenant_domain);
	buf_puts(out, ":\n");
	buf_printf(out, "1. %s https://fasttrack.microsoft.com/ ", _("Open"));
	buf_printf(out, "%s ", _("and select the domain"));
	put_visible(out, p->org.tenant_domain);
	buf_puts(out, ".\n");
	buf_printf(out, "2. %s \"%s\" > %s\n", _("Deploy > offer"),
		   steps_fasttrack_offer(b->workload), _("Continue to step 2."));
	buf_printf(out, "3. %s\n", _("Fill in the form. Officers authorised to approve the "
				     "destruction of keys and data:"));
	for (size_t i = 0; i < p->n_officers; i++) {
		const struct plan_officer *o = &p->officers[i];
		buf_puts(out, "   - ");
		put_visible(out, o->name);
		if (o->title) {
			buf_puts(out, ", ");
			put_visible(out, o->title);
		}
		buf_puts(out, " <");
		put_visible(out, o->email);
		buf_puts(out, ">\n");
	}
	buf_printf(out, "4. %s\n", _("Submit, and record the request ID the portal shows."));
	return 0;
}

/* Evidence of another step by id, or a placeholder (counted). */
static void put_evidence(struct buf *out, const struct catalogue *c, const char *step_id,
			 const char *evidence_id, const char *label, evidence_get_fn get,
			 void *ctx, int *missing)
{
	const char *v = get && catalogue_find(c, step_id) ? get(ctx, step_id, evidence_id) : NULL;
	if (v) {
		put_visible(out, v);
		return;
	}
	buf_printf(out, "<%s %s %s>", label, _("from step"), step_id);
	(*missing)++;
}

int steps_email_text(const struct catalogue *c, const struct step *s, evidence_get_fn get,
		     void *ctx, struct buf *out)
{
	const struct plan *p = c->plan;
	const struct step_bind *b = catalogue_bind(c, s);
	enum plan_workload w = (enum plan_workload)b->workload;
	const char *alias = p->email_alias[w] ? p->email_alias[w] : plan_workload_default_alias(w);
	int missing = 0;

	buf_puts(out, "To: ");
	put_visible(out, alias);
	buf_puts(out, "\nSubject: Customer Key for ");
	put_visible(out, p->org.tenant_domain);
	buf_puts(out, "\n\nHello,\n\nPlease finalise the mandatory retention period for the "
		      "subscriptions below and\nonboard ");
	put_visible(out, p->org.name);
	buf_puts(out, " (tenant ");
	put_visible(out, p->org.tenant_domain);
	buf_puts(out, ", ID ");
	put_visible(out, p->org.tenant_id);
	buf_printf(out, ") to Customer Key for\n%s.\n\nFastTrack request ID: ",
		   plan_workload_name(w));
	char *ft = xasprintf("fasttrack.request/%s", plan_workload_code(w));
	put_evidence(out, c, ft, "fasttrack_id", "FastTrack request ID", get, ctx, &missing);
	free(ft);
	buf_puts(out, "\n\nSubscription IDs:\n");
	for (int side = 0; side < CK_SIDES; side++) {
		buf_puts(out, "- ");
		put_visible(out, p->sub[side].id);
		buf_puts(out, "\n");
	}
	for (int side = 0; side < CK_SIDES; side++) {
		buf_puts(out, "\nGet-AzProviderFeature output for subscription ");
		put_visible(out, p->sub[side].id);
		buf_puts(out, ":\n");
		char *rc = xasprintf("retention.check/%c", ck_side_letter(side));
		put_evidence(out, c, rc, "feature_output", "Get-AzProviderFeature output", get, ctx,
			     &missing);
		free(rc);
		buf_puts(out, "\n");
	}
	const struct plan_operator *op = &p->op[p->tenant_admin];
	buf_puts(out, "\nRegards,\n");
	put_visible(out, op->name);
	buf_puts(out, " <");
	put_visible(out, op->upn);
	buf_puts(out, ">\n");
	return missing;
}
