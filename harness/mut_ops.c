/*
 * mut_ops.c - the structure operations and their table.
 *
 * Each operation edits the model in place and keeps it writable: operator
 * wildcard <-> concrete, field index, integer operands, strings, regex
 * patterns, string references, modifiers, instances and criteria added,
 * removed, duplicated and swapped, splicing (mut_splice.c), instance id,
 * action and enabled flag, header integers, template type and the
 * trailing event bytes. An operation that does not apply to the model
 * returns MUT_NA and gives way to another pick.
 *
 * The table below is picked from by weight, 1 to 4 times per mutation
 * (each extra one with probability 1/2). Its order and weights are part
 * of the mutator's behaviour: benchmark figures stay comparable only
 * while they stay (tests/test_mut_golden.c). The table is modelled on
 * libFuzzer's FuzzerMutate.cpp ({function, name} entries); what each
 * operation finds is counted by bench/opcov.c (docs/HARNESS.md).
 */
#include <string.h>

#include "mut_int.h"

/* Predicates of mut_pick_crit. */
static int
is_regex(const cf_criterion *c)
{
	return c->op == CF_OP_REGEX;
}

static int
has_int(const cf_criterion *c)
{
	enum cf_operand o = cf_op_operand(c->op);
	return o == CF_OPND_INT || o == CF_OPND_RANGE;
}

static int
has_string(const cf_criterion *c)
{
	return mut_is_str_op(c->op);
}

static int op_crit_add(cf_mut *m, cf_chan *ch, struct mut_ctx *x);
static int op_inst_del(cf_mut *m, cf_chan *ch, struct mut_ctx *x);

static int
op_switch(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;

	if (!mut_pick_crit(m, ch, NULL, &c, NULL))
		return op_crit_add(m, ch, x);
	if (c->op == CF_OP_WILDCARD || mut_one_in(m, 2))
		c->op = mut_pick_op_for(m, mut_ftype(ch, c->field), 0);
	else
		c->op = CF_OP_WILDCARD;
	return mut_set_operand(m, ch, c);
}

static int
op_field(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;
	unsigned ft;

	(void)x;
	if (!mut_pick_crit(m, ch, NULL, &c, NULL))
		return MUT_NA;
	c->field = mut_pick_field(m, ch);
	ft = mut_ftype(ch, c->field);
	/* Mostly keep the operator fitting the new field's type. */
	if (c->op != CF_OP_WILDCARD && ft != 0 && !cf_tmpl_op_fits(c->op, ft) &&
	    !mut_one_in(m, 4)) {
		c->op = mut_pick_op_for(m, ft, 1);
		return mut_set_operand(m, ch, c);
	}
	return CF_OK;
}

static int
op_int(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;

	(void)x;
	if (!mut_pick_crit(m, ch, has_int, &c, NULL))
		return MUT_NA;
	if (cf_op_operand(c->op) == CF_OPND_RANGE && mut_one_in(m, 2)) {
		c->b = mut_pick_int(m, mut_one_in(m, 2) ? c->b : c->a);
		return CF_OK;
	}
	if ((c->op == CF_OP_FLAGS_ANY || c->op == CF_OP_FLAGS_ALL) &&
	    mut_one_in(m, 2)) {
		uint64_t mask = mut_pick_mask(m);
		c->a = mask | (mut_one_in(m, 2) ? c->a : 0);
	} else {
		c->a = mut_pick_int(m, c->a);
	}
	return CF_OK;
}

static int
op_string(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	const cf_str *s;
	uint32_t idx;
	size_t n, cap;

	(void)x;
	if (ch->nstrings == 0)
		return MUT_NA;
	idx = mut_below(m, ch->nstrings);
	s = &ch->strings[idx];
	n = s->len; /* <= CF_MAX_STRING_LEN <= MUT_EDIT_CAP */
	memcpy(m->edit, s->data, n);
	cap = n > MUT_SOFT_STRLEN ? n : MUT_SOFT_STRLEN;
	if (n > 0 && mut_one_in(m, 128)) { /* exactly the length limit */
		for (size_t i = n; i < CF_MAX_STRING_LEN; i++)
			m->edit[i] = m->edit[i % n];
		n = CF_MAX_STRING_LEN;
	} else {
		for (uint32_t k = 1 + mut_below(m, 3); k > 0; k--)
			mut_str_edit(m, m->edit, &n, cap);
	}
	return cf_chan_set_string(ch, idx, m->edit, n);
}

