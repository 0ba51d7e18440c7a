/*
 * test_re_conformance.c - runs the regex engine (cf_re.h) over the
 * conformance data in tests/data/regex-conformance.
 *
 * usage: test_re_conformance DIR
 *
 * DIR holds basic.dat, nullsubexpr.dat, repetition.dat (AT&T testregex data
 * as edited for Go) and re2-search.txt (RE2's search log). The formats and
 * the rules that decide which lines are in scope are those of DIR/README.md;
 * this file implements them:
 *
 * - .dat: POSIX semantics, so every line runs with CF_RE_DOT_NL |
 *   CF_RE_LONGEST and compares match/no-match and the overall span. Control
 *   prefixes (`{` `}` and `:LABEL:`) are stripped, SAME and NULL resolved,
 *   and `$` lines get their C escapes expanded, all as Go's exec_test.go
 *   does. In scope: flags with E and without i or n; no [[: [[. [[=, no
 *   back-reference, no `(?`; an expected span or NOMATCH. README: 199 + 50 +
 *   91 = 340 lines.
 * - re2-search.txt: RE2 semantics, so flags 0 (leftmost-first, `.` does not
 *   match newline) against result field 2. A block is in scope when its
 *   subjects are ASCII and its original regexp avoids the constructs the
 *   README lists. `(?:` is rewritten to `(` in all four regexps of a block.
 *   README: 91 of 236 blocks, 182 result lines for the original regexps and
 *   728 with the three wrapped variants; all 728 run here.
 *
 * Each in-scope line is one assertion, so the closing line reports 340 +
 * 728 = 1068 of them. Two extra checks, printed on their own, add an
 * assertion only when they fail: the one BADBR line of basic.dat (out of
 * the README's scope because it expects an error, but our engine has the
 * same limit: it must fail with CF_E_RE_REPEAT), and result field 4
 * (leftmost-longest) of every in-scope re2-search line, run with
 * CF_RE_LONGEST, which exercises the longest mode on RE2's data too.
 *
 * Files are read as bytes (basic.dat line 165 holds raw 0x01-0x03).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cf_error.h"
#include "cf_mem.h"
#include "cf_re.h"
#include "cf_test.h"

#define MAX_FILE (1u << 20)
#define MAX_FIELD 1024u /* longest pattern or subject after unescaping */
#define MAX_FIELDS 8u
#define MAX_REASONS 16u

struct bytes {
	const uint8_t *p;
	size_t n;
};

struct tally {
	const char *file;
	unsigned lines; /* test lines (or result lines) seen */
	unsigned run, passed, failed, skipped;
	const char *reason[MAX_REASONS];
	unsigned nreason[MAX_REASONS];
	size_t nr;
	unsigned extra_run, extra_failed;
	unsigned blocks, blocks_in_scope;
};

static void
skip(struct tally *t, const char *why)
{
	size_t i;

	t->skipped++;
	for (i = 0; i < t->nr; i++) {
		if (strcmp(t->reason[i], why) == 0) {
			t->nreason[i]++;
			return;
		}
	}
	if (t->nr < MAX_REASONS) {
		t->reason[t->nr] = why;
		t->nreason[t->nr++] = 1;
	}
}

/* Prints the tally, and fails when fewer cases ran than min_run: a scope
 * filter that widens, or data that shrinks, must not go green by skipping.
 */
static void
report(const struct tally *t, unsigned min_run)
{
	size_t i;

	CF_EXPECT(t->run >= min_run,
	    "%s: %u cases run, fewer than the %u expected in scope (tests/data/regex-conformance/README.md)",
	    t->file, t->run, min_run);

	printf("%s: %u lines, %u run, %u passed, %u failed, %u skipped\n",
	    t->file, t->lines, t->run, t->passed, t->failed, t->skipped);
	if (t->blocks > 0)
		printf("  blocks: %u, in scope: %u\n", t->blocks,
		    t->blocks_in_scope);
	for (i = 0; i < t->nr; i++)
		printf("  skipped, %s: %u\n", t->reason[i], t->nreason[i]);
	if (t->extra_run > 0)
		printf("  extra checks: %u run, %u failed\n", t->extra_run,
		    t->extra_failed);
}

/* Printable rendering of a byte string for failure messages. */
static const char *
show(struct bytes b, char *out, size_t cap)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < b.n && o + 5 < cap; i++) {
		uint8_t c = b.p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
	}
	out[o < cap ? o : cap - 1] = '\0';
	return out;
}

