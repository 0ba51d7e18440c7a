/*
 * test_interp.c - table-driven tests of the Content Interpreter
 * (cf_interp.h) against docs/FORMAT.md 1.5 (evaluation semantics), 5
 * (template types) and 6 (sensor builds), plus the compiled-in template,
 * build and sample tables.
 *
 * Models are built with the cf_chan builders, one instance per table row.
 * Input arrays are allocated on the heap exactly as long as the count given
 * to cf_interp_eval, so AddressSanitizer sees any read past them. Build
 * 7.11's out-of-bounds read (CF-291) is never exercised here: it would
 * abort this binary; the shell suites (tests/sh/cf291.sh) cover it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cf_build.h"
#include "cf_chan.h"
#include "cf_event.h"
#include "cf_interp.h"
#include "cf_mem.h"
#include "cf_test.h"
#include "cf_tmpl.h"

#define ICASE CF_MOD_ICASE
#define NEG CF_MOD_NEGATE
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* One criterion of a table row; s is the string operand (NULL: none). */
struct crit {
	uint16_t field;
	uint8_t op;
	uint8_t mods;
	const char *s;
	uint64_t a, b;
};

static void
add_inst(cf_chan *ch, uint32_t id, uint16_t action, uint16_t flags,
    const struct crit *c, size_t n)
{
	uint32_t idx;

	if (cf_chan_add_instance(ch, id, action, flags, &idx) != CF_OK)
		abort();
	for (size_t k = 0; k < n; k++) {
		cf_criterion cr = { c[k].field, c[k].op, c[k].mods,
			CF_NO_STRING, c[k].a, c[k].b };
		if (c[k].s != NULL &&
		    cf_chan_add_string(ch, (const uint8_t *)c[k].s,
		        strlen(c[k].s), &cr.str) != CF_OK)
			abort();
		if (cf_chan_add_criterion(ch, idx, &cr) != CF_OK)
			abort();
	}
}

/* A model of template tmpl (on its own channel) with no instances. */
static cf_chan *
empty_model(uint32_t tmpl)
{
	cf_chan *ch = cf_chan_new();
	const cf_tmpl *t = cf_tmpl_by_id(tmpl);

	if (ch == NULL)
		abort();
	ch->channel = t != NULL ? t->channel : 0;
	ch->content_version = 1;
	ch->template_type = tmpl;
	return ch;
}

/* A model with one enabled DETECT instance, id 100, holding c[0..n). */
static cf_chan *
model(uint32_t tmpl, const struct crit *c, size_t n)
{
	cf_chan *ch = empty_model(tmpl);

	add_inst(ch, 100, CF_ACT_DETECT, CF_INST_ENABLED, c, n);
	return ch;
}

/* Compile ch on the named build; asserts success. NULL on failure. */
static cf_program *
compile(const cf_chan *ch, const char *build, cf_compile_stats *cs)
{
	cf_program *p = NULL;
	cf_diag d;
	int rc;

	rc = cf_interp_compile(ch, cf_build_by_name(build), &p, cs, &d);
	CF_EXPECT_EQ(rc, CF_OK, "cf_interp_compile");
	CF_EXPECT(p != NULL, "compile OK returns a program");
	return rc == CF_OK ? p : NULL;
}

/* Hit callback: records every hit it is given. */
struct hits {
	unsigned n;
	cf_hit h[8];
};

static void
on_hit(void *ctx, const cf_hit *hit)
{
	struct hits *r = ctx;

	if (r->n < NELEM(r->h))
		r->h[r->n] = *hit;
	r->n++;
}

/* The compiled-in sample event of a template type. A missing one is a
 * failure here, so the callers' NULL checks only avoid a crash and never
 * skip a test silently. */
static const cf_event *
sample_of(uint32_t tmpl)
{
	for (size_t i = 0; i < cf_event_sample_count(); i++)
		if (cf_event_sample_at(i)->tmpl_id == tmpl)
			return cf_event_sample_at(i);
	CF_EXPECT(0, "no sample event for template type %u", tmpl);
	return NULL;
}

static void
set_str(cf_value *v, const char *s)
{
	v->type = CF_VT_STR;
	v->len = (uint32_t)strlen(s);
	v->v.s = (const uint8_t *)s;
}

static void
set_int(cf_value *v, uint64_t u)
{
	v->type = CF_VT_INT;
	v->len = 0;
	v->v.u = u;
}

/* Input values of the operator table; evaluated as IPC on build 7.16,
 * which supplies 21. Fields 8..20 are CF_VT_NONE (calloc). */
#define OP_NINPUTS 21u
#define F_STR 0   /* "Hello World" */
#define F_EMPTY 1 /* "" */
#define F_RPC 2   /* the IPC sample's rpc_binding */
#define F_42 3    /* int 42 */
#define F_ZERO 4  /* int 0 */
#define F_MAX 5   /* int UINT64_MAX */
#define F_FLAGS 6 /* int 0x5 */
#define F_NONE 7  /* no value */

static cf_value *
op_inputs(void)
{
	cf_value *in = cf_mem_calloc(OP_NINPUTS, sizeof(*in));

	if (in == NULL)
		abort();
	set_str(&in[F_STR], "Hello World");
	set_str(&in[F_EMPTY], "");
	set_str(&in[F_RPC], "ncacn_np:\\\\DC01[\\pipe\\lsass]");
	set_int(&in[F_42], 42);
	set_int(&in[F_ZERO], 0);
	set_int(&in[F_MAX], UINT64_MAX);
	set_int(&in[F_FLAGS], 0x5);
	return in;
}

struct op_row {
	const char *what;
	struct crit c;
	int hit;     /* as written */
	int hit_neg; /* with NEGATE added */
};

#define STR_C(f, op, m, s)        \
	{                         \
		f, op, m, s, 0, 0 \
	}
#define INT_C(f, op, m, a, b)        \
	{                            \
		f, op, m, NULL, a, b \
	}

