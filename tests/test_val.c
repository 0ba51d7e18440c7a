/*
 * test_val.c - table-driven tests of the Content Validator (cf_val.h), in
 * both versions: CF_VAL_2024, which checks field indexes against the
 * template's declared count only (and so passes CF-291), and
 * CF_VAL_CURRENT, which also checks every sensor build's supplied count,
 * operator/field type, modifiers, regexes, operands, channel, instance ids
 * and string references (docs/FORMAT.md 1.5, 4, 5, 6).
 *
 * Each row builds a model with the cf_chan builders: a harmless instance
 * (index 0, id 50) and the instance under test (index 1, id 100) whose
 * criterion 1 is the row's, after a WILDCARD at criterion 0, so that every
 * problem's instance, id and criterion are checked against non-zero
 * values. Each case asserts cf_val_check's return code and the report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cf_chan.h"
#include "cf_error.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_test.h"
#include "cf_tmpl.h"
#include "cf_val.h"

#define ICASE CF_MOD_ICASE
#define NEG CF_MOD_NEGATE
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define IPC CF_TMPL_IPC
#define PROC CF_TMPL_PROCESS_CREATE
#define F_PIPE 0     /* IPC pipe_name, str */
#define F_PID 3      /* IPC client_pid, int */
#define F_MASK 7     /* IPC access_mask, flags */
#define F_BINDING 20 /* IPC rpc_binding, str: the 21st field */

/* One criterion. s is the string operand (NULL: CF_NO_STRING); when
 * along is non-zero the operand is instead along bytes of 'a'. */
struct crit {
	uint16_t field;
	uint8_t op;
	uint8_t mods;
	const char *s;
	uint64_t a, b;
	size_t along;
};

#define STR_C(f, op, m, s)           \
	{                            \
		f, op, m, s, 0, 0, 0 \
	}
#define INT_C(f, op, m, a, b)           \
	{                               \
		f, op, m, NULL, a, b, 0 \
	}
#define LONG_C(f, n)                             \
	{                                        \
		f, CF_OP_REGEX, 0, NULL, 0, 0, n \
	}

static void
add_inst(
    cf_chan *ch, uint32_t id, uint16_t flags, const struct crit *c, size_t n)
{
	uint32_t idx;

	if (cf_chan_add_instance(ch, id, CF_ACT_DETECT, flags, &idx) != CF_OK)
		abort();
	for (size_t k = 0; k < n; k++) {
		cf_criterion cr = { c[k].field, c[k].op, c[k].mods,
			CF_NO_STRING, c[k].a, c[k].b };
		int rc = CF_OK;

		if (c[k].along != 0) {
			uint8_t *buf = cf_mem_alloc(c[k].along);
			if (buf == NULL)
				abort();
			memset(buf, 'a', c[k].along);
			rc = cf_chan_add_string(ch, buf, c[k].along, &cr.str);
			cf_mem_free(buf);
		} else if (c[k].s != NULL) {
			rc = cf_chan_add_string(ch, (const uint8_t *)c[k].s,
			    strlen(c[k].s), &cr.str);
		}
		if (rc != CF_OK || cf_chan_add_criterion(ch, idx, &cr) != CF_OK)
			abort();
	}
}

static cf_chan *
bare_model(uint32_t tmpl, uint32_t channel)
{
	cf_chan *ch = cf_chan_new();

	if (ch == NULL)
		abort();
	ch->channel = channel;
	ch->content_version = 20240719;
	ch->template_type = tmpl;
	return ch;
}

/* Instance 0 (id 50): a clean PREFIX on field 0 (a str field in every
 * template). Instance 1 (id 100): WILDCARD on field 0, then c. */
static cf_chan *
model(uint32_t tmpl, uint32_t channel, const struct crit *c)
{
	const struct crit ok = STR_C(0, CF_OP_PREFIX, 0, "C:");
	struct crit two[2] = { INT_C(0, CF_OP_WILDCARD, 0, 0, 0), *c };
	cf_chan *ch = bare_model(tmpl, channel);

	add_inst(ch, 50, CF_INST_ENABLED, &ok, 1);
	add_inst(ch, 100, CF_INST_ENABLED, two, 2);
	return ch;
}

