/*
 * test_re.c - unit tests of the regex engine (cf_re.h).
 *
 * A table of (pattern, flags, subject) cases with the expected compile
 * code, match and overall span covers each feature and each error; the
 * limits are tested at exactly the maximum and at the maximum plus one by
 * generated patterns. The linear-time tests are deterministic: they count
 * the VM's steps on pathological patterns (never time them) and check the
 * documented bound, a bound in pattern length, and linear growth.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cf_error.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_re.h"
#include "cf_test.h"

/* A string literal and its length, NUL bytes included. */
#define S(x) (const uint8_t *)(x), sizeof(x) - 1

#define I CF_RE_ICASE
#define N CF_RE_DOT_NL
#define L CF_RE_LONGEST

struct re_case {
	int line;
	const uint8_t *pat;
	size_t patlen;
	unsigned flags;
	const uint8_t *subj;
	size_t subjlen;
	int code;    /* expected compile result */
	int matched; /* expected match (when code is CF_OK) */
	size_t start, end;
};

/* clang-format off */
#define OK(p, f, s, st, en) { __LINE__, S(p), f, S(s), CF_OK, 1, st, en }
#define NO(p, f, s) { __LINE__, S(p), f, S(s), CF_OK, 0, 0, 0 }
#define ERR(p, f, code) { __LINE__, S(p), f, S(""), code, 0, 0, 0 }
/* clang-format on */