static const struct op_row op_rows[] = {
	/* WILDCARD: true, never reads, NEGATE leaves it true. */
	{ "wildcard", INT_C(F_STR, CF_OP_WILDCARD, 0, 0, 0), 1, 1 },
	{ "wildcard icase", INT_C(F_STR, CF_OP_WILDCARD, ICASE, 0, 0), 1, 1 },
	{ "wildcard on no value", INT_C(F_NONE, CF_OP_WILDCARD, 0, 0, 0), 1,
	    1 },

	{ "equals", STR_C(F_STR, CF_OP_EQUALS, 0, "Hello World"), 1, 0 },
	{ "equals case", STR_C(F_STR, CF_OP_EQUALS, 0, "hello world"), 0, 1 },
	{ "equals icase", STR_C(F_STR, CF_OP_EQUALS, ICASE, "hELLO wORLD"), 1,
	    0 },
	{ "equals shorter", STR_C(F_STR, CF_OP_EQUALS, 0, "Hello"), 0, 1 },
	{ "equals longer", STR_C(F_STR, CF_OP_EQUALS, 0, "Hello World!"), 0,
	    1 },
	{ "equals empty/empty", STR_C(F_EMPTY, CF_OP_EQUALS, 0, ""), 1, 0 },
	{ "equals empty/value", STR_C(F_STR, CF_OP_EQUALS, 0, ""), 0, 1 },

	{ "prefix", STR_C(F_STR, CF_OP_PREFIX, 0, "Hello"), 1, 0 },
	{ "prefix whole", STR_C(F_STR, CF_OP_PREFIX, 0, "Hello World"), 1, 0 },
	{ "prefix case", STR_C(F_STR, CF_OP_PREFIX, 0, "hello"), 0, 1 },
	{ "prefix icase", STR_C(F_STR, CF_OP_PREFIX, ICASE, "HELLO"), 1, 0 },
	{ "prefix other end", STR_C(F_STR, CF_OP_PREFIX, 0, "World"), 0, 1 },
	{ "prefix empty", STR_C(F_STR, CF_OP_PREFIX, 0, ""), 1, 0 },
	{ "prefix longer", STR_C(F_STR, CF_OP_PREFIX, 0, "Hello World, hi"), 0,
	    1 },
	{ "prefix on empty", STR_C(F_EMPTY, CF_OP_PREFIX, 0, "H"), 0, 1 },

	{ "suffix", STR_C(F_STR, CF_OP_SUFFIX, 0, "World"), 1, 0 },
	{ "suffix case", STR_C(F_STR, CF_OP_SUFFIX, 0, "world"), 0, 1 },
	{ "suffix icase", STR_C(F_STR, CF_OP_SUFFIX, ICASE, "wORLD"), 1, 0 },
	{ "suffix other end", STR_C(F_STR, CF_OP_SUFFIX, 0, "Hello"), 0, 1 },
	{ "suffix empty", STR_C(F_STR, CF_OP_SUFFIX, 0, ""), 1, 0 },
	{ "suffix longer", STR_C(F_STR, CF_OP_SUFFIX, 0, "Oh Hello World"), 0,
	    1 },

	{ "contains", STR_C(F_STR, CF_OP_CONTAINS, 0, "lo Wo"), 1, 0 },
	{ "contains case", STR_C(F_STR, CF_OP_CONTAINS, 0, "LO WO"), 0, 1 },
	{ "contains icase", STR_C(F_STR, CF_OP_CONTAINS, ICASE, "LO WO"), 1,
	    0 },
	{ "contains icase at end", STR_C(F_STR, CF_OP_CONTAINS, ICASE, "LD"), 1,
	    0 },
	{ "contains icase whole",
	    STR_C(F_STR, CF_OP_CONTAINS, ICASE, "HELLO WORLD"), 1, 0 },
	{ "contains absent", STR_C(F_STR, CF_OP_CONTAINS, 0, "xyz"), 0, 1 },
	{ "contains empty needle", STR_C(F_STR, CF_OP_CONTAINS, 0, ""), 1, 0 },
	{ "contains empty in empty", STR_C(F_EMPTY, CF_OP_CONTAINS, 0, ""), 1,
	    0 },
	{ "contains in empty", STR_C(F_EMPTY, CF_OP_CONTAINS, 0, "a"), 0, 1 },
	{ "contains needle longer",
	    STR_C(F_STR, CF_OP_CONTAINS, 0, "Hello World!"), 0, 1 },
	{ "contains icase longer",
	    STR_C(F_STR, CF_OP_CONTAINS, ICASE, "HELLO WORLD!"), 0, 1 },

	{ "regex", STR_C(F_STR, CF_OP_REGEX, 0, "o W"), 1, 0 },
	{ "regex anchored end", STR_C(F_STR, CF_OP_REGEX, 0, "World$"), 1, 0 },
	{ "regex anchor fails", STR_C(F_STR, CF_OP_REGEX, 0, "^World"), 0, 1 },
	{ "regex case", STR_C(F_STR, CF_OP_REGEX, 0, "^hello"), 0, 1 },
	{ "regex icase", STR_C(F_STR, CF_OP_REGEX, ICASE, "^hello"), 1, 0 },
	{ "regex no digit", STR_C(F_STR, CF_OP_REGEX, 0, "\\d"), 0, 1 },
	{ "regex cf291", STR_C(F_RPC, CF_OP_REGEX, 0, "^ncacn_np:.*\\[.*\\]$"),
	    1, 0 },

	/* ICASE is ignored by the integer operators (FORMAT.md 1.5). */
	{ "int-eq", INT_C(F_42, CF_OP_INT_EQ, 0, 42, 0), 1, 0 },
	{ "int-eq other", INT_C(F_42, CF_OP_INT_EQ, 0, 43, 0), 0, 1 },
	{ "int-eq icase", INT_C(F_42, CF_OP_INT_EQ, ICASE, 42, 0), 1, 0 },
	{ "int-eq 0", INT_C(F_ZERO, CF_OP_INT_EQ, 0, 0, 0), 1, 0 },
	{ "int-eq max", INT_C(F_MAX, CF_OP_INT_EQ, 0, UINT64_MAX, 0), 1, 0 },
	{ "int-eq max-1", INT_C(F_MAX, CF_OP_INT_EQ, 0, UINT64_MAX - 1, 0), 0,
	    1 },

	{ "range point", INT_C(F_42, CF_OP_INT_RANGE, 0, 42, 42), 1, 0 },
	{ "range low inclusive", INT_C(F_42, CF_OP_INT_RANGE, 0, 42, 100), 1,
	    0 },
	{ "range high inclusive", INT_C(F_42, CF_OP_INT_RANGE, 0, 0, 42), 1,
	    0 },
	{ "range below", INT_C(F_42, CF_OP_INT_RANGE, 0, 43, 100), 0, 1 },
	{ "range above", INT_C(F_42, CF_OP_INT_RANGE, 0, 0, 41), 0, 1 },
	{ "range low > high", INT_C(F_42, CF_OP_INT_RANGE, 0, 100, 0), 0, 1 },
	{ "range 0 in [0,0]", INT_C(F_ZERO, CF_OP_INT_RANGE, 0, 0, 0), 1, 0 },
	{ "range 0 in [1,max]",
	    INT_C(F_ZERO, CF_OP_INT_RANGE, 0, 1, UINT64_MAX), 0, 1 },
	{ "range max in [0,max]",
	    INT_C(F_MAX, CF_OP_INT_RANGE, 0, 0, UINT64_MAX), 1, 0 },
	{ "range max in [max,max]",
	    INT_C(F_MAX, CF_OP_INT_RANGE, 0, UINT64_MAX, UINT64_MAX), 1, 0 },
	{ "range max in [0,max-1]",
	    INT_C(F_MAX, CF_OP_INT_RANGE, 0, 0, UINT64_MAX - 1), 0, 1 },

	{ "flags-any one bit", INT_C(F_FLAGS, CF_OP_FLAGS_ANY, 0, 0x1, 0), 1,
	    0 },
	{ "flags-any some", INT_C(F_FLAGS, CF_OP_FLAGS_ANY, 0, 0x7, 0), 1, 0 },
	{ "flags-any none", INT_C(F_FLAGS, CF_OP_FLAGS_ANY, 0, 0xA, 0), 0, 1 },
	{ "flags-any zero mask", INT_C(F_FLAGS, CF_OP_FLAGS_ANY, 0, 0, 0), 0,
	    1 },
	{ "flags-any on 0", INT_C(F_ZERO, CF_OP_FLAGS_ANY, 0, UINT64_MAX, 0), 0,
	    1 },
	{ "flags-all exact", INT_C(F_FLAGS, CF_OP_FLAGS_ALL, 0, 0x5, 0), 1, 0 },
	{ "flags-all subset", INT_C(F_FLAGS, CF_OP_FLAGS_ALL, 0, 0x4, 0), 1,
	    0 },
	{ "flags-all missing", INT_C(F_FLAGS, CF_OP_FLAGS_ALL, 0, 0x7, 0), 0,
	    1 },
	{ "flags-all zero mask", INT_C(F_FLAGS, CF_OP_FLAGS_ALL, 0, 0, 0), 1,
	    0 },
	{ "flags-all max on max",
	    INT_C(F_MAX, CF_OP_FLAGS_ALL, 0, UINT64_MAX, 0), 1, 0 },

	/* Type mismatch is false before NEGATE (FORMAT.md 1.5): the input
	 * was read, so NEGATE inverts it to true. */
	{ "equals on int", STR_C(F_42, CF_OP_EQUALS, 0, "42"), 0, 1 },
	{ "contains empty on int", STR_C(F_ZERO, CF_OP_CONTAINS, 0, ""), 0, 1 },
	{ "regex on int", STR_C(F_42, CF_OP_REGEX, 0, "4"), 0, 1 },
	{ "int-eq on str", INT_C(F_EMPTY, CF_OP_INT_EQ, 0, 0, 0), 0, 1 },
	{ "range on str", INT_C(F_STR, CF_OP_INT_RANGE, 0, 0, UINT64_MAX), 0,
	    1 },
	{ "flags-all 0 on str", INT_C(F_STR, CF_OP_FLAGS_ALL, 0, 0, 0), 0, 1 },
	{ "equals on no value", STR_C(F_NONE, CF_OP_EQUALS, 0, ""), 0, 1 },
	{ "int-eq on no value", INT_C(F_NONE, CF_OP_INT_EQ, 0, 0, 0), 0, 1 },
};

