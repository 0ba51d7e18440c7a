/*
 * gate.c - the content release gate (cf_gate.h).
 *
 * Three steps: the current Content Validator; per live instance, events
 * synthesised to evaluate every criterion (a satisfying one, one that stops
 * at each criterion, boundary values), plus the caller's events; each run
 * on every selected sensor build with a checked evaluation, counted per
 * criterion and build by an observer whose state is this run's struct gate.
 *
 * Event synthesis works field by field against a reference program (every
 * declared field supplied, no checks): to add "criterion k is true" (or
 * false), collect every constraint so far on k's field and search a short
 * list of candidate values for one that meets them all, tested with the
 * interpreter's own criterion code. A value is committed only when found,
 * so when criterion k cannot be added the event still satisfies the
 * criteria before it. The cost is a few candidates per constraint, each
 * tested against the constraints on its field: O(criteria^2) tests per
 * instance at worst (CF_MAX_CRITERIA = 32).
 */
#include <bsd/string.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cf_buf.h"
#include "cf_gate.h"
#include "cf_mem.h"
#include "cf_re.h"
#include "cf_tmpl.h"

/* Longest regex example searched for: room for the largest counted
 * repetition and some context, as in synth.c. */
#define RE_EXAMPLE_MAX (CF_RE_MAX_REPEAT + 100u)
#define PAD_BYTE 'x'
/* Boundary values per criterion (probe_value). */
#define NPROBES 6u

/* Criterion k wants outcome w (1 true, 0 false). */
struct want {
	uint32_t k;
	int w;
};

struct gate {
	const cf_chan *ch;
	const cf_tmpl *t;
	cf_gate_result *res;
	unsigned flags;
	cf_build ref_build; /* every declared field supplied, no checks */
	cf_program *ref;
	cf_program **prog; /* per result build; NULL: it does not run it */
	cf_event ev;       /* the event under construction */
	cf_buf val[CF_MAX_FIELDS]; /* its string values */
	cf_buf cand;               /* the candidate under test */
	cf_buf probe;              /* a boundary value */
	cf_buf saved;              /* stop_at(): the value it replaced */
	cf_value saved_value;
	uint8_t *huge; /* CF_RE_MAX_SUBJECT + 1 bytes, lazily */
	uint8_t example[RE_EXAMPLE_MAX]; /* a regex example */
	const cf_event *cur; /* the event being run, for the observer */
	uint32_t cur_user;   /* its place in the caller's events, or 0 */
	uint32_t cur_build;
	int err; /* an error inside a callback (CF_E_NOMEM) */
	char label[CF_GATE_LABEL_MAX];
};

static const uint8_t empty_str[1] = { 0 };

const char *
cf_gate_why_text(unsigned why)
{
	switch (why) {
	case CF_GATE_REACHED:
		return "evaluated";
	case CF_GATE_WHY_BAD_REGEX:
		return "its instance is disabled: a regex does not compile";
	case CF_GATE_WHY_NO_BUILD:
		return "no sensor build run evaluates its instance";
	case CF_GATE_WHY_UNSAT:
		return "no event satisfies an earlier criterion together with "
		       "the ones before it";
	case CF_GATE_WHY_REFUSED:
		return "an earlier criterion reads past the inputs on every "
		       "build that evaluates it";
	}
	return "unknown";
}

const char *
cf_gate_unsat_text(unsigned why)
{
	switch (why) {
	case CF_GATE_SAT:
		return "satisfiable";
	case CF_GATE_UNSAT_TYPE:
		return "its operator never holds on the field's type";
	case CF_GATE_UNSAT_RANGE:
		return "its range is empty (low > high)";
	case CF_GATE_UNSAT_MASK:
		return "flags-any with mask 0 never holds";
	case CF_GATE_UNSAT_ALWAYS:
		return "it is negated and its test always holds";
	case CF_GATE_UNSAT_NOVALUE:
		return "no value found that makes it true";
	case CF_GATE_UNSAT_CONFLICT:
		return "no value makes it true together with an earlier "
		       "criterion on the same field";
	case CF_GATE_UNSAT_FIELD:
		return "its field is past the template's fields";
	}
	return "unknown";
}

/* ---- the observer ---------------------------------------------------- */

static cf_gate_count *
count_at(const struct gate *g, uint32_t i, uint32_t k, uint32_t b)
{
	const cf_gate_result *r = g->res;
	return &r->count[(size_t)(r->inst[i].first_crit + k) * r->nbuilds + b];
}

static void
on_crit(void *ctx, uint32_t i, uint32_t k, int result)
{
	struct gate *g = ctx;
	cf_gate_count *c = count_at(g, i, k, g->cur_build);

	c->evaluated++;
	if (result == CF_CRIT_TRUE)
		c->matched++;
	else if (result == CF_CRIT_FALSE)
		c->failed++;
	else
		c->refused++;
}

static void
on_hit(void *ctx, const cf_hit *h)
{
	struct gate *g = ctx;
	g->res->inst[h->instance_index].hits++;
}