static const struct re_case cases[] = {
	/* Empty pattern and empty subject. */
	OK("", 0, "", 0, 0),
	OK("", 0, "abc", 0, 0),
	OK("", L, "abc", 0, 0),
	NO("a", 0, ""),
	OK("a*", 0, "", 0, 0),
	OK("^$", 0, "", 0, 0),
	NO("^$", 0, "x"),

	/* Literals and unanchored search. */
	OK("abc", 0, "xabcy", 1, 4),
	OK("abc", 0, "ababc", 2, 5),
	NO("abc", 0, "abd"),
	OK("]", 0, "a]", 1, 2),
	OK("}", 0, "}", 0, 1),
	OK("a]b", 0, "a]b", 0, 3),
	OK("\xff\x80", 0, "a\xff\x80", 1, 3),

	/* NUL bytes in pattern and subject. */
	OK("a\0b", 0, "xa\0b", 1, 4),
	NO("a\0b", 0, "ab"),
	OK(".", 0, "\0", 0, 1),
	OK("[^a]", 0, "a\0", 1, 2),
	OK("[\0-\x01]+", 0, "a\0\x01\x02", 1, 3),
	OK("\0*", L, "\0\0x", 0, 2),

	/* Dot and newline. */
	NO(".", 0, "\n"),
	OK(".", N, "\n", 0, 1),
	OK("a.c", N, "a\nc", 0, 3),
	NO("a.c", 0, "a\nc"),
	OK("a.*", 0, "ab\ncd", 0, 2),
	OK("a.*", N, "ab\ncd", 0, 5),
	OK("[^x]", 0, "\n", 0, 1), /* negated classes do match newline */

	/* Brackets: ranges and the POSIX rules. */
	OK("[abc]+", 0, "xxbcay", 2, 5),
	OK("[a-c]+", 0, "dcbad", 1, 4),
	OK("[^a-c]+", 0, "abxyc", 2, 4),
	OK("[]a]+", 0, "x]a]", 1, 4),
	OK("[^]a]", 0, "]ab", 2, 3),
	OK("[a-]+", 0, "x-a-", 1, 4),
	OK("[-a]+", 0, "x-a-", 1, 4),
	OK("[^-]", 0, "--a", 2, 3),
	OK("[a-m-]*", L, "--amoma--", 0, 4),
	OK("[\\d]+", 0, "5d\\d", 1, 4), /* backslash is literal in brackets */
	NO("[\\d]", 0, "5"),
	OK("[]-a]+", 0, "x]^a", 1, 4),
	OK("[a-a]", 0, "a", 0, 1),
	OK("[[]", 0, "a[", 1, 2),
	OK("[\x80-\xff]+", 0, "a\x80\xff\x62", 1, 3),
	ERR("[z-a]", 0, CF_E_RE_SYNTAX),
	ERR("[", 0, CF_E_RE_SYNTAX),
	ERR("[]", 0, CF_E_RE_SYNTAX),
	ERR("[^]", 0, CF_E_RE_SYNTAX),
	ERR("[a", 0, CF_E_RE_SYNTAX),
	ERR("[^", 0, CF_E_RE_SYNTAX),
	ERR("[[:alpha:]]", 0, CF_E_RE_SYNTAX),
	ERR("[[.a.]]", 0, CF_E_RE_SYNTAX),
	ERR("[[=a=]]", 0, CF_E_RE_SYNTAX),
	ERR("[a-[:alpha:]]", 0, CF_E_RE_SYNTAX),

	/* Perl classes and escapes. */
	OK("\\d+", 0, "ab123c", 2, 5),
	OK("\\w+", 0, "-a_Z9-", 1, 5),
	OK("\\s+", 0, "a \t\n\v\f\rb", 1, 7),
	OK("\\D+", 0, "12ab3", 2, 4),
	OK("\\W+", 0, "ab-+c", 2, 4),
	OK("\\S+", 0, "  ab ", 2, 4),
	NO("\\d", 0, "abc"),
	OK("\\.", 0, "a.", 1, 2),
	OK("a\\*", 0, "aa*", 1, 3),
	OK("\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\", 0, "()[]{}|^$\\", 0, 10),
	OK("a\\(*b", L, "a((b", 0, 4),
	ERR("\\", 0, CF_E_RE_SYNTAX),
	ERR("a\\", 0, CF_E_RE_SYNTAX),
	ERR("\\1", 0, CF_E_RE_SYNTAX),
	ERR("\\n", 0, CF_E_RE_SYNTAX),
	ERR("\\b", 0, CF_E_RE_SYNTAX),
	ERR("\\x41", 0, CF_E_RE_SYNTAX),
	ERR("\\ ", 0, CF_E_RE_SYNTAX),
	ERR("\\\0", 0, CF_E_RE_SYNTAX),

	/* Anchors: subject ends only, allowed anywhere. */
	OK("^a", 0, "ab", 0, 1),
	NO("^a", 0, "ba"),
	OK("a$", 0, "ba", 1, 2),
	NO("a$", 0, "ab"),
	NO("a$", 0, "a\n"),
	OK("a($)", L, "aa", 1, 2),
	OK("a*(^a)", L, "aa", 0, 1),
	OK("$^", 0, "", 0, 0),
	NO("a^b", 0, "ab"),
	OK("$", 0, "abc", 3, 3),
	OK("^*a", 0, "ba", 1, 2),
	OK("(^|x)a", 0, "xa", 0, 2),
	NO("(^|x)a", 0, "ya"),

	/* Repetition operators. */
	OK("a*", 0, "aaa", 0, 3),
	OK("a+", 0, "baab", 1, 3),
	OK("ab?c", 0, "xacy", 1, 3),
	OK("ab?c", 0, "xabcy", 1, 4),
	OK("a*", 0, "baa", 0, 0),
	ERR("*", 0, CF_E_RE_SYNTAX),
	ERR("*a", 0, CF_E_RE_SYNTAX),
	ERR("(*a)", 0, CF_E_RE_SYNTAX),
	ERR("a|*b", 0, CF_E_RE_SYNTAX),
	ERR("a**", 0, CF_E_RE_SYNTAX),
	ERR("a*+", 0, CF_E_RE_SYNTAX),
	ERR("a+?", 0, CF_E_RE_SYNTAX), /* no lazy quantifiers */
	ERR("a??", 0, CF_E_RE_SYNTAX),
	ERR("a{2}*", 0, CF_E_RE_SYNTAX),
	ERR("a*{2}", 0, CF_E_RE_SYNTAX),
	ERR("a{2}{3}", 0, CF_E_RE_SYNTAX),
	OK("(a*)*", 0, "aa", 0, 2),

	/* Counted repetition. */
	OK("a{2}", 0, "aaa", 0, 2),
	NO("a{2}", 0, "aba"),
	OK("a{2,}", 0, "aaaa", 0, 4),
	OK("a{1,2}", 0, "aaa", 0, 2),
	OK("a{0}b", L, "ab", 1, 2),
	OK("a{0}", 0, "a", 0, 0),
	OK("a{0,0}", 0, "a", 0, 0),
	OK("a{0,}", 0, "aa", 0, 2),
	OK("a{1,}", 0, "baa", 1, 3),
	OK("(ab){2}", 0, "abababx", 0, 4),
	OK("(a|b){3}", 0, "xabba", 1, 4),
	OK("a{01}", 0, "aa", 0, 1),
	NO("a{1000}", 0, "a"),
	ERR("a{1001}", 0, CF_E_RE_REPEAT),
	ERR("a{0,1001}", 0, CF_E_RE_REPEAT),
	ERR("a{1001,}", 0, CF_E_RE_REPEAT),
	ERR("a{9876543210}", 0, CF_E_RE_REPEAT),
	ERR("a{99999999999999999999999999}", 0, CF_E_RE_REPEAT),
	ERR("a{2,1}", 0, CF_E_RE_REPEAT),
	ERR("{2}", 0, CF_E_RE_SYNTAX),
	ERR("a|{2}", 0, CF_E_RE_SYNTAX),
	/* A { that does not start a valid count is a literal. */
	OK("a{", 0, "xa{", 1, 3),
	OK("{", 0, "{", 0, 1),
	OK("a{1", 0, "a{1", 0, 3),
	OK("a{1,", 0, "a{1,", 0, 4),
	OK("a{1,2", 0, "a{1,2", 0, 5),
	OK("a{,2}", 0, "a{,2}", 0, 5),
	OK("a{x}", 0, "a{x}", 0, 4),
	OK("a{1x}", 0, "a{1x}", 0, 5),
	OK("a{}", 0, "a{}", 0, 3),
	OK("{a}", 0, "{a}", 0, 3),
	OK("a{2}{", 0, "aa{", 0, 3),

	/* Alternation and groups, empty alternatives included. */
	OK("a|b", 0, "xb", 1, 2),
	OK("ab|cd", 0, "xabcd", 1, 3),
	OK("a|", 0, "b", 0, 0),
	OK("|a", 0, "a", 0, 0),
	OK("|a", L, "a", 0, 1),
	OK("|", 0, "a", 0, 0),
	OK("()", 0, "a", 0, 0),
	OK("(|a)", 0, "a", 0, 0),
	OK("(|a)", L, "a", 0, 1),
	OK("(a|)", 0, "a", 0, 1),
	OK("((a))", 0, "xa", 1, 2),
	OK("(a)(b)(c)", 0, "abc", 0, 3),
	OK("x(a|b|c|d)y", 0, "xdy", 0, 3),
	ERR("(", 0, CF_E_RE_SYNTAX),
	ERR(")", 0, CF_E_RE_SYNTAX),
	ERR("(a", 0, CF_E_RE_SYNTAX),
	ERR("a)", 0, CF_E_RE_SYNTAX),
	ERR("((a)", 0, CF_E_RE_SYNTAX),
	ERR("(a))", 0, CF_E_RE_SYNTAX),
	ERR("a|(b", 0, CF_E_RE_SYNTAX),

	/* Empty loops terminate and give the right spans. */
	OK("(a*)*", L, "aab", 0, 2),
	OK("(a*)+", 0, "b", 0, 0),
	OK("(|a)*", 0, "aaa", 0, 0), /* RE2 leftmost-first */
	OK("(|a)*", L, "aaa", 0, 3),
	OK("(|a)+", 0, "aaa", 0, 0),
	OK("(|a)+", L, "aaa", 0, 3),
	OK("(^)*", 0, "a", 0, 0),
	OK("()*", 0, "a", 0, 0),
	OK("()+x", 0, "ax", 1, 2),
	OK("(a*|b)*", L, "abab", 0, 4),
	OK("((a*)*)*b", 0, "aab", 0, 3),
	OK("($)*", 0, "ab", 0, 0),
	OK("(){1000}", 0, "a", 0, 0),
	OK("(a*){3,5}c", L, "aac", 0, 3),

	/* Leftmost-first versus leftmost-longest. */
	OK("a|ab", 0, "ab", 0, 1),
	OK("a|ab", L, "ab", 0, 2),
	OK("ab|a", 0, "ab", 0, 2),
	OK("(fo|foo)", 0, "foo", 0, 2),
	OK("(fo|foo)", L, "foo", 0, 3),
	OK("b|ab", 0, "ab", 0, 2),
	OK("abcd|c", L, "abcd", 0, 4),
	OK("bcd|c", 0, "abcd", 1, 4),
	ERR("a*?", L, CF_E_RE_SYNTAX),
	OK("(a|ab)(c|bcd)", L, "abcd", 0, 4),
	OK("(a|ab)(c|bcd)", 0, "abcd", 0, 4),
	OK("(a+|b)*", L, "ab", 0, 2),
	OK("x*", L, "axx", 0, 0),
	OK("(a|b)*c|(a|ab)*c", L, "xc", 1, 2),

	/* ICASE folds ASCII letters only. */
	OK("abc", I, "xABc", 1, 4),
	NO("abc", 0, "xABc"),
	OK("[a-c]+", I, "ABCd", 0, 3),
	OK("[A-C]+", I, "abcd", 0, 3),
	NO("[^a]", I, "A"),
	OK("[^a]", I, "Ab", 1, 2),
	OK("\\w+", I, "-Ab-", 1, 3),
	NO("\xe0", I, "\xc0"), /* no Latin-1 folding */
	OK("[@-A]+", I, "@Aa", 0, 3),
	ERR("[", I, CF_E_RE_SYNTAX),
};

static void
run_cases(void)
{
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct re_case *c = &cases[k];
		cf_re *re = NULL;
		cf_re_span sp = { 99, 99 };
		cf_diag d;
		uint64_t steps = 0;
		int err, m = -1;

		memset(&d, 0, sizeof(d));
		err = cf_re_compile(c->pat, c->patlen, c->flags, &re, &d);
		CF_EXPECT(err == c->code,
		    "line %d: compile gave %s (%s), want %s", c->line,
		    cf_err_name(err), d.msg, cf_err_name(c->code));
		if (err != CF_OK) {
			CF_EXPECT(
			    re == NULL, "line %d: *out set on error", c->line);
			CF_EXPECT(d.code == err, "line %d: diag code %d",
			    c->line, d.code);
			CF_EXPECT(d.offset <= c->patlen,
			    "line %d: diag offset %u", c->line,
			    (unsigned)d.offset);
			continue;
		}
		err = cf_re_exec(re, c->subj, c->subjlen, &m, &sp, &steps);
		CF_EXPECT(err == CF_OK, "line %d: exec gave %s", c->line,
		    cf_err_name(err));
		CF_EXPECT(m == c->matched, "line %d: matched %d, want %d",
		    c->line, m, c->matched);
		if (m && c->matched)
			CF_EXPECT(sp.start == c->start && sp.end == c->end,
			    "line %d: span (%zu,%zu), want (%zu,%zu)", c->line,
			    sp.start, sp.end, c->start, c->end);
		CF_EXPECT(steps <= cf_re_step_bound(re, c->subjlen),
		    "line %d: %llu steps over the bound", c->line,
		    (unsigned long long)steps);
		cf_re_free(re);
	}
}