/* One criterion per row, as written and with NEGATE added: the hit, and
 * exactly one criterion and (non-wildcard) one input read. */
static void
test_operators(void)
{
	cf_value *in = op_inputs();

	for (size_t i = 0; i < NELEM(op_rows); i++) {
		const struct op_row *r = &op_rows[i];
		for (int neg = 0; neg < 2; neg++) {
			struct crit c = r->c;
			cf_eval_stats st = { 0 };
			struct hits h = { 0 };
			cf_compile_stats cs = { 0 };
			cf_program *p;
			cf_chan *ch;
			int want = neg ? r->hit_neg : r->hit;
			int reads = c.op != CF_OP_WILDCARD;
			int steps = c.op == CF_OP_REGEX &&
			    in[c.field].type == CF_VT_STR;
			int rc;

			if (neg)
				c.mods |= NEG;
			ch = model(CF_TMPL_IPC, &c, 1);
			if ((p = compile(ch, "7.16", &cs)) != NULL) {
				CF_EXPECT_EQ(cs.enabled, 1, r->what);
				rc = cf_interp_eval(
				    p, in, OP_NINPUTS, on_hit, &h, &st);
				CF_EXPECT(
				    rc == CF_OK, "%s: eval rc %d", r->what, rc);
				CF_EXPECT(st.hits == (uint64_t)want,
				    "%s%s: hits %llu, want %d", r->what,
				    neg ? " (negated)" : "",
				    (unsigned long long)st.hits, want);
				CF_EXPECT_EQ(h.n, want, r->what);
				CF_EXPECT_EQ(st.instances, 1, r->what);
				CF_EXPECT_EQ(st.criteria, 1, r->what);
				CF_EXPECT_EQ(st.inputs_read, reads, r->what);
				CF_EXPECT_EQ(st.bounds_refused, 0, r->what);
				CF_EXPECT(
				    steps ? st.re_steps > 0 : st.re_steps == 0,
				    "%s: re_steps %llu", r->what,
				    (unsigned long long)st.re_steps);
			}
			cf_interp_free(p);
			cf_chan_free(ch);
		}
	}
	cf_mem_free(in);
}

/* WILDCARD never reads: on build 7.11, which supplies 20 IPC inputs, a
 * wildcard on field 20 (the 21st) is harmless - how CF-291 stayed
 * dormant. An out-of-bounds read here would abort under ASan. */
static void
test_wildcard_711(void)
{
	const cf_event *ev = sample_of(CF_TMPL_IPC);
	struct crit all[21];
	const struct crit shipped[] = {
		STR_C(0, CF_OP_PREFIX, 0, "\\\\.\\pipe\\"),
		INT_C(1, CF_OP_WILDCARD, 0, 0, 0),
		INT_C(20, CF_OP_WILDCARD, 0, 0, 0),
	};
	cf_eval_stats st = { 0 };
	struct hits h = { 0 };
	cf_compile_stats cs = { 0 };
	cf_program *p;
	cf_chan *ch;

	if (ev == NULL)
		return; /* sample_of counted the failure */
	for (unsigned f = 0; f < NELEM(all); f++)
		all[f] =
		    (struct crit)INT_C((uint16_t)f, CF_OP_WILDCARD, NEG, 0, 0);
	ch = model(CF_TMPL_IPC, all, NELEM(all));
	add_inst(
	    ch, 101, CF_ACT_BLOCK, CF_INST_ENABLED, shipped, NELEM(shipped));
	if ((p = compile(ch, "7.11", &cs)) != NULL) {
		CF_EXPECT_EQ(cf_interp_supplied(p), 20, "7.11 IPC supplied");
		CF_EXPECT_EQ(cs.enabled, 2, "7.11 wildcard: enabled");
		CF_EXPECT_EQ(cs.rejected_fields, 0, "7.11 has no field check");
		CF_EXPECT_EQ(cf_interp_run_event(p, ev, on_hit, &h, &st), CF_OK,
		    "7.11 wildcard run");
		CF_EXPECT_EQ(st.instances, 2, "7.11 wildcard: instances");
		CF_EXPECT_EQ(st.criteria, 24, "7.11 wildcard: criteria");
		CF_EXPECT_EQ(st.inputs_read, 1, "7.11 wildcard: reads");
		CF_EXPECT_EQ(st.bounds_refused, 0, "7.11 wildcard: refused");
		CF_EXPECT_EQ(st.hits, 2, "7.11 wildcard: hits");
		CF_EXPECT_EQ(h.n, 2, "7.11 wildcard: callbacks");
		CF_EXPECT_EQ(h.h[1].instance_id, 101, "7.11 shipped instance");
	}
	cf_interp_free(p);
	cf_chan_free(ch);

	/* All-wildcard instance alone: not a single input read. */
	ch = model(CF_TMPL_IPC, all, NELEM(all));
	memset(&st, 0, sizeof(st));
	if ((p = compile(ch, "7.11", &cs)) != NULL) {
		CF_EXPECT_EQ(cf_interp_run_event(p, ev, NULL, NULL, &st), CF_OK,
		    "all-wildcard run");
		CF_EXPECT_EQ(st.criteria, 21, "all-wildcard: criteria");
		CF_EXPECT_EQ(st.inputs_read, 0, "all-wildcard: reads");
		CF_EXPECT_EQ(st.hits, 1, "all-wildcard: hits");
	}
	cf_interp_free(p);
	cf_chan_free(ch);
}