static const char *
vname(cf_val_version v)
{
	return v == CF_VAL_2024 ? "2024" : "current";
}

/* The problem must be printable, one line, non-empty. */
static void
expect_why(const cf_val_problem *p, const char *what)
{
	size_t n = strnlen(p->why, sizeof(p->why));
	int ok = n > 0 && n < sizeof(p->why);

	for (size_t i = 0; ok && i < n; i++)
		ok = p->why[i] >= 0x20 && p->why[i] <= 0x7E;
	CF_EXPECT(ok, "%s: why is not one printable line", what);
}

/* Check ch with v: want is 0 for accepted, else the code of the single
 * problem expected at (inst, id, crit, field); inst -1 is file level. */
static void
expect_one(const cf_chan *ch, cf_val_version v, int want, int32_t inst,
    uint32_t id, int32_t crit, int32_t field, const char *what)
{
	cf_val_report *rep = cf_mem_alloc(sizeof(*rep));
	int rc;

	if (rep == NULL)
		abort();
	/* Stale content from an earlier report must be cleared. */
	memset(rep, 0x5A, sizeof(*rep));
	rc = cf_val_check(ch, v, rep);
	if (want == 0) {
		CF_EXPECT(rc == CF_OK, "%s [%s]: rc %d, want accepted", what,
		    vname(v), rc);
		CF_EXPECT(rep->nproblems == 0 && rep->nstored == 0,
		    "%s [%s]: %u problems (first %d)", what, vname(v),
		    rep->nproblems, rep->nstored ? rep->p[0].code : 0);
	} else {
		const cf_val_problem *p = &rep->p[0];
		CF_EXPECT(rc == CF_E_REJECTED, "%s [%s]: rc %d, want rejected",
		    what, vname(v), rc);
		CF_EXPECT(rep->nproblems == 1 && rep->nstored == 1,
		    "%s [%s]: %u problems, %u stored, want 1", what, vname(v),
		    rep->nproblems, rep->nstored);
		CF_EXPECT(p->code == want,
		    "%s [%s]: code %d (%s), want %d (%s)", what, vname(v),
		    p->code, cf_err_name(p->code), want, cf_err_name(want));
		CF_EXPECT(p->instance == inst, "%s [%s]: instance %d, want %d",
		    what, vname(v), p->instance, inst);
		CF_EXPECT(p->instance_id == id,
		    "%s [%s]: instance_id %u, want %u", what, vname(v),
		    p->instance_id, id);
		CF_EXPECT(p->criterion == crit,
		    "%s [%s]: criterion %d, want %d", what, vname(v),
		    p->criterion, crit);
		CF_EXPECT(p->field == field, "%s [%s]: field %d, want %d", what,
		    vname(v), p->field, field);
		expect_why(p, what);
	}
	cf_mem_free(rep);
}

struct row {
	const char *what;
	uint32_t tmpl;
	uint32_t channel;
	struct crit c;
	int want2024; /* 0 accepted, else the single problem's code */
	int want_cur;
};

