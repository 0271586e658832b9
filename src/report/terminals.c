/* terminals.c (report): two-terminal mode in the report. Who joined, left
 * or was lost, and for every signature the mode and terminal it came from
 * (the sitting.open or operator.join that brought its signer in). Shown
 * only when the journal names terminals, so reports of earlier sessions
 * keep their bytes. Prose in the reader's language, as walk.c's; the JSON
 * part in English (report/lang.c). */
#include "ck.h"
#include "report/fmt.h"
#include "report/terminals.h"
#include "util.h"

#include <string.h>

bool report_has_terminals(const struct report_model *m)
{
	if (m->h->n_presence)
		return true;
	for (size_t i = 0; i < m->h->n_sittings; i++)
		if (m->h->sittings[i].term.mode)
			return true;
	return false;
}

static const char *presence_word(enum sess_ev kind)
{
	return kind == SEV_OPERATOR_JOIN ? "join" : kind == SEV_OPERATOR_LEAVE ? "leave" : "lost";
}

static void p_term(const struct report_fmt *f, struct buf *o, const struct sess_terminal *t)
{
	if (!t || !t->mode) {
		buf_puts(o, _("not recorded"));
		return;
	}
	f->text(o, t->mode);
	buf_puts(o, ", ");
	f->text(o, t->tty);
	buf_puts(o, _(", user "));
	f->text(o, t->user);
}

void rw_presence(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	static const char *const cols[] = { N_("Line"), N_("Event"), N_("Signed by"),
					    N_("Mode, terminal, user"), NULL };
	const struct sess_history *h = m->h;
	if (!report_has_terminals(m))
		return;
	rw_heading(f, o, 2, "presence", _("Presence and terminals"));
	buf_puts(o, f->ul_open);
	if (!h->n_presence)
		buf_printf(o, "%s%s%s", f->li, _("Nobody joined or left during a sitting."), f->li_end);
	for (size_t i = 0; i < h->n_presence; i++) {
		const struct sess_presence *p = &h->presence[i];
		buf_puts(o, f->li);
		rw_when(m, o, &p->when);
		buf_printf(o, _(" (line %ld, sitting %ld): "), p->when.line, p->sitting);
		rw_person(f, m, o, p->who);
		if (p->kind == SEV_OPERATOR_JOIN) {
			buf_puts(o, _(" joined from "));
			p_term(f, o, &p->term);
		} else if (p->kind == SEV_OPERATOR_LEAVE) {
			buf_puts(o, strcmp(p->how, "hangup") == 0 ? _(" left (the terminal hung up)")
								   : _(" left"));
		} else {
			buf_puts(o, _(" was lost (their ckwizard ended without leaving), recorded by "));
			rw_person(f, m, o, p->by);
		}
		buf_puts(o, f->li_end);
	}
	buf_puts(o, f->ul_close);
	buf_printf(o, "%s%s%s", f->p_open, _("Where each signature came from:"), f->p_close);
	f->table(o, "signatures-table", cols);
	for (size_t i = 0; i < m->s->n_ev; i++) {
		const struct journal_event *ev = &m->s->ev[i];
		for (size_t k = 0; k < ev->n_sigs; k++) {
			buf_printf(o, "%s%ld%s", f->row_open, ev->seq, f->cell);
			f->code(o, ev->type);
			buf_puts(o, f->cell);
			rw_person(f, m, o, ev->sigs[k].by);
			buf_puts(o, f->cell);
			p_term(f, o, sess_terminal_of(m->s, ev->seq, ev->sigs[k].by));
			buf_puts(o, f->row_close);
		}
	}
	buf_puts(o, f->table_close);
}

static void j_opt(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static void j_term(cJSON *o, const char *k, const struct sess_terminal *t)
{
	if (!t || !t->mode) {
		cJSON_AddNullToObject(o, k);
		return;
	}
	cJSON *x = cJSON_AddObjectToObject(o, k);
	cJSON_AddStringToObject(x, "mode", t->mode);
	cJSON_AddStringToObject(x, "tty", t->tty);
	cJSON_AddStringToObject(x, "user", t->user);
}

void report_json_presence(const struct report_model *m, cJSON *root)
{
	const struct sess_history *h = m->h;
	if (!report_has_terminals(m))
		return;
	cJSON *a = cJSON_AddArrayToObject(root, "presence");
	for (size_t i = 0; i < h->n_presence; i++) {
		const struct sess_presence *p = &h->presence[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "line", (double)p->when.line);
		cJSON_AddNumberToObject(x, "sitting", (double)p->sitting);
		cJSON_AddStringToObject(x, "kind", presence_word(p->kind));
		cJSON_AddStringToObject(x, "operator", sess_side_name(p->who));
		cJSON_AddStringToObject(x, "by", sess_side_name(p->by));
		j_opt(x, "how", p->how);
		j_term(x, "terminal", &p->term);
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(root, "signatures");
	for (size_t i = 0; i < m->s->n_ev; i++) {
		const struct journal_event *ev = &m->s->ev[i];
		for (size_t k = 0; k < ev->n_sigs; k++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddNumberToObject(x, "line", (double)ev->seq);
			cJSON_AddStringToObject(x, "type", ev->type);
			cJSON_AddStringToObject(x, "by", sess_side_name(ev->sigs[k].by));
			j_term(x, "terminal", sess_terminal_of(m->s, ev->seq, ev->sigs[k].by));
			cJSON_AddItemToArray(a, x);
		}
	}
}