static int
op_regex(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;
	const cf_tmpl *t = mut_tmpl(ch);
	const cf_str *lit;
	uint32_t idx;
	size_t n, cap;
	int rc;

	(void)x;
	if (!mut_pick_crit(m, ch, is_regex, &c, NULL)) {
		if (!mut_pick_crit(m, ch, NULL, &c, NULL))
			return MUT_NA;
		/* Make it a regex, mostly on a string field. */
		if (t != NULL && !mut_one_in(m, 4)) {
			uint32_t f = mut_below(m, t->nfields);
			for (uint32_t i = 0; i < t->nfields; i++)
				if (t->fields[(f + i) % t->nfields].type ==
				    CF_FT_STR) {
					c->field =
					    (uint16_t)((f + i) % t->nfields);
					break;
				}
		}
		c->op = CF_OP_REGEX;
		if ((rc = mut_set_operand(m, ch, c)) != CF_OK ||
		    c->op != CF_OP_REGEX)
			return rc;
	}
	n = ch->strings[c->str].len;
	memcpy(m->edit, ch->strings[c->str].data, n);
	cap = n > MUT_MAX_PATTERN ? n : MUT_MAX_PATTERN;
	lit = &ch->strings[mut_below(m, ch->nstrings)];
	for (uint32_t k = 1 + mut_below(m, 3); k > 0; k--)
		mut_re_edit(m, m->edit, &n, cap, lit->data, lit->len);
	if (mut_one_in(m, 4))
		c->mods ^= CF_MOD_ICASE;
	if (ch->nstrings < MUT_SOFT_STRINGS && mut_one_in(m, 2)) {
		if ((rc = cf_chan_add_string(ch, m->edit, n, &idx)) != CF_OK)
			return rc;
		c->str = idx;
		return CF_OK;
	}
	return cf_chan_set_string(ch, c->str, m->edit, n);
}

static int
op_strref(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;

	(void)x;
	if (!mut_pick_crit(m, ch, has_string, &c, NULL))
		return MUT_NA;
	return mut_pick_string(m, ch, c->op == CF_OP_REGEX, &c->str);
}

static int
op_mods(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;

	(void)x;
	if (!mut_pick_crit(m, ch, NULL, &c, NULL))
		return MUT_NA;
	c->mods ^= mut_one_in(m, 2) ? CF_MOD_ICASE : CF_MOD_NEGATE;
	return CF_OK;
}

static int
op_inst_add(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	if (ch->ninstances >= MUT_SOFT_INSTANCES)
		return op_inst_del(m, ch, x);
	return mut_new_instance(m, ch, mut_below(m, ch->ninstances + 1));
}

static int
op_inst_del(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	(void)x;
	if (ch->ninstances == 0)
		return MUT_NA;
	return cf_chan_remove_instance(ch, mut_below(m, ch->ninstances));
}

static int
op_inst_dup(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_instance in;

	if (ch->ninstances == 0)
		return MUT_NA;
	if (ch->ninstances >= MUT_SOFT_INSTANCES)
		return op_inst_del(m, ch, x);
	in = ch->instances[mut_below(m, ch->ninstances)]; /* copied below */
	if (mut_one_in(m, 2))
		in.id = mut_max_id(ch) + 1;
	return cf_chan_insert_instance(
	    ch, mut_below(m, ch->ninstances + 1), &in);
}

static int
op_crit_add(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion c;
	uint32_t i;
	int rc;

	(void)x;
	if (ch->ninstances == 0)
		return mut_new_instance(m, ch, 0);
	i = mut_below(m, ch->ninstances);
	if (ch->instances[i].ncrit >= CF_MAX_CRITERIA)
		return cf_chan_remove_criterion(
		    ch, i, mut_below(m, ch->instances[i].ncrit));
	if ((rc = mut_new_criterion(m, ch, &c)) != CF_OK)
		return rc;
	return cf_chan_insert_criterion(
	    ch, i, mut_below(m, ch->instances[i].ncrit + 1u), &c);
}

static int
op_crit_del(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;
	uint32_t i;

	(void)x;
	if (!mut_pick_crit(m, ch, NULL, &c, &i))
		return MUT_NA;
	return cf_chan_remove_criterion(
	    ch, i, (uint32_t)(c - ch->instances[i].crit));
}

static int
op_crit_dup(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion *c;
	uint32_t i, to;

	(void)x;
	if (!mut_pick_crit(m, ch, NULL, &c, &i))
		return MUT_NA;
	to = mut_one_in(m, 2) ? i : mut_below(m, ch->ninstances);
	/* c may point into the array that grows: the insertion copies it
	 * first. */
	return cf_chan_insert_criterion(
	    ch, to, mut_below(m, ch->instances[to].ncrit + 1u), c);
}