/* Keep the event that first reaches a fault site. */
static void
keep_fault(struct gate *g, const cf_oob_read *o)
{
	cf_gate_result *r = g->res;
	const cf_event *ev = g->cur;
	cf_gate_fault *f;
	size_t need = 0, off = 0;

	if (r->nkept >= CF_GATE_MAX_FAULTS)
		return;
	if (r->faults == NULL &&
	    (r->faults = cf_mem_calloc(
	         CF_GATE_MAX_FAULTS, sizeof(*r->faults))) == NULL) {
		g->err = CF_E_NOMEM;
		return;
	}
	f = &r->faults[r->nkept];
	memset(f, 0, sizeof(*f));
	f->build = g->cur_build;
	f->instance = o->instance;
	f->instance_id = o->instance_id;
	f->criterion = o->criterion;
	f->field = o->field;
	f->supplied = o->supplied;
	f->user_event = g->cur_user;
	strlcpy(f->label, ev->name ? ev->name : "", sizeof(f->label));
	f->event = *ev;
	f->event.name = f->label;
	for (uint32_t v = 0; v < ev->nvalues && v < CF_MAX_FIELDS; v++)
		if (ev->values[v].type == CF_VT_STR)
			need += ev->values[v].len < CF_GATE_KEEP_VALUE
			    ? ev->values[v].len
			    : CF_GATE_KEEP_VALUE;
	if (need > 0 && (f->data = cf_mem_alloc(need)) == NULL) {
		g->err = CF_E_NOMEM;
		return;
	}
	for (uint32_t v = 0; v < ev->nvalues && v < CF_MAX_FIELDS; v++) {
		cf_value *x = &f->event.values[v];
		uint32_t n;

		if (x->type != CF_VT_STR)
			continue;
		f->orig_len[v] = x->len;
		n = x->len < CF_GATE_KEEP_VALUE ? x->len : CF_GATE_KEEP_VALUE;
		if (n > 0)
			memcpy(f->data + off, x->v.s, n);
		x->v.s = n > 0 ? f->data + off : empty_str;
		x->len = n;
		off += n;
	}
	r->nkept++;
}

static int
on_oob(void *ctx, const cf_oob_read *o)
{
	struct gate *g = ctx;
	cf_gate_count *c;

	if (!o->fault)
		return 0; /* the build's own check: not a fault */
	c = count_at(g, o->instance, o->criterion, g->cur_build);
	if (c->faults++ == 0) {
		g->res->nfaults++;
		keep_fault(g, o);
	}
	return 0; /* as built: the read happens */
}

/* Run ev on every build that evaluates instance i (or all instances,
 * CF_INTERP_ALL). */
static int
run_event(struct gate *g, const cf_event *ev, uint32_t i)
{
	cf_eval_obs obs = { (g->flags & CF_GATE_AS_BUILT) ? 0 : CF_EVAL_CHECKED,
		on_crit, on_oob, g };

	g->cur = ev;
	for (uint32_t b = 0; b < g->res->nbuilds; b++) {
		cf_gate_build *gb = &g->res->builds[b];
		int rc;

		if (g->prog[b] == NULL ||
		    (i != CF_INTERP_ALL && !cf_interp_enabled(g->prog[b], i)))
			continue;
		g->cur_build = b;
		rc = cf_interp_run_event_obs(
		    g->prog[b], ev, i, &obs, on_hit, g, &gb->es);
		if (rc != CF_OK)
			return rc;
		if (g->err != CF_OK)
			return g->err;
		gb->events++;
	}
	return CF_OK;
}

/* ---- candidate values ------------------------------------------------ */

static int
cand_bytes(cf_buf *b, const void *pre, size_t npre, const cf_str *mid,
    const void *post, size_t npost)
{
	int rc = CF_OK;

	b->len = 0;
	if (npre)
		rc = cf_buf_put(b, pre, npre);
	if (rc == CF_OK && mid != NULL && mid->len)
		rc = cf_buf_put(b, mid->data, mid->len);
	if (rc == CF_OK && npost)
		rc = cf_buf_put(b, post, npost);
	return rc;
}

static void
as_str(cf_value *v, const cf_buf *b)
{
	v->type = CF_VT_STR;
	v->len = (uint32_t)b->len;
	v->v.s = b->len ? b->data : empty_str;
}

static void
as_int(cf_value *v, uint64_t u)
{
	v->type = CF_VT_INT;
	v->len = 0;
	v->v.u = u;
}

/* The base test (before NEGATE) wanted for criterion c to give w. */
static int
base_wanted(const cf_criterion *c, int w)
{
	return w ^ ((c->mods & CF_MOD_NEGATE) != 0);
}

/* Append a regex example for criterion k of instance i to b; *found is 0
 * when the walk found none. */
static int
re_example(struct gate *g, uint32_t i, uint32_t k, cf_buf *b, int *found)
{
	const cf_re *const *re = cf_interp_regexes(g->ref, i);
	size_t n = 0;
	int rc;

	*found = 0;
	if (re == NULL || re[k] == NULL)
		return CF_OK;
	rc = cf_re_example(re[k], g->example, sizeof(g->example), &n);
	if (rc == CF_E_NOMEM)
		return rc;
	if (rc != CF_OK)
		return CF_OK;
	*found = 1;
	return n > 0 ? cf_buf_put(b, g->example, n) : CF_OK;
}