/* Criteria are ANDed in order and evaluation stops at the first false. */
static void
test_short_circuit(void)
{
	static const struct {
		const char *what;
		const char *s0, *s1; /* operands of criteria 0 and 1 */
		unsigned criteria, reads, hits;
	} rows[] = {
		{ "c0 false", "nope", "Hello World", 1, 1, 0 },
		{ "c1 false", "Hello World", "nope", 3, 2, 0 },
		{ "all true", "Hello World", "Hello World", 4, 3, 1 },
	};
	cf_value *in = op_inputs();

	for (size_t i = 0; i < NELEM(rows); i++) {
		const struct crit c[] = {
			STR_C(F_STR, CF_OP_EQUALS, 0, rows[i].s0),
			INT_C(F_EMPTY, CF_OP_WILDCARD, 0, 0, 0),
			STR_C(F_STR, CF_OP_EQUALS, 0, rows[i].s1),
			INT_C(F_42, CF_OP_INT_EQ, 0, 42, 0),
		};
		cf_eval_stats st = { 0 };
		cf_chan *ch = model(CF_TMPL_IPC, c, NELEM(c));
		cf_program *p = compile(ch, "7.16", NULL);

		if (p != NULL) {
			CF_EXPECT_EQ(
			    cf_interp_eval(p, in, OP_NINPUTS, NULL, NULL, &st),
			    CF_OK, rows[i].what);
			CF_EXPECT_EQ(st.instances, 1, rows[i].what);
			CF_EXPECT_EQ(
			    st.criteria, rows[i].criteria, rows[i].what);
			CF_EXPECT_EQ(
			    st.inputs_read, rows[i].reads, rows[i].what);
			CF_EXPECT_EQ(st.hits, rows[i].hits, rows[i].what);
		}
		cf_interp_free(p);
		cf_chan_free(ch);
	}
	cf_mem_free(in);
}

/* Build 7.16 supplies all 21 IPC inputs: the CF-291 content (a
 * non-wildcard criterion on field 20) is safe and matches the sample. */
static void
test_cf291_on_716(void)
{
	const cf_event *ev = sample_of(CF_TMPL_IPC);
	const struct crit re[] = {
		STR_C(0, CF_OP_CONTAINS, ICASE, "MSRPC"),
		STR_C(20, CF_OP_REGEX, 0, "^ncacn_np:.*\\[.*\\]$"),
	};
	const struct crit eq[] = { STR_C(20, CF_OP_SUFFIX, 0, "lsass]") };
	cf_eval_stats st = { 0 };
	struct hits h = { 0 };
	cf_compile_stats cs = { 0 };
	cf_program *p;
	cf_chan *ch;

	if (ev == NULL)
		return;
	CF_EXPECT_EQ(ev->nvalues, 21, "IPC sample values");
	ch = model(CF_TMPL_IPC, re, NELEM(re));
	add_inst(ch, 200, CF_ACT_KILL, CF_INST_ENABLED, eq, NELEM(eq));
	if ((p = compile(ch, "7.16", &cs)) != NULL) {
		CF_EXPECT_EQ(cf_interp_supplied(p), 21, "7.16 IPC supplied");
		CF_EXPECT(cf_interp_tmpl(p) == cf_tmpl_by_id(CF_TMPL_IPC),
		    "program template is IPC");
		CF_EXPECT_EQ(cs.instances, 2, "cf291 7.16: instances");
		CF_EXPECT_EQ(cs.enabled, 2, "cf291 7.16: enabled");
		CF_EXPECT_EQ(cs.rejected_fields, 0, "cf291 7.16: rejected");
		CF_EXPECT_EQ(cs.rejected_regex, 0, "cf291 7.16: bad regex");
		CF_EXPECT_EQ(cf_interp_run_event(p, ev, on_hit, &h, &st), CF_OK,
		    "cf291 7.16 run");
		CF_EXPECT_EQ(st.instances, 2, "cf291 7.16: evaluated");
		CF_EXPECT_EQ(st.criteria, 3, "cf291 7.16: criteria");
		CF_EXPECT_EQ(st.inputs_read, 3, "cf291 7.16: reads");
		CF_EXPECT_EQ(st.bounds_refused, 0, "cf291 7.16: refused");
		CF_EXPECT_EQ(st.hits, 2, "cf291 7.16: hits");
		CF_EXPECT(st.re_steps > 0, "cf291 7.16: regex ran");
		CF_EXPECT_EQ(h.n, 2, "cf291 7.16: callbacks");
		CF_EXPECT_EQ(h.h[0].instance_index, 0, "hit 0 index");
		CF_EXPECT_EQ(h.h[0].instance_id, 100, "hit 0 id");
		CF_EXPECT_EQ(h.h[0].action, CF_ACT_DETECT, "hit 0 action");
		CF_EXPECT_EQ(h.h[1].instance_index, 1, "hit 1 index");
		CF_EXPECT_EQ(h.h[1].instance_id, 200, "hit 1 id");
		CF_EXPECT_EQ(h.h[1].action, CF_ACT_KILL, "hit 1 action");
	}
	cf_interp_free(p);
	cf_chan_free(ch);
}

/* 7.16's compile-time field check: an instance with a non-wildcard
 * criterion at an index >= supplied (21) is disabled and never read.
 * Field 20 is exactly the last supplied; 21 is one past. */
static void
test_compile_fields(void)
{
	static const struct {
		const char *what;
		uint16_t field;
		uint8_t op;
		unsigned enabled, hits, reads;
	} rows[] = {
		{ "field 20 (last supplied)", 20, CF_OP_CONTAINS, 1, 1, 1 },
		{ "field 21 (supplied)", 21, CF_OP_CONTAINS, 0, 0, 0 },
		{ "field 25", 25, CF_OP_CONTAINS, 0, 0, 0 },
		{ "field 0xFFFF", 0xFFFF, CF_OP_CONTAINS, 0, 0, 0 },
		{ "wildcard field 25", 25, CF_OP_WILDCARD, 1, 1, 0 },
	};
	const cf_event *ev = sample_of(CF_TMPL_IPC);

	if (ev == NULL)
		return;
	for (size_t i = 0; i < NELEM(rows); i++) {
		struct crit c = { rows[i].field, rows[i].op, 0,
			rows[i].op == CF_OP_WILDCARD ? NULL : "DC01", 0, 0 };
		cf_eval_stats st = { 0 };
		cf_compile_stats cs = { 0 };
		cf_chan *ch = model(CF_TMPL_IPC, &c, 1);
		cf_program *p = compile(ch, "7.16", &cs);

		if (p != NULL) {
			CF_EXPECT_EQ(cs.instances, 1, rows[i].what);
			CF_EXPECT_EQ(cs.enabled, rows[i].enabled, rows[i].what);
			CF_EXPECT_EQ(
			    cs.rejected_fields, !rows[i].enabled, rows[i].what);
			CF_EXPECT_EQ(cs.disabled_flag, 0, rows[i].what);
			CF_EXPECT_EQ(
			    cf_interp_run_event(p, ev, NULL, NULL, &st), CF_OK,
			    rows[i].what);
			CF_EXPECT_EQ(
			    st.instances, rows[i].enabled, rows[i].what);
			CF_EXPECT_EQ(
			    st.criteria, rows[i].enabled, rows[i].what);
			CF_EXPECT_EQ(
			    st.inputs_read, rows[i].reads, rows[i].what);
			CF_EXPECT_EQ(st.hits, rows[i].hits, rows[i].what);
			CF_EXPECT_EQ(st.bounds_refused, 0, rows[i].what);
		}
		cf_interp_free(p);
		cf_chan_free(ch);
	}
}