static int
op_swap(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	(void)x;
	if (ch->ninstances == 0)
		return MUT_NA;
	if (mut_one_in(m, 2)) {
		cf_instance *in = &ch->instances[mut_below(m, ch->ninstances)];
		uint32_t a = mut_below(m, in->ncrit),
		         b = mut_below(m, in->ncrit);
		cf_criterion t;
		if (in->ncrit < 2 || a == b)
			return MUT_NA;
		t = in->crit[a];
		in->crit[a] = in->crit[b];
		in->crit[b] = t;
	} else {
		uint32_t a = mut_below(m, ch->ninstances),
		         b = mut_below(m, ch->ninstances);
		cf_instance t;
		if (a == b)
			return MUT_NA;
		t = ch->instances[a];
		ch->instances[a] = ch->instances[b];
		ch->instances[b] = t;
	}
	return CF_OK;
}

static int
op_inst_fields(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_instance *in;

	(void)x;
	if (ch->ninstances == 0)
		return MUT_NA;
	in = &ch->instances[mut_below(m, ch->ninstances)];
	switch (mut_below(m, 3)) {
	case 0:
		in->id = mut_one_in(m, 2)
		    ? ch->instances[mut_below(m, ch->ninstances)].id
		    : (uint32_t)mut_pick_int(m, in->id);
		break;
	case 1:
		in->action = (uint16_t)((in->action + 1 + mut_below(m, 3)) %
		    CF_ACT_COUNT);
		break;
	default:
		in->flags ^= CF_INST_ENABLED;
		break;
	}
	return CF_OK;
}

static int
op_header(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	const cf_tmpl *t;

	(void)x;
	if (mut_one_in(m, 2)) {
		ch->content_version =
		    (uint32_t)mut_pick_int(m, ch->content_version);
		return CF_OK;
	}
	switch (mut_below(m, 3)) {
	case 0:
		t = mut_tmpl(ch);
		ch->channel = t ? t->channel : 291;
		break;
	case 1:
		t = cf_tmpl_at(mut_below(m, (uint32_t)cf_tmpl_count()));
		ch->channel = t->channel;
		break;
	default:
		ch->channel = (uint32_t)mut_pick_int(m, ch->channel);
		break;
	}
	return CF_OK;
}

/* Another template type; mostly also its channel, and criteria whose field
 * or operator no longer fit moved to fitting ones, so that every template's
 * fields get exercised. */
static int
op_template(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	const cf_tmpl *t = cf_tmpl_at(mut_below(m, (uint32_t)cf_tmpl_count()));
	int rc;

	(void)x;
	if (mut_one_in(m, 16)) {
		static const uint32_t bad[] = { 0, CF_TMPL_MAX_ID + 1,
			0xffffffffu };
		ch->template_type = bad[mut_below(m, 3)];
		return CF_OK;
	}
	ch->template_type = t->id;
	if (!mut_one_in(m, 4))
		ch->channel = t->channel;
	if (mut_one_in(m, 4))
		return CF_OK;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		for (uint16_t k = 0; k < ch->instances[i].ncrit; k++) {
			cf_criterion *c = &ch->instances[i].crit[k];
			if (c->field >= t->nfields)
				c->field = (uint16_t)mut_below(m, t->nfields);
			if (c->op != CF_OP_WILDCARD &&
			    !cf_tmpl_op_fits(c->op, t->fields[c->field].type)) {
				c->op = mut_pick_op_for(
				    m, t->fields[c->field].type, 1);
				if ((rc = mut_set_operand(m, ch, c)) != CF_OK)
					return rc;
			}
		}
	return CF_OK;
}

/* Trailing event bytes (harness.h): byte edits, or one more event encoded
 * field by field from the string table and interesting integers. */