/* A string candidate that passes a test (pos) or fails it (!pos). */
static int
cand_str(struct gate *g, uint32_t i, uint32_t k, int pos, unsigned idx)
{
	static const uint8_t x = PAD_BYTE, hi = 0x80;
	static const char *const odd[] = { "\x80", "x", "0", "\n", " " };
	const cf_criterion *c = &g->ch->instances[i].crit[k];
	const cf_str *s = &g->ch->strings[c->str];
	cf_buf *b = &g->cand;
	int found;

	b->len = 0;
	if (pos) {
		switch (c->op) {
		case CF_OP_EQUALS:
			return idx == 0 ? cand_bytes(b, NULL, 0, s, NULL, 0)
			                : -1;
		case CF_OP_PREFIX:
			return idx == 0 ? cand_bytes(b, NULL, 0, s, &x, 1)
			    : idx == 1  ? cand_bytes(b, NULL, 0, s, NULL, 0)
			                : -1;
		case CF_OP_SUFFIX:
			return idx == 0 ? cand_bytes(b, &x, 1, s, NULL, 0)
			    : idx == 1  ? cand_bytes(b, NULL, 0, s, NULL, 0)
			                : -1;
		case CF_OP_CONTAINS:
			return idx == 0 ? cand_bytes(b, &x, 1, s, &x, 1)
			    : idx == 1  ? cand_bytes(b, NULL, 0, s, NULL, 0)
			                : -1;
		case CF_OP_REGEX:
			/* an example from the program; a literal pattern
			 * matches itself */
			return idx == 0 ? re_example(g, i, k, b, &found)
			    : idx == 1  ? cand_bytes(b, NULL, 0, s, NULL, 0)
			                : -1;
		}
		return -1;
	}
	/* Fail it: nothing, the operand with its first byte changed (0x80
	 * survives case folding), the operand and a byte, odd values. */
	if (idx == 0)
		return CF_OK;
	if (idx == 1) {
		int rc = cand_bytes(b, NULL, 0, s, NULL, 0);
		if (rc == CF_OK && b->len > 0)
			b->data[0] ^= 0x80;
		return rc;
	}
	if (idx == 2)
		return cand_bytes(b, NULL, 0, s, &hi, 1);
	if (idx - 3 < sizeof(odd) / sizeof(odd[0]))
		return cand_bytes(
		    b, odd[idx - 3], strlen(odd[idx - 3]), NULL, NULL, 0);
	return -1;
}

/* An integer candidate that passes a test (pos) or fails it (!pos). */
static int
cand_int(const cf_criterion *c, int pos, unsigned idx, uint64_t *u)
{
	uint64_t a = c->a, b = c->b, list[4];
	unsigned n = 0;

	switch (c->op) {
	case CF_OP_INT_EQ:
		list[n++] = pos ? a : a + 1;
		if (!pos)
			list[n++] = a - 1;
		break;
	case CF_OP_INT_RANGE:
		list[n++] = pos ? a : a - 1; /* wraps: the test decides */
		list[n++] = pos ? b : b + 1;
		if (!pos) {
			list[n++] = 0;
			list[n++] = UINT64_MAX;
		}
		break;
	case CF_OP_FLAGS_ANY:
		list[n++] = pos ? a : 0;
		list[n++] = pos ? (a & (~a + 1)) : ~a; /* lowest bit */
		break;
	case CF_OP_FLAGS_ALL:
		list[n++] = pos ? a : 0;
		list[n++] = pos ? UINT64_MAX : ~a;
		if (!pos)
			list[n++] = a & (a - 1);
		break;
	}
	if (idx >= n)
		return 0;
	*u = list[idx];
	return 1;
}

/* Candidate idx for criterion k of instance i wanting outcome w, into *v
 * (strings in g->cand). Returns 1 with a candidate, 0 past the last one,
 * or a negative error. The lists are short and ordered by likelihood. */
static int
cand_one(
    struct gate *g, uint32_t i, uint32_t k, int w, unsigned idx, cf_value *v)
{
	const cf_criterion *c = &g->ch->instances[i].crit[k];
	int pos = base_wanted(c, w),
	    str_op = cf_op_operand(c->op) == CF_OPND_STR;
	uint64_t u = 0;
	int rc;

	if (g->t->fields[c->field].type == CF_FT_STR) {
		if (!str_op) {
			/* an integer test on a string is false */
			if (pos || idx > 0)
				return 0;
			g->cand.len = 0;
		} else if ((rc = cand_str(g, i, k, pos, idx)) != CF_OK) {
			return rc < 0 ? 0 : -rc;
		}
		as_str(v, &g->cand);
		return 1;
	}
	if (str_op) {
		/* a string test on an integer is false */
		if (pos || idx > 0)
			return 0;
	} else if (!cand_int(c, pos, idx, &u)) {
		return 0;
	}
	as_int(v, u);
	return 1;
}

/* The operand of string criterion c when its test is wanted to hold (c
 * wanting w), else NULL. */
static const cf_str *
held_operand(const struct gate *g, const cf_criterion *c, int w)
{
	if (!base_wanted(c, w) || cf_op_operand(c->op) != CF_OPND_STR)
		return NULL;
	return &g->ch->strings[c->str];
}

/* Joined candidate idx (0 or 1) for several constraints on one string
 * field: the longest wanted prefix, the wanted contained parts and regex
 * examples, the longest wanted suffix; idx 1 puts a pad byte between. */
