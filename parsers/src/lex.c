/*
 * lex.c - line and token lexer for the text form and the events file
 * (lex.h; docs/FORMAT.md section 7.1).
 *
 * A STRING is checked in two steps. First our own scan walks the literal
 * and accepts only the documented escapes (the ones strvis(3) produces with
 * VIS_CSTYLE | VIS_OCTAL, plus \s and \xHH), because unvis(3) alone would
 * silently turn "\d" into "d" and change the meaning of a regex; the scan
 * also counts the decoded bytes, so the CF_MAX_STRING_LEN check comes
 * before any decoding. Then libbsd's strnunvisx decodes the literal into a
 * buffer sized from that limit, and its length must agree with the count.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The NetBSD strn*vis prototypes; also silences a #warning in the header. */
#define LIBBSD_NETBSD_VIS
#include <bsd/vis.h>

#include "cf_limits.h"
#include "cf_mem.h"
#include "lex.h"

/* Longest part of a word quoted in a message; keeps cf_diag.msg readable. */
#define DESC_MAX 40

static int
is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static int
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int
is_octal(unsigned char c)
{
	return c >= '0' && c <= '7';
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
cf_lex_open(cf_lex *lx, const char *src, size_t len, cf_diag *d)
{
	memset(lx, 0, sizeof(*lx));
	lx->d = d;
	if (src == NULL && len != 0)
		return cf_diag_set(d, CF_E_ARG, 0, "no input buffer");
	lx->src = src;
	lx->len = len;
	/* A string's escape text fits in its line; its decoded form is
	 * bounded by CF_MAX_STRING_LEN before decoding starts. Both +1 for
	 * the NUL that the vis functions work with. */
	lx->tmp = cf_mem_alloc((size_t)CF_TEXT_MAX_LINE + 1);
	lx->dec = cf_mem_alloc((size_t)CF_MAX_STRING_LEN + 1);
	if (lx->tmp == NULL || lx->dec == NULL) {
		cf_lex_close(lx);
		return cf_diag_set(d, CF_E_NOMEM, 0, "out of memory");
	}
	return CF_OK;
}

void
cf_lex_close(cf_lex *lx)
{
	cf_mem_free(lx->tmp);
	cf_mem_free(lx->dec);
	lx->tmp = NULL;
	lx->dec = NULL;
}

int
cf_lex_err(cf_lex *lx, int code, const char *fmt, ...)
{
	char text[sizeof(((cf_diag *)0)->msg)];
	va_list ap;

	if (lx->d == NULL)
		return code;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* No "line N:" in the text: callers print d->line next to it. */
	cf_diag_set(lx->d, code, 0, "%s", text);
	lx->d->line = lx->lineno;
	return code;
}

int
cf_lex_line(cf_lex *lx, int *more)
{
	const char *start, *lf;
	size_t rest, n;

	*more = 0;
	if (lx->next >= lx->len)
		return CF_OK;
	if (lx->lineno == UINT32_MAX)
		return cf_lex_err(lx, CF_E_TEXT_LIMIT, "too many lines");
	lx->lineno++;
	start = lx->src + lx->next;
	rest = lx->len - lx->next;
	lf = memchr(start, '\n', rest);
	n = lf ? (size_t)(lf - start) : rest;
	lx->next += lf ? n + 1 : n;
	/* CR LF ends a line too; so does a CR before the end of input. */
	if (n > 0 && start[n - 1] == '\r')
		n--;
	if (n > CF_TEXT_MAX_LINE)
		return cf_lex_err(lx, CF_E_TEXT_LIMIT,
		    "line is %zu bytes long, over the limit of %u", n,
		    (unsigned)CF_TEXT_MAX_LINE);
	lx->line = start;
	lx->linelen = n;
	lx->pos = 0;
	*more = 1;
	return CF_OK;
}

/*
 * Check the literal whose opening quote is at lx->pos: find its closing
 * quote (*end), and count its decoded bytes (*count). Only the escapes of
 * FORMAT.md 7.1 pass; everything strnunvisx would accept beyond them
 * (\d as "d", \M-x, \^X, \E, \$) is refused here.
 */
static int
scan_string(cf_lex *lx, size_t *end, size_t *count)
{
	const unsigned char *l = (const unsigned char *)lx->line;
	size_t i = lx->pos + 1, n = 0;

	for (;;) {
		unsigned char c;

		if (i >= lx->linelen)
			return cf_lex_err(
			    lx, CF_E_TEXT_VALUE, "string has no closing quote");
		c = l[i];
		if (c == '"')
			break;
		if (c < 0x20 || c > 0x7E)
			return cf_lex_err(lx, CF_E_TEXT_VALUE,
			    "raw byte 0x%02x in a string; write it as an escape (\\ooo or \\xHH)",
			    c);
		if (c != '\\') {
			i++;
		} else if (i + 1 >= lx->linelen) {
			return cf_lex_err(
			    lx, CF_E_TEXT_VALUE, "string has no closing quote");
		} else {
			unsigned char e = l[i + 1];

			switch (e) {
			case '\\':
			case '"':
			case 'n':
			case 't':
			case 'r':
			case 'a':
			case 'b':
			case 'f':
			case 'v':
			case 's':
				i += 2;
				break;
			case 'x':
				if (i + 3 >= lx->linelen ||
				    hex_value(l[i + 2]) < 0 ||
				    hex_value(l[i + 3]) < 0)
					return cf_lex_err(lx, CF_E_TEXT_VALUE,
					    "\\x must be followed by two hex digits");
				i += 4;
				break;
			default:
				if (is_octal(e)) {
					unsigned v = 0;
					size_t k = 0;

					/* \0 is the one-digit case of \ooo. */
					while (k < 3 &&
					    i + 1 + k < lx->linelen &&
					    is_octal(l[i + 1 + k])) {
						v = v * 8 +
						    (unsigned)(l[i + 1 + k] -
						        '0');
						k++;
					}
					if (v > 0377)
						return cf_lex_err(lx,
						    CF_E_TEXT_VALUE,
						    "octal escape \\%.3s is over \\377",
						    (const char *)l + i + 1);
					i += 1 + k;
					break;
				}
				if (e < 0x20 || e > 0x7E)
					return cf_lex_err(lx, CF_E_TEXT_VALUE,
					    "raw byte 0x%02x after a backslash",
					    e);
				return cf_lex_err(lx, CF_E_TEXT_VALUE,
				    "unknown escape '\\%c' in a string; a backslash is written twice, as in \"\\\\d+\"",
				    e);
			}
		}
		if (++n > CF_MAX_STRING_LEN)
			return cf_lex_err(lx, CF_E_TEXT_LIMIT,
			    "string longer than %u bytes",
			    (unsigned)CF_MAX_STRING_LEN);
	}
	*end = i;
	*count = n;
	return CF_OK;
}

static int
lex_string(cf_lex *lx, cf_tok *t)
{
	size_t end = 0, count = 0, raw;
	int rc, got;

	if ((rc = scan_string(lx, &end, &count)) != CF_OK)
		return rc;
	raw = end - lx->pos - 1; /* < linelen <= CF_TEXT_MAX_LINE */
	memcpy(lx->tmp, lx->line + lx->pos + 1, raw);
	lx->tmp[raw] = '\0';
	got = strnunvisx(
	    (char *)lx->dec, (size_t)CF_MAX_STRING_LEN + 1, lx->tmp, 0);
	if (got < 0 || (size_t)got != count)
		return cf_lex_err(lx, CF_E_TEXT_VALUE,
		    "string does not decode"); /* scan and unvis disagree */
	t->kind = CF_TK_STRING;
	t->p = lx->line + lx->pos + 1;
	t->n = raw;
	t->s = lx->dec;
	t->slen = count;
	lx->pos = end + 1;
	if (lx->pos < lx->linelen &&
	    !is_blank((unsigned char)lx->line[lx->pos]) &&
	    lx->line[lx->pos] != '#')
		return cf_lex_err(lx, CF_E_TEXT_SYNTAX,
		    "a string must be followed by a space or the end of the line");
	return CF_OK;
}

int
cf_lex_next(cf_lex *lx, cf_tok *t)
{
	const unsigned char *l = (const unsigned char *)lx->line;
	size_t start;
	unsigned char c;

	memset(t, 0, sizeof(*t));
	while (lx->pos < lx->linelen && is_blank(l[lx->pos]))
		lx->pos++;
	if (lx->pos >= lx->linelen || l[lx->pos] == '#') {
		lx->pos = lx->linelen; /* a comment runs to the end of line */
		t->kind = CF_TK_END;
		return CF_OK;
	}
	c = l[lx->pos];
	if (c == '"')
		return lex_string(lx, t);
	start = lx->pos;
	if (c == '@')
		lx->pos++;
	else if (!is_name_char(c))
		goto stray;
	while (lx->pos < lx->linelen && is_name_char(l[lx->pos]))
		lx->pos++;
	if (lx->pos < lx->linelen && !is_blank(l[lx->pos]) &&
	    l[lx->pos] != '#') {
		c = l[lx->pos];
		goto stray;
	}
	if (c == '@') {
		t->kind = CF_TK_REF;
		t->p = lx->line + start + 1;
		t->n = lx->pos - start - 1;
	} else {
		t->kind = (c >= '0' && c <= '9') ? CF_TK_INT : CF_TK_NAME;
		t->p = lx->line + start;
		t->n = lx->pos - start;
	}
	return CF_OK;
stray:
	if (c > 0x20 && c < 0x7F)
		return cf_lex_err(
		    lx, CF_E_TEXT_SYNTAX, "unexpected character '%c'", c);
	return cf_lex_err(lx, CF_E_TEXT_SYNTAX, "unexpected byte 0x%02x", c);
}

int
cf_lex_is(const cf_tok *t, const char *kw)
{
	if (t->kind != CF_TK_NAME && t->kind != CF_TK_INT)
		return 0;
	return strlen(kw) == t->n && strncasecmp(t->p, kw, t->n) == 0;
}

void
cf_lex_desc(const cf_tok *t, char *buf, size_t size)
{
	int n = t->n > DESC_MAX ? DESC_MAX : (int)t->n;
	const char *more = t->n > DESC_MAX ? "..." : "";

	switch (t->kind) {
	case CF_TK_END:
		snprintf(buf, size, "end of line");
		break;
	case CF_TK_STRING:
		snprintf(buf, size, "a string");
		break;
	case CF_TK_REF:
		snprintf(buf, size, "'@%.*s%s'", n, t->p, more);
		break;
	default: /* words hold name characters only: printable */
		snprintf(buf, size, "'%.*s%s'", n, t->p, more);
		break;
	}
}

int
cf_parse_uint(const char *p, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i >= n)
		return -1;
	for (; i < n; i++) {
		int dv = hex_value((unsigned char)p[i]);

		if (dv < 0 || (unsigned)dv >= base)
			return -1;
		/* v * base + dv <= max, tested without overflow. */
		if ((uint64_t)dv > max || v > (max - (uint64_t)dv) / base)
			return -1;
		v = v * base + (uint64_t)dv;
	}
	*out = v;
	return 0;
}

int
cf_lex_uint(
    cf_lex *lx, const cf_tok *t, uint64_t max, const char *what, uint64_t *out)
{
	char desc[DESC_MAX + 8];

	if (cf_parse_uint(t->p, t->n, max, out) == 0)
		return CF_OK;
	cf_lex_desc(t, desc, sizeof(desc));
	return cf_lex_err(lx, CF_E_TEXT_VALUE,
	    "invalid %s %s: expected a decimal or 0x number up to %llu", what,
	    desc, (unsigned long long)max);
}

int
cf_lex_expect_end(cf_lex *lx, const char *after)
{
	char desc[64];
	cf_tok t;
	int rc;

	if ((rc = cf_lex_next(lx, &t)) != CF_OK)
		return rc;
	if (t.kind == CF_TK_END)
		return CF_OK;
	cf_lex_desc(&t, desc, sizeof(desc));
	return cf_lex_err(
	    lx, CF_E_TEXT_SYNTAX, "unexpected %s after %s", desc, after);
}
