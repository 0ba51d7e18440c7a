/*
 * val.c - the cloud-side Content Validator, 2024 and current (cf_val.h).
 *
 * The 2024 validator is deliberately reproduced with its blind spot: it
 * compares field indexes with the Template Type's declared count only, so
 * content that tests IPC field 21 passes although sensor 7.11 supplies 20
 * inputs. The current validator checks against every sensor build in the
 * table, which is what makes the differential fuzz target's promise hold:
 * what it accepts cannot read past any build's input array.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_build.h"
#include "cf_mem.h"
#include "cf_re.h"
#include "cf_tmpl.h"
#include "cf_val.h"

static void add(cf_val_report *rep, int code, const cf_chan *ch, int32_t inst,
    int32_t crit, int32_t field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void
add(cf_val_report *rep, int code, const cf_chan *ch, int32_t inst, int32_t crit,
    int32_t field, const char *fmt, ...)
{
	cf_val_problem *p;
	va_list ap;

	rep->nproblems++;
	if (rep->nstored >= CF_VAL_MAX_PROBLEMS)
		return;
	p = &rep->p[rep->nstored++];
	p->code = code;
	p->instance = inst;
	p->instance_id = inst >= 0 ? ch->instances[inst].id : 0;
	p->criterion = crit;
	p->field = field;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Current validator: duplicate instance ids, found by sorting a copy. */
static int
check_unique_ids(const cf_chan *ch, cf_val_report *rep)
{
	uint32_t *ids;

	if (ch->ninstances < 2)
		return CF_OK;
	if ((ids = cf_mem_calloc(ch->ninstances, sizeof(*ids))) == NULL)
		return CF_E_NOMEM;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		ids[i] = ch->instances[i].id;
	qsort(ids, ch->ninstances, sizeof(*ids), cmp_u32);
	for (uint32_t i = 1; i < ch->ninstances; i++)
		if (ids[i] == ids[i - 1] && (i == 1 || ids[i - 2] != ids[i]))
			add(rep, CF_E_DUP_INSTANCE, ch, -1, -1, -1,
			    "instance id %u is used more than once", ids[i]);
	cf_mem_free(ids);
	return CF_OK;
}

/* Current validator: the per-criterion checks beyond the declared count. */
static int
check_criterion_current(const cf_chan *ch, const cf_tmpl *t, int32_t i,
    int32_t k, cf_val_report *rep)
{
	const cf_criterion *c = &ch->instances[i].crit[k];
	const cf_field *f = &t->fields[c->field];
	enum cf_operand shape = cf_op_operand(c->op);
	int rc;

	if ((rc = cf_chan_check_criterion(c, ch->nstrings)) != CF_OK) {
		add(rep, rc, ch, i, k, c->field, "%s", cf_strerror(rc));
		return CF_OK; /* nothing below is meaningful */
	}
	if (!cf_tmpl_op_fits(c->op, f->type))
		add(rep, CF_E_FIELD_TYPE, ch, i, k, c->field,
		    "operator %s does not fit field %s of type %s",
		    cf_op_name(c->op), f->name, cf_ftype_name(f->type));
	if ((c->mods & CF_MOD_ICASE) && shape != CF_OPND_STR)
		add(rep, CF_E_MODIFIER, ch, i, k, c->field,
		    "icase on non-string operator %s", cf_op_name(c->op));
	if (c->op != CF_OP_WILDCARD) {
		for (size_t b = 0; b < cf_build_count(); b++) {
			const cf_build *bd = cf_build_at(b);
			uint32_t n = cf_build_supplied(bd, t->id);
			if (n != 0 && c->field >= n)
				add(rep, CF_E_FIELD_UNSUPPLIED, ch, i, k,
				    c->field,
				    "non-wildcard criterion on field index %u (field %u, %s), but sensor build %s supplies only %u inputs for %s",
				    c->field, c->field + 1u, f->name, bd->name,
				    n, t->name);
		}
	}
	if (shape == CF_OPND_STR && c->op != CF_OP_EQUALS &&
	    ch->strings[c->str].len == 0)
		add(rep, CF_E_EMPTY_OPERAND, ch, i, k, c->field,
		    "empty %s operand matches every value", cf_op_name(c->op));
	if ((c->op == CF_OP_FLAGS_ANY || c->op == CF_OP_FLAGS_ALL) && c->a == 0)
		add(rep, CF_E_EMPTY_OPERAND, ch, i, k, c->field,
		    "zero mask for %s", cf_op_name(c->op));
	if (c->op == CF_OP_INT_RANGE && c->a > c->b)
		add(rep, CF_E_INT_RANGE, ch, i, k, c->field,
		    "int-range low %llu > high %llu", (unsigned long long)c->a,
		    (unsigned long long)c->b);
	if (c->op == CF_OP_REGEX) {
		const cf_str *s = &ch->strings[c->str];
		cf_re *re = NULL;
		cf_diag d = { 0 };
		rc = cf_re_compile(s->data, s->len,
		    CF_RE_DOT_NL | ((c->mods & CF_MOD_ICASE) ? CF_RE_ICASE : 0),
		    &re, &d);
		cf_re_free(re);
		if (rc == CF_E_NOMEM)
			return rc;
		if (rc != CF_OK)
			add(rep, rc, ch, i, k, c->field,
			    "regex does not compile within limits: %s (at byte %u)",
			    cf_strerror(rc), d.offset);
	}
	return CF_OK;
}