static int
cand_join(struct gate *g, uint32_t i, const struct want *cs, unsigned n,
    unsigned idx, cf_value *v)
{
	static const uint8_t x = PAD_BYTE;
	const cf_str *pre = NULL, *suf = NULL;
	cf_buf *b = &g->cand;
	int rc = CF_OK;

	if (idx > 1)
		return 0;
	for (unsigned j = 0; j < n; j++) {
		const cf_criterion *c = &g->ch->instances[i].crit[cs[j].k];
		const cf_str *s = held_operand(g, c, cs[j].w);
		if (s == NULL)
			continue;
		if (c->op == CF_OP_PREFIX && (pre == NULL || s->len > pre->len))
			pre = s;
		if (c->op == CF_OP_SUFFIX && (suf == NULL || s->len > suf->len))
			suf = s;
	}
	b->len = 0;
	if (pre != NULL)
		rc = cf_buf_put(b, pre->data, pre->len);
	for (unsigned j = 0; j < n && rc == CF_OK; j++) {
		const cf_criterion *c = &g->ch->instances[i].crit[cs[j].k];
		const cf_str *s = held_operand(g, c, cs[j].w);
		if (s == NULL)
			continue;
		if (idx == 1)
			rc = cf_buf_put(b, &x, 1);
		if (rc == CF_OK && c->op == CF_OP_CONTAINS)
			rc = cf_buf_put(b, s->data, s->len);
		if (rc == CF_OK && c->op == CF_OP_REGEX) {
			int found;
			rc = re_example(g, i, cs[j].k, b, &found);
		}
	}
	if (rc == CF_OK && idx == 1)
		rc = cf_buf_put(b, &x, 1);
	if (rc == CF_OK && suf != NULL)
		rc = cf_buf_put(b, suf->data, suf->len);
	if (rc != CF_OK)
		return -rc;
	as_str(v, b);
	return 1;
}

/* 1 when v meets every constraint, 0 when not, or a negative error. */
static int
cand_ok(struct gate *g, uint32_t i, const struct want *cs, unsigned n,
    const cf_value *v)
{
	for (unsigned j = 0; j < n; j++) {
		int r, rc = cf_interp_criterion_test(g->ref, i, cs[j].k, v, &r);
		if (rc != CF_OK)
			return -rc;
		if (r != cs[j].w)
			return 0;
	}
	return 1;
}

/* Put v into field f of the event (a copy, for strings). */
static int
commit(struct gate *g, uint32_t f, const cf_value *v)
{
	if (v->type == CF_VT_STR) {
		cf_buf *b = &g->val[f];
		int rc;
		b->len = 0;
		if (v->len && (rc = cf_buf_put(b, v->v.s, v->len)) != CF_OK)
			return rc;
		as_str(&g->ev.values[f], b);
	} else {
		g->ev.values[f] = *v;
	}
	return CF_OK;
}

/* 1 when v meets cs[0..n) (then committed to field f if keep), 0 when
 * not, or a negative error. */
static int
try_value(struct gate *g, uint32_t i, uint32_t f, const struct want *cs,
    unsigned n, int keep, const cf_value *v)
{
	int ok = cand_ok(g, i, cs, n, v), rc;

	if (ok <= 0 || !keep)
		return ok;
	return (rc = commit(g, f, v)) == CF_OK ? 1 : -rc;
}

/* Search a value meeting cs[0..n), all on field f: each constraint's own
 * candidates, then for strings the joined ones. 1 found, 0 none, or a
 * negative error. */
static int
solve(struct gate *g, uint32_t i, uint32_t f, const struct want *cs, unsigned n,
    int keep)
{
	cf_value v;
	int rc;

	for (unsigned j = 0; j < n; j++)
		for (unsigned idx = 0;
		     (rc = cand_one(g, i, cs[j].k, cs[j].w, idx, &v)) != 0;
		     idx++) {
			if (rc < 0)
				return rc;
			if ((rc = try_value(g, i, f, cs, n, keep, &v)) != 0)
				return rc;
		}
	if (n < 2 || g->t->fields[f].type != CF_FT_STR)
		return 0;
	for (unsigned idx = 0; (rc = cand_join(g, i, cs, n, idx, &v)) > 0;
	     idx++)
		if ((rc = try_value(g, i, f, cs, n, keep, &v)) != 0)
			return rc;
	return rc;
}

/* Every field empty or 0, by its type. */
static void
reset_event(struct gate *g)
{
	memset(&g->ev, 0, sizeof(g->ev));
	g->ev.name = g->label;
	g->ev.tmpl_id = g->t->id;
	g->ev.nvalues = g->t->nfields;
	for (uint32_t f = 0; f < g->t->nfields; f++) {
		if (g->t->fields[f].type == CF_FT_STR) {
			g->ev.values[f].type = CF_VT_STR;
			g->ev.values[f].v.s = empty_str;
		} else {
			as_int(&g->ev.values[f], 0);
		}
	}
}

/* 1 when criterion k tests a value an event can hold. */
static int
valued(const struct gate *g, const cf_criterion *c)
{
	return c->op != CF_OP_WILDCARD && c->field < g->t->nfields;
}

/* The constraints on criterion k's field among criteria 0..k-1 (all
 * wanting true), then k wanting w. */
static unsigned
gather(const struct gate *g, uint32_t i, uint32_t k, int w, struct want *cs)
{
	const cf_instance *in = &g->ch->instances[i];
	unsigned n = 0;

	for (uint32_t j = 0; j < k; j++)
		if (valued(g, &in->crit[j]) &&
		    in->crit[j].field == in->crit[k].field)
			cs[n++] = (struct want){ j, 1 };
	cs[n++] = (struct want){ k, w };
	return n;
}