static const struct row rows[] = {
	/* CF-291: a non-wildcard criterion on IPC's 21st field. 2024 passes
	 * it (21 fields declared); current knows 7.11 supplies 20. */
	{ "cf291 regex on field 20", IPC, 291,
	    STR_C(F_BINDING, CF_OP_REGEX, 0, "^ncacn_np:.*\\[.*\\]$"), 0,
	    CF_E_FIELD_UNSUPPLIED },
	{ "cf291 equals on field 20", IPC, 291,
	    STR_C(F_BINDING, CF_OP_EQUALS, 0, "x"), 0, CF_E_FIELD_UNSUPPLIED },
	{ "cf291 negated on field 20", IPC, 291,
	    STR_C(F_BINDING, CF_OP_CONTAINS, NEG, "x"), 0,
	    CF_E_FIELD_UNSUPPLIED },
	/* As shipped before 19 July: a wildcard there is never read. */
	{ "wildcard on field 20", IPC, 291,
	    INT_C(F_BINDING, CF_OP_WILDCARD, 0, 0, 0), 0, 0 },
	{ "regex on field 19", IPC, 291, STR_C(19, CF_OP_REGEX, 0, "-"), 0, 0 },

	/* Field index against the declared count: 21 is one past IPC's. */
	{ "field 21 = nfields", IPC, 291, STR_C(21, CF_OP_EQUALS, 0, "x"),
	    CF_E_FIELD_RANGE, CF_E_FIELD_RANGE },
	{ "wildcard field 21", IPC, 291, INT_C(21, CF_OP_WILDCARD, 0, 0, 0),
	    CF_E_FIELD_RANGE, CF_E_FIELD_RANGE },
	{ "field 0xFFFF", IPC, 291, STR_C(0xFFFF, CF_OP_EQUALS, 0, "x"),
	    CF_E_FIELD_RANGE, CF_E_FIELD_RANGE },
	{ "field 9 of ProcessCreate (last)", PROC, 262,
	    STR_C(9, CF_OP_EQUALS, 0, "x"), 0, 0 },
	{ "field 10 of ProcessCreate", PROC, 262,
	    STR_C(10, CF_OP_EQUALS, 0, "x"), CF_E_FIELD_RANGE,
	    CF_E_FIELD_RANGE },
	{ "field 20 of ProcessCreate", PROC, 262,
	    STR_C(20, CF_OP_REGEX, 0, "x"), CF_E_FIELD_RANGE,
	    CF_E_FIELD_RANGE },

	/* Channel number against the template type. */
	{ "IPC on channel 290", IPC, 290, STR_C(F_PIPE, CF_OP_PREFIX, 0, "x"),
	    0, CF_E_CHANNEL_MISMATCH },
	{ "IPC on ProcessCreate's channel", IPC, 262,
	    STR_C(F_PIPE, CF_OP_PREFIX, 0, "x"), 0, CF_E_CHANNEL_MISMATCH },
	{ "ProcessCreate on 291", PROC, 291, STR_C(0, CF_OP_PREFIX, 0, "x"), 0,
	    CF_E_CHANNEL_MISMATCH },

	/* Operator against field type. */
	{ "regex on int field", IPC, 291, STR_C(F_PID, CF_OP_REGEX, 0, "1"), 0,
	    CF_E_FIELD_TYPE },
	{ "equals on flags field", IPC, 291,
	    STR_C(F_MASK, CF_OP_EQUALS, 0, "1"), 0, CF_E_FIELD_TYPE },
	{ "int-range on str field", IPC, 291,
	    INT_C(F_PIPE, CF_OP_INT_RANGE, 0, 1, 2), 0, CF_E_FIELD_TYPE },
	{ "int-range on flags field", IPC, 291,
	    INT_C(F_MASK, CF_OP_INT_RANGE, 0, 1, 2), 0, CF_E_FIELD_TYPE },
	{ "flags-any on int field", IPC, 291,
	    INT_C(F_PID, CF_OP_FLAGS_ANY, 0, 1, 0), 0, CF_E_FIELD_TYPE },
	{ "int-eq on str field", IPC, 291, INT_C(F_PIPE, CF_OP_INT_EQ, 0, 1, 0),
	    0, CF_E_FIELD_TYPE },
	{ "int-eq on flags field", IPC, 291,
	    INT_C(F_MASK, CF_OP_INT_EQ, 0, 1, 0), 0, 0 },
	{ "flags-all on flags field", IPC, 291,
	    INT_C(F_MASK, CF_OP_FLAGS_ALL, 0, 3, 0), 0, 0 },
	{ "int-range on int field", IPC, 291,
	    INT_C(F_PID, CF_OP_INT_RANGE, 0, 0, UINT64_MAX), 0, 0 },
	{ "wildcard on int field", IPC, 291,
	    INT_C(F_PID, CF_OP_WILDCARD, NEG, 0, 0), 0, 0 },

	/* ICASE only on string operators. */
	{ "icase on int-eq", IPC, 291, INT_C(F_PID, CF_OP_INT_EQ, ICASE, 1, 0),
	    0, CF_E_MODIFIER },
	{ "icase on flags-any", IPC, 291,
	    INT_C(F_MASK, CF_OP_FLAGS_ANY, ICASE, 1, 0), 0, CF_E_MODIFIER },
	{ "icase on wildcard", IPC, 291,
	    INT_C(F_PIPE, CF_OP_WILDCARD, ICASE, 0, 0), 0, CF_E_MODIFIER },
	{ "icase on prefix", IPC, 291,
	    STR_C(F_PIPE, CF_OP_PREFIX, ICASE | NEG, "x"), 0, 0 },
	{ "icase on regex", IPC, 291, STR_C(F_PIPE, CF_OP_REGEX, ICASE, "x"), 0,
	    0 },

	/* Regexes compile within the limits (docs/FORMAT.md 4). */
	{ "regex (", IPC, 291, STR_C(F_PIPE, CF_OP_REGEX, 0, "("), 0,
	    CF_E_RE_SYNTAX },
	{ "regex [", IPC, 291, STR_C(F_PIPE, CF_OP_REGEX, 0, "[a"), 0,
	    CF_E_RE_SYNTAX },
	{ "regex *", IPC, 291, STR_C(F_PIPE, CF_OP_REGEX, 0, "*"), 0,
	    CF_E_RE_SYNTAX },
	{ "regex of max length", IPC, 291, LONG_C(F_PIPE, CF_RE_MAX_PATTERN), 0,
	    0 },
	{ "regex of max length + 1", IPC, 291,
	    LONG_C(F_PIPE, CF_RE_MAX_PATTERN + 1), 0, CF_E_RE_TOO_LONG },
	{ "regex a{1000}", IPC, 291, STR_C(F_PIPE, CF_OP_REGEX, 0, "a{1000}"),
	    0, 0 },
	{ "regex a{1001}", IPC, 291, STR_C(F_PIPE, CF_OP_REGEX, 0, "a{1001}"),
	    0, CF_E_RE_REPEAT },
	{ "regex a{0,1001}", IPC, 291,
	    STR_C(F_PIPE, CF_OP_REGEX, 0, "a{0,1001}"), 0, CF_E_RE_REPEAT },

	/* Operand sanity. */
	{ "int-range low > high", IPC, 291,
	    INT_C(F_PID, CF_OP_INT_RANGE, 0, 5, 4), 0, CF_E_INT_RANGE },
	{ "int-range max > 0", IPC, 291,
	    INT_C(F_PID, CF_OP_INT_RANGE, 0, UINT64_MAX, 0), 0,
	    CF_E_INT_RANGE },
	{ "int-range low = high", IPC, 291,
	    INT_C(F_PID, CF_OP_INT_RANGE, 0, 5, 5), 0, 0 },
	{ "empty contains", IPC, 291, STR_C(F_PIPE, CF_OP_CONTAINS, 0, ""), 0,
	    CF_E_EMPTY_OPERAND },
	{ "empty prefix", IPC, 291, STR_C(F_PIPE, CF_OP_PREFIX, 0, ""), 0,
	    CF_E_EMPTY_OPERAND },
	{ "empty suffix", IPC, 291, STR_C(F_PIPE, CF_OP_SUFFIX, ICASE, ""), 0,
	    CF_E_EMPTY_OPERAND },
	{ "empty regex", IPC, 291, STR_C(F_PIPE, CF_OP_REGEX, 0, ""), 0,
	    CF_E_EMPTY_OPERAND },
	{ "empty equals", IPC, 291, STR_C(F_PIPE, CF_OP_EQUALS, 0, ""), 0, 0 },
	{ "one-byte contains", IPC, 291, STR_C(F_PIPE, CF_OP_CONTAINS, 0, "x"),
	    0, 0 },
	{ "flags-any mask 0", IPC, 291, INT_C(F_MASK, CF_OP_FLAGS_ANY, 0, 0, 0),
	    0, CF_E_EMPTY_OPERAND },
	{ "flags-all mask 0", IPC, 291, INT_C(F_MASK, CF_OP_FLAGS_ALL, 0, 0, 0),
	    0, CF_E_EMPTY_OPERAND },
	{ "flags-any mask 1", IPC, 291, INT_C(F_MASK, CF_OP_FLAGS_ANY, 0, 1, 0),
	    0, 0 },
	{ "int-eq 0 on flags", IPC, 291, INT_C(F_MASK, CF_OP_INT_EQ, 0, 0, 0),
	    0, 0 },

	/* Hand-built criteria the parser would refuse: current re-checks
	 * them (cf_chan_check_criterion), 2024 looks at field indexes only. */
	{ "equals with no string", IPC, 291,
	    INT_C(F_PIPE, CF_OP_EQUALS, 0, 0, 0), 0, CF_E_STRREF },
	{ "wildcard with operand", IPC, 291,
	    INT_C(F_PIPE, CF_OP_WILDCARD, 0, 1, 0), 0, CF_E_OPERAND },
	{ "int-eq with b", IPC, 291, INT_C(F_PID, CF_OP_INT_EQ, 0, 1, 1), 0,
	    CF_E_OPERAND },
	{ "operator 10", IPC, 291, INT_C(F_PIPE, CF_OP_COUNT, 0, 0, 0), 0,
	    CF_E_OPERATOR },
	{ "operator 255", IPC, 291, INT_C(F_PIPE, 255, 0, 0, 0), 0,
	    CF_E_OPERATOR },
	{ "modifier bit 2", IPC, 291, STR_C(F_PIPE, CF_OP_EQUALS, 4, "x"), 0,
	    CF_E_MODIFIER },
};