/* Compile pat (NUL-free C string or explicit bytes) and return the code. */
static int
compile_code(
    const uint8_t *pat, size_t len, unsigned flags, size_t *ninst, cf_diag *d)
{
	cf_re *re = NULL;
	int err = cf_re_compile(pat, len, flags, &re, d);

	if (ninst != NULL)
		*ninst = cf_re_ninst(re);
	cf_re_free(re);
	return err;
}

/* Fill buf with k copies of s; returns the length. */
static size_t
repeat_str(uint8_t *buf, size_t cap, const char *s, size_t k)
{
	size_t n = strlen(s), i, o = 0;

	for (i = 0; i < k && o + n <= cap; i++, o += n)
		memcpy(buf + o, s, n);
	return o;
}

/* Program-size edges. Repetition multiplies sizes; x+ adds one SPLIT and
 * x* two, so the first rows sit exactly at CF_RE_MAX_INSTS (MATCH
 * included) and one over. Emitting nothing costs nothing: x{0} of a huge
 * x, and repeated empty groups, compile to MATCH alone. */
struct size_case {
	const char *pat;
	int code;
	size_t ninst; /* 0 when compile fails */
};

static const struct size_case size_cases[] = {
	{ "(a{1000}b{1000}c{1000}d{1000}e{94})+", CF_OK, CF_RE_MAX_INSTS },
	{ "(a{1000}b{1000}c{1000}d{1000}e{95})+", CF_E_RE_TOO_BIG, 0 },
	{ "(a{1000}b{1000}c{1000}d{1000}e{93})*", CF_OK, CF_RE_MAX_INSTS },
	{ "(a{1000}b{1000}c{1000}d{1000}e{94})*", CF_E_RE_TOO_BIG, 0 },
	{ "(a|b{1000}|c{1000}|d{1000}|e{1000}|f{84})", CF_OK, CF_RE_MAX_INSTS },
	{ "(a|b{1000}|c{1000}|d{1000}|e{1000}|f{85})", CF_E_RE_TOO_BIG, 0 },
	{ "((a{1000}){1000}){1000}", CF_E_RE_TOO_BIG, 0 },
	{ "(\\w{1000}){5}", CF_E_RE_TOO_BIG, 0 },
	{ "(a{1000}){0,1000}", CF_E_RE_TOO_BIG, 0 },
	{ "((a{1000}){1000}){0}", CF_OK, 1 },
	{ "((((){1000}){1000}){1000}){1000}", CF_OK, 1 },
	{ "(()*)*(()+)+", CF_OK, 1 },
};

