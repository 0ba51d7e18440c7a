/*
 * event.c - the events file parser (cf_event.h; docs/FORMAT.md section 8).
 *
 * Same lexical rules as the text form (lex.c). Every event holds one value
 * per field its template type declares, defaulting to the empty string or
 * 0 by the field's type. Labels and string values are copied into one byte
 * pool owned by the list. The pool grows by realloc while the file is read,
 * which moves it, so values hold pool offsets until the end of the parse;
 * only then, with the pool final, are the offsets turned into pointers.
 */
#include <stdio.h>
#include <string.h>

#include "cf_event.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_tmpl.h"
#include "lex.h"

#define DESC_LEN 56 /* room for cf_lex_desc() */

_Static_assert(CF_MAX_FIELDS <= 64, "field set fits a uint64_t");

struct ev_state {
	cf_lex lx;
	cf_event *ev;     /* values of CF_VT_STR hold pool offsets in v.u */
	size_t *name_off; /* pool offset of each event's NUL-terminated name */
	uint32_t nev, cap;
	uint8_t *pool;
	size_t plen, pcap;
	const cf_tmpl *tmpl; /* the current event's template type */
	uint64_t given;      /* fields of the current event set so far */
};

/* Append p[0..n) and, when nul, a NUL; *off gets where it starts. */
static int
pool_put(struct ev_state *st, const void *p, size_t n, int nul, size_t *off)
{
	size_t need, ncap;
	uint8_t *np;

	if (n > CF_MAX_ALLOC - 1 || st->plen > CF_MAX_ALLOC - 1 - n)
		return cf_lex_err(&st->lx, CF_E_TEXT_LIMIT,
		    "events file holds more than %u bytes of labels and strings",
		    (unsigned)CF_MAX_ALLOC);
	need = st->plen + n + (nul ? 1 : 0);
	if (need > st->pcap) {
		ncap = st->pcap ? st->pcap : 4096;
		while (ncap < need)
			ncap =
			    ncap > CF_MAX_ALLOC / 2 ? CF_MAX_ALLOC : ncap * 2;
		if ((np = cf_mem_reallocarray(st->pool, ncap, 1)) == NULL)
			return cf_lex_err(&st->lx, CF_E_NOMEM, "out of memory");
		st->pool = np;
		st->pcap = ncap;
	}
	*off = st->plen;
	if (n > 0)
		memcpy(st->pool + st->plen, p, n);
	st->plen += n;
	if (nul)
		st->pool[st->plen++] = 0;
	return CF_OK;
}