/* An instance is disabled once however many of its criteria fail the
 * field check; 7.11 has no check and keeps it enabled (compile only:
 * evaluating it would be the CF-291 read). */
static void
test_compile_fields_instance(void)
{
	const struct crit c[] = {
		STR_C(0, CF_OP_PREFIX, 0, "\\\\"),
		STR_C(25, CF_OP_EQUALS, 0, "x"),
		STR_C(21, CF_OP_EQUALS, 0, "y"),
	};
	cf_compile_stats cs = { 0 };
	cf_chan *ch = model(CF_TMPL_IPC, c, NELEM(c));
	cf_program *p = compile(ch, "7.16", &cs);

	CF_EXPECT_EQ(cs.enabled, 0, "two bad fields: enabled");
	CF_EXPECT_EQ(cs.rejected_fields, 1, "two bad fields: one instance");
	cf_interp_free(p);
	p = compile(ch, "7.11", &cs);
	CF_EXPECT_EQ(cs.enabled, 1, "7.11 keeps field 25 enabled");
	CF_EXPECT_EQ(cs.rejected_fields, 0, "7.11 rejects no field");
	cf_interp_free(p);
	cf_chan_free(ch);
}

/* 7.16's runtime bounds check, reached directly: the caller supplies 5
 * values (heap, exactly 5, so ASan would flag a read past them). */
static void
test_runtime_bounds(void)
{
	static const struct {
		const char *what;
		uint16_t field;
		uint8_t mods;
		unsigned reads, refused, hits;
	} rows[] = {
		{ "field 4 (last supplied)", 4, 0, 1, 0, 1 },
		{ "field 5 (supplied)", 5, 0, 0, 1, 0 },
		{ "field 10", 10, 0, 0, 1, 0 },
		{ "field 10 negated", 10, NEG, 0, 1, 0 },
		{ "field 20", 20, 0, 0, 1, 0 },
	};
	cf_value *in = cf_mem_calloc(5, sizeof(*in));

	if (in == NULL)
		abort();
	for (unsigned f = 0; f < 5; f++)
		set_str(&in[f], "x");
	for (size_t i = 0; i < NELEM(rows); i++) {
		struct crit c =
		    STR_C(rows[i].field, CF_OP_EQUALS, rows[i].mods, "x");
		cf_eval_stats st = { 0 };
		struct hits h = { 0 };
		cf_chan *ch = model(CF_TMPL_IPC, &c, 1);
		cf_program *p = compile(ch, "7.16", NULL);

		if (p != NULL) {
			CF_EXPECT_EQ(cf_interp_eval(p, in, 5, on_hit, &h, &st),
			    CF_OK, rows[i].what);
			CF_EXPECT_EQ(st.criteria, 1, rows[i].what);
			CF_EXPECT_EQ(
			    st.inputs_read, rows[i].reads, rows[i].what);
			CF_EXPECT_EQ(
			    st.bounds_refused, rows[i].refused, rows[i].what);
			CF_EXPECT_EQ(st.hits, rows[i].hits, rows[i].what);
			CF_EXPECT_EQ(h.n, rows[i].hits, rows[i].what);
		}
		cf_interp_free(p);
		cf_chan_free(ch);
	}
	cf_mem_free(in);
}

/* A build of our own: 7.11's input counts with the runtime check only.
 * The CF-291 read is refused through cf_interp_run_event, no fault. */
static const cf_build runtime_only = { "test-runtime", "runtime check only",
	CF_CHECK_RUNTIME_BOUNDS, { 0, 20, 10, 8, 9, 7 } };
/* A build with no integration for any template type. */
static const cf_build no_integration = { "test-none", "supplies nothing", 0,
	{ 0 } };

static void
test_custom_builds(void)
{
	const cf_event *ev = sample_of(CF_TMPL_IPC);
	const struct crit c[] = { STR_C(20, CF_OP_CONTAINS, 0, "DC01") };
	cf_eval_stats st = { 0 };
	cf_compile_stats cs = { 0 };
	cf_program *p = NULL;
	cf_chan *ch = model(CF_TMPL_IPC, c, NELEM(c));
	cf_diag d = { 0 };
	int rc;

	rc = cf_interp_compile(ch, &runtime_only, &p, &cs, &d);
	CF_EXPECT_EQ(rc, CF_OK, "runtime-only compile");
	if (p != NULL && ev != NULL) {
		CF_EXPECT_EQ(cs.enabled, 1, "runtime-only: no compile check");
		CF_EXPECT_EQ(cf_interp_run_event(p, ev, NULL, NULL, &st), CF_OK,
		    "runtime-only run");
		CF_EXPECT_EQ(st.bounds_refused, 1, "runtime-only: refused");
		CF_EXPECT_EQ(st.inputs_read, 0, "runtime-only: reads");
		CF_EXPECT_EQ(st.hits, 0, "runtime-only: hits");
	}
	cf_interp_free(p);

	/* No integration for IPC. */
	rc = cf_interp_compile(ch, &no_integration, &p, &cs, &d);
	CF_EXPECT_EQ(rc, CF_E_TEMPLATE_UNSUPPORTED, "no integration");
	CF_EXPECT(p == NULL, "no program on failure");
	CF_EXPECT_EQ(d.code, CF_E_TEMPLATE_UNSUPPORTED, "no integration diag");

	/* Missing arguments. */
	CF_EXPECT_EQ(cf_interp_compile(NULL, &runtime_only, &p, NULL, NULL),
	    CF_E_ARG, "NULL model");
	CF_EXPECT_EQ(cf_interp_compile(ch, NULL, &p, NULL, NULL), CF_E_ARG,
	    "NULL build");
	CF_EXPECT(p == NULL, "no program for NULL build");
	cf_chan_free(ch);
}

/* The out-of-bounds read observer: what it sees, and what its verdict
 * does. Refused, a 7.11 read past the inputs is not performed (no fault
 * under ASan, which this binary runs with) and the criterion is false; on
 * a bounds-checked build the observer sees the read flagged as checked and
 * the build refuses it whatever the verdict. */
struct oob_log {
	int refuse;
	unsigned n;
	cf_oob_read last;
};

static int
on_oob(void *ctx, const cf_oob_read *r)
{
	struct oob_log *l = ctx;

	l->n++;
	l->last = *r;
	return l->refuse;
}