static void
test_rows(void)
{
	for (size_t i = 0; i < NELEM(rows); i++) {
		const struct row *r = &rows[i];
		cf_chan *ch = model(r->tmpl, r->channel, &r->c);
		/* The channel is the only file-level problem in the table. */
		int file = r->want_cur == CF_E_CHANNEL_MISMATCH;
		int32_t inst = file ? -1 : 1;
		int32_t crit = file ? -1 : 1;
		int32_t field = file ? -1 : r->c.field;
		uint32_t id = file ? 0 : 100;

		expect_one(ch, CF_VAL_2024, r->want2024, inst, id, crit, field,
		    r->what);
		expect_one(ch, CF_VAL_CURRENT, r->want_cur, inst, id, crit,
		    field, r->what);
		cf_chan_free(ch);
	}
}

/* CF-291 in full: the current validator names the build and its count. */
static void
test_cf291_why(void)
{
	const struct crit c =
	    STR_C(F_BINDING, CF_OP_REGEX, 0, "^ncacn_np:.*\\[.*\\]$");
	cf_chan *ch = model(IPC, 291, &c);
	cf_val_report rep;

	CF_EXPECT_EQ(cf_val_check(ch, CF_VAL_CURRENT, &rep), CF_E_REJECTED,
	    "cf291 current");
	CF_EXPECT_EQ(rep.nproblems, 1, "cf291 problems");
	CF_EXPECT(strstr(rep.p[0].why, "7.11") != NULL,
	    "cf291 why names 7.11: %s", rep.p[0].why);
	CF_EXPECT(strstr(rep.p[0].why, "20 inputs") != NULL,
	    "cf291 why says 20 inputs: %s", rep.p[0].why);
	CF_EXPECT(strstr(rep.p[0].why, "7.16") == NULL,
	    "cf291 why does not blame 7.16: %s", rep.p[0].why);
	CF_EXPECT_EQ(cf_val_check(ch, CF_VAL_2024, &rep), CF_OK, "cf291 2024");
	CF_EXPECT_EQ(rep.nproblems, 0, "cf291 2024 problems reset");
	cf_chan_free(ch);
}