static int
event_line(struct ev_state *st)
{
	char desc[DESC_LEN], label[24];
	const cf_tmpl *t;
	cf_event *ev;
	uint64_t id;
	cf_tok tok;
	int rc;

	if (st->nev >= CF_MAX_EVENTS)
		return cf_lex_err(&st->lx, CF_E_TEXT_LIMIT,
		    "more than %u events", (unsigned)CF_MAX_EVENTS);
	if ((rc = cf_lex_next(&st->lx, &tok)) != CF_OK)
		return rc;
	cf_lex_desc(&tok, desc, sizeof(desc));
	if (tok.kind == CF_TK_NAME) {
		t = cf_tmpl_by_name(tok.p, tok.n);
	} else if (tok.kind == CF_TK_INT) {
		if ((rc = cf_lex_uint(&st->lx, &tok, UINT32_MAX,
		         "template number", &id)) != CF_OK)
			return rc;
		t = cf_tmpl_by_id((uint32_t)id);
	} else {
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "'event' needs a template name or number, got %s", desc);
	}
	if (t == NULL)
		return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
		    "unknown template %s (`cftool types` lists them)", desc);
	if (t->nfields > CF_MAX_FIELDS)
		return cf_lex_err(&st->lx, CF_E_ARG,
		    "template %s declares more than %u fields", t->name,
		    (unsigned)CF_MAX_FIELDS); /* compiled-in data is wrong */

	if (st->nev == st->cap) {
		uint32_t ncap = st->cap ? st->cap * 2 : 16;
		void *p;

		if (ncap > CF_MAX_EVENTS)
			ncap = CF_MAX_EVENTS;
		if ((p = cf_mem_reallocarray(st->ev, ncap, sizeof(cf_event))) ==
		    NULL)
			return cf_lex_err(&st->lx, CF_E_NOMEM, "out of memory");
		st->ev = p;
		if ((p = cf_mem_reallocarray(
		         st->name_off, ncap, sizeof(size_t))) == NULL)
			return cf_lex_err(&st->lx, CF_E_NOMEM, "out of memory");
		st->name_off = p;
		st->cap = ncap;
	}

	if ((rc = cf_lex_next(&st->lx, &tok)) != CF_OK)
		return rc;
	if (tok.kind == CF_TK_STRING) {
		/* ev->name is a C string: a NUL would cut it silently. */
		if (memchr(tok.s, 0, tok.slen) != NULL)
			return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
			    "event label holds a NUL byte");
		if ((rc = cf_lex_expect_end(&st->lx, "the label")) != CF_OK ||
		    (rc = pool_put(st, tok.s, tok.slen, 1,
		         &st->name_off[st->nev])) != CF_OK)
			return rc;
	} else if (tok.kind == CF_TK_END) {
		snprintf(label, sizeof(label), "event %u", st->nev + 1);
		if ((rc = pool_put(st, label, strlen(label), 1,
		         &st->name_off[st->nev])) != CF_OK)
			return rc;
	} else {
		cf_lex_desc(&tok, desc, sizeof(desc));
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "unexpected %s after the template (only a quoted label may follow)",
		    desc);
	}

	ev = &st->ev[st->nev++];
	memset(ev, 0, sizeof(*ev));
	ev->tmpl_id = t->id;
	ev->nvalues = t->nfields;
	for (uint32_t i = 0; i < t->nfields; i++)
		ev->values[i].type =
		    t->fields[i].type == CF_FT_STR ? CF_VT_STR : CF_VT_INT;
	st->tmpl = t;
	st->given = 0;
	return CF_OK;
}

static int
field_line(struct ev_state *st, const cf_tok *first)
{
	char desc[DESC_LEN];
	const cf_tmpl *t = st->tmpl;
	cf_value *val;
	uint64_t idx;
	size_t off;
	cf_tok tok;
	int rc, f;

	cf_lex_desc(first, desc, sizeof(desc));
	if (st->nev == 0)
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "%s before the first 'event' line", desc);
	if (first->kind == CF_TK_INT) {
		if ((rc = cf_lex_uint(&st->lx, first, UINT32_MAX, "field index",
		         &idx)) != CF_OK)
			return rc;
		if (idx >= t->nfields)
			return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
			    "field index %llu: template %s has %u fields",
			    (unsigned long long)idx, t->name, t->nfields);
		f = (int)idx;
	} else if ((f = cf_tmpl_field_by_name(t, first->p, first->n)) < 0) {
		return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
		    "template %s has no field %s", t->name, desc);
	}
	if (st->given & ((uint64_t)1 << f))
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "field %s given twice in one event", t->fields[f].name);

	if ((rc = cf_lex_next(&st->lx, &tok)) != CF_OK)
		return rc;
	val = &st->ev[st->nev - 1].values[f];
	if (val->type == CF_VT_STR && tok.kind == CF_TK_STRING) {
		if ((rc = cf_lex_expect_end(&st->lx, "the value")) != CF_OK)
			return rc;
		if (tok.slen > 0) {
			if ((rc = pool_put(st, tok.s, tok.slen, 0, &off)) !=
			    CF_OK)
				return rc;
			val->v.u = off; /* a pointer once the pool is final */
			val->len = (uint32_t)tok.slen;
		}
	} else if (val->type == CF_VT_INT && tok.kind == CF_TK_INT) {
		if ((rc = cf_lex_uint(&st->lx, &tok, UINT64_MAX, "value",
		         &val->v.u)) != CF_OK ||
		    (rc = cf_lex_expect_end(&st->lx, "the value")) != CF_OK)
			return rc;
	} else if (tok.kind == CF_TK_STRING || tok.kind == CF_TK_INT) {
		return cf_lex_err(&st->lx, CF_E_TEXT_VALUE,
		    "field %s is %s: its value is %s", t->fields[f].name,
		    cf_ftype_name(t->fields[f].type),
		    val->type == CF_VT_STR ? "a quoted string" : "a number");
	} else {
		cf_lex_desc(&tok, desc, sizeof(desc));
		return cf_lex_err(&st->lx, CF_E_TEXT_SYNTAX,
		    "field %s needs a value, got %s", t->fields[f].name, desc);
	}
	st->given |= (uint64_t)1 << f;
	return CF_OK;
}

