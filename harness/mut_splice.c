/*
 * mut_splice.c - the splice operation: material from a second input (the
 * engine's splice partner) copied into the model. The partner is parsed
 * on first use (struct mut_ctx); what is copied keeps its meaning: each
 * string operand is remapped to an equal entry of the model's table, or
 * to a new one. Reference: libFuzzer's CrossOver and AFL's splice stage,
 * done on the model instead of on bytes.
 */
#include <string.h>

#include "harness.h"
#include "mut_int.h"

/* The index in ch of string s of oth: an equal entry, else a new one. */
static int
remap_string(cf_chan *ch, const cf_chan *oth, uint32_t s, uint32_t *idx)
{
	const cf_str *src = &oth->strings[s];

	for (uint32_t i = 0; i < ch->nstrings; i++)
		if (ch->strings[i].len == src->len &&
		    memcmp(ch->strings[i].data, src->data, src->len) == 0) {
			*idx = i;
			return CF_OK;
		}
	return cf_chan_add_string(ch, src->data, src->len, idx);
}

static int
remap_criteria(cf_chan *ch, const cf_chan *oth, cf_criterion *c, uint16_t n)
{
	int rc;

	for (uint16_t k = 0; k < n; k++)
		if (mut_is_str_op(c[k].op) &&
		    (rc = remap_string(ch, oth, c[k].str, &c[k].str)) != CF_OK)
			return rc;
	return CF_OK;
}

/* *out := instance src of oth with its criteria in crit (room for
 * CF_MAX_CRITERIA: oth was parsed), their string operands remapped into
 * ch's table; ready for cf_chan_insert_instance, which copies it. */
static int
remap_instance(cf_chan *ch, const cf_chan *oth, const cf_instance *src,
    cf_criterion *crit, cf_instance *out)
{
	*out = *src;
	out->crit = crit;
	if (src->ncrit > 0)
		memcpy(crit, src->crit, src->ncrit * sizeof(*crit));
	return remap_criteria(ch, oth, crit, src->ncrit);
}

int
mut_op_splice(cf_mut *m, cf_chan *ch, struct mut_ctx *x)
{
	cf_criterion crit[CF_MAX_CRITERIA];
	const cf_instance *src;
	cf_instance in;
	cf_chan *oth;
	int rc;

	if (!x->oth_tried) {
		x->oth_tried = 1;
		if (x->other != NULL && x->on > 0 &&
		    cf_chan_parse(x->other, cf_h_file_len(x->other, x->on),
		        &x->oth, NULL) != CF_OK)
			x->oth = NULL;
	}
	if ((oth = x->oth) == NULL || oth->ninstances == 0)
		return MUT_NA;
	src = &oth->instances[mut_below(m, oth->ninstances)];
	switch (mut_below(m, 8)) {
	case 0:
	case 1:
	case 2: /* criteria of the other into one of ours */
		if (ch->ninstances == 0 || src->ncrit == 0)
			return MUT_NA;
		{
			uint32_t to = mut_below(m, ch->ninstances);
			uint32_t k = 1 + mut_below(m, 3),
			         from = mut_below(m, src->ncrit);
			for (; k > 0 && from < src->ncrit; k--, from++) {
				cf_criterion c = src->crit[from];
				if ((rc = remap_criteria(ch, oth, &c, 1)) !=
				        CF_OK ||
				    (rc = cf_chan_insert_criterion(ch, to,
				         mut_below(
				             m, ch->instances[to].ncrit + 1u),
				         &c)) != CF_OK)
					return rc;
			}
		}
		return CF_OK;
	case 3: /* our first instances, then the other's last ones */
	{
		uint32_t keep = mut_below(m, ch->ninstances + 1);
		uint32_t from = mut_below(m, oth->ninstances);
		while (ch->ninstances > keep)
			cf_chan_remove_instance(ch, ch->ninstances - 1);
		for (; from < oth->ninstances &&
		     ch->ninstances < MUT_SOFT_INSTANCES;
		     from++)
			if ((rc = remap_instance(ch, oth, &oth->instances[from],
			         crit, &in)) != CF_OK ||
			    (rc = cf_chan_insert_instance(
			         ch, ch->ninstances, &in)) != CF_OK)
				return rc;
	}
		return CF_OK;
	case 4: /* the other's header */
		ch->template_type = oth->template_type;
		ch->channel = oth->channel;
		return CF_OK;
	default: /* one instance of the other */
		if (ch->ninstances >= MUT_SOFT_INSTANCES)
			cf_chan_remove_instance(
			    ch, mut_below(m, ch->ninstances));
		if ((rc = remap_instance(ch, oth, src, crit, &in)) != CF_OK)
			return rc;
		return cf_chan_insert_instance(
		    ch, mut_below(m, ch->ninstances + 1), &in);
	}
}
