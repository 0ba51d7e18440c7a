/*
 * interp.c - the Content Interpreter of a modelled sensor build (cf_interp.h).
 *
 * Compile: bind a parsed channel file to a sensor build, precompile every
 * REGEX criterion, and decide per instance whether it is evaluated.
 * Evaluate: for each enabled instance, AND its criteria in order, stopping
 * at the first false one. A WILDCARD never reads its input.
 *
 * The single place where an input value is read is input_at(). Whether it
 * checks the index is decided by the build table (CF_CHECK_RUNTIME_BOUNDS),
 * not by #ifdefs - except the CF_GUARD instrumentation, which exists so
 * that builds without a sanitizer still see an out-of-bounds read.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_interp.h"
#include "cf_mem.h"
#include "cf_re.h"

struct cf_program {
	const cf_chan *ch;
	const cf_build *build;
	const cf_tmpl *tmpl;
	uint32_t supplied;
	uint8_t *enabled; /* per instance: 1 = evaluated */
	cf_re **re;       /* per criterion, flattened; NULL unless REGEX */
	uint32_t *first;  /* per instance: index of its first criterion in re */
	uint32_t lo, hi;  /* instances evaluated: [lo, hi); all but in a view */
	const cf_eval_obs *obs; /* NULL but in a view (run_event_obs) */
	/* scratch of the regex matcher, sized for the largest program; NULL
	 * when there is none (or no memory: the matcher then uses the heap) */
	cf_arena *arena;
};

/* One arena for p's regexes: every compile and every match releases what
 * it took, so the largest one's scratch is all it ever needs. Sized first
 * for compiling the longest pattern (before), then, if matching the
 * largest program needs more, made again (after). No arena (no memory):
 * the regex code uses the heap, with the same results. */
static void
program_arena(cf_program *p, int before)
{
	const cf_chan *ch = p->ch;
	size_t cap = 0, need;

	for (uint32_t i = 0; i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];
		for (uint16_t k = 0; k < in->ncrit; k++) {
			/* Only sizes: a string index out of range (which
			 * the parser refuses) is not read here. */
			if (before && in->crit[k].op == CF_OP_REGEX &&
			    in->crit[k].str < ch->nstrings)
				need = cf_re_compile_scratch(
				    ch->strings[in->crit[k].str].len);
			else if (!before && p->re != NULL)
				need =
				    cf_re_exec_scratch(p->re[p->first[i] + k]);
			else
				need = 0;
			if (need > cap)
				cap = need;
		}
	}
	if (cap == 0 || (p->arena != NULL && cap <= cf_arena_cap(p->arena)))
		return;
	cf_arena_free(p->arena);
	p->arena = cf_arena_new(cap);
}

void
cf_interp_free(cf_program *p)
{
	if (p == NULL)
		return;
	if (p->re != NULL && p->first != NULL) {
		for (uint32_t i = 0; i < p->ch->ninstances; i++)
			for (uint16_t k = 0; k < p->ch->instances[i].ncrit; k++)
				cf_re_free(p->re[p->first[i] + k]);
	}
	cf_arena_free(p->arena);
	cf_mem_free(p->re);
	cf_mem_free(p->first);
	cf_mem_free(p->enabled);
	cf_mem_free(p);
}

uint32_t
cf_interp_supplied(const cf_program *p)
{
	return p->supplied;
}

const cf_tmpl *
cf_interp_tmpl(const cf_program *p)
{
	return p->tmpl;
}

int
cf_interp_enabled(const cf_program *p, uint32_t i)
{
	return i < p->ch->ninstances && p->enabled[i];
}

const cf_re *const *
cf_interp_regexes(const cf_program *p, uint32_t i)
{
	/* No REGEX-capable criterion anywhere: no array (ncrit may be 0). */
	if (!cf_interp_enabled(p, i) || p->re == NULL)
		return NULL;
	return (const cf_re *const *)(p->re + p->first[i]);
}