static int
read_file(const char *dir, const char *name, uint8_t **out, size_t *n)
{
	char path[4096];
	uint8_t *buf = NULL;
	size_t got;
	FILE *f;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return -1;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	if ((buf = cf_mem_alloc(MAX_FILE)) == NULL)
		goto done;
	got = fread(buf, 1, MAX_FILE, f);
	if (ferror(f) || got == MAX_FILE) {
		fprintf(stderr, "cannot read %s (or over %u bytes)\n", path,
		    MAX_FILE);
		goto done;
	}
	*out = buf;
	*n = got;
	buf = NULL;
	rc = 0;
done:
	cf_mem_free(buf);
	fclose(f);
	return rc;
}

/* Next '\n'-terminated line of file[*off..n), without the newline. */
static int
next_line(const uint8_t *file, size_t n, size_t *off, struct bytes *line)
{
	const uint8_t *nl;

	if (*off >= n)
		return 0;
	line->p = file + *off;
	nl = memchr(line->p, '\n', n - *off);
	line->n = nl != NULL ? (size_t)(nl - line->p) : n - *off;
	*off += line->n + (nl != NULL);
	if (line->n > 0 && line->p[line->n - 1] == '\r')
		line->n--;
	return 1;
}

static int
eq(struct bytes b, const char *s)
{
	return b.n == strlen(s) && memcmp(b.p, s, b.n) == 0;
}