static void
test_oob_observer(void)
{
	static const struct {
		const char *what;
		const cf_build *build; /* NULL: by name below */
		const char *name;
		uint16_t field;
		uint8_t op;
		int refuse;
		unsigned seen, reads, oob_refused, bounds_refused, hits;
		int checked;
	} rows[] = {
		{ "7.11 field 19: in bounds, not seen", NULL, "7.11", 19,
		    CF_OP_CONTAINS, 1, 0, 1, 0, 0, 0, 0 },
		{ "7.11 field 20 refused (CF-291)", NULL, "7.11", 20,
		    CF_OP_CONTAINS, 1, 1, 0, 1, 0, 0, 0 },
		{ "7.11 field 20 negated, refused: still false", NULL, "7.11",
		    20, CF_OP_EQUALS, 1, 1, 0, 1, 0, 0, 0 },
		{ "7.11 field 40 refused (undeclared)", NULL, "7.11", 40,
		    CF_OP_PREFIX, 1, 1, 0, 1, 0, 0, 0 },
		{ "runtime-only field 20: checked", &runtime_only, NULL, 20,
		    CF_OP_CONTAINS, 0, 1, 0, 0, 1, 0, 1 },
		{ "runtime-only field 20: checked, refused", &runtime_only,
		    NULL, 20, CF_OP_CONTAINS, 1, 1, 0, 0, 1, 0, 1 },
	};
	const cf_event *ev = sample_of(CF_TMPL_IPC);

	if (ev == NULL)
		return;
	for (size_t i = 0; i < NELEM(rows); i++) {
		struct crit c[] = {
			STR_C(0, CF_OP_CONTAINS, ICASE, "pipe"),
			STR_C(rows[i].field, rows[i].op,
			    rows[i].op == CF_OP_EQUALS ? NEG : 0, "DC01"),
		};
		const cf_build *b = rows[i].build != NULL
		    ? rows[i].build
		    : cf_build_by_name(rows[i].name);
		struct oob_log log = { rows[i].refuse, 0, { 0 } };
		cf_eval_obs obs = { 0, NULL, on_oob, NULL };
		cf_eval_stats st = { 0 };
		cf_program *p = NULL;
		cf_chan *ch = model(CF_TMPL_IPC, c, NELEM(c));

		CF_EXPECT_EQ(cf_interp_compile(ch, b, &p, NULL, NULL), CF_OK,
		    rows[i].what);
		if (p == NULL) {
			cf_chan_free(ch);
			continue;
		}
		obs.ctx = &log;
		CF_EXPECT_EQ(cf_interp_run_event_obs(
		                 p, ev, CF_INTERP_ALL, &obs, NULL, NULL, &st),
		    CF_OK, rows[i].what);
		CF_EXPECT_EQ(log.n, rows[i].seen, rows[i].what);
		CF_EXPECT_EQ(st.inputs_read, 1 + rows[i].reads, rows[i].what);
		CF_EXPECT_EQ(st.oob_refused, rows[i].oob_refused, rows[i].what);
		CF_EXPECT_EQ(
		    st.bounds_refused, rows[i].bounds_refused, rows[i].what);
		CF_EXPECT_EQ(st.hits, rows[i].hits, rows[i].what);
		if (log.n > 0) {
			CF_EXPECT(
			    log.last.build == b, "%s: build", rows[i].what);
			CF_EXPECT(log.last.tmpl == cf_tmpl_by_id(CF_TMPL_IPC),
			    "%s: template", rows[i].what);
			CF_EXPECT_EQ(log.last.instance, 0, rows[i].what);
			CF_EXPECT_EQ(log.last.instance_id, 100, rows[i].what);
			CF_EXPECT_EQ(log.last.criterion, 1, rows[i].what);
			CF_EXPECT_EQ(
			    log.last.field, rows[i].field, rows[i].what);
			CF_EXPECT_EQ(log.last.supplied, 20, rows[i].what);
			CF_EXPECT_EQ(log.last.op, rows[i].op, rows[i].what);
			CF_EXPECT_EQ(
			    log.last.fault, !rows[i].checked, rows[i].what);
		}
		/* Without an observer, a checked build still refuses. */
		if (rows[i].checked) {
			cf_eval_stats st2 = { 0 };
			CF_EXPECT_EQ(
			    cf_interp_run_event(p, ev, NULL, NULL, &st2), CF_OK,
			    rows[i].what);
			CF_EXPECT_EQ(st2.bounds_refused, 1, rows[i].what);
		}
		cf_interp_free(p);
		cf_chan_free(ch);
	}
}

/* Instances that are not evaluated: flag clear, regex that does not
 * compile; and template types that do not exist. */
static void
test_compile_rejects(void)
{
	static const uint32_t bad_tmpl[] = { 0, CF_TMPL_MAX_ID + 1,
		0xFFFFFFFF };
	const struct crit ok[] = { STR_C(0, CF_OP_CONTAINS, 0, "pipe") };
	const struct crit bad_re[] = {
		STR_C(0, CF_OP_REGEX, 0, "pipe"),
		STR_C(1, CF_OP_REGEX, 0, "("),
	};
	const cf_event *ev = sample_of(CF_TMPL_IPC);
	cf_eval_stats st = { 0 };
	cf_compile_stats cs = { 0 };
	cf_program *p;
	cf_chan *ch = empty_model(CF_TMPL_IPC);

	add_inst(ch, 1, CF_ACT_LOG, 0, ok, NELEM(ok));
	add_inst(ch, 2, CF_ACT_LOG, CF_INST_ENABLED, bad_re, NELEM(bad_re));
	add_inst(ch, 3, CF_ACT_LOG, CF_INST_ENABLED, ok, NELEM(ok));
	if ((p = compile(ch, "7.16", &cs)) != NULL && ev != NULL) {
		CF_EXPECT_EQ(cs.instances, 3, "rejects: instances");
		CF_EXPECT_EQ(cs.enabled, 1, "rejects: enabled");
		CF_EXPECT_EQ(cs.disabled_flag, 1, "rejects: flag clear");
		CF_EXPECT_EQ(cs.rejected_regex, 1, "rejects: regex \"(\"");
		CF_EXPECT_EQ(cs.rejected_fields, 0, "rejects: fields");
		CF_EXPECT_EQ(cf_interp_run_event(p, ev, NULL, NULL, &st), CF_OK,
		    "rejects run");
		CF_EXPECT_EQ(st.instances, 1, "rejects: evaluated");
		CF_EXPECT_EQ(st.criteria, 1, "rejects: criteria");
		CF_EXPECT_EQ(st.re_steps, 0, "rejects: no regex ran");
		CF_EXPECT_EQ(st.hits, 1, "rejects: hits");
	}
	cf_interp_free(p);
	cf_chan_free(ch);

	for (size_t i = 0; i < NELEM(bad_tmpl); i++) {
		cf_diag d = { 0 };
		int rc;

		ch = model(bad_tmpl[i], ok, NELEM(ok));
		p = (cf_program *)(uintptr_t)1; /* must be reset */
		rc = cf_interp_compile(
		    ch, cf_build_by_name("7.16"), &p, NULL, &d);
		CF_EXPECT(rc == CF_E_TEMPLATE_UNKNOWN,
		    "template %u: rc %d, want %d", bad_tmpl[i], rc,
		    CF_E_TEMPLATE_UNKNOWN);
		CF_EXPECT(p == NULL, "template %u: no program", bad_tmpl[i]);
		CF_EXPECT_EQ(d.code, CF_E_TEMPLATE_UNKNOWN, "unknown diag");
		cf_chan_free(ch);
	}
}

/* Events of another template type are ignored; an instance with no
 * criteria matches every event of its type; an empty file matches none. */