static void
test_limits(void)
{
	static uint8_t buf[CF_RE_MAX_PATTERN + 64];
	cf_diag d;
	size_t n, ninst, k;
	int err;

	/* Pattern length: exactly the maximum, and one more. */
	memset(buf, 'a', sizeof(buf));
	err = compile_code(buf, CF_RE_MAX_PATTERN, 0, &ninst, NULL);
	CF_EXPECT_EQ(err, CF_OK, "pattern of CF_RE_MAX_PATTERN bytes");
	CF_EXPECT_EQ(ninst, CF_RE_MAX_PATTERN + 1, "its ninst");
	memset(&d, 0, sizeof(d));
	err = compile_code(buf, CF_RE_MAX_PATTERN + 1, 0, NULL, &d);
	CF_EXPECT_EQ(err, CF_E_RE_TOO_LONG, "pattern of max+1 bytes");
	CF_EXPECT_EQ(d.code, CF_E_RE_TOO_LONG, "its diag code");
	CF_EXPECT_EQ(d.offset, CF_RE_MAX_PATTERN, "its diag offset");

	/* Nesting: CF_RE_MAX_DEPTH groups, then one more. */
	n = repeat_str(buf, sizeof(buf), "(", CF_RE_MAX_DEPTH);
	buf[n++] = 'a';
	n += repeat_str(buf + n, sizeof(buf) - n, ")", CF_RE_MAX_DEPTH);
	CF_EXPECT_EQ(compile_code(buf, n, 0, NULL, NULL), CF_OK,
	    "CF_RE_MAX_DEPTH nested groups");
	n = repeat_str(buf, sizeof(buf), "(", CF_RE_MAX_DEPTH + 1);
	buf[n++] = 'a';
	n += repeat_str(buf + n, sizeof(buf) - n, ")", CF_RE_MAX_DEPTH + 1);
	memset(&d, 0, sizeof(d));
	CF_EXPECT_EQ(compile_code(buf, n, 0, NULL, &d), CF_E_RE_NESTING,
	    "CF_RE_MAX_DEPTH + 1 nested groups");
	CF_EXPECT_EQ(d.offset, CF_RE_MAX_DEPTH, "nesting diag offset");
	/* Deep, unbalanced and as long as allowed: no recursion to exhaust. */
	n = repeat_str(buf, sizeof(buf), "(", CF_RE_MAX_PATTERN);
	CF_EXPECT_EQ(compile_code(buf, n, 0, NULL, NULL), CF_E_RE_NESTING,
	    "1024 open groups");
	n = repeat_str(buf, sizeof(buf), "(a|", CF_RE_MAX_DEPTH);
	n += repeat_str(buf + n, sizeof(buf) - n, ")*", CF_RE_MAX_DEPTH);
	CF_EXPECT_EQ(
	    compile_code(buf, n, 0, NULL, NULL), CF_OK, "64 nested (a|...)*");
	n = repeat_str(buf, sizeof(buf), ")", 10);
	CF_EXPECT_EQ(compile_code(buf, n, 0, NULL, NULL), CF_E_RE_SYNTAX,
	    "unbalanced )");

	/* Repeat counts: exactly CF_RE_MAX_REPEAT, and one more. */
	n = (size_t)snprintf(
	    (char *)buf, sizeof(buf), "a{%u}", (unsigned)CF_RE_MAX_REPEAT);
	CF_EXPECT_EQ(compile_code(buf, n, 0, &ninst, NULL), CF_OK, "a{max}");
	CF_EXPECT_EQ(ninst, CF_RE_MAX_REPEAT + 1, "a{max} ninst");
	n = (size_t)snprintf(
	    (char *)buf, sizeof(buf), "a{0,%u}", (unsigned)CF_RE_MAX_REPEAT);
	CF_EXPECT_EQ(compile_code(buf, n, 0, &ninst, NULL), CF_OK, "a{0,max}");
	CF_EXPECT_EQ(ninst, 2 * CF_RE_MAX_REPEAT + 1, "a{0,max} ninst");
	n = (size_t)snprintf(
	    (char *)buf, sizeof(buf), "a{%u}", (unsigned)CF_RE_MAX_REPEAT + 1);
	memset(&d, 0, sizeof(d));
	CF_EXPECT_EQ(
	    compile_code(buf, n, 0, NULL, &d), CF_E_RE_REPEAT, "a{max+1}");
	CF_EXPECT_EQ(d.offset, 1, "a{max+1} diag offset");

	/* Program size: exactly CF_RE_MAX_INSTS (MATCH included), then one
	 * more. Four a{1000} give 4000, plus 95 literals plus MATCH = 4096. */
	n = repeat_str(buf, sizeof(buf), "a{1000}", 4);
	n += repeat_str(buf + n, sizeof(buf) - n, "b", CF_RE_MAX_INSTS - 4001);
	CF_EXPECT_EQ(compile_code(buf, n, 0, &ninst, NULL), CF_OK,
	    "program of CF_RE_MAX_INSTS");
	CF_EXPECT_EQ(ninst, CF_RE_MAX_INSTS, "its ninst");
	buf[n++] = 'b';
	memset(&d, 0, sizeof(d));
	CF_EXPECT_EQ(compile_code(buf, n, 0, NULL, &d), CF_E_RE_TOO_BIG,
	    "program of CF_RE_MAX_INSTS + 1");
	CF_EXPECT_EQ(d.code, CF_E_RE_TOO_BIG, "its diag code");

	/* Repetition multiplies sizes: these would overflow 32-bit (even
	 * 64-bit) arithmetic without saturation. */
	n = repeat_str(buf, sizeof(buf), "(", 8);
	buf[n++] = 'a';
	n += repeat_str(buf + n, sizeof(buf) - n, "){1000}", 8);
	CF_EXPECT_EQ(compile_code(buf, n, 0, NULL, NULL), CF_E_RE_TOO_BIG,
	    "(((a{1000}){1000})...) x8");
	for (k = 0; k < sizeof(size_cases) / sizeof(size_cases[0]); k++) {
		const struct size_case *c = &size_cases[k];

		ninst = 0;
		err = compile_code(
		    (const uint8_t *)c->pat, strlen(c->pat), 0, &ninst, NULL);
		CF_EXPECT(err == c->code, "%s: got %s, want %s", c->pat,
		    cf_err_name(err), cf_err_name(c->code));
		CF_EXPECT(ninst == c->ninst, "%s: ninst %zu, want %zu", c->pat,
		    ninst, c->ninst);
	}
}