/* Build the event for instance i in which criteria 0..ntrue-1 hold and,
 * when fail is set, criterion ntrue fails. 1 built; 0 when criterion
 * *blocker could not be added (the event meets the ones before it); or a
 * negative error. */
static int
plan(struct gate *g, uint32_t i, uint32_t ntrue, int fail, uint32_t *blocker)
{
	const cf_instance *in = &g->ch->instances[i];
	struct want cs[CF_MAX_CRITERIA];
	uint32_t last = ntrue + (fail ? 1u : 0u);

	reset_event(g);
	for (uint32_t k = 0; k < last && k < in->ncrit; k++) {
		unsigned n;
		int rc;

		if (!valued(g, &in->crit[k]))
			continue;
		n = gather(g, i, k, k < ntrue, cs);
		if ((rc = solve(g, i, in->crit[k].field, cs, n, 1)) <= 0) {
			*blocker = k;
			return rc;
		}
	}
	return 1;
}

/* Why criterion k of instance i can never be true after the ones before
 * it: a certain reason when it cannot be true on its own, else a conflict
 * with the earliest criterion on its field it cannot hold with. */
static int
classify(struct gate *g, uint32_t i, uint32_t k)
{
	const cf_criterion *c = &g->ch->instances[i].crit[k];
	cf_gate_inst *gi = &g->res->inst[i];
	struct want cs[CF_MAX_CRITERIA];
	int neg = (c->mods & CF_MOD_NEGATE) != 0, rc;
	int str_op = cf_op_operand(c->op) == 1;

	gi->unsat = (int32_t)k;
	gi->unsat_with = -1;
	cs[0] = (struct want){ k, 1 };
	if ((rc = solve(g, i, c->field, cs, 1, 0)) < 0)
		return -rc;
	if (rc == 0) {
		const cf_str *s = str_op ? &g->ch->strings[c->str] : NULL;
		if (!neg &&
		    !cf_tmpl_op_fits(c->op, g->t->fields[c->field].type))
			gi->unsat_why = CF_GATE_UNSAT_TYPE;
		else if (!neg && c->op == CF_OP_INT_RANGE && c->a > c->b)
			gi->unsat_why = CF_GATE_UNSAT_RANGE;
		else if (!neg && c->op == CF_OP_FLAGS_ANY && c->a == 0)
			gi->unsat_why = CF_GATE_UNSAT_MASK;
		else if (neg &&
		    ((s != NULL && s->len == 0 && c->op != CF_OP_EQUALS) ||
		        (c->op == CF_OP_INT_RANGE && c->a == 0 &&
		            c->b == UINT64_MAX) ||
		        (c->op == CF_OP_FLAGS_ALL && c->a == 0)))
			gi->unsat_why = CF_GATE_UNSAT_ALWAYS;
		else
			gi->unsat_why = CF_GATE_UNSAT_NOVALUE;
		return CF_OK;
	}
	gi->unsat_why = CF_GATE_UNSAT_CONFLICT;
	for (uint32_t j = 0; j < k; j++) {
		const cf_criterion *e = &g->ch->instances[i].crit[j];
		if (!valued(g, e) || e->field != c->field)
			continue;
		cs[0] = (struct want){ j, 1 };
		cs[1] = (struct want){ k, 1 };
		if ((rc = solve(g, i, c->field, cs, 2, 0)) < 0)
			return -rc;
		if (rc == 0 || gi->unsat_with < 0)
			gi->unsat_with = (int32_t)j;
		if (rc == 0)
			break;
	}
	return CF_OK;
}

/* ---- boundary values ------------------------------------------------- */