int
cf_val_check(const cf_chan *ch, cf_val_version v, cf_val_report *rep)
{
	const cf_tmpl *t;
	int rc;

	if (rep == NULL || ch == NULL ||
	    (v != CF_VAL_2024 && v != CF_VAL_CURRENT))
		return CF_E_ARG;
	rep->nproblems = rep->nstored = 0;
	if ((t = cf_tmpl_by_id(ch->template_type)) == NULL) {
		add(rep, CF_E_TEMPLATE_UNKNOWN, ch, -1, -1, -1,
		    "template type %u is not a known Template Type",
		    ch->template_type);
		return CF_E_REJECTED;
	}
	if (v == CF_VAL_CURRENT) {
		if (ch->channel != t->channel)
			add(rep, CF_E_CHANNEL_MISMATCH, ch, -1, -1, -1,
			    "channel %u, but %s content ships on channel %u",
			    ch->channel, t->name, t->channel);
		if ((rc = check_unique_ids(ch, rep)) != CF_OK)
			return rc;
	}
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];
		if (v == CF_VAL_CURRENT && in->ncrit == 0 &&
		    (in->flags & CF_INST_ENABLED))
			add(rep, CF_E_EMPTY_OPERAND, ch, (int32_t)i, -1, -1,
			    "instance has no criteria and would match every event");
		for (uint16_t k = 0; k < in->ncrit; k++) {
			const cf_criterion *c = &in->crit[k];
			if (c->field >= t->nfields) {
				add(rep, CF_E_FIELD_RANGE, ch, (int32_t)i, k,
				    c->field,
				    "field index %u is beyond the %u fields %s declares",
				    c->field, t->nfields, t->name);
				continue;
			}
			if (v == CF_VAL_CURRENT &&
			    (rc = check_criterion_current(
			         ch, t, (int32_t)i, k, rep)) != CF_OK)
				return rc;
		}
	}
	return rep->nproblems ? CF_E_REJECTED : CF_OK;
}

cf_val_version
cf_val_by_name(const char *name)
{
	if (strcmp(name, "2024") == 0)
		return CF_VAL_2024;
	if (strcmp(name, "current") == 0)
		return CF_VAL_CURRENT;
	return 0;
}

const char *
cf_val_name(cf_val_version v)
{
	return v == CF_VAL_2024   ? "2024"
	    : v == CF_VAL_CURRENT ? "current"
	                          : "?";
}