/* FORMAT.md 4, "Program size": the cost of each construct, one row each,
 * with MATCH included. */
static const struct size_case cost_cases[] = {
	{ "", CF_OK, 1 },
	{ "a", CF_OK, 2 },
	{ ".", CF_OK, 2 },
	{ "\\.", CF_OK, 2 },
	{ "[a-z0-9]", CF_OK, 2 },
	{ "[^a]", CF_OK, 2 },
	{ "\\d", CF_OK, 2 },
	{ "\\S", CF_OK, 2 },
	{ "^", CF_OK, 2 },
	{ "$", CF_OK, 2 },
	{ "()", CF_OK, 1 },
	{ "(a)", CF_OK, 2 },
	{ "((ab))", CF_OK, 3 },
	{ "abc", CF_OK, 4 },
	{ "a|b", CF_OK, 5 },
	{ "a|b|c", CF_OK, 8 },
	{ "ab|c", CF_OK, 6 },
	{ "|", CF_OK, 3 },
	{ "(|)", CF_OK, 3 },
	{ "a|", CF_OK, 4 },
	{ "()*", CF_OK, 1 },
	{ "(){5,9}", CF_OK, 1 },
	{ "a*", CF_OK, 4 },
	{ "a{0,}", CF_OK, 4 },
	{ "a+", CF_OK, 3 },
	{ "a{1,}", CF_OK, 3 },
	{ "a{3,}", CF_OK, 5 },
	{ "a?", CF_OK, 3 },
	{ "a{0,1}", CF_OK, 3 },
	{ "a{3}", CF_OK, 4 },
	{ "a{0}", CF_OK, 1 },
	{ "a{2,5}", CF_OK, 9 },
	{ "(ab)*", CF_OK, 5 },
	{ "(ab)+", CF_OK, 4 },
	{ "(ab){2,3}", CF_OK, 8 },
	{ "(a|bc)+", CF_OK, 7 },
	{ "x(a|b)?y", CF_OK, 8 },
	{ "^*", CF_OK, 4 },
	{ "(|a){1000}", CF_OK, 3001 },
	{ "(a{1000}){0,1}", CF_OK, 1002 },
	{ "a{0001000}", CF_OK, 1001 },
	/* Not a complete count: literals, whatever the numbers. */
	{ "a{1001", CF_OK, 7 },
	{ "{1001,x}", CF_OK, 9 },
};