/* Template types that do not exist: both validators, one file-level
 * problem, and nothing else is looked at. */
static void
test_unknown_template(void)
{
	static const uint32_t ids[] = { 0, CF_TMPL_MAX_ID + 1, 0xFFFFFFFF };
	const struct crit c = STR_C(0xFFFF, CF_OP_EQUALS, 0, "x");

	for (size_t i = 0; i < NELEM(ids); i++) {
		cf_chan *ch = model(ids[i], 291, &c);

		expect_one(ch, CF_VAL_2024, CF_E_TEMPLATE_UNKNOWN, -1, 0, -1,
		    -1, "unknown template");
		expect_one(ch, CF_VAL_CURRENT, CF_E_TEMPLATE_UNKNOWN, -1, 0, -1,
		    -1, "unknown template");
		cf_chan_free(ch);
	}
}

/* Duplicate ids: one problem per repeated id, however often it repeats;
 * the 2024 validator did not check. */
static void
test_duplicate_ids(void)
{
	static const struct {
		const char *what;
		uint32_t ids[4];
		unsigned n, dups;
	} cases[] = {
		{ "ids 5 6 7", { 5, 6, 7 }, 3, 0 },
		{ "ids 5 5", { 5, 5 }, 2, 1 },
		{ "ids 5 5 5", { 5, 5, 5 }, 3, 1 },
		{ "ids 7 5 7 5", { 7, 5, 7, 5 }, 4, 2 },
		{ "ids 0 max 0 max", { 0, 0xFFFFFFFF, 0, 0xFFFFFFFF }, 4, 2 },
		{ "one instance", { 9 }, 1, 0 },
	};
	const struct crit c = STR_C(F_PIPE, CF_OP_PREFIX, 0, "x");

	for (size_t i = 0; i < NELEM(cases); i++) {
		cf_chan *ch = bare_model(IPC, 291);
		cf_val_report rep;
		int rc;

		for (unsigned k = 0; k < cases[i].n; k++)
			add_inst(ch, cases[i].ids[k], CF_INST_ENABLED, &c, 1);
		CF_EXPECT_EQ(
		    cf_val_check(ch, CF_VAL_2024, &rep), CF_OK, cases[i].what);
		rc = cf_val_check(ch, CF_VAL_CURRENT, &rep);
		CF_EXPECT_EQ(
		    rc, cases[i].dups ? CF_E_REJECTED : CF_OK, cases[i].what);
		CF_EXPECT_EQ(rep.nproblems, cases[i].dups, cases[i].what);
		for (uint32_t k = 0; k < rep.nstored; k++) {
			CF_EXPECT_EQ(
			    rep.p[k].code, CF_E_DUP_INSTANCE, cases[i].what);
			CF_EXPECT_EQ(rep.p[k].instance, -1, cases[i].what);
			CF_EXPECT_EQ(rep.p[k].criterion, -1, cases[i].what);
			CF_EXPECT_EQ(rep.p[k].field, -1, cases[i].what);
		}
		cf_chan_free(ch);
	}
}

