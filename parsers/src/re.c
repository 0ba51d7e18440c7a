/*
 * re.c - the criteria regex engine (cf_re.h): a Thompson NFA run as a Pike VM.
 *
 * Compilation has three passes, none of them recursive:
 *
 * 1. Parse. An operator-precedence parse with an explicit stack of open
 *    groups (at most CF_RE_MAX_DEPTH + 1 entries) and an operand stack
 *    turns the pattern into a syntax tree kept in a flat node array. A node
 *    is always created after its children, so the array is in post-order.
 * 2. Size. Thanks to that order, one forward pass over the array computes
 *    every node's instruction count (saturating at CF_RE_MAX_INSTS + 1) and
 *    whether it can match the empty string. The program size is therefore
 *    known, and checked against CF_RE_MAX_INSTS, before a single
 *    instruction is emitted: counted repetition multiplies sizes, and the
 *    saturating arithmetic keeps `((a{1000}){1000}){1000}` from overflowing.
 * 3. Emit. Thompson's construction (K. Thompson, "Regular expression search
 *    algorithm", CACM 11(6), 1968) into a flat instruction array, walking
 *    the tree with an explicit frame stack. Since every node's size is known,
 *    jump targets are absolute at the time they are emitted: no patch lists.
 *    x{m,n} emits x again for each copy, as RE2 and Go do.
 *
 * Matching is the Pike VM as described by Russ Cox, "Regular Expression
 * Matching: the Virtual Machine Approach" (2009): all threads advance in
 * lock step over the subject, in priority order, and a sparse set keyed by
 * program counter keeps at most one thread per instruction. Each position
 * therefore costs at most ninst closure visits plus ninst thread steps,
 * which is the CF_RE_STEP_FACTOR of 2 in the documented bound; the VM
 * counts both and fails with CF_E_RE_STEPS rather than exceed it. The same
 * dedup makes empty loops such as `(a*)*`, `(|a)*` and `()*` terminate.
 * Captures are not kept: a thread carries only the offset where it began.
 *
 * Match semantics. Leftmost-first (Perl, RE2): the first thread in
 * priority order to reach MATCH wins and cuts every thread below it.
 * Leftmost-longest (CF_RE_LONGEST, POSIX overall span): threads stay sorted
 * by start offset (older starts come first, the new start is seeded last),
 * so a MATCH is kept when it starts earlier, or starts at the same offset
 * and ends later; seeding stops at the first match and the run continues
 * until no thread that could still beat it is left.
 *
 * The VM trusts nothing in the program: every jump target is compared with
 * ninst and every class index with the class count before use
 * (CF_E_RE_PROGRAM). A compiled cf_re is never written after compile, and
 * the VM's thread lists are allocated per call, so one compiled regex may
 * be used from several threads at once.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cc.h"
#include "cf_error.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_re.h"

/* Node indices, sizes and program counters are uint32_t; the limits must
 * leave room for the saturation value and the NONE marker. */
#if CF_RE_MAX_INSTS >= 0x7fffffffu || CF_RE_MAX_PATTERN >= 0x1fffffffu
#error "CF_RE_MAX_INSTS and CF_RE_MAX_PATTERN must fit comfortably in 32 bits"
#endif
#if CF_RE_MAX_REPEAT >= 0x7fffffffu
#error "CF_RE_MAX_REPEAT must fit in 31 bits"
#endif

#define RE_ALL_FLAGS (CF_RE_ICASE | CF_RE_DOT_NL | CF_RE_LONGEST)
#define RE_NONE UINT32_MAX /* no node / end of a sibling list */
#define RE_INF UINT32_MAX  /* unbounded repetition maximum */
/* Sizes saturate here: anything above CF_RE_MAX_INSTS is "too big". */
#define RE_SIZE_CAP ((uint32_t)CF_RE_MAX_INSTS + 1u)

/* ---- the program ---- */

enum re_op {
	OP_CHAR = 1, /* byte is c1 or c2 (c2 is the other case under ICASE) */
	OP_ANYBYTE,  /* any byte ('.' with CF_RE_DOT_NL) */
	OP_ANYNOTNL, /* any byte but '\n' ('.' without CF_RE_DOT_NL) */
	OP_CLASS,    /* byte is in class table entry x */
	OP_SPLIT,    /* fork: x first (higher priority), then y */
	OP_JMP,      /* continue at x */
	OP_BOL,      /* assert: at the start of the subject */
	OP_EOL,      /* assert: at the end of the subject */
	OP_MATCH
};

struct re_inst {
	uint8_t op;
	uint8_t c1, c2;
	uint32_t x, y;
};

struct re_class {
	uint8_t bits[32]; /* 256-bit set, bit b of byte b/8 */
};

struct cf_re {
	struct re_inst *prog;
	size_t ninst;
	struct re_class *cls;
	size_t ncls;
	unsigned flags;
};

/* ---- the syntax tree ---- */

enum re_kind {
	N_EMPTY = 1, /* matches the empty string; emits nothing */
	N_CHAR,
	N_ANYBYTE,
	N_ANYNOTNL,
	N_CLASS,
	N_BOL,
	N_EOL,
	N_CAT, /* children in sequence */
	N_ALT, /* children as alternatives, first preferred */
	N_REP  /* one child, repeated min..max times (max may be RE_INF) */
};

struct re_node {
	uint8_t kind;
	uint8_t c1, c2;
	uint8_t nullable; /* can match the empty string (filled by pass 2) */
	uint32_t cls;     /* class index, N_CLASS */
	uint32_t first;   /* first child, N_CAT N_ALT N_REP */
	uint32_t next;    /* next sibling in the parent's list */
	uint32_t min, max;
	uint32_t pos;  /* pattern offset, for diagnostics */
	uint32_t size; /* instructions emitted, saturated at RE_SIZE_CAP */
};

/* An open group. Operands [alt_base, cat_base) are its finished
 * alternatives, [cat_base, top) the items of the alternative being read. */
struct re_group {
	size_t alt_base;
	size_t cat_base;
	uint32_t pos; /* offset of '(' */
};

enum re_prev {
	PREV_NONE,  /* nothing a quantifier could apply to */
	PREV_ATOM,  /* an atom or group: may be repeated */
	PREV_REPEAT /* a repetition: another quantifier is an error */
};

struct re_parser {
	const uint8_t *pat;
	size_t len;
	unsigned flags;
	cf_diag *d;
	struct re_node *nodes;
	size_t nnodes, capnodes;
	uint32_t *opnd; /* operand stack of node indices */
	size_t nopnd;
	struct re_class *cls;
	size_t ncls, capcls;
	struct re_group *groups;
	size_t ngroups; /* groups[0] is the whole pattern */
	enum re_prev prev;
};