/* FORMAT.md 4, "Errors, in the order they are found": the first error in
 * that order decides, whatever comes after it. */
struct order_case {
	const char *pat;
	int code;
	unsigned offset; /* where the diagnostic points */
};

static const struct order_case order_cases[] = {
	/* A count is checked before what it repeats. */
	{ "{1001}", CF_E_RE_REPEAT, 0 },
	{ "a*{1001}", CF_E_RE_REPEAT, 2 },
	{ "a{1000}{1001}", CF_E_RE_REPEAT, 7 },
	{ "{2,1}", CF_E_RE_REPEAT, 0 },
	{ "a*{2,1}", CF_E_RE_REPEAT, 2 },
	{ "(|{1001})", CF_E_RE_REPEAT, 2 },
	{ "{1001,1}", CF_E_RE_REPEAT, 0 }, /* over the limit before m > n */
	{ "{2}", CF_E_RE_SYNTAX, 0 },
	{ "a*{2}", CF_E_RE_SYNTAX, 2 },
	/* Otherwise the first error from the left. */
	{ "a**{1001}", CF_E_RE_SYNTAX, 2 },
	{ "\\q{1001}", CF_E_RE_SYNTAX, 0 },
	{ "[z-a]{1001}", CF_E_RE_SYNTAX, 1 },
	{ "a{1001}**", CF_E_RE_REPEAT, 1 },
	{ "a{1001}(", CF_E_RE_REPEAT, 1 },
	{ "(a{1001}", CF_E_RE_REPEAT, 2 },
	{ "[a{1001}", CF_E_RE_SYNTAX, 0 },  /* brackets to the end */
	{ "[(]{1001}", CF_E_RE_REPEAT, 3 }, /* ( in brackets opens nothing */
	/* An open group is found at the end, before the size. */
	{ "(a{1000}){1000}(", CF_E_RE_SYNTAX, 15 },
	{ "(a{1000}){1000})", CF_E_RE_SYNTAX, 15 },
	{ "(a{1000}){1000}", CF_E_RE_TOO_BIG, 9 },
};

static void
test_costs_and_order(void)
{
	static uint8_t buf[CF_RE_MAX_PATTERN + 8];
	cf_diag d;
	size_t k, n, ninst;
	int err;

	for (k = 0; k < sizeof(cost_cases) / sizeof(cost_cases[0]); k++) {
		const struct size_case *c = &cost_cases[k];

		ninst = 0;
		err = compile_code(
		    (const uint8_t *)c->pat, strlen(c->pat), 0, &ninst, NULL);
		CF_EXPECT(err == c->code && ninst == c->ninst,
		    "cost of %s: %s, %zu instructions, want %zu", c->pat,
		    cf_err_name(err), ninst, c->ninst);
		/* Flags do not change the cost. */
		ninst = 0;
		compile_code((const uint8_t *)c->pat, strlen(c->pat),
		    CF_RE_ICASE | CF_RE_DOT_NL | CF_RE_LONGEST, &ninst, NULL);
		CF_EXPECT(ninst == c->ninst, "cost of %s with every flag: %zu",
		    c->pat, ninst);
	}
	for (k = 0; k < sizeof(order_cases) / sizeof(order_cases[0]); k++) {
		const struct order_case *c = &order_cases[k];

		memset(&d, 0, sizeof(d));
		err = compile_code(
		    (const uint8_t *)c->pat, strlen(c->pat), 0, NULL, &d);
		CF_EXPECT(err == c->code && d.offset == c->offset,
		    "%s: %s at %u, want %s at %u", c->pat, cf_err_name(err),
		    (unsigned)d.offset, cf_err_name(c->code), c->offset);
	}
	/* The length comes first: a pattern of errors one byte too long. */
	memset(buf, '*', sizeof(buf));
	err = compile_code(buf, CF_RE_MAX_PATTERN + 1, 0, NULL, NULL);
	CF_EXPECT_EQ(err, CF_E_RE_TOO_LONG, "1025 bytes of '*'");
	/* Nesting is found where the 65th group opens, before a later
	 * repeat error; and a repeat error before the 65th group wins. */
	n = repeat_str(buf, sizeof(buf), "(", CF_RE_MAX_DEPTH + 1);
	n += repeat_str(buf + n, sizeof(buf) - n, "{1001}", 1);
	memset(&d, 0, sizeof(d));
	err = compile_code(buf, n, 0, NULL, &d);
	CF_EXPECT(err == CF_E_RE_NESTING && d.offset == CF_RE_MAX_DEPTH,
	    "65 groups, then {1001}: %s at %u", cf_err_name(err),
	    (unsigned)d.offset);
	n = repeat_str(buf, sizeof(buf), "a{1001}", 1);
	n += repeat_str(buf + n, sizeof(buf) - n, "(", CF_RE_MAX_DEPTH + 1);
	err = compile_code(buf, n, 0, NULL, NULL);
	CF_EXPECT_EQ(err, CF_E_RE_REPEAT, "{1001}, then 65 groups");
}

