/*
 * synth.c - events that satisfy an instance's criteria (cf_synth.h).
 *
 * One value per field: when two criteria constrain the same field the
 * first one wins, so a contradictory instance is reached as far as its
 * first conflict - enough to evaluate every criterion of a consistent one.
 */
#include <string.h>

#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_re.h"
#include "cf_synth.h"
#include "cf_tmpl.h"

/* Longest example generated for a REGEX criterion: room for the largest
 * counted repetition (CF_RE_MAX_REPEAT) and some context. */
#define RE_EXAMPLE_MAX (CF_RE_MAX_REPEAT + 100u)

/* One slot per field, each big enough for the longest string of the file
 * plus a byte on each side, or a regex example: sized per file so that a
 * fuzz target's per-input allocation stays small. */
struct cf_synth {
	size_t slot;
	uint8_t *buf; /* CF_MAX_FIELDS slots */
};

cf_synth *
cf_synth_new(const cf_chan *ch)
{
	cf_synth *s;
	size_t longest = 0;

	for (uint32_t i = 0; i < ch->nstrings; i++)
		if (ch->strings[i].len > longest)
			longest = ch->strings[i].len;
	if ((s = cf_mem_alloc(sizeof(*s))) == NULL)
		return NULL;
	/* longest <= CF_MAX_STRING_LEN: no overflow. */
	s->slot = (longest + 2 > RE_EXAMPLE_MAX ? longest + 2 : RE_EXAMPLE_MAX);
	/* Not zeroed: a slot is only read after it is written. */
	if ((s->buf = cf_mem_reallocarray(NULL, CF_MAX_FIELDS, s->slot)) ==
	    NULL) {
		cf_mem_free(s);
		return NULL;
	}
	return s;
}

void
cf_synth_free(cf_synth *s)
{
	if (s == NULL)
		return;
	cf_mem_free(s->buf);
	cf_mem_free(s);
}

static uint8_t *
slot(cf_synth *s, uint32_t f)
{
	return s->buf + (size_t)f * s->slot;
}

static void
set_str(cf_synth *s, cf_event *ev, uint32_t f, const uint8_t *pre, size_t npre,
    const cf_str *mid, const uint8_t *post, size_t npost)
{
	uint8_t *b = slot(s, f);
	size_t n = 0;

	/* npre, npost <= 1 and mid->len + 2 <= s->slot: fits. */
	if (npre)
		memcpy(b, pre, npre);
	n += npre;
	if (mid->len)
		memcpy(b + n, mid->data, mid->len);
	n += mid->len;
	if (npost)
		memcpy(b + n, post, npost);
	n += npost;
	ev->values[f].type = CF_VT_STR;
	ev->values[f].len = (uint32_t)n;
	ev->values[f].v.s = b;
}

/* A value for a string criterion; NEGATE wants one that fails. */
static int
synth_str(cf_synth *s, cf_event *ev, const cf_chan *ch, const cf_criterion *c,
    const cf_re *given)
{
	static const uint8_t x = 'x', nul = 0;
	const cf_str *str = &ch->strings[c->str];
	const cf_str empty = { (uint8_t *)"", 0 };
	uint32_t f = c->field;

	if (c->mods & CF_MOD_NEGATE) {
		/* An empty value fails every operand but the empty one; a
		 * value of one odd byte fails EQUALS "" and most patterns. */
		if (str->len == 0)
			set_str(s, ev, f, &nul, 1, &empty, NULL, 0);
		else
			set_str(s, ev, f, NULL, 0, &empty, NULL, 0);
		return CF_OK;
	}
	switch (c->op) {
	case CF_OP_EQUALS:
		set_str(s, ev, f, NULL, 0, str, NULL, 0);
		break;
	case CF_OP_PREFIX:
		set_str(s, ev, f, NULL, 0, str, &x, 1);
		break;
	case CF_OP_SUFFIX:
		set_str(s, ev, f, &x, 1, str, NULL, 0);
		break;
	case CF_OP_CONTAINS:
		set_str(s, ev, f, &x, 1, str, &x, 1);
		break;
	case CF_OP_REGEX: {
		cf_re *re = NULL;
		size_t n = 0;
		int rc = CF_OK;

		if (given == NULL) {
			rc = cf_re_compile(str->data, str->len,
			    CF_RE_DOT_NL |
			        ((c->mods & CF_MOD_ICASE) ? CF_RE_ICASE : 0),
			    &re, NULL);
			if (rc == CF_E_NOMEM)
				return rc;
			given = re;
		}
		if (rc == CF_OK)
			rc = cf_re_example(
			    given, slot(s, f), RE_EXAMPLE_MAX, &n);
		cf_re_free(re);
		if (rc == CF_E_NOMEM)
			return rc;
		/* No example: an empty value still reaches the criterion. */
		ev->values[f].type = CF_VT_STR;
		ev->values[f].len = rc == CF_OK ? (uint32_t)n : 0;
		ev->values[f].v.s = slot(s, f);
		break;
	}
	}
	return CF_OK;
}

static uint64_t
synth_int(const cf_criterion *c)
{
	int neg = (c->mods & CF_MOD_NEGATE) != 0;

	switch (c->op) {
	case CF_OP_INT_EQ:
	case CF_OP_INT_RANGE:
		return neg ? c->a - 1 : c->a; /* a-1 wraps: still outside */
	case CF_OP_FLAGS_ANY:
	case CF_OP_FLAGS_ALL:
		return neg ? ~c->a : c->a;
	}
	return 0;
}

int
cf_synth_event(cf_synth *s, const cf_chan *ch, uint32_t i, cf_event *ev)
{
	return cf_synth_event_re(s, ch, i, NULL, ev);
}

int
cf_synth_event_re(cf_synth *s, const cf_chan *ch, uint32_t i,
    const cf_re *const *re, cf_event *ev)
{
	const cf_tmpl *t = cf_tmpl_by_id(ch->template_type);
	uint32_t set = 0; /* bit per field already constrained */
	const cf_instance *in;

	if (t == NULL)
		return CF_E_TEMPLATE_UNKNOWN;
	if (i >= ch->ninstances)
		return CF_E_ARG;
	in = &ch->instances[i];
	memset(ev, 0, sizeof(*ev));
	ev->name = "synthesised";
	ev->tmpl_id = t->id;
	ev->nvalues = t->nfields;
	for (uint32_t f = 0; f < t->nfields; f++) {
		ev->values[f].type =
		    t->fields[f].type == CF_FT_STR ? CF_VT_STR : CF_VT_INT;
		ev->values[f].v.s =
		    t->fields[f].type == CF_FT_STR ? (const uint8_t *)"" : NULL;
		if (t->fields[f].type != CF_FT_STR)
			ev->values[f].v.u = 0;
	}
	for (uint16_t k = 0; k < in->ncrit; k++) {
		const cf_criterion *c = &in->crit[k];
		int rc;

		/* Fields past the template exist in no event. */
		if (c->op == CF_OP_WILDCARD || c->field >= t->nfields ||
		    (set & (1u << c->field)))
			continue;
		set |= 1u << c->field;
		if (cf_op_operand(c->op) == CF_OPND_STR) {
			if (c->str >= ch->nstrings)
				continue;
			if ((rc = synth_str(s, ev, ch, c,
			         re != NULL ? re[k] : NULL)) != CF_OK)
				return rc;
		} else {
			ev->values[c->field].type = CF_VT_INT;
			ev->values[c->field].v.u = synth_int(c);
		}
	}
	return CF_OK;
}
