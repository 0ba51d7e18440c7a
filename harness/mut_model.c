/*
 * mut_model.c - the mutator's choices on the model: which criterion, which
 * field index (biased to the template's field count and to the counts the
 * sensor builds supply: CF-291 is field 21 of 21 on a build that supplies
 * 20), which operator (one that fits the field's type, mostly), which
 * operand (integers at boundaries, masks, strings and patterns from the
 * table or the dictionaries); and new criteria, instances and models
 * built from those choices. Every criterion made here has the operand
 * shape its operator needs (cf_chan_check_criterion), so the model stays
 * writable.
 */
#include <string.h>

#include "cf_build.h"
#include "mut_int.h"

const cf_tmpl *
mut_tmpl(const cf_chan *ch)
{
	return cf_tmpl_by_id(ch->template_type);
}

uint32_t
mut_nfields(const cf_chan *ch)
{
	const cf_tmpl *t = mut_tmpl(ch);
	return t ? t->nfields : MUT_DEFAULT_FIELDS;
}

unsigned
mut_ftype(const cf_chan *ch, uint32_t field)
{
	const cf_tmpl *t = mut_tmpl(ch);
	return t && field < t->nfields ? t->fields[field].type : 0;
}

int
mut_is_str_op(unsigned op)
{
	return cf_op_operand(op) == CF_OPND_STR;
}

int
mut_pick_crit(cf_mut *m, cf_chan *ch, mut_crit_pred pred, cf_criterion **out,
    uint32_t *inst)
{
	size_t count = 0, k;

	for (uint32_t i = 0; i < ch->ninstances; i++)
		for (uint16_t j = 0; j < ch->instances[i].ncrit; j++)
			if (pred == NULL || pred(&ch->instances[i].crit[j]))
				count++;
	if (count == 0)
		return 0;
	k = mut_below_sz(m, count);
	for (uint32_t i = 0; i < ch->ninstances; i++)
		for (uint16_t j = 0; j < ch->instances[i].ncrit; j++) {
			cf_criterion *c = &ch->instances[i].crit[j];
			if (pred != NULL && !pred(c))
				continue;
			if (k-- == 0) {
				*out = c;
				if (inst)
					*inst = i;
				return 1;
			}
		}
	return 0;
}

uint32_t
mut_max_id(const cf_chan *ch)
{
	uint32_t id = 0;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		if (ch->instances[i].id > id)
			id = ch->instances[i].id;
	return id;
}

/* A field index biased to the boundaries that matter: the template's
 * count and the counts each sensor build supplies (CF-291: 20 vs 21). */
uint16_t
mut_pick_field(cf_mut *m, const cf_chan *ch)
{
	uint32_t nf = mut_nfields(ch), s;
	const cf_build *b;

	switch (mut_below(m, 16)) {
	case 8:
		return 0;
	case 9:
		return (uint16_t)(nf - 1);
	case 10:
		return (uint16_t)nf;
	case 11:
		return (uint16_t)(nf + 1);
	case 12:
	case 13:
		b = cf_build_at(mut_below(m, (uint32_t)cf_build_count()));
		s = cf_build_supplied(b, ch->template_type);
		if (s == 0)
			s = nf;
		return (uint16_t)(s - 1 + mut_below(m, 3));
	case 14:
		return (uint16_t)mut_below(m, 2 * CF_MAX_FIELDS);
	case 15: {
		static const uint16_t rare[] = { 0xffff, 0x7fff, 0x8000, 0x100,
			CF_MAX_FIELDS, CF_MAX_FIELDS - 1 };
		return rare[mut_below(m, sizeof(rare) / sizeof(rare[0]))];
	}
	default:
		return (uint16_t)mut_below(m, nf);
	}
}

/* A concrete operator that fits ftype; any operator when ftype is unknown
 * or, unless strict, once in 16 (CF_E_FIELD_TYPE for the validator). */
uint8_t
mut_pick_op_for(cf_mut *m, unsigned ftype, int strict)
{
	uint8_t fit[CF_OP_COUNT];
	uint32_t k = 0;

	if (ftype == 0 || (!strict && mut_one_in(m, 16)))
		return (uint8_t)(1 + mut_below(m, CF_OP_COUNT - 1));
	for (unsigned op = 1; op < CF_OP_COUNT; op++)
		if (cf_tmpl_op_fits(op, ftype))
			fit[k++] = (uint8_t)op;
	return k ? fit[mut_below(m, k)]
	         : (uint8_t)(1 + mut_below(m, CF_OP_COUNT - 1));
}

int
mut_pick_string(cf_mut *m, cf_chan *ch, int regex, uint32_t *idx)
{
	size_t n = 0;

	if (ch->nstrings > 0 &&
	    (ch->nstrings >= MUT_SOFT_STRINGS || mut_one_in(m, 2))) {
		*idx = mut_below(m, ch->nstrings);
		return CF_OK;
	}
	if (regex) {
		mut_put_cstr(m->edit, &n, MUT_MAX_PATTERN, mut_re_dict(m));
	} else if (ch->nstrings > 0 && mut_one_in(m, 3)) {
		const cf_str *s = &ch->strings[mut_below(m, ch->nstrings)];
		n = mut_min(s->len, MUT_SOFT_STRLEN);
		memcpy(m->edit, s->data, n);
		mut_str_edit(m, m->edit, &n, MUT_SOFT_STRLEN);
	} else if (mut_one_in(m, 4)) {
		n = 1 + mut_below(m, 16);
		for (size_t i = 0; i < n; i++)
			m->edit[i] = (uint8_t)(0x20 + mut_below(m, 0x5f));
	} else {
		mut_put_cstr(m->edit, &n, MUT_SOFT_STRLEN, mut_str_dict(m));
	}
	return cf_chan_add_string(ch, m->edit, n, idx);
}