static void
test_events_and_empty(void)
{
	const cf_event *ipc = sample_of(CF_TMPL_IPC);
	const cf_event *proc = sample_of(CF_TMPL_PROCESS_CREATE);
	cf_eval_stats st = { 0 };
	struct hits h = { 0 };
	cf_compile_stats cs = { 0 };
	cf_program *p;
	cf_chan *ch = model(CF_TMPL_IPC, NULL, 0);

	if (ipc == NULL || proc == NULL) {
		CF_EXPECT(0, "samples missing");
		cf_chan_free(ch);
		return;
	}
	if ((p = compile(ch, "7.11", &cs)) != NULL) {
		CF_EXPECT_EQ(cs.enabled, 1, "no criteria: enabled");
		CF_EXPECT_EQ(cf_interp_run_event(p, proc, on_hit, &h, &st),
		    CF_OK, "other template");
		CF_EXPECT_EQ(st.instances, 0, "other template: instances");
		CF_EXPECT_EQ(st.hits, 0, "other template: hits");
		CF_EXPECT_EQ(h.n, 0, "other template: callbacks");
		CF_EXPECT_EQ(cf_interp_run_event(p, ipc, on_hit, &h, &st),
		    CF_OK, "no criteria run");
		CF_EXPECT_EQ(st.instances, 1, "no criteria: instances");
		CF_EXPECT_EQ(st.criteria, 0, "no criteria: criteria");
		CF_EXPECT_EQ(st.inputs_read, 0, "no criteria: reads");
		CF_EXPECT_EQ(st.hits, 1, "no criteria: hits");
		CF_EXPECT_EQ(h.n, 1, "no criteria: callbacks");
		CF_EXPECT_EQ(h.h[0].instance_id, 100, "no criteria: id");
		/* fn and st may both be NULL. */
		CF_EXPECT_EQ(cf_interp_run_event(p, ipc, NULL, NULL, NULL),
		    CF_OK, "NULL fn and stats");
	}
	cf_interp_free(p);
	cf_chan_free(ch);

	ch = empty_model(CF_TMPL_IPC);
	memset(&st, 0, sizeof(st));
	if ((p = compile(ch, "7.16", &cs)) != NULL) {
		CF_EXPECT_EQ(cs.instances, 0, "empty file: instances");
		CF_EXPECT_EQ(cs.enabled, 0, "empty file: enabled");
		CF_EXPECT_EQ(cf_interp_run_event(p, ipc, NULL, NULL, &st),
		    CF_OK, "empty file run");
		CF_EXPECT_EQ(st.instances, 0, "empty file: evaluated");
		CF_EXPECT_EQ(st.hits, 0, "empty file: hits");
	}
	cf_interp_free(p);
	cf_chan_free(ch);
}

/* The callback gets each matching instance's index, id and action, in
 * file order, skipping disabled and non-matching instances. */
static void
test_hit_callback(void)
{
	const struct crit yes[] = { STR_C(0, CF_OP_PREFIX, 0, "\\\\.") };
	const struct crit no[] = { STR_C(0, CF_OP_PREFIX, 0, "C:") };
	const cf_event *ev = sample_of(CF_TMPL_IPC);
	cf_eval_stats st = { 0 };
	struct hits h = { 0 };
	cf_program *p;
	cf_chan *ch = empty_model(CF_TMPL_IPC);

	add_inst(ch, 7, CF_ACT_LOG, CF_INST_ENABLED, yes, 1);
	add_inst(ch, 8, CF_ACT_BLOCK, 0, yes, 1);
	add_inst(ch, 9, CF_ACT_KILL, CF_INST_ENABLED, no, 1);
	add_inst(ch, 0xFFFFFFFF, CF_ACT_KILL, CF_INST_ENABLED, yes, 1);
	if ((p = compile(ch, "7.16", NULL)) != NULL && ev != NULL) {
		CF_EXPECT_EQ(cf_interp_run_event(p, ev, on_hit, &h, &st), CF_OK,
		    "callback run");
		CF_EXPECT_EQ(st.instances, 3, "callback: evaluated");
		CF_EXPECT_EQ(st.hits, 2, "callback: hits");
		CF_EXPECT_EQ(h.n, 2, "callback: calls");
		CF_EXPECT_EQ(h.h[0].instance_index, 0, "hit 0 index");
		CF_EXPECT_EQ(h.h[0].instance_id, 7, "hit 0 id");
		CF_EXPECT_EQ(h.h[0].action, CF_ACT_LOG, "hit 0 action");
		CF_EXPECT_EQ(h.h[1].instance_index, 3, "hit 1 index");
		CF_EXPECT_EQ(h.h[1].instance_id, 0xFFFFFFFF, "hit 1 id");
		CF_EXPECT_EQ(h.h[1].action, CF_ACT_KILL, "hit 1 action");
	}
	cf_interp_free(p);
	cf_chan_free(ch);
}

/* cf_interp_run_event_on evaluates one instance: its hit only, nothing
 * for a disabled or non-matching one, CF_E_ARG past the last. */
static void
test_run_event_on(void)
{
	const struct crit yes[] = { STR_C(0, CF_OP_PREFIX, 0, "\\\\.") };
	const struct crit no[] = { STR_C(0, CF_OP_PREFIX, 0, "C:") };
	const cf_event *ev = sample_of(CF_TMPL_IPC);
	const cf_event *proc = sample_of(CF_TMPL_PROCESS_CREATE);
	cf_program *p;
	cf_chan *ch = empty_model(CF_TMPL_IPC);

	add_inst(ch, 7, CF_ACT_LOG, CF_INST_ENABLED, yes, 1);
	add_inst(ch, 8, CF_ACT_BLOCK, 0, yes, 1);
	add_inst(ch, 9, CF_ACT_KILL, CF_INST_ENABLED, no, 1);
	add_inst(ch, 10, CF_ACT_BLOCK, CF_INST_ENABLED, yes, 1);
	if ((p = compile(ch, "7.16", NULL)) != NULL && ev != NULL &&
	    proc != NULL) {
		static const struct {
			uint32_t i;
			int rc;
			uint64_t evaluated, hits;
			uint32_t id;
		} tab[] = {
			{ 0, CF_OK, 1, 1, 7 },
			{ 1, CF_OK, 0, 0, 0 },
			{ 2, CF_OK, 1, 0, 0 },
			{ 3, CF_OK, 1, 1, 10 },
			{ 4, CF_E_ARG, 0, 0, 0 },
			{ 0xFFFFFFFFu, CF_E_ARG, 0, 0, 0 },
		};
		for (size_t k = 0; k < sizeof(tab) / sizeof(tab[0]); k++) {
			cf_eval_stats st = { 0 };
			struct hits h = { 0 };
			char what[48];

			snprintf(
			    what, sizeof(what), "run_event_on %u", tab[k].i);
			CF_EXPECT_EQ(cf_interp_run_event_on(
			                 p, ev, tab[k].i, on_hit, &h, &st),
			    tab[k].rc, what);
			CF_EXPECT_EQ(st.instances, tab[k].evaluated, what);
			CF_EXPECT_EQ(st.hits, tab[k].hits, what);
			CF_EXPECT_EQ(h.n, tab[k].hits, what);
			if (h.n == 1) {
				CF_EXPECT_EQ(
				    h.h[0].instance_index, tab[k].i, what);
				CF_EXPECT_EQ(
				    h.h[0].instance_id, tab[k].id, what);
			}
		}
		{
			cf_eval_stats st = { 0 };

			CF_EXPECT_EQ(
			    cf_interp_run_event_on(p, proc, 0, NULL, NULL, &st),
			    CF_OK, "on: other template");
			CF_EXPECT_EQ(st.instances, 0, "on: other template");
		}
	}
	cf_interp_free(p);
	cf_chan_free(ch);
}