static int
op_tail(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	const cf_tmpl *t = mut_tmpl(ch);
	size_t cap = MUT_SOFT_TAIL;
	int rc;

	if (m->tail_len > cap)
		cap = m->tail_len;
	if ((rc = mut_ensure(&m->tail, &m->tail_cap, cap)) != CF_OK)
		return rc;
	switch (mut_below(m, 6)) {
	case 0:
		m->tail_len = 0;
		break;
	case 1:
	case 2: {
		uint32_t nf = t ? t->nfields : MUT_DEFAULT_FIELDS;
		for (uint32_t f = 0; f < nf && cap - m->tail_len >= 9; f++) {
			uint8_t v[8];
			size_t n;
			if (t != NULL && t->fields[f].type != CF_FT_STR) {
				uint64_t u = mut_pick_int(m, 0);
				for (int i = 0; i < 8; i++)
					v[i] = (uint8_t)(u >> (8 * i));
				m->tail[m->tail_len++] = 8;
				mut_bytes_insert(m->tail, &m->tail_len, cap,
				    m->tail_len, v, 8);
			} else if (ch->nstrings > 0 && !mut_one_in(m, 4)) {
				const cf_str *s =
				    &ch->strings[mut_below(m, ch->nstrings)];
				n = mut_min(mut_min(s->len, 255),
				    cap - m->tail_len - 1);
				m->tail[m->tail_len++] = (uint8_t)n;
				mut_bytes_insert(m->tail, &m->tail_len, cap,
				    m->tail_len, s->data, n);
			} else {
				m->tail[m->tail_len++] = 0;
			}
		}
		break;
	}
	default:
		mut_havoc(m, m->tail, &m->tail_len, cap, x->other, x->on);
		break;
	}
	return CF_OK;
}

/* The operations and their weights, in percent (they add up to 100).
 * An operation that does not apply (MUT_NA) gives way to another pick.
 * Order and weights are part of the mutator's output, pinned by
 * tests/test_mut_golden.c; what each finds: `make opcov`. */
static const struct {
	const char *name;
	unsigned weight;
	mut_fn fn;
} mut_ops[] = {
	{ "op-switch", 16, op_switch },
	{ "field", 12, op_field },
	{ "int", 8, op_int },
	{ "string", 6, op_string },
	{ "regex", 9, op_regex },
	{ "strref", 3, op_strref },
	{ "mods", 5, op_mods },
	{ "inst-add", 4, op_inst_add },
	{ "inst-del", 3, op_inst_del },
	{ "inst-dup", 3, op_inst_dup },
	{ "crit-add", 6, op_crit_add },
	{ "crit-del", 4, op_crit_del },
	{ "crit-dup", 3, op_crit_dup },
	{ "swap", 2, op_swap },
	{ "splice", 6, mut_op_splice },
	{ "inst-fields", 4, op_inst_fields },
	{ "header", 2, op_header },
	{ "template", 2, op_template },
	{ "tail", 2, op_tail },
};
#define NMUT_OPS (sizeof(mut_ops) / sizeof(mut_ops[0]))

static unsigned
pick_op(cf_mut *m)
{
	unsigned total = 0, r;

	for (size_t i = 0; i < NMUT_OPS; i++)
		total += mut_ops[i].weight;
	r = mut_below(m, total);
	for (unsigned i = 0; i < NMUT_OPS; i++) {
		if (r < mut_ops[i].weight)
			return i;
		r -= mut_ops[i].weight;
	}
	return 0;
}

int
mut_apply_ops(cf_mut *m, cf_chan *ch, struct mut_ctx *x, int force)
{
	int nops = 1, rc;

	m->ntrace = 0;
	while (nops < MUT_MAX_STACK && mut_one_in(m, 2))
		nops++;
	for (int i = 0; i < nops; i++) {
		for (int t = 0; t < MUT_TRIES; t++) {
			unsigned op = (i == 0 && t == 0 && force >= 0)
			    ? (unsigned)force
			    : pick_op(m);
			rc = mut_ops[op].fn(m, ch, x);
			if (rc == CF_OK) {
				if (i == 0)
					m->last_op = mut_ops[op].name;
				m->trace[m->ntrace++] = op;
				break;
			}
			if (rc != MUT_NA)
				return rc;
		}
	}
	return CF_OK;
}

unsigned
mut_op_count(void)
{
	return (unsigned)NMUT_OPS;
}

const char *
mut_op_name(unsigned op)
{
	return op < NMUT_OPS ? mut_ops[op].name : NULL;
}

unsigned
mut_op_weight(unsigned op)
{
	return op < NMUT_OPS ? mut_ops[op].weight : 0;
}

int
mut_op_find(const char *name)
{
	for (size_t i = 0; i < NMUT_OPS; i++)
		if (strcmp(mut_ops[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
mut_op_apply(cf_mut *m, unsigned op, cf_chan *ch, struct mut_ctx *x)
{
	int rc;

	if (op >= NMUT_OPS)
		return CF_E_ARG;
	m->ntrace = 0;
	if ((rc = mut_ops[op].fn(m, ch, x)) == CF_OK) {
		m->last_op = mut_ops[op].name;
		m->trace[m->ntrace++] = op;
	}
	return rc;
}