/* Append pad bytes to b until it holds n bytes. */
static int
pad_to(cf_buf *b, size_t n)
{
	/* 64 of PAD_BYTE */
	static const char pad[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	                          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
	const size_t chunk = sizeof(pad) - 1;
	int rc = CF_OK;

	while (rc == CF_OK && b->len < n)
		rc =
		    cf_buf_put(b, pad, n - b->len < chunk ? n - b->len : chunk);
	return rc;
}

/* Boundary value idx (< NPROBES) for criterion c into *v, with its
 * description: 1, or 0 when that one does not apply, or a negative error. */
static int
probe_value(struct gate *g, const cf_criterion *c, unsigned idx, cf_value *v,
    const char **what)
{
	cf_buf *b = &g->probe;
	int rc = CF_OK;

	if (g->t->fields[c->field].type == CF_FT_STR) {
		const cf_str *s =
		    cf_op_operand(c->op) == 1 ? &g->ch->strings[c->str] : NULL;
		size_t slen = s ? s->len : 0, pad = CF_GATE_LONG_VALUE - slen;

		b->len = 0;
		switch (idx) {
		case 0:
			*what = "empty string";
			break;
		case 1:
			if (slen == 0)
				return 0;
			*what = "operand less its last byte";
			rc = cf_buf_put(b, s->data, slen - 1);
			break;
		case 2:
			/* a REGEX's length edge is the matcher's limit (3);
			 * a long subject would only measure its speed */
			if (c->op == CF_OP_REGEX)
				return 0;
			*what = "long value";
			/* The operand where the operator looks for it:
			 * first, last, or in the middle; padding elsewhere. */
			if (c->op == CF_OP_SUFFIX)
				rc = CF_OK;
			else if (c->op == CF_OP_CONTAINS)
				pad /= 2;
			else if (slen > 0)
				pad = 0;
			rc = pad_to(b, pad);
			if (rc == CF_OK && slen > 0)
				rc = cf_buf_put(b, s->data, slen);
			if (rc == CF_OK)
				rc = pad_to(b, CF_GATE_LONG_VALUE);
			break;
		case 3:
			if (c->op != CF_OP_REGEX)
				return 0;
			*what = "one byte past the matcher's subject limit";
			/* NUL bytes, from calloc: the matcher refuses the
			 * length before it reads a byte, so the pages are
			 * rarely touched (under ASan, touching 1 MiB per
			 * run was most of fuzz_gate's time). */
			if (g->huge == NULL &&
			    (g->huge = cf_mem_calloc(
			         CF_RE_MAX_SUBJECT + 1u, 1)) == NULL)
				return -CF_E_NOMEM;
			v->type = CF_VT_STR;
			v->len = CF_RE_MAX_SUBJECT + 1u;
			v->v.s = g->huge;
			return 1;
		default:
			return 0;
		}
		if (rc != CF_OK)
			return -rc;
		as_str(v, b);
		return 1;
	}
	switch (idx) {
	case 0:
		*what = "zero";
		as_int(v, 0);
		return 1;
	case 1:
		*what = "maximum";
		as_int(v, UINT64_MAX);
		return 1;
	case 2:
		*what = "operand - 1";
		as_int(v, c->a - 1);
		return c->op != CF_OP_WILDCARD && cf_op_operand(c->op) != 1;
	case 3:
		*what = "operand + 1";
		as_int(v, c->a + 1);
		return c->op != CF_OP_WILDCARD && cf_op_operand(c->op) != 1;
	case 4:
		*what = "high end + 1";
		as_int(v, c->b + 1);
		return c->op == CF_OP_INT_RANGE;
	case 5:
		*what = "complement of the mask";
		as_int(v, ~c->a);
		return c->op == CF_OP_FLAGS_ANY || c->op == CF_OP_FLAGS_ALL;
	}
	return 0;
}

/* ---- per instance ---------------------------------------------------- */

static void label(struct gate *g, uint32_t i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The event's label: "instance ID: " and the rest, cut to fit. */
static void
label(struct gate *g, uint32_t i, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(g->label, sizeof(g->label),
	    "instance %u: ", g->ch->instances[i].id);

	if (n < 0 || (size_t)n >= sizeof(g->label))
		return;
	va_start(ap, fmt);
	vsnprintf(g->label + n, sizeof(g->label) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* On top of the event that satisfies every criterion of instance i: make
 * criterion k (which tests a value) fail, re-solving its field alone (the
 * other fields already meet criteria 0..k-1), and keep that field's value
 * to restore. As plan(g, i, k, 1, blocker), in one search instead of k. */
static int
stop_at(struct gate *g, uint32_t i, uint32_t k, uint32_t *blocker)
{
	const cf_criterion *c = &g->ch->instances[i].crit[k];
	const cf_value *v = &g->ev.values[c->field];
	struct want cs[CF_MAX_CRITERIA];
	unsigned n = gather(g, i, k, 0, cs);
	int rc;

	if (v->type == CF_VT_STR) {
		g->saved.len = 0;
		if (v->len &&
		    (rc = cf_buf_put(&g->saved, v->v.s, v->len)) != CF_OK)
			return -rc;
	}
	g->saved_value = *v;
	if ((rc = solve(g, i, c->field, cs, n, 1)) == 0)
		*blocker = k;
	return rc;
}

/* Put back the value stop_at() replaced. */
static int
restore(struct gate *g, uint32_t f)
{
	cf_value v = g->saved_value;

	if (v.type == CF_VT_STR)
		as_str(&v, &g->saved);
	return commit(g, f, &v);
}

static int
run_instance(struct gate *g, uint32_t i)
{
	const cf_instance *in = &g->ch->instances[i];
	uint32_t blocker = 0, reach;
	int all, rc;

	/* Every criterion true, or as many in order as can be. */
	if ((all = plan(g, i, in->ncrit, 0, &blocker)) < 0)
		return -all;
	if (all) {
		label(g, i, "every criterion true");
		reach = in->ncrit;
	} else {
		if ((rc = classify(g, i, blocker)) != CF_OK)
			return rc;
		g->res->unsat++;
		label(g, i, "criteria before %u true (it cannot be)", blocker);
		reach = blocker + 1;
	}
	g->res->ev_synth++;
	if ((rc = run_event(g, &g->ev, i)) != CF_OK)
		return rc;
	/* Boundary values, one field at a time, on top of that event. */
	for (uint32_t k = 0; k < reach; k++) {
		const cf_criterion *c = &in->crit[k];
		uint32_t f = c->field;
		cf_value keep, v;
		const char *what = "";

		if (!valued(g, c))
			continue;
		keep = g->ev.values[f];
		for (unsigned idx = 0; idx < NPROBES; idx++) {
			int p = probe_value(g, c, idx, &v, &what);
			if (p < 0)
				return -p;
			if (p == 0)
				continue;
			g->ev.values[f] = v;
			label(g, i, "criterion %u boundary: %s", k, what);
			g->res->ev_synth++;
			rc = run_event(g, &g->ev, i);
			g->ev.values[f] = keep;
			if (rc != CF_OK)
				return rc;
		}
	}
	/* Stop at each criterion in turn. */
	for (uint32_t k = 0; k < reach; k++) {
		int p;

		if (in->crit[k].op == CF_OP_WILDCARD)
			continue; /* always true: reached by the events above */
		if (all && !valued(g, &in->crit[k]))
			continue; /* no value to fail it: as the event above */
		p = all ? stop_at(g, i, k, &blocker)
		        : plan(g, i, k, 1, &blocker);
		if (p < 0)
			return -p;
		if (p == 0) {
			/* it cannot fail after the ones before it */
			if (blocker == k)
				g->res->crit[g->res->inst[i].first_crit + k]
				    .never_fails = 1;
			continue;
		}
		label(g, i, "stop at criterion %u", k);
		g->res->ev_synth++;
		rc = run_event(g, &g->ev, i);
		if (all && rc == CF_OK)
			rc = restore(g, in->crit[k].field);
		if (rc != CF_OK)
			return rc;
	}
	return CF_OK;
}

/* Which regex of instance i does not compile, and its code. */
static void
find_bad_regex(struct gate *g, uint32_t i)
{
	const cf_instance *in = &g->ch->instances[i];
	cf_gate_inst *gi = &g->res->inst[i];

	for (uint16_t k = 0; k < in->ncrit; k++) {
		const cf_criterion *c = &in->crit[k];
		const cf_str *pat;
		cf_re *re = NULL;
		int rc;

		if (c->op != CF_OP_REGEX)
			continue;
		pat = &g->ch->strings[c->str];
		rc = cf_re_compile(pat->data, pat->len,
		    CF_RE_DOT_NL | ((c->mods & CF_MOD_ICASE) ? CF_RE_ICASE : 0),
		    &re, NULL);
		cf_re_free(re);
		if (rc != CF_OK) {
			gi->bad_regex = k;
			gi->bad_regex_code = rc;
			return;
		}
	}
}

/* ---- the run --------------------------------------------------------- */

static int
setup(struct gate *g, const cf_chan *ch, const cf_gate_opts *o)
{
	cf_gate_result *r = g->res;
	size_t nb = o->builds ? o->nbuilds : cf_build_count();
	uint32_t total = 0;

	r->tmpl = cf_tmpl_by_id(ch->template_type);
	r->ninstances = ch->ninstances;
	for (uint32_t i = 0; i < ch->ninstances; i++)
		total += ch->instances[i].ncrit; /* <= 1024 * 32 */
	r->ncrit = total;
	r->nbuilds = (uint32_t)nb;
	if ((r->builds = cf_mem_calloc(nb, sizeof(*r->builds))) == NULL ||
	    (g->prog = cf_mem_calloc(nb, sizeof(*g->prog))) == NULL)
		return CF_E_NOMEM;
	if (ch->ninstances > 0 &&
	    (r->inst = cf_mem_calloc(ch->ninstances, sizeof(*r->inst))) == NULL)
		return CF_E_NOMEM;
	if (total > 0 &&
	    ((r->crit = cf_mem_calloc(total, sizeof(*r->crit))) == NULL ||
	        (r->count = cf_mem_calloc(
	             (size_t)total * nb, sizeof(*r->count))) == NULL))
		return CF_E_NOMEM;
	total = 0;
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		cf_gate_inst *gi = &r->inst[i];
		gi->first_crit = total;
		total += ch->instances[i].ncrit;
		gi->bad_regex = gi->unsat = gi->unsat_with = -1;
		gi->state = !(ch->instances[i].flags & CF_INST_ENABLED)
		    ? CF_GATE_OFF_FLAG
		    : (r->tmpl == NULL ? CF_GATE_UNKNOWN : CF_GATE_LIVE);
		if (gi->state != CF_GATE_OFF_FLAG)
			r->live += ch->instances[i].ncrit;
	}
	for (size_t b = 0; b < nb; b++) {
		cf_gate_build *gb = &r->builds[b];
		int rc;

		gb->build = o->builds ? o->builds[b] : cf_build_at(b);
		if (gb->build == NULL)
			return CF_E_ARG;
		rc = cf_interp_compile(
		    ch, gb->build, &g->prog[b], &gb->cs, NULL);
		if (rc == CF_E_NOMEM)
			return rc;
		gb->compile_rc = rc;
	}
	return CF_OK;
}

/* Reasons, coverage and per-build fault counts, from the counts. */
static void
finish(struct gate *g)
{
	cf_gate_result *r = g->res;

	for (uint32_t i = 0; i < r->ninstances; i++) {
		const cf_instance *in = &g->ch->instances[i];
		cf_gate_inst *gi = &r->inst[i];
		int any_build = 0;

		for (uint32_t b = 0; b < r->nbuilds; b++)
			if (g->prog[b] != NULL &&
			    cf_interp_enabled(g->prog[b], i))
				any_build = 1;
		for (uint16_t k = 0; k < in->ncrit; k++) {
			cf_gate_crit *gc = &r->crit[gi->first_crit + k];
			for (uint32_t b = 0; b < r->nbuilds; b++) {
				const cf_gate_count *c = count_at(g, i, k, b);
				gc->total.evaluated += c->evaluated;
				gc->total.matched += c->matched;
				gc->total.failed += c->failed;
				gc->total.refused += c->refused;
				gc->total.faults += c->faults;
				if (c->faults)
					r->builds[b].fault_sites++;
			}
			if (gi->state == CF_GATE_OFF_FLAG)
				continue;
			if (gc->total.evaluated > 0) {
				r->reached++;
				continue;
			}
			if (gi->state == CF_GATE_OFF_REGEX) {
				gc->unreached = CF_GATE_WHY_BAD_REGEX;
			} else if (!any_build) {
				gc->unreached = CF_GATE_WHY_NO_BUILD;
			} else if (gi->unsat >= 0 && k > gi->unsat) {
				gc->unreached = CF_GATE_WHY_UNSAT;
				gc->blocker = (uint32_t)gi->unsat;
			} else {
				gc->unreached = CF_GATE_WHY_REFUSED;
				for (uint16_t j = 0; j < k; j++)
					if (r->crit[gi->first_crit + j]
					        .total.refused > 0) {
						gc->blocker = j;
						break;
					}
			}
		}
	}
	for (uint32_t f = 0; f < r->nkept; f++) {
		const cf_gate_fault *x = &r->faults[f];
		r->faults[f].times =
		    count_at(g, x->instance, x->criterion, x->build)->faults;
	}
	r->verdict =
	    (r->val_rc == CF_OK && r->nfaults == 0) ? CF_OK : CF_E_REJECTED;
}

static int
run_all(struct gate *g, const cf_gate_opts *o)
{
	cf_gate_result *r = g->res;
	const cf_chan *ch = g->ch;
	int rc;

	if (r->tmpl == NULL)
		return CF_OK; /* nothing runs it; the validator says why */
	g->t = r->tmpl;
	memset(&g->ref_build, 0, sizeof(g->ref_build));
	g->ref_build.name = "gate-reference";
	g->ref_build.summary = "every declared field supplied, no checks";
	g->ref_build.supplied[g->t->id] = g->t->nfields;
	if ((rc = cf_interp_compile(ch, &g->ref_build, &g->ref, NULL, NULL)) !=
	    CF_OK)
		return rc;
	for (uint32_t i = 0; i < ch->ninstances; i++) {
		cf_gate_inst *gi = &r->inst[i];

		if (gi->state != CF_GATE_LIVE)
			continue;
		if (!cf_interp_enabled(g->ref, i)) {
			gi->state = CF_GATE_OFF_REGEX;
			r->bad_regex++;
			find_bad_regex(g, i);
			continue;
		}
		if ((rc = run_instance(g, i)) != CF_OK)
			return rc;
	}
	for (uint32_t e = 0; o->events != NULL && e < o->events->count; e++) {
		const cf_event *ev = &o->events->events[e];

		if (ev->tmpl_id != g->t->id) {
			r->ev_skipped++;
			continue;
		}
		r->ev_user++;
		g->cur_user = e + 1;
		if ((rc = run_event(g, ev, CF_INTERP_ALL)) != CF_OK)
			return rc;
	}
	return CF_OK;
}

int
cf_gate_run(const cf_chan *ch, const cf_gate_opts *o, cf_gate_result **out)
{
	static const cf_gate_opts defaults = { NULL, 0, NULL, 0 };
	struct gate *g;
	cf_gate_result *r;
	int rc;

	*out = NULL;
	if (ch == NULL)
		return CF_E_ARG;
	if (o == NULL)
		o = &defaults;
	if ((o->builds != NULL && o->nbuilds == 0) ||
	    (o->flags & ~CF_GATE_AS_BUILT) != 0)
		return CF_E_ARG;
	if ((g = cf_mem_calloc(1, sizeof(*g))) == NULL)
		return CF_E_NOMEM;
	if ((r = cf_mem_calloc(1, sizeof(*r))) == NULL) {
		cf_mem_free(g);
		return CF_E_NOMEM;
	}
	g->ch = ch;
	g->res = r;
	g->flags = o->flags;
	for (uint32_t f = 0; f < CF_MAX_FIELDS; f++)
		cf_buf_init(&g->val[f], CF_MAX_ALLOC);
	cf_buf_init(&g->cand, CF_MAX_ALLOC);
	cf_buf_init(&g->probe, CF_MAX_ALLOC);
	cf_buf_init(&g->saved, CF_MAX_ALLOC);
	rc = cf_val_check(ch, CF_VAL_CURRENT, &r->val);
	if (rc != CF_OK && rc != CF_E_REJECTED)
		goto out;
	r->val_rc = rc;
	if ((rc = setup(g, ch, o)) != CF_OK || (rc = run_all(g, o)) != CF_OK)
		goto out;
	finish(g);
	rc = r->verdict;
out:
	for (uint32_t b = 0; g->prog != NULL && b < r->nbuilds; b++)
		cf_interp_free(g->prog[b]);
	cf_mem_free(g->prog);
	cf_interp_free(g->ref);
	for (uint32_t f = 0; f < CF_MAX_FIELDS; f++)
		cf_buf_free(&g->val[f]);
	cf_buf_free(&g->cand);
	cf_buf_free(&g->probe);
	cf_buf_free(&g->saved);
	cf_mem_free(g->huge);
	cf_mem_free(g);
	if (rc != CF_OK && rc != CF_E_REJECTED) {
		cf_gate_free(r);
		return rc;
	}
	*out = r;
	return rc;
}

void
cf_gate_free(cf_gate_result *r)
{
	if (r == NULL)
		return;
	for (uint32_t i = 0; r->faults != NULL && i < r->nkept; i++)
		cf_mem_free(r->faults[i].data);
	cf_mem_free(r->faults);
	cf_mem_free(r->builds);
	cf_mem_free(r->inst);
	cf_mem_free(r->crit);
	cf_mem_free(r->count);
	cf_mem_free(r);
}