/* The pool is final: turn offsets into pointers. */
static void
fix_pointers(struct ev_state *st)
{
	for (uint32_t i = 0; i < st->nev; i++) {
		cf_event *ev = &st->ev[i];

		ev->name = (const char *)st->pool + st->name_off[i];
		for (uint32_t k = 0; k < ev->nvalues; k++) {
			cf_value *v = &ev->values[k];

			if (v->type != CF_VT_STR)
				continue;
			if (v->len == 0)
				v->v.s = (const uint8_t *)"";
			else
				v->v.s = st->pool + (size_t)v->v.u;
		}
	}
}

int
cf_event_parse(const char *src, size_t len, cf_event_list **out, cf_diag *d)
{
	struct ev_state st;
	cf_event_list *l = NULL;
	cf_tok tok;
	int rc, more;

	if (out == NULL)
		return cf_diag_set(d, CF_E_ARG, 0, "no output pointer");
	*out = NULL;
	memset(&st, 0, sizeof(st));
	if (d != NULL)
		d->line = 0;
	if ((rc = cf_lex_open(&st.lx, src, len, d)) != CF_OK)
		return rc;
	for (;;) {
		if ((rc = cf_lex_line(&st.lx, &more)) != CF_OK)
			goto fail;
		if (!more)
			break;
		if ((rc = cf_lex_next(&st.lx, &tok)) != CF_OK)
			goto fail;
		if (tok.kind == CF_TK_END)
			continue;
		if (cf_lex_is(&tok, "event"))
			rc = event_line(&st);
		else if (tok.kind == CF_TK_NAME || tok.kind == CF_TK_INT)
			rc = field_line(&st, &tok);
		else {
			char desc[DESC_LEN];

			cf_lex_desc(&tok, desc, sizeof(desc));
			rc = cf_lex_err(&st.lx, CF_E_TEXT_SYNTAX,
			    "expected 'event' or a field name, got %s", desc);
		}
		if (rc != CF_OK)
			goto fail;
	}
	if ((l = cf_mem_calloc(1, sizeof(*l))) == NULL) {
		rc = cf_diag_set(d, CF_E_NOMEM, 0, "out of memory");
		goto fail;
	}
	fix_pointers(&st);
	l->count = st.nev;
	l->events = st.ev;
	l->pool = st.pool;
	cf_mem_free(st.name_off);
	cf_lex_close(&st.lx);
	*out = l;
	return CF_OK;
fail:
	cf_mem_free(st.ev);
	cf_mem_free(st.name_off);
	cf_mem_free(st.pool);
	cf_lex_close(&st.lx);
	return rc;
}

void
cf_event_list_free(cf_event_list *l)
{
	if (l == NULL)
		return;
	cf_mem_free(l->events);
	cf_mem_free(l->pool);
	cf_mem_free(l);
}