/* docs/FORMAT.md 1.5. A string operand that cannot be added (the table
 * is full) leaves a wildcard. */
int
mut_set_operand(cf_mut *m, cf_chan *ch, cf_criterion *c)
{
	int rc = CF_OK;

	c->str = CF_NO_STRING;
	c->a = c->b = 0;
	switch (cf_op_operand(c->op)) {
	case CF_OPND_NONE:
		break;
	case CF_OPND_STR:
		rc = mut_pick_string(m, ch, c->op == CF_OP_REGEX, &c->str);
		break;
	case CF_OPND_INT:
		if (c->op == CF_OP_FLAGS_ANY || c->op == CF_OP_FLAGS_ALL)
			c->a = mut_pick_mask(m);
		else
			c->a = mut_pick_int(m, 0);
		break;
	case CF_OPND_RANGE:
		c->a = mut_pick_int(m, 0);
		if (mut_one_in(m, 8)) {
			c->b = mut_pick_int(m, c->a); /* maybe a > b */
		} else {
			uint64_t d = mut_below(m, 0x1000);
			c->b = c->a > UINT64_MAX - d ? UINT64_MAX : c->a + d;
		}
		break;
	}
	if (rc != CF_OK) { /* keep the criterion valid */
		c->op = CF_OP_WILDCARD;
		c->str = CF_NO_STRING;
	}
	/* ICASE is meant for string operators; keep it elsewhere rarely. */
	if (!mut_is_str_op(c->op) && (c->mods & CF_MOD_ICASE) &&
	    !mut_one_in(m, 8))
		c->mods &= (uint8_t)~CF_MOD_ICASE;
	return rc == MUT_NA ? CF_OK : rc;
}

int
mut_new_criterion(cf_mut *m, cf_chan *ch, cf_criterion *c)
{
	memset(c, 0, sizeof(*c));
	c->field = mut_one_in(m, 8) ? mut_pick_field(m, ch)
	                            : (uint16_t)mut_below(m, mut_nfields(ch));
	c->op = mut_one_in(m, 4)
	    ? CF_OP_WILDCARD
	    : mut_pick_op_for(m, mut_ftype(ch, c->field), 0);
	if (mut_is_str_op(c->op) && mut_one_in(m, 4))
		c->mods |= CF_MOD_ICASE;
	if (mut_one_in(m, 8))
		c->mods |= CF_MOD_NEGATE;
	return mut_set_operand(m, ch, c);
}

/* Up to NEW_INSTANCE_CRIT criteria, built before the instance is
 * inserted (cf_chan_insert_instance copies them). */
#define NEW_INSTANCE_CRIT 4u

int
mut_new_instance(cf_mut *m, cf_chan *ch, uint32_t pos)
{
	cf_instance in;
	cf_criterion crit[NEW_INSTANCE_CRIT];
	uint32_t ncrit =
	    mut_one_in(m, 8) ? 0 : 1 + mut_below(m, NEW_INSTANCE_CRIT);
	int rc;

	memset(&in, 0, sizeof(in));
	switch (mut_below(m, 4)) {
	case 0:
		in.id = (uint32_t)mut_pick_int(m, mut_max_id(ch));
		break;
	case 1: /* a duplicate id (CF_E_DUP_INSTANCE), when there is one */
		in.id = ch->ninstances
		    ? ch->instances[mut_below(m, ch->ninstances)].id
		    : 1;
		break;
	default:
		in.id = mut_max_id(ch) + 1;
		break;
	}
	in.action = (uint16_t)mut_below(m, CF_ACT_COUNT);
	in.flags = mut_one_in(m, 8) ? 0 : CF_INST_ENABLED;
	for (uint32_t k = 0; k < ncrit; k++)
		if ((rc = mut_new_criterion(m, ch, &crit[k])) != CF_OK)
			return rc;
	in.ncrit = (uint16_t)ncrit;
	in.crit = crit;
	return cf_chan_insert_instance(ch, pos, &in);
}

int
mut_gen_model(cf_mut *m, cf_chan **out)
{
	const cf_tmpl *t = cf_tmpl_at(mut_below(m, (uint32_t)cf_tmpl_count()));
	cf_chan *ch = cf_chan_new();
	uint32_t n = 1 + mut_below(m, 3);
	int rc = CF_OK;

	*out = NULL;
	if (ch == NULL)
		return CF_E_NOMEM;
	ch->template_type = t->id;
	ch->channel = t->channel;
	ch->content_version = (uint32_t)mut_pick_int(m, 20240719);
	for (uint32_t i = 0; i < n && rc == CF_OK; i++)
		rc = mut_new_instance(m, ch, i);
	if (rc != CF_OK) {
		cf_chan_free(ch);
		return rc;
	}
	*out = ch;
	return CF_OK;
}