static void
test_subject_limit(void)
{
	uint8_t *s = cf_mem_calloc(CF_RE_MAX_SUBJECT + 1, 1);
	cf_re *re = NULL;
	cf_re_span sp;
	uint64_t steps = 0;
	int m = -1, err;

	CF_EXPECT(s != NULL, "subject buffer");
	if (s == NULL)
		return;
	memset(s, 'a', CF_RE_MAX_SUBJECT + 1);
	s[CF_RE_MAX_SUBJECT - 1] = 'b';
	err = cf_re_compile(S("ab$"), 0, &re, NULL);
	CF_EXPECT_EQ(err, CF_OK, "compile ab$");
	err = cf_re_exec(re, s, CF_RE_MAX_SUBJECT, &m, &sp, &steps);
	CF_EXPECT_EQ(err, CF_OK, "subject of CF_RE_MAX_SUBJECT bytes");
	CF_EXPECT_EQ(m, 1, "matched at the very end");
	CF_EXPECT_EQ(sp.start, CF_RE_MAX_SUBJECT - 2, "span start");
	CF_EXPECT_EQ(sp.end, CF_RE_MAX_SUBJECT, "span end");
	CF_EXPECT(steps <= cf_re_step_bound(re, CF_RE_MAX_SUBJECT),
	    "steps within bound");
	m = -1;
	err = cf_re_exec(re, s, CF_RE_MAX_SUBJECT + 1, &m, &sp, NULL);
	CF_EXPECT_EQ(err, CF_E_RE_SUBJECT, "subject of max + 1 bytes");
	CF_EXPECT_EQ(m, 0, "no match reported on error");
	cf_re_free(re);
	cf_mem_free(s);
}

static void
test_api(void)
{
	cf_re *re = (cf_re *)(uintptr_t)1;
	cf_diag d;
	int m = -1;

	memset(&d, 0, sizeof(d));
	CF_EXPECT_EQ(
	    cf_re_compile(S("a"), 8u, &re, &d), CF_E_ARG, "unknown flag");
	CF_EXPECT(re == NULL, "*out cleared on error");
	CF_EXPECT_EQ(cf_re_compile(NULL, 1, 0, &re, NULL), CF_E_ARG,
	    "NULL pattern with length");
	CF_EXPECT_EQ(
	    cf_re_compile(S("a"), 0, NULL, NULL), CF_E_ARG, "NULL out");
	CF_EXPECT_EQ(
	    cf_re_compile(NULL, 0, 0, &re, NULL), CF_OK, "NULL empty pattern");
	CF_EXPECT_EQ(cf_re_ninst(re), 1, "empty pattern is MATCH alone");
	CF_EXPECT_EQ(cf_re_exec(re, NULL, 0, &m, NULL, NULL), CF_OK,
	    "NULL empty subject, no span, no steps");
	CF_EXPECT_EQ(m, 1, "empty matches empty");
	CF_EXPECT_EQ(cf_re_exec(re, NULL, 1, &m, NULL, NULL), CF_E_ARG,
	    "NULL subject with length");
	CF_EXPECT_EQ(
	    cf_re_exec(re, S("a"), NULL, NULL, NULL), CF_E_ARG, "NULL matched");
	CF_EXPECT_EQ(
	    cf_re_exec(NULL, S("a"), &m, NULL, NULL), CF_E_ARG, "NULL regex");
	CF_EXPECT_EQ(cf_re_ninst(NULL), 0, "ninst of NULL");
	CF_EXPECT_EQ(cf_re_step_bound(re, 9), 10 * CF_RE_STEP_FACTOR,
	    "step bound formula");
	CF_EXPECT(cf_re_step_bound(re, SIZE_MAX) == UINT64_MAX,
	    "step bound saturates");
	cf_re_free(re);
	cf_re_free(NULL);

	/* Diagnostics carry the offending offset. */
	memset(&d, 0, sizeof(d));
	CF_EXPECT_EQ(
	    cf_re_compile(S("ab)"), 0, &re, &d), CF_E_RE_SYNTAX, "ab)");
	CF_EXPECT_EQ(d.offset, 2, "ab) offset");
	CF_EXPECT(d.msg[0] != '\0', "ab) message");
	CF_EXPECT_EQ(
	    cf_re_compile(S("x[abc"), 0, &re, &d), CF_E_RE_SYNTAX, "x[abc");
	CF_EXPECT_EQ(d.offset, 1, "x[abc offset");
	CF_EXPECT_EQ(
	    cf_re_compile(S("ab(c"), 0, &re, &d), CF_E_RE_SYNTAX, "ab(c");
	CF_EXPECT_EQ(d.offset, 2, "ab(c offset");
	CF_EXPECT_EQ(
	    cf_re_compile(S("ab**"), 0, &re, &d), CF_E_RE_SYNTAX, "ab**");
	CF_EXPECT_EQ(d.offset, 3, "ab** offset");
	CF_EXPECT_EQ(
	    cf_re_compile(S("x\\q"), 0, &re, &d), CF_E_RE_SYNTAX, "x\\q");
	CF_EXPECT_EQ(d.offset, 1, "x\\q offset");

	/* One compiled regex, used again: exec keeps no state in it. */
	CF_EXPECT_EQ(cf_re_compile(S("a+"), 0, &re, NULL), CF_OK, "a+");
	{
		cf_re_span a, b;
		int m1 = 0, m2 = 0;

		cf_re_exec(re, S("xaay"), &m1, &a, NULL);
		cf_re_exec(re, S("aaay"), &m2, &b, NULL);
		CF_EXPECT(m1 && m2 && a.start == 1 && a.end == 3 &&
		        b.start == 0 && b.end == 3,
		    "reuse of one compiled regex");
	}
	cf_re_free(re);
}