static int
re_is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* ASCII punctuation, as ispunct(3) in the C locale, without the locale. */
static int
re_is_punct(uint8_t c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	    (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

static uint8_t
re_other_case(uint8_t c)
{
	if (c >= 'a' && c <= 'z')
		return (uint8_t)(c - 'a' + 'A');
	if (c >= 'A' && c <= 'Z')
		return (uint8_t)(c - 'A' + 'a');
	return c;
}

static void
re_class_set(struct re_class *k, unsigned lo, unsigned hi)
{
	unsigned b;

	for (b = lo; b <= hi; b++)
		k->bits[b >> 3] |= (uint8_t)(1u << (b & 7));
}

static int
re_class_has(const struct re_class *k, uint8_t b)
{
	return (k->bits[b >> 3] >> (b & 7)) & 1;
}

static uint32_t
re_sat_add(uint32_t a, uint32_t b)
{
	return (a >= RE_SIZE_CAP || b >= RE_SIZE_CAP - a) ? RE_SIZE_CAP : a + b;
}

static uint32_t
re_sat_mul(uint32_t a, uint32_t b)
{
	if (a == 0 || b == 0)
		return 0;
	if (a >= RE_SIZE_CAP || b > (RE_SIZE_CAP - 1u) / a)
		return RE_SIZE_CAP;
	return a * b;
}

/* The node array is sized from the pattern length in cf_re_compile (each
 * pattern byte creates at most two nodes), so running out here means that
 * proof is wrong: report it as an internal program error, never overflow. */
static int
re_node_new(struct re_parser *p, uint8_t kind, size_t pos, uint32_t *out)
{
	struct re_node *n;

	if (p->nnodes >= p->capnodes)
		return cf_diag_set(p->d, CF_E_RE_PROGRAM, (uint32_t)pos,
		    "internal: node table full");
	n = &p->nodes[p->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->first = RE_NONE;
	n->next = RE_NONE;
	n->pos = (uint32_t)pos;
	*out = (uint32_t)p->nnodes++;
	return CF_OK;
}

/* The operand stack has room for every node, so it cannot overflow. */
static int
re_push(struct re_parser *p, uint32_t node)
{
	if (p->nopnd >= p->capnodes)
		return cf_diag_set(
		    p->d, CF_E_RE_PROGRAM, 0, "internal: operand stack full");
	p->opnd[p->nopnd++] = node;
	return CF_OK;
}

static int
re_atom(struct re_parser *p, uint8_t kind, size_t pos, uint32_t *out)
{
	uint32_t id = 0;
	int err;

	if ((err = re_node_new(p, kind, pos, &id)) != CF_OK)
		return err;
	if ((err = re_push(p, id)) != CF_OK)
		return err;
	p->prev = PREV_ATOM;
	if (out != NULL)
		*out = id;
	return CF_OK;
}

/* Replace operands [base, top) by one node of the given kind whose children
 * are those operands, in order; one operand stays as it is, none becomes an
 * N_EMPTY (an empty alternative such as the left side of `|a` or `()`). */
static int
re_collapse(struct re_parser *p, size_t base, uint8_t kind, size_t pos)
{
	size_t i, n = p->nopnd - base;
	uint32_t id = 0;
	int err;

	if (n == 1)
		return CF_OK;
	if (n == 0)
		return re_atom(p, N_EMPTY, pos, NULL);
	if ((err = re_node_new(p, kind, pos, &id)) != CF_OK)
		return err;
	p->nodes[id].first = p->opnd[base];
	for (i = base; i + 1 < p->nopnd; i++)
		p->nodes[p->opnd[i]].next = p->opnd[i + 1];
	p->nodes[p->opnd[p->nopnd - 1]].next = RE_NONE;
	p->nopnd = base;
	return re_push(p, id);
}

/* Close the innermost group: its last alternative, then its alternation.
 * The result is left as the single operand at alt_base, which is where the
 * enclosing group's current concatenation continues. */
static int
re_close_group(struct re_parser *p, size_t pos)
{
	struct re_group *g = &p->groups[p->ngroups - 1];
	int err;

	if ((err = re_collapse(p, g->cat_base, N_CAT, pos)) != CF_OK)
		return err;
	return re_collapse(p, g->alt_base, N_ALT, pos);
}

static int
re_repeat(struct re_parser *p, size_t pos, uint32_t min, uint32_t max)
{
	uint32_t id = 0;
	int err;

	if (p->prev == PREV_NONE)
		return cf_diag_set(p->d, CF_E_RE_SYNTAX, (uint32_t)pos,
		    "missing argument to repetition operator");
	/* Stacked quantifiers (a** a{2}{3} a*?) are refused, as Go and RE2
	 * do: without lazy quantifiers, a+? would otherwise parse silently as
	 * (a+)? where the author meant something else. */
	if (p->prev == PREV_REPEAT)
		return cf_diag_set(p->d, CF_E_RE_SYNTAX, (uint32_t)pos,
		    "nested repetition operator");
	if ((err = re_node_new(p, N_REP, pos, &id)) != CF_OK)
		return err;
	p->nodes[id].first = p->opnd[p->nopnd - 1];
	p->nodes[id].min = min;
	p->nodes[id].max = max;
	p->opnd[p->nopnd - 1] = id;
	p->prev = PREV_REPEAT;
	return CF_OK;
}

/* Read a decimal count at pat[*i], which must hold at least one digit.
 * Values above CF_RE_MAX_REPEAT stop accumulating (no overflow, however
 * many digits) and set *big. */
static int
re_count(const struct re_parser *p, size_t *i, uint32_t *v, int *big)
{
	size_t j = *i;

	*v = 0;
	if (j >= p->len || !re_is_digit(p->pat[j]))
		return 0;
	for (; j < p->len && re_is_digit(p->pat[j]); j++) {
		if (*v > CF_RE_MAX_REPEAT)
			continue;
		*v = *v * 10u + (uint32_t)(p->pat[j] - '0');
		if (*v > CF_RE_MAX_REPEAT)
			*big = 1;
	}
	*i = j;
	return 1;
}

/* `{` at pat[i]. A valid count ({m} {m,} {m,n}) is a repetition; anything
 * else makes the `{` a literal, as in Go (a{, a{,2}, a{x}). */
static int
re_brace(struct re_parser *p, size_t *i)
{
	size_t j = *i + 1;
	uint32_t min, max, id = 0;
	int big = 0, err;

	if (!re_count(p, &j, &min, &big))
		goto literal;
	if (j < p->len && p->pat[j] == '}') {
		max = min;
	} else if (j < p->len && p->pat[j] == ',') {
		j++;
		if (j < p->len && p->pat[j] == '}')
			max = RE_INF;
		else if (!re_count(p, &j, &max, &big))
			goto literal;
		if (j >= p->len || p->pat[j] != '}')
			goto literal;
	} else {
		goto literal;
	}
	if (big)
		return cf_diag_set(p->d, CF_E_RE_REPEAT, (uint32_t)*i,
		    "repeat count over %u", (unsigned)CF_RE_MAX_REPEAT);
	if (max != RE_INF && min > max)
		return cf_diag_set(p->d, CF_E_RE_REPEAT, (uint32_t)*i,
		    "repeat count {m,n} with m > n");
	err = re_repeat(p, *i, min, max);
	*i = j + 1;
	return err;

literal:
	err = re_atom(p, N_CHAR, *i, &id);
	if (err == CF_OK)
		p->nodes[id].c1 = p->nodes[id].c2 = '{';
	*i += 1;
	return err;
}

/* A new N_CLASS atom and its (zeroed) table entry, returned in *k. */
static int
re_new_class(struct re_parser *p, size_t pos, struct re_class **k)
{
	uint32_t id = 0;
	int err;

	/* Every class costs at least two pattern bytes, so capcls (the pattern
	 * length) is never reached; the check keeps that a checked claim. */
	if (p->ncls >= p->capcls)
		return cf_diag_set(p->d, CF_E_RE_PROGRAM, (uint32_t)pos,
		    "internal: class table full");
	if ((err = re_atom(p, N_CLASS, pos, &id)) != CF_OK)
		return err;
	p->nodes[id].cls = (uint32_t)p->ncls;
	*k = &p->cls[p->ncls++];
	memset(*k, 0, sizeof(**k));
	return CF_OK;
}

/* Under ICASE a class holds both cases of every letter it holds; done
 * before negation so that [^a] excludes 'A' too. */
static void
re_class_fold(struct re_class *k)
{
	unsigned b;

	for (b = 'A'; b <= 'Z'; b++) {
		if (re_class_has(k, (uint8_t)b) ||
		    re_class_has(k, (uint8_t)(b + 32))) {
			re_class_set(k, b, b);
			re_class_set(k, b + 32, b + 32);
		}
	}
}

static void
re_class_negate(struct re_class *k)
{
	size_t i;

	for (i = 0; i < sizeof(k->bits); i++)
		k->bits[i] = (uint8_t)~k->bits[i];
}

/* \d \w \s and their negations; returns 0 if c names none of them. */
static int
re_perl_class(uint8_t c, struct re_class *k)
{
	switch (c | 0x20) {
	case 'd':
		re_class_set(k, '0', '9');
		break;
	case 'w':
		re_class_set(k, '0', '9');
		re_class_set(k, 'A', 'Z');
		re_class_set(k, 'a', 'z');
		re_class_set(k, '_', '_');
		break;
	case 's': /* docs/FORMAT.md: [\t\n\v\f\r ] */
		re_class_set(k, '\t', '\r');
		re_class_set(k, ' ', ' ');
		break;
	default:
		return 0;
	}
	if (c >= 'A' && c <= 'Z')
		re_class_negate(k);
	return 1;
}

/* `[` at pat[*i]: a bracket expression with POSIX rules. `]` first (after
 * an optional `^`) is a literal, `-` first or last is a literal, and a
 * backslash is an ordinary byte. [: [. [= would start POSIX classes,
 * collating symbols and equivalence classes, which this subset does not
 * have; they are refused rather than read as plain bytes. */
static int
re_bracket(struct re_parser *p, size_t *i)
{
	struct re_class *k = NULL;
	size_t start = *i, j = *i + 1;
	int neg = 0, first = 1, err;

	if (j < p->len && p->pat[j] == '^') {
		neg = 1;
		j++;
	}
	if ((err = re_new_class(p, start, &k)) != CF_OK)
		return err;
	for (;;) {
		uint8_t lo, hi;

		if (j >= p->len)
			return cf_diag_set(p->d, CF_E_RE_SYNTAX,
			    (uint32_t)start, "missing ] in bracket expression");
		lo = p->pat[j];
		if (lo == ']' && !first)
			break;
		if (lo == '[' && j + 1 < p->len &&
		    (p->pat[j + 1] == ':' || p->pat[j + 1] == '.' ||
		        p->pat[j + 1] == '='))
			return cf_diag_set(p->d, CF_E_RE_SYNTAX, (uint32_t)j,
			    "POSIX [: [. [= classes are not supported");
		j++;
		hi = lo;
		if (j + 1 < p->len && p->pat[j] == '-' &&
		    p->pat[j + 1] != ']') {
			hi = p->pat[j + 1];
			if (hi == '[' && j + 2 < p->len &&
			    (p->pat[j + 2] == ':' || p->pat[j + 2] == '.' ||
			        p->pat[j + 2] == '='))
				return cf_diag_set(p->d, CF_E_RE_SYNTAX,
				    (uint32_t)(j + 1),
				    "POSIX [: [. [= classes are not supported");
			if (hi < lo)
				return cf_diag_set(p->d, CF_E_RE_SYNTAX,
				    (uint32_t)(j - 1), "invalid range %u-%u",
				    (unsigned)lo, (unsigned)hi);
			j += 2;
		}
		re_class_set(k, lo, hi);
		first = 0;
	}
	if (p->flags & CF_RE_ICASE)
		re_class_fold(k);
	if (neg)
		re_class_negate(k);
	*i = j + 1;
	return CF_OK;
}

/* `\` at pat[*i]. */
static int
re_escape(struct re_parser *p, size_t *i)
{
	struct re_class *k = NULL, tmp;
	uint32_t id = 0;
	uint8_t c;
	int err;

	if (*i + 1 >= p->len)
		return cf_diag_set(
		    p->d, CF_E_RE_SYNTAX, (uint32_t)*i, "trailing backslash");
	c = p->pat[*i + 1];
	memset(&tmp, 0, sizeof(tmp));
	if (re_perl_class(c, &tmp)) {
		if ((err = re_new_class(p, *i, &k)) != CF_OK)
			return err;
		*k = tmp;
	} else if (re_is_punct(c)) {
		if ((err = re_atom(p, N_CHAR, *i, &id)) != CF_OK)
			return err;
		p->nodes[id].c1 = p->nodes[id].c2 = c;
	} else {
		/* Back-references, \n, \b, \x.. and friends mean something in
		 * other dialects; refusing them beats matching something else.
		 */
		return cf_diag_set(
		    p->d, CF_E_RE_SYNTAX, (uint32_t)*i, "unsupported escape");
	}
	*i += 2;
	return CF_OK;
}

static int
re_parse(struct re_parser *p, uint32_t *root)
{
	size_t i = 0;
	uint32_t id = 0;
	int err;

	p->groups[0].alt_base = p->groups[0].cat_base = 0;
	p->groups[0].pos = 0;
	p->ngroups = 1;
	p->prev = PREV_NONE;
	while (i < p->len) {
		uint8_t c = p->pat[i];
		struct re_group *g = &p->groups[p->ngroups - 1];

		switch (c) {
		case '(':
			if (p->ngroups - 1 >= CF_RE_MAX_DEPTH)
				return cf_diag_set(p->d, CF_E_RE_NESTING,
				    (uint32_t)i, "groups nested deeper than %u",
				    (unsigned)CF_RE_MAX_DEPTH);
			g = &p->groups[p->ngroups++];
			g->alt_base = g->cat_base = p->nopnd;
			g->pos = (uint32_t)i;
			p->prev = PREV_NONE;
			i++;
			break;
		case ')':
			if (p->ngroups == 1)
				return cf_diag_set(p->d, CF_E_RE_SYNTAX,
				    (uint32_t)i, "unmatched )");
			if ((err = re_close_group(p, i)) != CF_OK)
				return err;
			p->ngroups--;
			p->prev = PREV_ATOM;
			i++;
			break;
		case '|':
			if ((err = re_collapse(p, g->cat_base, N_CAT, i)) !=
			    CF_OK)
				return err;
			g->cat_base = p->nopnd;
			p->prev = PREV_NONE;
			i++;
			break;
		case '*':
		case '+':
		case '?':
			err = re_repeat(
			    p, i, c == '+' ? 1u : 0u, c == '?' ? 1u : RE_INF);
			if (err != CF_OK)
				return err;
			i++;
			break;
		case '{':
			if ((err = re_brace(p, &i)) != CF_OK)
				return err;
			break;
		case '[':
			if ((err = re_bracket(p, &i)) != CF_OK)
				return err;
			break;
		case '\\':
			if ((err = re_escape(p, &i)) != CF_OK)
				return err;
			break;
		case '.':
			err = re_atom(p,
			    (p->flags & CF_RE_DOT_NL) ? N_ANYBYTE : N_ANYNOTNL,
			    i, NULL);
			if (err != CF_OK)
				return err;
			i++;
			break;
		case '^':
		case '$':
			err = re_atom(p, c == '^' ? N_BOL : N_EOL, i, NULL);
			if (err != CF_OK)
				return err;
			i++;
			break;
		default: /* literals, including ] } and NUL */
			if ((err = re_atom(p, N_CHAR, i, &id)) != CF_OK)
				return err;
			p->nodes[id].c1 = c;
			p->nodes[id].c2 =
			    (p->flags & CF_RE_ICASE) ? re_other_case(c) : c;
			i++;
			break;
		}
	}
	if (p->ngroups > 1)
		return cf_diag_set(p->d, CF_E_RE_SYNTAX,
		    p->groups[p->ngroups - 1].pos, "missing )");
	if ((err = re_close_group(p, p->len)) != CF_OK)
		return err;
	if (p->nopnd != 1)
		return cf_diag_set(p->d, CF_E_RE_PROGRAM, 0,
		    "internal: parse left %zu operands", p->nopnd);
	*root = p->opnd[0];
	return CF_OK;
}

/* Pass 2: sizes and nullability, children before parents (post-order).
 * The layouts these sizes describe are the ones re_emit produces:
 *   x|y|z    SPLIT L1,L2; L1: x; JMP E; L2: SPLIT L3,L4; L3: y; JMP E; L4: z
 *   x{m,n}   m copies of x, then n-m nested (SPLIT next,E; x)
 *   x{m,}    m-1 copies of x, then L: x; SPLIT L,E          (m >= 1)
 *   x*       SPLIT L,E; L: x; SPLIT L,E, i.e. (x+)?
 * x* is laid out as (x+)? rather than as the classic loop so that for a
 * nullable x the exit is preferred over a second, empty iteration: this is
 * how Go orders (|a)* (leftmost-first span (0,0) on "aaa", as RE2 says). A
 * repetition of something that emits nothing emits nothing itself. */
static void
re_size(struct re_node *nodes, size_t nnodes)
{
	size_t k;

	for (k = 0; k < nnodes; k++) {
		struct re_node *n = &nodes[k];
		uint32_t c, s, sum = 0, cnt = 0;
		int all = 1, any = 0;

		switch (n->kind) {
		case N_EMPTY:
			n->size = 0;
			n->nullable = 1;
			break;
		case N_BOL:
		case N_EOL:
			n->size = 1;
			n->nullable = 1;
			break;
		case N_CHAR:
		case N_ANYBYTE:
		case N_ANYNOTNL:
		case N_CLASS:
			n->size = 1;
			n->nullable = 0;
			break;
		case N_CAT:
		case N_ALT:
			for (c = n->first; c != RE_NONE; c = nodes[c].next) {
				sum = re_sat_add(sum, nodes[c].size);
				all &= nodes[c].nullable;
				any |= nodes[c].nullable;
				cnt++;
			}
			if (n->kind == N_ALT)
				sum = re_sat_add(sum, re_sat_mul(2u, cnt - 1u));
			n->size = sum;
			n->nullable = (uint8_t)(n->kind == N_CAT ? all : any);
			break;
		case N_REP:
			s = nodes[n->first].size;
			n->nullable =
			    (uint8_t)(n->min == 0 || nodes[n->first].nullable);
			if (s == 0)
				n->size = 0;
			else if (n->max == RE_INF && n->min == 0)
				n->size = re_sat_add(s, 2u);
			else if (n->max == RE_INF)
				n->size = re_sat_add(re_sat_mul(n->min, s), 1u);
			else
				n->size = re_sat_add(re_sat_mul(n->min, s),
				    re_sat_mul(
				        n->max - n->min, re_sat_add(s, 1u)));
			break;
		default:
			n->size = RE_SIZE_CAP;
			break;
		}
	}
}

struct re_frame {
	uint32_t node;
	uint32_t child; /* next child to emit (N_CAT, N_ALT) */
	uint32_t iter;  /* copies emitted (N_REP); JMP owed (N_ALT) */
	uint32_t loop;  /* pc of the x+ loop head (N_REP) */
	uint32_t start; /* pc where the node begins */
	uint8_t phase;
};

struct re_emitter {
	struct re_inst *prog;
	uint32_t pc, cap;
	struct re_frame *f;
	size_t nf, capf;
	const struct re_node *nodes;
};

CF_NO_COVERAGE static int
re_put(struct re_emitter *e, uint8_t op, uint32_t x, uint32_t y)
{
	if (e->pc >= e->cap)
		return CF_E_RE_PROGRAM;
	e->prog[e->pc].op = op;
	e->prog[e->pc].c1 = e->prog[e->pc].c2 = 0;
	e->prog[e->pc].x = x;
	e->prog[e->pc].y = y;
	e->pc++;
	return CF_OK;
}

/* Zero-size nodes get no frame: they emit nothing, and skipping them keeps
 * emission work proportional to the program, not to the pattern times the
 * repeat counts (think ((){1000}){1000}). */
CF_NO_COVERAGE static int
re_enter(struct re_emitter *e, uint32_t node)
{
	struct re_frame *f;

	if (e->nodes[node].size == 0)
		return CF_OK;
	if (e->nf >= e->capf)
		return CF_E_RE_PROGRAM;
	f = &e->f[e->nf++];
	memset(f, 0, sizeof(*f));
	f->node = node;
	f->child = e->nodes[node].first;
	f->start = e->pc;
	return CF_OK;
}

/* Leaves: one instruction each. */
static int
re_emit_leaf(struct re_emitter *e, const struct re_node *n)
{
	uint8_t op;
	int err;

	switch (n->kind) {
	case N_CHAR:
		op = OP_CHAR;
		break;
	case N_ANYBYTE:
		op = OP_ANYBYTE;
		break;
	case N_ANYNOTNL:
		op = OP_ANYNOTNL;
		break;
	case N_CLASS:
		op = OP_CLASS;
		break;
	case N_BOL:
		op = OP_BOL;
		break;
	case N_EOL:
		op = OP_EOL;
		break;
	default:
		return CF_E_RE_PROGRAM;
	}
	if ((err = re_put(e, op, n->cls, 0)) != CF_OK)
		return err;
	e->prog[e->pc - 1].c1 = n->c1;
	e->prog[e->pc - 1].c2 = n->c2;
	e->nf--;
	return CF_OK;
}

/* x|y|z: each alternative but the last is preceded by a SPLIT to it and the
 * next one, and followed by a JMP to the end (owed while f->iter is set). */
static int
re_emit_alt(struct re_emitter *e, struct re_frame *f, uint32_t end)
{
	uint32_t c;
	int err;

	if (f->iter) {
		if ((err = re_put(e, OP_JMP, end, 0)) != CF_OK)
			return err;
		f->iter = 0;
	}
	if (f->child == RE_NONE) {
		e->nf--;
		return CF_OK;
	}
	c = f->child;
	f->child = e->nodes[c].next;
	if (f->child != RE_NONE) {
		err = re_put(
		    e, OP_SPLIT, e->pc + 1, e->pc + 2 + e->nodes[c].size);
		if (err != CF_OK)
			return err;
		f->iter = 1;
	}
	return re_enter(e, c);
}

/* x{m,n}, x{m,} and friends, laid out as described at re_size: first the
 * mandatory copies, then either the x+ loop (with a leading SPLIT for
 * min 0) or the nested optional copies. */
static int
re_emit_rep(struct re_emitter *e, struct re_frame *f, const struct re_node *n,
    uint32_t end)
{
	uint32_t ncopies;
	int err;

	if (n->max == RE_INF)
		ncopies = n->min == 0 ? 0 : n->min - 1;
	else
		ncopies = n->min;
	if (f->iter < ncopies) {
		f->iter++;
		return re_enter(e, n->first);
	}
	if (n->max == RE_INF) {
		if (f->phase == 0) {
			if (n->min == 0) {
				err = re_put(e, OP_SPLIT, e->pc + 1, end);
				if (err != CF_OK)
					return err;
			}
			f->loop = e->pc;
			f->phase = 1;
			return re_enter(e, n->first);
		}
		e->nf--;
		return re_put(e, OP_SPLIT, f->loop, end);
	}
	if (f->iter < n->max) {
		f->iter++;
		if ((err = re_put(e, OP_SPLIT, e->pc + 1, end)) != CF_OK)
			return err;
		return re_enter(e, n->first);
	}
	e->nf--;
	return CF_OK;
}

/* Pass 3: emit root into prog[0..cap). Each turn of the loop works on the
 * innermost open node: it emits that node's own instructions, enters one
 * child, or leaves the finished node. */
static int
re_emit(struct re_emitter *e, uint32_t root)
{
	int err;

	if ((err = re_enter(e, root)) != CF_OK)
		return err;
	while (e->nf > 0) {
		struct re_frame *f = &e->f[e->nf - 1];
		const struct re_node *n = &e->nodes[f->node];
		uint32_t end = f->start + n->size, c;

		switch (n->kind) {
		case N_CAT:
			if ((c = f->child) == RE_NONE) {
				e->nf--;
				err = CF_OK;
				break;
			}
			f->child = e->nodes[c].next;
			err = re_enter(e, c);
			break;
		case N_ALT:
			err = re_emit_alt(e, f, end);
			break;
		case N_REP:
			err = re_emit_rep(e, f, n, end);
			break;
		default:
			err = re_emit_leaf(e, n);
			break;
		}
		if (err != CF_OK)
			return err;
	}
	return CF_OK;
}

/* The compiler checks its own output with the VM's rules, so a codegen bug
 * shows up as CF_E_RE_PROGRAM at compile time, not as a wrong match. */
static int
re_check_program(const cf_re *re)
{
	size_t pc;

	if (re->ninst == 0 || re->ninst > CF_RE_MAX_INSTS ||
	    re->prog[re->ninst - 1].op != OP_MATCH)
		return CF_E_RE_PROGRAM;
	for (pc = 0; pc < re->ninst; pc++) {
		const struct re_inst *in = &re->prog[pc];

		switch (in->op) {
		case OP_SPLIT:
			if (in->y >= re->ninst)
				return CF_E_RE_PROGRAM;
			/* FALLTHROUGH */
		case OP_JMP:
			if (in->x >= re->ninst)
				return CF_E_RE_PROGRAM;
			break;
		case OP_CLASS:
			if (in->x >= re->ncls)
				return CF_E_RE_PROGRAM;
			break;
		case OP_CHAR:
		case OP_ANYBYTE:
		case OP_ANYNOTNL:
		case OP_BOL:
		case OP_EOL:
			if (pc + 1 >= re->ninst)
				return CF_E_RE_PROGRAM;
			break;
		case OP_MATCH:
			break;
		default:
			return CF_E_RE_PROGRAM;
		}
	}
	return CF_OK;
}

/* The compiler's temporaries: from the arena when it has room, else from
 * the heap (zeroed either way); re_tmp_free frees only the latter. */
static void *
re_tmp(cf_arena *a, size_t n, size_t size)
{
	void *t = cf_arena_calloc(a, n, size);

	return t != NULL ? t : cf_mem_calloc(n, size);
}

static void
re_tmp_free(cf_arena *a, void *t)
{
	if (!cf_arena_owns(a, t))
		cf_mem_free(t);
}

size_t
cf_re_compile_scratch(size_t len)
{
	size_t nodes = 2 * len + 2;

	if (len > CF_RE_MAX_PATTERN)
		return 0;
	return cf_arena_need(nodes, sizeof(struct re_node)) +
	    cf_arena_need(nodes, sizeof(uint32_t)) +
	    cf_arena_need(
	        (size_t)CF_RE_MAX_DEPTH + 1, sizeof(struct re_group)) +
	    (len > 0 ? cf_arena_need(len, sizeof(struct re_class)) : 0) +
	    cf_arena_need(nodes + 1, sizeof(struct re_frame));
}

int
cf_re_compile(
    const uint8_t *pat, size_t len, unsigned flags, cf_re **out, cf_diag *d)
{
	return cf_re_compile_in(pat, len, flags, NULL, out, d);
}

int
cf_re_compile_in(const uint8_t *pat, size_t len, unsigned flags, cf_arena *a,
    cf_re **out, cf_diag *d)
{
	struct re_parser p;
	struct re_emitter e;
	cf_re *re = NULL;
	uint32_t root = 0, total;
	size_t k, mark = cf_arena_mark(a);
	int err;

	memset(&p, 0, sizeof(p));
	memset(&e, 0, sizeof(e));
	if (out == NULL)
		return cf_diag_set(d, CF_E_ARG, 0, "no output pointer");
	*out = NULL;
	if ((pat == NULL && len > 0) || (flags & ~RE_ALL_FLAGS) != 0)
		return cf_diag_set(d, CF_E_ARG, 0, "bad pattern or flags");
	if (len > CF_RE_MAX_PATTERN)
		return cf_diag_set(d, CF_E_RE_TOO_LONG, CF_RE_MAX_PATTERN,
		    "pattern longer than %u bytes",
		    (unsigned)CF_RE_MAX_PATTERN);

	p.pat = pat;
	p.len = len;
	p.flags = flags;
	p.d = d;
	/* Each pattern byte creates at most two nodes (a `)` closes a
	 * concatenation and an alternation); the end of the pattern likewise.
	 */
	p.capnodes = 2 * len + 2;
	p.capcls = len;
	err = CF_E_NOMEM;
	p.nodes = re_tmp(a, p.capnodes, sizeof(*p.nodes));
	p.opnd = re_tmp(a, p.capnodes, sizeof(*p.opnd));
	p.groups = re_tmp(a, (size_t)CF_RE_MAX_DEPTH + 1, sizeof(*p.groups));
	if (len > 0)
		p.cls = re_tmp(a, p.capcls, sizeof(*p.cls));
	if (p.nodes == NULL || p.opnd == NULL || p.groups == NULL ||
	    (len > 0 && p.cls == NULL)) {
		cf_diag_set(d, err, 0, "out of memory");
		goto done;
	}
	if ((err = re_parse(&p, &root)) != CF_OK)
		goto done;

	re_size(p.nodes, p.nnodes);
	total = re_sat_add(p.nodes[root].size, 1u); /* + MATCH */
	if (total > CF_RE_MAX_INSTS) {
		/* Point at the first (innermost) node that alone is too big. */
		uint32_t at = p.nodes[root].pos;

		for (k = 0; k < p.nnodes; k++) {
			if (p.nodes[k].size >= CF_RE_MAX_INSTS) {
				at = p.nodes[k].pos;
				break;
			}
		}
		err = cf_diag_set(d, CF_E_RE_TOO_BIG, at,
		    "program over %u instructions", (unsigned)CF_RE_MAX_INSTS);
		goto done;
	}

	err = CF_E_NOMEM;
	if ((re = cf_mem_calloc(1, sizeof(*re))) == NULL ||
	    (re->prog = cf_mem_calloc(total, sizeof(*re->prog))) == NULL) {
		cf_diag_set(d, err, 0, "out of memory");
		goto done;
	}
	re->ninst = total;
	re->flags = flags;
	if (p.ncls > 0) {
		if ((re->cls = cf_mem_calloc(p.ncls, sizeof(*re->cls))) ==
		    NULL) {
			cf_diag_set(d, err, 0, "out of memory");
			goto done;
		}
		memcpy(re->cls, p.cls, p.ncls * sizeof(*re->cls));
		re->ncls = p.ncls;
	}

	/* Tree depth never exceeds the node count. */
	e.capf = p.nnodes + 1;
	if ((e.f = re_tmp(a, e.capf, sizeof(*e.f))) == NULL) {
		cf_diag_set(d, err, 0, "out of memory");
		goto done;
	}
	e.prog = re->prog;
	e.cap = total;
	e.nodes = p.nodes;
	err = re_emit(&e, root);
	if (err == CF_OK && e.pc != total - 1)
		err = CF_E_RE_PROGRAM;
	if (err == CF_OK)
		err = re_put(&e, OP_MATCH, 0, 0);
	if (err == CF_OK)
		err = re_check_program(re);
	if (err != CF_OK) {
		cf_diag_set(d, err, 0, "internal: emitted program is invalid");
		goto done;
	}
	*out = re;
	re = NULL;

done:
	cf_re_free(re);
	re_tmp_free(a, e.f);
	re_tmp_free(a, p.nodes);
	re_tmp_free(a, p.opnd);
	re_tmp_free(a, p.groups);
	re_tmp_free(a, p.cls);
	cf_arena_release(a, mark);
	return err;
}

/* ---- the VM ----
 *
 * Its inner functions (CF_NO_COVERAGE, cc.h) are not coverage-instrumented:
 * they run once per thread and subject byte, so in fuzz builds the traced
 * compares of their bound checks cost more than the matching itself (55% of
 * fuzz_interp_716's time), while the branches they take say nothing the
 * program's shape (parse, emit) does not. cf_re_exec itself is instrumented.
 */

struct re_thread {
	uint32_t pc;
	size_t start; /* subject offset where this thread's match began */
};

/* Threads waiting at one subject position, in priority order, plus the
 * sparse set (Briggs & Torczon) of every pc already visited for that
 * position, which is what keeps one thread per instruction. */
struct re_list {
	struct re_thread *t;
	size_t n;
	uint32_t *dense;
	uint32_t *sparse;
	size_t nset;
};

struct re_vm {
	const cf_re *re;
	const uint8_t *s;
	size_t n;
	struct re_list l[2];
	uint32_t *stack;
	size_t capstack;
	uint64_t steps, bound;
};

CF_NO_COVERAGE static int
re_set_has(const struct re_list *l, uint32_t pc)
{
	uint32_t k = l->sparse[pc];

	return k < l->nset && l->dense[k] == pc;
}

/* Count one step, refusing to go past the documented bound. */
CF_NO_COVERAGE static int
re_step(struct re_vm *vm)
{
	if (vm->steps >= vm->bound)
		return CF_E_RE_STEPS;
	vm->steps++;
	return CF_OK;
}

CF_NO_COVERAGE static int
re_stack_push(struct re_vm *vm, size_t *sp, uint32_t pc)
{
	/* Each visited pc pushes at most two, so 2 * ninst + 1 suffices. */
	if (*sp >= vm->capstack)
		return CF_E_RE_PROGRAM;
	vm->stack[(*sp)++] = pc;
	return CF_OK;
}

/* Follow empty transitions from pc at subject position pos and append the
 * threads that wait for a byte (or MATCH) to l. Depth-first with an
 * explicit stack; SPLIT pushes y below x so x and everything it reaches
 * comes first, the priority order a recursive version would give. */
CF_NO_COVERAGE static int
re_closure(
    struct re_vm *vm, struct re_list *l, uint32_t pc0, size_t start, size_t pos)
{
	const cf_re *re = vm->re;
	size_t sp = 0;
	int err;

	if ((err = re_stack_push(vm, &sp, pc0)) != CF_OK)
		return err;
	while (sp > 0) {
		uint32_t pc = vm->stack[--sp];
		const struct re_inst *in;

		if (pc >= re->ninst)
			return CF_E_RE_PROGRAM;
		if (re_set_has(l, pc))
			continue;
		l->sparse[pc] = (uint32_t)l->nset;
		l->dense[l->nset++] = pc;
		if ((err = re_step(vm)) != CF_OK)
			return err;
		in = &re->prog[pc];
		switch (in->op) {
		case OP_JMP:
			err = re_stack_push(vm, &sp, in->x);
			break;
		case OP_SPLIT:
			err = re_stack_push(vm, &sp, in->y);
			if (err == CF_OK)
				err = re_stack_push(vm, &sp, in->x);
			break;
		case OP_BOL:
			if (pos == 0)
				err = re_stack_push(vm, &sp, pc + 1);
			break;
		case OP_EOL:
			if (pos == vm->n)
				err = re_stack_push(vm, &sp, pc + 1);
			break;
		case OP_CHAR:
		case OP_ANYBYTE:
		case OP_ANYNOTNL:
		case OP_CLASS:
		case OP_MATCH:
			if (l->n >= re->ninst)
				return CF_E_RE_PROGRAM;
			l->t[l->n].pc = pc;
			l->t[l->n].start = start;
			l->n++;
			break;
		default:
			return CF_E_RE_PROGRAM;
		}
		if (err != CF_OK)
			return err;
	}
	return CF_OK;
}

CF_NO_COVERAGE static void
re_list_clear(struct re_list *l)
{
	l->n = 0;
	l->nset = 0;
}

/* Does the byte-consuming instruction in accept b? */
CF_NO_COVERAGE static int
re_accepts(const cf_re *re, const struct re_inst *in, uint8_t b, int *ok)
{
	switch (in->op) {
	case OP_CHAR:
		*ok = b == in->c1 || b == in->c2;
		return CF_OK;
	case OP_ANYBYTE:
		*ok = 1;
		return CF_OK;
	case OP_ANYNOTNL:
		*ok = b != '\n';
		return CF_OK;
	case OP_CLASS:
		if (in->x >= re->ncls)
			return CF_E_RE_PROGRAM;
		*ok = re_class_has(&re->cls[in->x], b);
		return CF_OK;
	default:
		return CF_E_RE_PROGRAM;
	}
}

CF_NO_COVERAGE static int
re_run(struct re_vm *vm, int *matched, cf_re_span *best)
{
	const cf_re *re = vm->re;
	struct re_list *clist = &vm->l[0], *nlist = &vm->l[1], *tmp;
	int longest = (re->flags & CF_RE_LONGEST) != 0;
	size_t i, k;
	int err, ok;

	re_list_clear(clist);
	for (i = 0;; i++) {
		/* The new start goes last: lowest priority, largest start. */
		if (!*matched &&
		    (err = re_closure(vm, clist, 0, i, i)) != CF_OK)
			return err;
		if (*matched && clist->n == 0)
			break;
		re_list_clear(nlist);
		for (k = 0; k < clist->n; k++) {
			const struct re_thread *t = &clist->t[k];
			const struct re_inst *in;

			if ((err = re_step(vm)) != CF_OK)
				return err;
			if (t->pc >= re->ninst)
				return CF_E_RE_PROGRAM;
			/* Longest mode: a later start can no longer win. */
			if (longest && *matched && t->start > best->start)
				continue;
			in = &re->prog[t->pc];
			if (in->op == OP_MATCH) {
				if (!longest) {
					best->start = t->start;
					best->end = i;
					*matched = 1;
					break; /* cut lower-priority threads */
				}
				if (!*matched || t->start < best->start ||
				    (t->start == best->start &&
				        i > best->end)) {
					best->start = t->start;
					best->end = i;
				}
				*matched = 1;
				continue;
			}
			if ((err = re_accepts(re, in, i < vm->n ? vm->s[i] : 0,
			         &ok)) != CF_OK)
				return err;
			if (i < vm->n && ok &&
			    (err = re_closure(vm, nlist, t->pc + 1, t->start,
			         i + 1)) != CF_OK)
				return err;
		}
		if (i >= vm->n)
			break;
		tmp = clist;
		clist = nlist;
		nlist = tmp;
	}
	return CF_OK;
}

/* Bytes of the one zeroed block cf_re_exec uses for ni instructions. */
static size_t
re_block_size(size_t ni)
{
	return 2 * ni * sizeof(struct re_thread) +
	    (2 * ni + 1 + 4 * ni) * sizeof(uint32_t);
}

size_t
cf_re_exec_scratch(const cf_re *re)
{
	if (re == NULL || re->ninst == 0 || re->ninst > CF_RE_MAX_INSTS)
		return 0;
	return cf_arena_need(1, re_block_size(re->ninst));
}

int
cf_re_exec(const cf_re *re, const uint8_t *s, size_t n, int *matched,
    cf_re_span *span, uint64_t *steps)
{
	return cf_re_exec_in(re, NULL, s, n, matched, span, steps);
}

int
cf_re_exec_in(const cf_re *re, cf_arena *a, const uint8_t *s, size_t n,
    int *matched, cf_re_span *span, uint64_t *steps)
{
	struct re_vm vm;
	cf_re_span best = { 0, 0 };
	void *block = NULL, *heap = NULL;
	size_t ni, mark = cf_arena_mark(a);
	int err, m = 0;

	memset(&vm, 0, sizeof(vm));
	if (matched != NULL)
		*matched = 0;
	if (span != NULL)
		span->start = span->end = 0;
	if (steps != NULL)
		*steps = 0;
	if (re == NULL || matched == NULL || (s == NULL && n > 0))
		return CF_E_ARG;
	if (n > CF_RE_MAX_SUBJECT)
		return CF_E_RE_SUBJECT;
	if (re->prog == NULL || re->ninst == 0 || re->ninst > CF_RE_MAX_INSTS ||
	    (re->ncls > 0 && re->cls == NULL))
		return CF_E_RE_PROGRAM;

	ni = re->ninst;
	vm.re = re;
	vm.s = s;
	vm.n = n;
	vm.bound = cf_re_step_bound(re, n);
	vm.capstack = 2 * ni + 1;
	/* One zeroed block (a stale sparse entry is then a defined value):
	 * two thread lists, then the stack and the four sparse-set arrays.
	 * ni <= CF_RE_MAX_INSTS, so no size below can overflow. */
	err = CF_E_NOMEM;
	/* From the caller's arena when it has room, else from the heap: the
	 * same zeroed block either way. */
	if ((block = cf_arena_calloc(a, 1, re_block_size(ni))) == NULL &&
	    (block = heap = cf_mem_calloc(1, re_block_size(ni))) == NULL)
		goto done;
	vm.l[0].t = block;
	vm.l[1].t = vm.l[0].t + ni;
	vm.stack = (uint32_t *)(void *)(vm.l[1].t + ni);
	vm.l[0].dense = vm.stack + vm.capstack;
	vm.l[0].sparse = vm.l[0].dense + ni;
	vm.l[1].dense = vm.l[0].sparse + ni;
	vm.l[1].sparse = vm.l[1].dense + ni;
	err = re_run(&vm, &m, &best);
	if (err == CF_OK) {
		*matched = m;
		if (m && span != NULL)
			*span = best;
	}

done:
	if (steps != NULL)
		*steps = vm.steps;
	cf_mem_free(heap);
	cf_arena_release(a, mark);
	return err;
}

size_t
cf_re_ninst(const cf_re *re)
{
	return re == NULL ? 0 : re->ninst;
}

uint64_t
cf_re_step_bound(const cf_re *re, size_t n)
{
	uint64_t per = (uint64_t)cf_re_ninst(re) * CF_RE_STEP_FACTOR;

	/* Saturate rather than wrap for absurd n; exec never gets there. */
	if (n >= UINT64_MAX || (per != 0 && (uint64_t)n + 1 > UINT64_MAX / per))
		return UINT64_MAX;
	return ((uint64_t)n + 1) * per;
}

void
cf_re_free(cf_re *re)
{
	if (re == NULL)
		return;
	cf_mem_free(re->prog);
	cf_mem_free(re->cls);
	cf_mem_free(re);
}

/* ---- example subjects ---- */

/* A byte the class holds, preferring a printable letter or digit so that
 * synthesised values stay readable; -1 for an empty class. */
static int
re_class_pick(const struct re_class *k)
{
	static const char pref[] = "a0A_ -.:/\\";
	for (size_t i = 0; i < sizeof(pref) - 1; i++)
		if (re_class_has(k, (uint8_t)pref[i]))
			return (uint8_t)pref[i];
	for (unsigned b = 0; b < 256; b++)
		if (re_class_has(k, (uint8_t)b))
			return (int)b;
	return -1;
}

/*
 * Walk the program from its first instruction, emitting one byte per
 * consuming instruction: a SPLIT takes its preferred branch the first
 * time it is reached and the other branch afterwards, so every loop body
 * runs once and the walk ends (each SPLIT prefers at most once; a step cap
 * guards the rest). Every byte is one the instruction on the walked path
 * accepts, so the path is a match of the result; only an anchor (^ or $)
 * on the path can make it fail. A walk that passed one is therefore checked
 * with cf_re_exec, and an anchor it could not honour gives CF_E_LIMIT, never
 * a wrong example.
 */
int
cf_re_example(const cf_re *re, uint8_t *out, size_t cap, size_t *n)
{
	uint8_t *seen;
	size_t pc = 0, len = 0, steps = 0, limit;
	int rc = CF_E_LIMIT, m = 0, anchored = 0;

	*n = 0;
	if (re == NULL || out == NULL || re_check_program(re) != CF_OK)
		return CF_E_ARG;
	if ((seen = cf_mem_calloc(re->ninst, 1)) == NULL)
		return CF_E_NOMEM;
	/* Each SPLIT is preferred once and each pass consumes at most one
	 * instruction per step, so 2 * ninst + cap steps always suffice. */
	limit = 2 * re->ninst + cap + 1;
	while (steps++ < limit && pc < re->ninst) {
		const struct re_inst *in = &re->prog[pc];
		int b = -1;

		switch (in->op) {
		case OP_MATCH:
			rc = CF_OK;
			goto done;
		case OP_SPLIT:
			pc = seen[pc]++ ? in->y : in->x;
			continue;
		case OP_JMP:
			pc = in->x;
			continue;
		case OP_BOL:
		case OP_EOL:
			anchored = 1;
			pc++;
			continue;
		case OP_CHAR:
			b = in->c1;
			break;
		case OP_ANYBYTE:
		case OP_ANYNOTNL:
			b = 'a';
			break;
		case OP_CLASS:
			b = re_class_pick(&re->cls[in->x]);
			break;
		}
		if (b < 0 || len >= cap)
			goto done;
		out[len++] = (uint8_t)b;
		pc++;
	}
done:
	cf_mem_free(seen);
	if (rc != CF_OK)
		return rc;
	if (anchored) {
		rc = cf_re_exec(re, out, len, &m, NULL, NULL);
		if (rc != CF_OK)
			return rc;
		if (!m)
			return CF_E_LIMIT;
	}
	*n = len;
	return CF_OK;
}