int
cf_interp_compile(const cf_chan *ch, const cf_build *b, cf_program **out,
    cf_compile_stats *st, cf_diag *d)
{
	cf_compile_stats s = { 0 };
	cf_program *p;
	uint32_t total = 0;
	int rc = CF_E_NOMEM;

	*out = NULL;
	if (ch == NULL || b == NULL)
		return cf_diag_set(d, CF_E_ARG, 0, "no channel file or build");
	if ((p = cf_mem_calloc(1, sizeof(*p))) == NULL)
		return cf_diag_set(d, CF_E_NOMEM, 0, "out of memory");
	p->ch = ch;
	p->build = b;
	p->hi = ch->ninstances;
	if ((p->tmpl = cf_tmpl_by_id(ch->template_type)) == NULL) {
		rc = cf_diag_set(d, CF_E_TEMPLATE_UNKNOWN, 16,
		    "template type %u is not compiled into sensor %s",
		    ch->template_type, b->name);
		goto fail;
	}
	if ((p->supplied = cf_build_supplied(b, ch->template_type)) == 0) {
		rc = cf_diag_set(d, CF_E_TEMPLATE_UNSUPPORTED, 16,
		    "sensor %s has no integration for template type %s",
		    b->name, p->tmpl->name);
		goto fail;
	}
	s.instances = ch->ninstances;
	if (ch->ninstances == 0)
		goto done;
	/* ninstances <= CF_MAX_INSTANCES and ncrit <= CF_MAX_CRITERIA, so the
	 * total fits easily in 32 bits. */
	for (uint32_t i = 0; i < ch->ninstances; i++)
		total += ch->instances[i].ncrit;
	if ((p->enabled = cf_mem_calloc(ch->ninstances, 1)) == NULL ||
	    (p->first = cf_mem_calloc(ch->ninstances, sizeof(uint32_t))) ==
	        NULL ||
	    (total &&
	        (p->re = cf_mem_calloc(total, sizeof(cf_re *))) == NULL)) {
		rc = cf_diag_set(d, CF_E_NOMEM, 0, "out of memory");
		goto fail;
	}
	program_arena(p, 1);
	total = 0;
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		const cf_instance *in = &ch->instances[i];
		int ok = 1;

		p->first[i] = total;
		total += in->ncrit;
		if (!(in->flags & CF_INST_ENABLED)) {
			s.disabled_flag++;
			continue;
		}
		for (uint16_t k = 0; k < in->ncrit && ok; k++) {
			const cf_criterion *c = &in->crit[k];
			if ((b->checks & CF_CHECK_COMPILE_FIELDS) &&
			    c->op != CF_OP_WILDCARD &&
			    c->field >= p->supplied) {
				s.rejected_fields++;
				ok = 0;
			}
		}
		for (uint16_t k = 0; k < in->ncrit && ok; k++) {
			const cf_criterion *c = &in->crit[k];
			const cf_str *pat;
			if (c->op != CF_OP_REGEX)
				continue;
			/* The parser guarantees str < nstrings for REGEX. */
			pat = &ch->strings[c->str];
			rc = cf_re_compile_in(pat->data, pat->len,
			    CF_RE_DOT_NL |
			        ((c->mods & CF_MOD_ICASE) ? CF_RE_ICASE : 0),
			    p->arena, &p->re[p->first[i] + k], NULL);
			if (rc == CF_E_NOMEM) {
				cf_diag_set(d, rc, 0, "out of memory");
				goto fail;
			}
			if (rc != CF_OK) {
				s.rejected_regex++;
				ok = 0;
			}
		}
		p->enabled[i] = (uint8_t)ok;
		s.enabled += (uint32_t)ok;
	}
	program_arena(p, 0);
done:
	if (st)
		*st = s;
	*out = p;
	return CF_OK;
fail:
	cf_interp_free(p);
	return rc;
}