/*
 * Linear bound. For a pattern without counted repetition every byte adds
 * at most two instructions (x* adds SPLIT SPLIT, | adds SPLIT JMP), plus
 * the final MATCH, so ninst <= 2 * plen + 1 <= 3 * plen and the documented
 * bound 2 * ninst * (n + 1) gives steps <= C_PLEN * plen * (n + 1) with
 * C_PLEN = 6. Counted repetition breaks ninst <= 3 * plen (a{30} is 5
 * bytes and 30 instructions), so for those patterns only the ninst bound
 * is asserted. Steps are counted, never timed.
 */
#define C_PLEN 6u

struct patho {
	const char *pat;
	uint8_t fill;   /* subject byte */
	size_t period;  /* every period-th byte is 'b' instead (0: never) */
	int plen_bound; /* does ninst <= 3 * plen hold? */
};

static const struct patho pathos[] = {
	{ "(a*)*b", 'a', 0, 1 },
	{ "(a|a)*b", 'a', 0, 1 },
	/* 29 a's then b, over and over: (a?){30}a{30} never matches. */
	{ "(a?){30}a{30}", 'a', 30, 0 },
	{ "(x+x+)+y", 'x', 0, 1 },
	{ "(.*)*c", 'a', 0, 1 },
	{ "(a|aa)*(b|aa)*c", 'a', 0, 1 },
	{ "((a*)*|b)*$x", 'a', 0, 1 },
	{ "(a|b|ab|ba)*(a{3}|b)*(aa)*z", 'a', 7, 0 },
};

static uint64_t
steps_on(const cf_re *re, const uint8_t *s, size_t n, int *err)
{
	uint64_t steps = 0;
	int m = 0;

	*err = cf_re_exec(re, s, n, &m, NULL, &steps);
	return steps;
}

static void
test_linear(void)
{
	static const size_t sizes[2] = { 10000, 100000 };
	uint8_t *s = cf_mem_alloc(100000);
	size_t k, j, f;

	CF_EXPECT(s != NULL, "subject buffer");
	if (s == NULL)
		return;
	for (k = 0; k < sizeof(pathos) / sizeof(pathos[0]); k++) {
		const struct patho *p = &pathos[k];
		size_t plen = strlen(p->pat);
		unsigned flags[2] = { 0, CF_RE_LONGEST | CF_RE_DOT_NL };

		memset(s, p->fill, 100000);
		for (j = p->period; p->period > 0 && j <= 100000;
		     j += p->period)
			s[j - 1] = 'b';
		for (f = 0; f < 2; f++) {
			cf_re *re = NULL;
			uint64_t st[2] = { 0, 0 };
			size_t ninst;
			int err;

			err = cf_re_compile(
			    (const uint8_t *)p->pat, plen, flags[f], &re, NULL);
			CF_EXPECT_EQ(err, CF_OK, p->pat);
			if (err != CF_OK)
				continue;
			ninst = cf_re_ninst(re);
			if (p->plen_bound)
				CF_EXPECT(ninst <= 2 * plen + 1,
				    "%s: ninst %zu > 2 * plen + 1", p->pat,
				    ninst);
			for (j = 0; j < 2; j++) {
				uint64_t n1 = (uint64_t)sizes[j] + 1;

				st[j] = steps_on(re, s, sizes[j], &err);
				CF_EXPECT_EQ(err, CF_OK, p->pat);
				CF_EXPECT(
				    st[j] <= cf_re_step_bound(re, sizes[j]),
				    "%s n=%zu: %llu steps > bound %llu", p->pat,
				    sizes[j], (unsigned long long)st[j],
				    (unsigned long long)cf_re_step_bound(
				        re, sizes[j]));
				/* The documented bound, written out here rather
				 * than taken from the library (FORMAT.md 4). */
				CF_EXPECT(ninst <= CF_RE_MAX_INSTS &&
				        st[j] <= 2 * n1 * ninst,
				    "%s n=%zu: %llu steps > 2 * (n + 1) * %zu",
				    p->pat, sizes[j], (unsigned long long)st[j],
				    ninst);
				if (p->plen_bound)
					CF_EXPECT(st[j] <= C_PLEN * plen * n1,
					    "%s n=%zu: %llu steps > %u*%zu*%llu",
					    p->pat, sizes[j],
					    (unsigned long long)st[j], C_PLEN,
					    plen, (unsigned long long)n1);
				printf(
				    "linear: %-18s flags=%u ninst=%4zu n=%6zu steps=%9llu (%.2f per byte per inst)\n",
				    p->pat, flags[f], ninst, sizes[j],
				    (unsigned long long)st[j],
				    (double)st[j] / (double)n1 / (double)ninst);
			}
			CF_EXPECT(st[1] <= 11 * st[0],
			    "%s: steps(100k)=%llu > 11 * steps(10k)=%llu",
			    p->pat, (unsigned long long)st[1],
			    (unsigned long long)st[0]);
			CF_EXPECT(st[0] > 0, "%s: steps counted", p->pat);
			cf_re_free(re);
		}
	}
	cf_mem_free(s);
}

int
main(void)
{
	run_cases();
	test_limits();
	test_costs_and_order();
	test_subject_limit();
	test_api();
	test_linear();
	return cf_test_finish("re");
}