/* An enabled instance with no criteria matches every event; a disabled
 * one is harmless. */
static void
test_empty_instances(void)
{
	const struct crit ok = STR_C(F_PIPE, CF_OP_PREFIX, 0, "x");
	cf_chan *ch = bare_model(IPC, 291);

	add_inst(ch, 50, CF_INST_ENABLED, &ok, 1);
	add_inst(ch, 100, CF_INST_ENABLED, NULL, 0);
	expect_one(ch, CF_VAL_2024, 0, 0, 0, 0, 0, "enabled, no criteria");
	expect_one(ch, CF_VAL_CURRENT, CF_E_EMPTY_OPERAND, 1, 100, -1, -1,
	    "enabled, no criteria");
	ch->instances[1].flags = 0;
	expect_one(ch, CF_VAL_CURRENT, 0, 0, 0, 0, 0, "disabled, no criteria");
	cf_chan_free(ch);

	/* A disabled instance is still checked like any other. */
	ch = bare_model(IPC, 291);
	add_inst(ch, 50, CF_INST_ENABLED, &ok, 1);
	{
		const struct crit two[] = {
			INT_C(F_PIPE, CF_OP_WILDCARD, 0, 0, 0),
			STR_C(F_BINDING, CF_OP_EQUALS, 0, "x"),
		};
		add_inst(ch, 100, 0, two, 2);
	}
	expect_one(ch, CF_VAL_CURRENT, CF_E_FIELD_UNSUPPLIED, 1, 100, 1,
	    F_BINDING, "disabled, field 20");
	cf_chan_free(ch);
}

/* A string reference past the table in a hand-built model (the parser
 * never produces one): current reports CF_E_STRREF; the 2024 validator
 * never looks at string references and accepts. */