/* The same input gives the same stats; stats accumulate across calls. */
static void
test_determinism(void)
{
	const struct crit a[] = {
		STR_C(0, CF_OP_REGEX, ICASE, "PIPE\\\\msrpc_\\w+$"),
		INT_C(3, CF_OP_INT_RANGE, 0, 1, 5000),
		INT_C(7, CF_OP_FLAGS_ALL, 0, 0x3, 0),
	};
	const struct crit b[] = {
		STR_C(20, CF_OP_REGEX, 0, "(a|b)*z"),
	};
	const cf_event *ev = sample_of(CF_TMPL_IPC);
	cf_eval_stats s1 = { 0 }, s2 = { 0 }, acc = { 0 };
	cf_program *p;
	cf_chan *ch = model(CF_TMPL_IPC, a, NELEM(a));

	add_inst(ch, 101, CF_ACT_LOG, CF_INST_ENABLED, b, NELEM(b));
	if ((p = compile(ch, "7.16", NULL)) != NULL && ev != NULL) {
		CF_EXPECT_EQ(cf_interp_run_event(p, ev, NULL, NULL, &s1), CF_OK,
		    "determinism run 1");
		CF_EXPECT_EQ(cf_interp_run_event(p, ev, NULL, NULL, &s2), CF_OK,
		    "determinism run 2");
		CF_EXPECT(memcmp(&s1, &s2, sizeof(s1)) == 0,
		    "two runs give identical stats");
		CF_EXPECT_EQ(s1.instances, 2, "determinism: instances");
		CF_EXPECT_EQ(s1.criteria, 4, "determinism: criteria");
		CF_EXPECT_EQ(s1.inputs_read, 4, "determinism: reads");
		CF_EXPECT_EQ(s1.hits, 1, "determinism: hits");
		CF_EXPECT(s1.re_steps > 0, "determinism: regex steps");
		cf_interp_run_event(p, ev, NULL, NULL, &acc);
		cf_interp_run_event(p, ev, NULL, NULL, &acc);
		CF_EXPECT(acc.criteria == 2 * s1.criteria &&
		        acc.re_steps == 2 * s1.re_steps &&
		        acc.hits == 2 * s1.hits,
		    "stats accumulate");
	}
	cf_interp_free(p);
	cf_chan_free(ch);
}

/* Every sample has one value per declared field, of the field's type;
 * every template type has a sample. */
static void
test_samples(void)
{
	unsigned per_tmpl[CF_TMPL_MAX_ID + 1] = { 0 };
	size_t n = cf_event_sample_count();

	CF_EXPECT(n >= cf_tmpl_count(), "%zu samples", n);
	CF_EXPECT(cf_event_sample_at(n) == NULL, "sample past the end");
	for (size_t i = 0; i < n; i++) {
		const cf_event *ev = cf_event_sample_at(i);
		const cf_tmpl *t = cf_tmpl_by_id(ev->tmpl_id);

		CF_EXPECT(
		    t != NULL, "sample %s: template %u", ev->name, ev->tmpl_id);
		if (t == NULL)
			continue;
		per_tmpl[t->id]++;
		CF_EXPECT(ev->nvalues == t->nfields,
		    "sample %s: %u values, %s declares %u", ev->name,
		    ev->nvalues, t->name, t->nfields);
		for (uint32_t f = 0; f < ev->nvalues && f < t->nfields; f++) {
			uint32_t want = t->fields[f].type == CF_FT_STR
			    ? CF_VT_STR
			    : CF_VT_INT;
			CF_EXPECT(ev->values[f].type == want,
			    "sample %s field %u (%s): type %u, want %u",
			    ev->name, f, t->fields[f].name, ev->values[f].type,
			    want);
		}
	}
	for (size_t i = 0; i < cf_tmpl_count(); i++)
		CF_EXPECT(per_tmpl[cf_tmpl_at(i)->id] >= 1,
		    "template %s has a sample", cf_tmpl_at(i)->name);
}

/* Template and build tables (FORMAT.md 5 and 6). */
static void
test_tables(void)
{
	const cf_tmpl *ipc = cf_tmpl_by_id(CF_TMPL_IPC);
	const cf_build *b711 = cf_build_by_name("7.11");
	const cf_build *b716 = cf_build_by_name("7.16");

	CF_EXPECT(ipc != NULL && b711 != NULL && b716 != NULL, "tables");
	if (ipc == NULL || b711 == NULL || b716 == NULL)
		return;
	CF_EXPECT_EQ(ipc->nfields, 21, "IPC fields");
	CF_EXPECT_EQ(ipc->channel, 291, "IPC channel");
	CF_EXPECT(strcmp(ipc->fields[20].name, "rpc_binding") == 0,
	    "IPC field 20 is %s", ipc->fields[20].name);
	CF_EXPECT_EQ(cf_tmpl_count(), CF_TMPL_MAX_ID, "template count");
	CF_EXPECT(cf_tmpl_at(cf_tmpl_count()) == NULL, "template past end");
	CF_EXPECT(cf_tmpl_by_id(0) == NULL, "template id 0");
	CF_EXPECT(cf_tmpl_by_id(CF_TMPL_MAX_ID + 1) == NULL, "template id 6");
	CF_EXPECT_EQ(cf_build_supplied(b711, CF_TMPL_IPC), 20, "7.11 IPC");
	CF_EXPECT_EQ(b711->checks, 0, "7.11 checks");
	CF_EXPECT_EQ(cf_build_supplied(b716, CF_TMPL_IPC), 21, "7.16 IPC");
	CF_EXPECT_EQ(b716->checks,
	    CF_CHECK_RUNTIME_BOUNDS | CF_CHECK_COMPILE_FIELDS, "7.16 checks");
	CF_EXPECT(cf_build_by_name("7.12") == NULL, "unknown build");
	CF_EXPECT(cf_build_at(cf_build_count()) == NULL, "build past end");
	CF_EXPECT_EQ(cf_build_supplied(b716, 0), 0, "supplied for id 0");
	CF_EXPECT_EQ(cf_build_supplied(b716, CF_TMPL_MAX_ID + 1), 0,
	    "supplied for id 6");
	CF_EXPECT_EQ(cf_build_supplied(NULL, CF_TMPL_IPC), 0, "NULL build");
	for (size_t i = 0; i < cf_build_count(); i++) {
		const cf_build *b = cf_build_at(i);
		for (size_t j = 0; j < cf_tmpl_count(); j++) {
			const cf_tmpl *t = cf_tmpl_at(j);
			uint32_t n = cf_build_supplied(b, t->id);
			/* Only 7.11's IPC integration falls short (20 of 21).
			 */
			uint32_t want = b == b711 && t->id == CF_TMPL_IPC
			    ? t->nfields - 1
			    : t->nfields;
			CF_EXPECT(n >= 1 && n <= t->nfields,
			    "build %s supplies %u of %s's %u fields", b->name,
			    n, t->name, t->nfields);
			CF_EXPECT(n == want,
			    "build %s: %s supplied %u, want %u", b->name,
			    t->name, n, want);
			CF_EXPECT(
			    t->nfields <= CF_MAX_FIELDS, "%s fields", t->name);
		}
	}
}

int
main(void)
{
	test_operators();
	test_wildcard_711();
	test_short_circuit();
	test_cf291_on_716();
	test_compile_fields();
	test_compile_fields_instance();
	test_runtime_bounds();
	test_custom_builds();
	test_oob_observer();
	test_compile_rejects();
	test_events_and_empty();
	test_hit_callback();
	test_run_event_on();
	test_determinism();
	test_samples();
	test_tables();
	return cf_test_finish("interp");
}