static int
has(struct bytes b, const char *s)
{
	size_t k = strlen(s), i;

	for (i = 0; k <= b.n && i <= b.n - k; i++)
		if (memcmp(b.p + i, s, k) == 0)
			return 1;
	return 0;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
put(uint8_t *out, size_t cap, size_t *o, uint32_t c)
{
	if (*o >= cap)
		return -1;
	out[(*o)++] = (uint8_t)c;
	return 0;
}

static int
put_utf8(uint8_t *out, size_t cap, size_t *o, uint32_t r)
{
	if (r < 0x80)
		return put(out, cap, o, r);
	if (r < 0x800)
		return put(out, cap, o, 0xc0 | (r >> 6)) ||
		    put(out, cap, o, 0x80 | (r & 0x3f));
	if (r < 0x10000)
		return put(out, cap, o, 0xe0 | (r >> 12)) ||
		    put(out, cap, o, 0x80 | ((r >> 6) & 0x3f)) ||
		    put(out, cap, o, 0x80 | (r & 0x3f));
	if (r < 0x110000)
		return put(out, cap, o, 0xf0 | (r >> 18)) ||
		    put(out, cap, o, 0x80 | ((r >> 12) & 0x3f)) ||
		    put(out, cap, o, 0x80 | ((r >> 6) & 0x3f)) ||
		    put(out, cap, o, 0x80 | (r & 0x3f));
	return -1;
}

/* Expand the escapes of a Go interpreted string literal (the body, without
 * quotes): \a \b \f \n \r \t \v \\ \' \" \xHH \ooo \uHHHH \UHHHHHHHH.
 * This is strconv.Unquote, which Go applies both to `$` lines of the .dat
 * files and to every string of re2-search.txt. Returns -1 on a bad escape
 * or overflow of out. */
static int
unescape(struct bytes in, uint8_t *out, size_t cap, size_t *outn)
{
	static const char simple_from[] = "abfnrtv\\'\"";
	static const char simple_to[] = "\a\b\f\n\r\t\v\\'\"";
	size_t i = 0, o = 0;

	while (i < in.n) {
		uint8_t c = in.p[i++];
		const char *e;
		uint32_t v = 0;
		size_t k, nd;
		int h;

		if (c != '\\') {
			if (put(out, cap, &o, c))
				return -1;
			continue;
		}
		if (i >= in.n)
			return -1;
		c = in.p[i++];
		if ((e = strchr(simple_from, c)) != NULL && c != '\0') {
			if (put(out, cap, &o,
			        (uint8_t)simple_to[e - simple_from]))
				return -1;
			continue;
		}
		switch (c) {
		case 'x':
		case 'u':
		case 'U':
			nd = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			if (in.n - i < nd)
				return -1;
			for (k = 0; k < nd; k++) {
				if ((h = hexval(in.p[i + k])) < 0)
					return -1;
				v = v * 16 + (uint32_t)h;
			}
			i += nd;
			if (c != 'x') {
				if (put_utf8(out, cap, &o, v))
					return -1;
				continue;
			}
			break;
		default:
			if (c < '0' || c > '7' || in.n - i < 2)
				return -1;
			v = (uint32_t)(c - '0');
			for (k = 0; k < 2; k++) {
				if (in.p[i + k] < '0' || in.p[i + k] > '7')
					return -1;
				v = v * 8 + (uint32_t)(in.p[i + k] - '0');
			}
			if (v > 255)
				return -1;
			i += 2;
			break;
		}
		if (put(out, cap, &o, v))
			return -1;
	}
	*outn = o;
	return 0;
}

/* Read a decimal number at s[*i]; -1 if there is none. */
static long
number(struct bytes s, size_t *i)
{
	long v = 0;
	size_t j = *i;

	if (j >= s.n || s.p[j] < '0' || s.p[j] > '9')
		return -1;
	for (; j < s.n && s.p[j] >= '0' && s.p[j] <= '9' && v < 100000000; j++)
		v = v * 10 + (s.p[j] - '0');
	*i = j;
	return v;
}

/* Compile and run one case; returns 1 if it behaves as expected and fills
 * why with the difference otherwise. */
static int
check(struct bytes pat, struct bytes subj, unsigned flags, int want_match,
    long ws, long we, char *why, size_t cap)
{
	cf_re *re = NULL;
	cf_re_span sp = { 0, 0 };
	cf_diag d;
	int err, m = 0, ok;

	memset(&d, 0, sizeof(d));
	err = cf_re_compile(pat.p, pat.n, flags, &re, &d);
	if (err != CF_OK) {
		snprintf(why, cap, "compile: %s at %u: %s", cf_err_name(err),
		    (unsigned)d.offset, d.msg);
		return 0;
	}
	err = cf_re_exec(re, subj.p, subj.n, &m, &sp, NULL);
	cf_re_free(re);
	if (err != CF_OK) {
		snprintf(why, cap, "exec: %s", cf_err_name(err));
		return 0;
	}
	ok = m == want_match &&
	    (!m || ((long)sp.start == ws && (long)sp.end == we));
	if (!ok) {
		char got[64], want[64];

		if (m)
			snprintf(
			    got, sizeof(got), "(%zu,%zu)", sp.start, sp.end);
		else
			snprintf(got, sizeof(got), "NOMATCH");
		if (want_match)
			snprintf(want, sizeof(want), "(%ld,%ld)", ws, we);
		else
			snprintf(want, sizeof(want), "NOMATCH");
		snprintf(why, cap, "got %s, want %s", got, want);
	}
	return ok;
}

static void
record(struct tally *t, unsigned lineno, int ok, struct bytes pat,
    struct bytes subj, const char *why)
{
	char ps[256], ss[256];

	t->run++;
	if (ok) {
		t->passed++;
	} else {
		t->failed++;
	}
	CF_EXPECT(ok, "%s:%u: /%s/ on \"%s\": %s", t->file, lineno,
	    show(pat, ps, sizeof(ps)), show(subj, ss, sizeof(ss)), why);
}

/* A back-reference is a backslash and a digit; `\\` is an escaped
 * backslash, so the scan steps over escape pairs. */
static int
has_backref(struct bytes p)
{
	size_t i;

	for (i = 0; i + 1 < p.n; i++) {
		if (p.p[i] != '\\')
			continue;
		if (p.p[i + 1] >= '0' && p.p[i + 1] <= '9')
			return 1;
		i++;
	}
	return 0;
}

static void
run_dat(const char *dir, const char *name, unsigned min_run)
{
	struct tally t;
	uint8_t *file = NULL, lastbuf[MAX_FIELD], patbuf[MAX_FIELD],
	        subjbuf[MAX_FIELD];
	size_t n, off = 0, lastn = 0;
	struct bytes line;
	unsigned lineno = 0;

	memset(&t, 0, sizeof(t));
	t.file = name;
	if (read_file(dir, name, &file, &n) != 0) {
		CF_EXPECT(0, "%s: cannot read", name);
		return;
	}
	while (next_line(file, n, &off, &line)) {
		struct bytes f[MAX_FIELDS], flag, pat, subj, want;
		size_t nf = 0, i = 0, pn, sn;
		long ws = -1, we = -1;
		int want_match, want_error = 0;
		char why[512];

		lineno++;
		if (line.n == 0 || line.p[0] == '#')
			continue;
		/* Fields are separated by runs of tabs. */
		while (i < line.n && nf < MAX_FIELDS) {
			size_t j = i;

			while (j < line.n && line.p[j] != '\t')
				j++;
			f[nf].p = line.p + i;
			f[nf].n = j - i;
			if (eq(f[nf], "NULL"))
				f[nf].n = 0;
			nf++;
			while (j < line.n && line.p[j] == '\t')
				j++;
			i = j;
		}
		flag = f[0];
		/* Control lines and prefixes, as Go's testFowler reads them. */
		if (flag.n > 0 && strchr("?&|;{}", flag.p[0]) != NULL) {
			flag.p++;
			flag.n--;
			if (flag.n == 0)
				continue;
		} else if (flag.n > 0 && flag.p[0] == ':') {
			const uint8_t *c = memchr(flag.p + 1, ':', flag.n - 1);

			if (c == NULL)
				continue;
			flag.n -= (size_t)(c + 1 - flag.p);
			flag.p = c + 1;
		} else if (flag.n > 0 &&
		    strchr("CNT0123456789", flag.p[0]) != NULL) {
			continue; /* NOTE lines and other controls */
		}
		t.lines++;
		if (nf < 4) {
			t.failed++;
			CF_EXPECT(0, "%s:%u: too few fields", name, lineno);
			continue;
		}
		pat = f[1];
		subj = f[2];
		want = f[3];
		if (memchr(flag.p, '$', flag.n) != NULL) {
			if (unescape(pat, patbuf, sizeof(patbuf), &pn) != 0 ||
			    unescape(subj, subjbuf, sizeof(subjbuf), &sn) !=
			        0) {
				t.failed++;
				CF_EXPECT(0, "%s:%u: bad escape", name, lineno);
				continue;
			}
			pat.p = patbuf;
			pat.n = pn;
			subj.p = subjbuf;
			subj.n = sn;
		}
		if (eq(pat, "SAME")) {
			pat.p = lastbuf;
			pat.n = lastn;
		} else if (pat.n <= sizeof(lastbuf)) {
			memmove(lastbuf, pat.p, pat.n);
			lastn = pat.n;
		}

		if (eq(want, "NOMATCH")) {
			want_match = 0;
		} else if (want.n > 0 && want.p[0] == '(') {
			size_t k = 1;

			want_match = 1;
			ws = number(want, &k);
			if (ws >= 0 && k < want.n && want.p[k] == ',') {
				k++;
				we = number(want, &k);
			}
			if (ws < 0 || we < 0 || k >= want.n ||
			    want.p[k] != ')') {
				t.failed++;
				CF_EXPECT(
				    0, "%s:%u: bad result field", name, lineno);
				continue;
			}
		} else if (want.n > 0 && want.p[0] >= 'A' && want.p[0] <= 'Z') {
			want_match = 0;
			want_error = 1;
		} else {
			t.failed++;
			CF_EXPECT(0, "%s:%u: bad result field", name, lineno);
			continue;
		}

		if (memchr(flag.p, 'E', flag.n) == NULL) {
			skip(&t, "no E flag (BRE or literal only)");
			continue;
		}
		if (memchr(flag.p, 'i', flag.n) != NULL) {
			skip(&t, "flag i (ignore case)");
			continue;
		}
		if (memchr(flag.p, 'n', flag.n) != NULL) {
			skip(&t, "flag n (REG_NEWLINE)");
			continue;
		}
		if (has(pat, "[[:") || has(pat, "[[.") || has(pat, "[[=")) {
			skip(&t, "POSIX class, collating or equivalence class");
			continue;
		}
		if (has_backref(pat)) {
			skip(&t, "back-reference");
			continue;
		}
		if (has(pat, "(?")) {
			skip(&t, "(? syntax");
			continue;
		}
		if (want_error) {
			cf_re *re = NULL;
			int err;

			/* Extra: the data's only error line is BADBR for
			 * a{9876543210}, our CF_E_RE_REPEAT. */
			skip(&t, "expects a compile error (checked as extra)");
			t.extra_run++;
			err = cf_re_compile(pat.p, pat.n,
			    CF_RE_DOT_NL | CF_RE_LONGEST, &re, NULL);
			cf_re_free(re);
			if (!(eq(want, "BADBR") ? err == CF_E_RE_REPEAT
			                        : err != CF_OK)) {
				t.extra_failed++;
				CF_EXPECT(0,
				    "%s:%u: want compile error %.*s, got %s",
				    name, lineno, (int)want.n,
				    (const char *)want.p, cf_err_name(err));
			}
			continue;
		}
		why[0] = '\0';
		record(&t, lineno,
		    check(pat, subj, CF_RE_DOT_NL | CF_RE_LONGEST, want_match,
		        ws, we, why, sizeof(why)),
		    pat, subj, why);
	}
	report(&t, min_run);
	cf_mem_free(file);
}

/* Why an re2-search block is out of the README's scope, or NULL. The scan
 * uses RE2's rules (a backslash escapes inside brackets too) since these
 * are RE2 patterns. */
static const char *
re2_out_of_scope(struct bytes r, const struct bytes *subj, size_t nsubj)
{
	size_t i, k;
	int inb = 0, first = 0;

	for (k = 0; k < nsubj; k++)
		for (i = 0; i < subj[k].n; i++)
			if (subj[k].p[i] >= 0x80)
				return "non-ASCII subject";
	for (i = 0; i < r.n; i++) {
		uint8_t c = r.p[i], e = i + 1 < r.n ? r.p[i + 1] : 0;

		if (inb) {
			if (c == '\\' &&
			    ((e | 0x20) >= 'a' && (e | 0x20) <= 'z'))
				return "class escape inside brackets";
			if (c == '\\') {
				i++;
			} else if (c == '[' && e == ':') {
				return "POSIX class";
			} else if (c == ']' && !first) {
				inb = 0;
			}
			first = 0;
			continue;
		}
		if (c == '\\') {
			if (e != 0 && strchr("bB", e) != NULL)
				return "\\b or \\B";
			if (e != 0 && strchr("Az", e) != NULL)
				return "\\A or \\z";
			if (e == 'C')
				return "\\C";
			if (e != 0 && strchr("pP", e) != NULL)
				return "\\p or \\P";
			if (e == 'x')
				return "\\x";
			if (e >= '0' && e <= '9')
				return "octal or digit escape";
			if (e != 0 && strchr("DWS", e) != NULL)
				return "\\D \\W \\S";
			i++;
			continue;
		}
		if (c == '(' && e == '?' && (i + 2 >= r.n || r.p[i + 2] != ':'))
			return "flag group (?i) (?m) (?s)";
		if (c == '[') {
			inb = 1;
			first = 1;
			if (e == '^')
				i++;
			continue;
		}
		if (e == '?' && strchr("*+?}", c) != NULL)
			return "lazy quantifier";
	}
	return NULL;
}

/* Unquote a Go double-quoted string into out. */
static int
unquote(struct bytes q, uint8_t *out, size_t cap, struct bytes *res)
{
	struct bytes body;
	size_t n;

	if (q.n < 2 || q.p[0] != '"' || q.p[q.n - 1] != '"')
		return -1;
	body.p = q.p + 1;
	body.n = q.n - 2;
	if (unescape(body, out, cap, &n) != 0)
		return -1;
	res->p = out;
	res->n = n;
	return 0;
}

/* Field fld (0-based) of an RE2 result line "a;b;c;d": the overall span,
 * or no match for "-". Returns -1 if the field is malformed. */
static int
re2_field(struct bytes line, unsigned fld, int *m, long *s, long *e)
{
	size_t i = 0, k;

	for (k = 0; k < fld; k++) {
		const uint8_t *c = memchr(line.p + i, ';', line.n - i);

		if (c == NULL)
			return -1;
		i = (size_t)(c - line.p) + 1;
	}
	if (i < line.n && line.p[i] == '-') {
		*m = 0;
		return 0;
	}
	*m = 1;
	if ((*s = number(line, &i)) < 0 || i >= line.n || line.p[i] != '-')
		return -1;
	i++;
	if ((*e = number(line, &i)) < 0)
		return -1;
	return 0;
}

#define RE2_MAX_SUBJ 4u

static void
run_re2(const char *dir, const char *name, unsigned min_run)
{
	struct tally t;
	uint8_t *file = NULL, subjbuf[RE2_MAX_SUBJ][MAX_FIELD], rbuf[MAX_FIELD];
	size_t n, off = 0, nsubj = 0;
	struct bytes line, subj[RE2_MAX_SUBJ];
	unsigned lineno = 0, nreg = 0;
	const char *why_out = NULL;
	enum { S_NONE, S_STRINGS, S_REGEXPS } state = S_NONE;

	memset(&t, 0, sizeof(t));
	t.file = name;
	if (read_file(dir, name, &file, &n) != 0) {
		CF_EXPECT(0, "%s: cannot read", name);
		return;
	}
	while (next_line(file, n, &off, &line)) {
		struct bytes r, res;
		size_t k, i, j;

		lineno++;
		if (line.n == 0 || line.p[0] == '#' ||
		    (line.p[0] >= 'A' && line.p[0] <= 'Z'))
			continue;
		if (eq(line, "strings")) {
			state = S_STRINGS;
			nsubj = 0;
			continue;
		}
		if (eq(line, "regexps")) {
			state = S_REGEXPS;
			nreg = 0;
			t.blocks++;
			continue;
		}
		if (state == S_STRINGS) {
			if (nsubj >= RE2_MAX_SUBJ ||
			    unquote(line, subjbuf[nsubj], MAX_FIELD,
			        &subj[nsubj]) != 0) {
				t.failed++;
				CF_EXPECT(0, "%s:%u: bad string", name, lineno);
				state = S_NONE;
				continue;
			}
			nsubj++;
			continue;
		}
		if (state != S_REGEXPS || line.p[0] != '"' ||
		    unquote(line, rbuf, sizeof(rbuf), &r) != 0) {
			t.failed++;
			CF_EXPECT(0, "%s:%u: unexpected line", name, lineno);
			continue;
		}
		if (nreg++ == 0) {
			why_out = re2_out_of_scope(r, subj, nsubj);
			if (why_out == NULL)
				t.blocks_in_scope++;
		}
		/* (?: is non-capturing in RE2; for the overall span a plain
		 * group is the same. Rewrite in place (the result is shorter).
		 */
		for (i = 0, j = 0; i < r.n; i++) {
			if (i + 2 < r.n && r.p[i] == '(' && r.p[i + 1] == '?' &&
			    r.p[i + 2] == ':') {
				rbuf[j++] = '(';
				i += 2;
				continue;
			}
			rbuf[j++] = r.p[i];
		}
		r.n = j;
		/* One result line per subject follows the regexp. */
		for (k = 0; k < nsubj; k++) {
			unsigned rl;
			long ws = -1, we = -1, ls = -1, le = -1;
			int wm, lm;
			char why[512];

			if (!next_line(file, n, &off, &res)) {
				t.failed++;
				CF_EXPECT(0, "%s: truncated block", name);
				break;
			}
			rl = ++lineno;
			t.lines++;
			if (re2_field(res, 1, &wm, &ws, &we) != 0 ||
			    re2_field(res, 3, &lm, &ls, &le) != 0) {
				t.failed++;
				CF_EXPECT(
				    0, "%s:%u: bad result line", name, rl);
				continue;
			}
			if (why_out != NULL) {
				skip(&t, why_out);
				continue;
			}
			why[0] = '\0';
			record(&t, rl,
			    check(r, subj[k], 0, wm, ws, we, why, sizeof(why)),
			    r, subj[k], why);
			/* Extra: field 4 with the longest mode. */
			t.extra_run++;
			if (!check(r, subj[k], CF_RE_LONGEST, lm, ls, le, why,
			        sizeof(why))) {
				char ps[256], ss[256];

				t.extra_failed++;
				CF_EXPECT(0,
				    "%s:%u: field 4 (longest): /%s/ on \"%s\": %s",
				    name, rl, show(r, ps, sizeof(ps)),
				    show(subj[k], ss, sizeof(ss)), why);
			}
		}
	}
	report(&t, min_run);
	cf_mem_free(file);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_re_conformance DIR\n");
		return 2;
	}
	/* The in-scope counts of the data as committed. */
	run_dat(argv[1], "basic.dat", 199);
	run_dat(argv[1], "nullsubexpr.dat", 50);
	run_dat(argv[1], "repetition.dat", 91);
	run_re2(argv[1], "re2-search.txt", 728);
	return cf_test_finish("conformance");
}