static void
test_strref(void)
{
	static const struct {
		const char *what;
		uint8_t op;
		int past; /* str = nstrings + past */
	} cases[] = {
		{ "equals @nstrings", CF_OP_EQUALS, 0 },
		{ "regex @nstrings", CF_OP_REGEX, 0 },
		{ "contains @nstrings+1000", CF_OP_CONTAINS, 1000 },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		const struct crit c = STR_C(F_PIPE, cases[i].op, 0, "x");
		cf_chan *ch = model(IPC, 291, &c);

		ch->instances[1].crit[1].str =
		    ch->nstrings + (uint32_t)cases[i].past;
		expect_one(ch, CF_VAL_CURRENT, CF_E_STRREF, 1, 100, 1, F_PIPE,
		    cases[i].what);
		expect_one(ch, CF_VAL_2024, 0, 0, 0, 0, 0, cases[i].what);
		cf_chan_free(ch);
	}
}

/* Problems past CF_VAL_MAX_PROBLEMS are counted, not stored: n
 * instances, each with one out-of-range field. */
static void
test_many_problems(void)
{
	static const uint32_t counts[] = { CF_VAL_MAX_PROBLEMS - 1,
		CF_VAL_MAX_PROBLEMS, CF_VAL_MAX_PROBLEMS + 1,
		CF_VAL_MAX_PROBLEMS + 36 };
	const struct crit c = STR_C(21, CF_OP_EQUALS, 0, "x");

	for (size_t i = 0; i < NELEM(counts); i++) {
		uint32_t n = counts[i];
		uint32_t kept =
		    n < CF_VAL_MAX_PROBLEMS ? n : CF_VAL_MAX_PROBLEMS;
		cf_chan *ch = bare_model(IPC, 291);
		cf_val_report rep;

		for (uint32_t k = 0; k < n; k++)
			add_inst(ch, 1000 + k, CF_INST_ENABLED, &c, 1);
		for (int v = CF_VAL_2024; v <= CF_VAL_CURRENT; v++) {
			CF_EXPECT_EQ(cf_val_check(ch, v, &rep), CF_E_REJECTED,
			    "many problems rc");
			CF_EXPECT(rep.nproblems == n && rep.nstored == kept,
			    "%u problems [%s]: counted %u, stored %u", n,
			    vname(v), rep.nproblems, rep.nstored);
			CF_EXPECT_EQ(rep.p[kept - 1].code, CF_E_FIELD_RANGE,
			    "last stored code");
			CF_EXPECT_EQ(rep.p[kept - 1].instance, kept - 1,
			    "last stored instance");
			CF_EXPECT_EQ(rep.p[kept - 1].instance_id,
			    1000 + kept - 1, "last stored id");
			CF_EXPECT_EQ(
			    rep.p[kept - 1].field, 21, "last stored field");
		}
		cf_chan_free(ch);
	}
}

/* Several problems in one file are all reported, file-level first, then
 * in instance and criterion order, each at the right place. */
static void
test_problem_order(void)
{
	const struct crit a[] = {
		STR_C(F_PIPE, CF_OP_PREFIX, 0, "x"),
		STR_C(F_BINDING, CF_OP_REGEX, 0, ""), /* unsupplied, empty */
	};
	const struct crit b[] = {
		INT_C(F_PID, CF_OP_INT_RANGE, ICASE, 9, 1), /* icase, range */
		STR_C(30, CF_OP_EQUALS, 0, "x"),            /* range */
		STR_C(F_PID, CF_OP_REGEX, 0, "(("),         /* type, syntax */
	};
	static const struct {
		int code;
		int32_t inst;
		uint32_t id;
		int32_t crit, field;
	} want[] = {
		{ CF_E_CHANNEL_MISMATCH, -1, 0, -1, -1 },
		{ CF_E_DUP_INSTANCE, -1, 0, -1, -1 },
		{ CF_E_FIELD_UNSUPPLIED, 0, 77, 1, F_BINDING },
		{ CF_E_EMPTY_OPERAND, 0, 77, 1, F_BINDING },
		{ CF_E_MODIFIER, 1, 78, 0, F_PID },
		{ CF_E_INT_RANGE, 1, 78, 0, F_PID },
		{ CF_E_FIELD_RANGE, 1, 78, 1, 30 },
		{ CF_E_FIELD_TYPE, 1, 78, 2, F_PID },
		{ CF_E_RE_SYNTAX, 1, 78, 2, F_PID },
		{ CF_E_EMPTY_OPERAND, 2, 77, -1, -1 },
	};
	cf_chan *ch = bare_model(IPC, 1);
	cf_val_report rep;

	add_inst(ch, 77, CF_INST_ENABLED, a, NELEM(a));
	add_inst(ch, 78, CF_INST_ENABLED, b, NELEM(b));
	add_inst(ch, 77, CF_INST_ENABLED, NULL, 0);
	CF_EXPECT_EQ(
	    cf_val_check(ch, CF_VAL_CURRENT, &rep), CF_E_REJECTED, "order: rc");
	CF_EXPECT_EQ(rep.nproblems, NELEM(want), "order: problems");
	CF_EXPECT_EQ(rep.nstored, NELEM(want), "order: stored");
	for (size_t i = 0; i < NELEM(want) && i < rep.nstored; i++) {
		const cf_val_problem *p = &rep.p[i];
		CF_EXPECT(p->code == want[i].code &&
		        p->instance == want[i].inst &&
		        p->instance_id == want[i].id &&
		        p->criterion == want[i].crit &&
		        p->field == want[i].field,
		    "order %zu: got %s inst %d id %u crit %d field %d, want %s inst %d id %u crit %d field %d",
		    i, cf_err_name(p->code), p->instance, p->instance_id,
		    p->criterion, p->field, cf_err_name(want[i].code),
		    want[i].inst, want[i].id, want[i].crit, want[i].field);
		expect_why(p, "order");
	}
	/* The 2024 validator sees only the declared-count problem. */
	expect_one(
	    ch, CF_VAL_2024, CF_E_FIELD_RANGE, 1, 78, 1, 30, "order 2024");
	cf_chan_free(ch);
}