/* Evaluation context of one criterion, for the guard's report. */
struct eval_ctx {
	const cf_program *p;
	const cf_value *inputs;
	size_t supplied;
	uint32_t instance;
	uint32_t criterion;
	cf_eval_stats *st;
	const cf_eval_obs *obs; /* may be NULL */
	const cf_value *single; /* cf_interp_criterion_test: the value */
	int refused;            /* the last read was refused */
	unsigned op;            /* the operator of the criterion evaluated */
};

#ifdef CF_GUARD
/* Guard builds: report the out-of-bounds read as one structured line and
 * abort, so that engines without a sanitizer still see the defect. */
static void
guard_fault(const struct eval_ctx *e, uint32_t field)
{
	fprintf(stderr,
	    "chanfuzz-guard: out-of-bounds input read: build=%s template=%s instance=%u criterion=%u field=%u supplied=%zu declared=%u op=%s\n",
	    e->p->build->name, e->p->tmpl->name,
	    e->p->ch->instances[e->instance].id, e->criterion, field,
	    e->supplied, e->p->tmpl->nfields, cf_op_name(e->op));
	fflush(stderr);
	abort();
}
#endif

/* Tell the observer about a read at field >= supplied (fault: the build
 * has no runtime check, so the read would happen); its verdict, nonzero to
 * refuse the read. */
static int
report_oob(const struct eval_ctx *e, uint32_t field, int fault)
{
	cf_oob_read r;

	if (e->obs == NULL || e->obs->oob == NULL)
		return 0;
	r.build = e->p->build;
	r.tmpl = e->p->tmpl;
	r.instance = e->instance;
	r.instance_id = e->p->ch->instances[e->instance].id;
	r.criterion = e->criterion;
	r.field = field;
	/* supplied <= CF_MAX_FIELDS, or cf_interp_eval's caller's count */
	r.supplied =
	    e->supplied > UINT32_MAX ? UINT32_MAX : (uint32_t)e->supplied;
	r.op = e->op;
	r.fault = fault;
	return e->obs->oob(e->obs->ctx, &r);
}

/* The only input read. NULL when the runtime check, a checked evaluation
 * or the observer refuses it. */
static const cf_value *
input_at(struct eval_ctx *e, uint32_t field)
{
	if (e->single != NULL)
		return e->single; /* criterion_test: no array */
	if (field >= e->supplied) {
		if (e->p->build->checks & CF_CHECK_RUNTIME_BOUNDS) {
			e->st->bounds_refused++;
			e->refused = 1;
			report_oob(e, field, 0);
			return NULL;
		}
		/* A checked evaluation refuses what this build would read
		 * past its inputs, and so does an observer that says so (a
		 * fuzz target told the root cause is known) - before the
		 * guard and the bench canaries: the read does not happen. */
		if (e->obs != NULL && (e->obs->flags & CF_EVAL_CHECKED)) {
			e->st->checked_refused++;
			e->refused = 1;
			report_oob(e, field, 1);
			return NULL;
		}
		if (report_oob(e, field, 1)) {
			e->st->oob_refused++;
			e->refused = 1;
			return NULL;
		}
	}
#ifdef CF_GUARD
	if (field >= e->supplied)
		guard_fault(e, field);
#endif
	e->st->inputs_read++;
	/* Build 7.11 reaches here with field == supplied: the CF-291 read. */
	return &e->inputs[field];
}