/* Arguments: version, NULL pointers; version names. */
static void
test_args(void)
{
	static const int bad[] = { 0, 3, -1 };
	const struct crit c = STR_C(F_PIPE, CF_OP_PREFIX, 0, "x");
	cf_chan *ch = model(IPC, 291, &c);
	cf_val_report rep;

	for (size_t i = 0; i < NELEM(bad); i++)
		CF_EXPECT_EQ(cf_val_check(ch, (cf_val_version)bad[i], &rep),
		    CF_E_ARG, "bad version");
	CF_EXPECT_EQ(
	    cf_val_check(NULL, CF_VAL_CURRENT, &rep), CF_E_ARG, "NULL model");
	CF_EXPECT_EQ(
	    cf_val_check(ch, CF_VAL_CURRENT, NULL), CF_E_ARG, "NULL report");
	CF_EXPECT_EQ(cf_val_check(ch, CF_VAL_CURRENT, &rep), CF_OK, "good");
	CF_EXPECT_EQ(cf_val_by_name("2024"), CF_VAL_2024, "name 2024");
	CF_EXPECT_EQ(cf_val_by_name("current"), CF_VAL_CURRENT, "name current");
	CF_EXPECT_EQ(cf_val_by_name("x"), 0, "name x");
	CF_EXPECT_EQ(cf_val_by_name(""), 0, "empty name");
	CF_EXPECT_EQ(cf_val_by_name("Current"), 0, "names are exact");
	CF_EXPECT_EQ(cf_val_by_name("2024 "), 0, "trailing space");
	CF_EXPECT(strcmp(cf_val_name(CF_VAL_2024), "2024") == 0, "name of 1");
	CF_EXPECT(
	    strcmp(cf_val_name(CF_VAL_CURRENT), "current") == 0, "name of 2");
	cf_chan_free(ch);
}

/* Content without instances, and every template's own channel. */
static void
test_clean(void)
{
	for (size_t i = 0; i < cf_tmpl_count(); i++) {
		const cf_tmpl *t = cf_tmpl_at(i);
		cf_chan *ch = bare_model(t->id, t->channel);

		expect_one(ch, CF_VAL_2024, 0, 0, 0, 0, 0, t->name);
		expect_one(ch, CF_VAL_CURRENT, 0, 0, 0, 0, 0, t->name);
		cf_chan_free(ch);
	}
}

int
main(void)
{
	test_rows();
	test_cf291_why();
	test_unknown_template();
	test_duplicate_ids();
	test_empty_instances();
	test_strref();
	test_many_problems();
	test_problem_order();
	test_args();
	test_clean();
	return cf_test_finish("val");
}