static uint8_t
fold(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

static int
bytes_eq(const uint8_t *x, const uint8_t *y, size_t n, int icase)
{
	if (!icase)
		return memcmp(x, y, n) == 0;
	for (size_t i = 0; i < n; i++)
		if (fold(x[i]) != fold(y[i]))
			return 0;
	return 1;
}

static int
bytes_contains(
    const uint8_t *h, size_t hn, const uint8_t *nd, size_t nn, int icase)
{
	if (nn == 0)
		return 1;
	if (nn > hn)
		return 0;
	if (!icase)
		return memmem(h, hn, nd, nn) != NULL;
	/* Case-folded search: quadratic only in the needle (<= 4096 bytes). */
	for (size_t i = 0; i <= hn - nn; i++)
		if (fold(h[i]) == fold(nd[0]) && bytes_eq(h + i, nd, nn, 1))
			return 1;
	return 0;
}

/* 1 true, 0 false, or a negative CF_E_* from the matcher. */
/*
 * The string operators, one function each, so that a fault inside one names
 * it: a crash's stack signature is its top three frames in our code
 * (docs/CRASHES.md, "Other faults"), and a fault in a shared helper such as
 * bytes_eq would otherwise read the same for every operator. v is a string
 * value, s the operand; each returns the match before NEGATE.
 */
static int
op_equals(const cf_value *v, const cf_str *s, int icase)
{
	return v->len == s->len && bytes_eq(v->v.s, s->data, s->len, icase);
}

static int
op_prefix(const cf_value *v, const cf_str *s, int icase)
{
	return v->len >= s->len && bytes_eq(v->v.s, s->data, s->len, icase);
}

static int
op_suffix(const cf_value *v, const cf_str *s, int icase)
{
	return v->len >= s->len &&
	    bytes_eq(v->v.s + (v->len - s->len), s->data, s->len, icase);
}

static int
op_contains(const cf_value *v, const cf_str *s, int icase)
{
	return bytes_contains(v->v.s, v->len, s->data, s->len, icase);
}

/* REGEX: CF_OK and the match in *r, or the engine's error. */
static int
op_regex(struct eval_ctx *e, const cf_re *re, const cf_value *v, int *r)
{
	uint64_t steps = 0;
	int rc =
	    cf_re_exec_in(re, e->p->arena, v->v.s, v->len, r, NULL, &steps);

	e->st->re_steps += steps;
	if (rc == CF_E_RE_SUBJECT) {
		*r = 0; /* too long to match: not a match */
		return CF_OK;
	}
	return rc;
}

/* The integer operators read nothing but the value. */
static int
op_int(const cf_value *v, const cf_criterion *c)
{
	switch (c->op) {
	case CF_OP_INT_EQ:
		return v->v.u == c->a;
	case CF_OP_INT_RANGE:
		return c->a <= v->v.u && v->v.u <= c->b;
	case CF_OP_FLAGS_ANY:
		return (v->v.u & c->a) != 0;
	case CF_OP_FLAGS_ALL:
		return (v->v.u & c->a) == c->a;
	}
	return 0;
}

static int
eval_criterion(struct eval_ctx *e, const cf_criterion *c, const cf_re *re)
{
	const cf_value *v;
	int r = 0, icase = (c->mods & CF_MOD_ICASE) != 0;

	if (c->op == CF_OP_WILDCARD)
		return 1; /* never reads its input */
	e->op = c->op;
	if ((v = input_at(e, c->field)) == NULL)
		return 0;
	if (cf_op_operand(c->op) == CF_OPND_STR) {
		const cf_str *s = &e->p->ch->strings[c->str];
		if (v->type != CF_VT_STR)
			goto out; /* false before NEGATE */
		switch (c->op) {
		case CF_OP_EQUALS:
			r = op_equals(v, s, icase);
			break;
		case CF_OP_PREFIX:
			r = op_prefix(v, s, icase);
			break;
		case CF_OP_SUFFIX:
			r = op_suffix(v, s, icase);
			break;
		case CF_OP_CONTAINS:
			r = op_contains(v, s, icase);
			break;
		case CF_OP_REGEX: {
			int rc = op_regex(e, re, v, &r);
			if (rc != CF_OK)
				return -rc;
			break;
		}
		}
	} else {
		if (v->type != CF_VT_INT)
			goto out; /* false before NEGATE */
		r = op_int(v, c);
	}
out:
	return (c->mods & CF_MOD_NEGATE) ? !r : r;
}

int
cf_interp_eval(const cf_program *p, const cf_value *inputs, size_t supplied,
    cf_hit_fn fn, void *ctx, cf_eval_stats *st)
{
	cf_eval_stats local = { 0 };
	struct eval_ctx e = { p, inputs, supplied, 0, 0, st ? st : &local,
		p->obs, NULL, 0, 0 };
	void (*on_crit)(void *, uint32_t, uint32_t, int) =
	    p->obs ? p->obs->criterion : NULL;

	for (uint32_t i = p->lo; i < p->hi; i++) {
		const cf_instance *in = &p->ch->instances[i];
		int match = 1;

		if (!p->enabled[i])
			continue;
		e.instance = i;
		e.st->instances++;
		for (uint16_t k = 0; k < in->ncrit && match; k++) {
			int r;
			e.criterion = k;
			e.st->criteria++;
			e.refused = 0;
			r = eval_criterion(
			    &e, &in->crit[k], p->re[p->first[i] + k]);
			if (r < 0)
				return -r;
			match = r;
			if (on_crit != NULL)
				on_crit(p->obs->ctx, i, k,
				    e.refused
				        ? CF_CRIT_REFUSED
				        : (r ? CF_CRIT_TRUE : CF_CRIT_FALSE));
		}
		if (match) {
			cf_hit h = { i, in->id, in->action };
			e.st->hits++;
			if (fn)
				fn(ctx, &h);
		}
	}
	return CF_OK;
}

int
cf_interp_run_event(const cf_program *p, const cf_event *ev, cf_hit_fn fn,
    void *ctx, cf_eval_stats *st)
{
	cf_value *inputs;
	uint32_t n;
	int rc;

	if (ev->tmpl_id != p->tmpl->id)
		return CF_OK;
	/* The integration code builds an array of exactly what the build
	 * supplies - on the heap, so a sanitizer sees any read past it. */
	if ((inputs = cf_mem_calloc(p->supplied, sizeof(*inputs))) == NULL)
		return CF_E_NOMEM;
	n = ev->nvalues < p->supplied ? ev->nvalues : p->supplied;
	memcpy(inputs, ev->values, (size_t)n * sizeof(*inputs));
	rc = cf_interp_eval(p, inputs, p->supplied, fn, ctx, st);
	cf_mem_free(inputs);
	return rc;
}

/* A view of p restricted to one instance, on the stack: the evaluation goes
 * through cf_interp_run_event and cf_interp_eval as any other, so a fault
 * has the same frames (and crash signature) whichever way it was reached. */
int
cf_interp_run_event_on(const cf_program *p, const cf_event *ev,
    uint32_t instance, cf_hit_fn fn, void *ctx, cf_eval_stats *st)
{
	cf_program view;

	if (instance >= p->ch->ninstances)
		return CF_E_ARG;
	view = *p;
	view.lo = instance;
	view.hi = instance + 1;
	return cf_interp_run_event(&view, ev, fn, ctx, st);
}

/* The observer rides in a view too, so the evaluation below is the one
 * every other caller gets, frame for frame. */
int
cf_interp_run_event_obs(const cf_program *p, const cf_event *ev,
    uint32_t instance, const cf_eval_obs *obs, cf_hit_fn fn, void *ctx,
    cf_eval_stats *st)
{
	cf_program view;

	if (instance != CF_INTERP_ALL && instance >= p->ch->ninstances)
		return CF_E_ARG;
	view = *p;
	view.obs = obs;
	if (instance != CF_INTERP_ALL) {
		view.lo = instance;
		view.hi = instance + 1;
	}
	return cf_interp_run_event(&view, ev, fn, ctx, st);
}

int
cf_interp_criterion_test(
    const cf_program *p, uint32_t i, uint32_t k, const cf_value *v, int *result)
{
	cf_eval_stats local = { 0 };
	struct eval_ctx e = { p, NULL, 0, i, k, &local, NULL, v, 0, 0 };
	int r;

	*result = 0;
	if (!cf_interp_enabled(p, i) || k >= p->ch->instances[i].ncrit ||
	    v == NULL)
		return CF_E_ARG;
	r = eval_criterion(
	    &e, &p->ch->instances[i].crit[k], p->re[p->first[i] + k]);
	if (r < 0)
		return -r;
	*result = r;
	return CF_OK;
}
