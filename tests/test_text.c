/*
 * test_text.c - the text form (docs/FORMAT.md section 7) and the events
 * file (section 8): every grammar error with its exact code and line, the
 * escapes in both directions, the string-table rules, the limits at N and
 * N + 1, and the round trip asm(dump(m)) == m for hand-built and
 * pseudo-random models, checked with cf_chan_equal and byte for byte
 * through cf_chan_write.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cf_buf.h"
#include "cf_chan.h"
#include "cf_event.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_test.h"
#include "cf_text.h"
#include "cf_tmpl.h"

#define HDR "channel 291\ncontent-version 1\ntemplate IPC\n" /* 3 lines */
#define INST HDR "instance 1 log\n"                          /* 4 lines */

/* ---- helpers ------------------------------------------------------------ */

/* 1 when needle occurs in p[0..n) (memmem is a GNU extension). */
static int
contains(const uint8_t *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(p + i, needle, k) == 0)
			return 1;
	return 0;
}

static int
printable_text(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != '\n' && (p[i] < 0x20 || p[i] > 0x7E))
			return 0;
	return 1;
}

/* Assemble src; on failure check the code, the line and the message. */
static cf_chan *
try_asm(const char *what, const char *src, size_t len, int code, uint32_t line)
{
	cf_chan *ch = NULL;
	cf_diag d;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = cf_text_asm(src, len, &ch, &d);
	CF_EXPECT(rc == code, "%s: got %s (%s), want %s", what, cf_err_name(rc),
	    d.msg, cf_err_name(code));
	if (code != CF_OK) {
		CF_EXPECT(d.line == line, "%s: error on line %u, want %u (%s)",
		    what, d.line, line, d.msg);
		CF_EXPECT(d.code == code && d.msg[0] != '\0' &&
		        printable_text((const uint8_t *)d.msg, strlen(d.msg)),
		    "%s: diag not filled", what);
		CF_EXPECT(ch == NULL, "%s: model left on failure", what);
	}
	if (rc != CF_OK) {
		cf_chan_free(ch);
		return NULL;
	}
	return ch;
}

static cf_buf
write_model(const cf_chan *ch)
{
	cf_buf b;

	cf_buf_init(&b, 0);
	if (cf_chan_write(ch, &b) != CF_OK)
		abort();
	return b;
}

/* dump(m) is printable, asm(dump(m)) equals m and writes the same bytes,
 * dump is stable, and a model parsed from write(m) dumps the same text.
 * want_inline: 1 or 0 to check the string-table form, -1 not to. */
static void
roundtrip(const char *what, const cf_chan *m, int want_inline)
{
	cf_buf text, text2, bin, bin2;
	cf_chan *m2 = NULL, *parsed = NULL;
	cf_diag d;
	int rc;

	cf_buf_init(&text, 0);
	cf_buf_init(&text2, 0);
	rc = cf_text_dump(m, &text);
	CF_EXPECT(rc == CF_OK, "%s: dump: %s", what, cf_err_name(rc));
	if (rc != CF_OK)
		goto out;
	CF_EXPECT(printable_text(text.data, text.len), "%s: dump not printable",
	    what);
	if (want_inline >= 0) {
		int has_table = contains(text.data, text.len, "\nstring ");
		CF_EXPECT(has_table == !want_inline,
		    "%s: table form %d, want inline %d", what, has_table,
		    want_inline);
	}
	memset(&d, 0, sizeof(d));
	rc = cf_text_asm((const char *)text.data, text.len, &m2, &d);
	CF_EXPECT(rc == CF_OK, "%s: asm(dump): %s line %u: %s", what,
	    cf_err_name(rc), d.line, d.msg);
	if (rc != CF_OK) {
		fprintf(stderr, "%.*s\n",
		    (int)(text.len > 2000 ? 2000 : text.len),
		    (const char *)text.data);
		goto out;
	}
	CF_EXPECT(cf_chan_equal(m, m2), "%s: asm(dump(m)) != m", what);
	bin = write_model(m);
	bin2 = write_model(m2);
	CF_EXPECT(
	    bin.len == bin2.len && memcmp(bin.data, bin2.data, bin.len) == 0,
	    "%s: written bytes differ", what);
	rc = cf_chan_parse(bin.data, bin.len, &parsed, &d);
	CF_EXPECT(
	    rc == CF_OK, "%s: parse(write(m)): %s", what, cf_err_name(rc));
	if (rc == CF_OK) {
		rc = cf_text_dump(parsed, &text2);
		CF_EXPECT(rc == CF_OK && text2.len == text.len &&
		        memcmp(text.data, text2.data, text.len) == 0,
		    "%s: dump(parse(write(m))) differs", what);
	}
	cf_buf_free(&bin);
	cf_buf_free(&bin2);
out:
	cf_chan_free(m2);
	cf_chan_free(parsed);
	cf_buf_free(&text);
	cf_buf_free(&text2);
}

static void
add_crit(cf_chan *ch, uint32_t inst, uint16_t field, uint8_t op, uint8_t mods,
    uint32_t str, uint64_t a, uint64_t b)
{
	cf_criterion c;

	memset(&c, 0, sizeof(c));
	c.field = field;
	c.op = op;
	c.mods = mods;
	c.str = str;
	c.a = a;
	c.b = b;
	if (cf_chan_add_criterion(ch, inst, &c) != CF_OK)
		abort();
}

static uint32_t
add_str(cf_chan *ch, const void *p, size_t n)
{
	uint32_t idx;

	if (cf_chan_add_string(ch, (const uint8_t *)p, n, &idx) != CF_OK)
		abort();
	return idx;
}

static cf_chan *
new_model(uint32_t tmpl)
{
	cf_chan *ch = cf_chan_new();

	if (ch == NULL)
		abort();
	ch->channel = 291;
	ch->content_version = 7;
	ch->template_type = tmpl;
	return ch;
}

/* ---- grammar errors ----------------------------------------------------- */

struct err_case {
	const char *name;
	const char *src;
	size_t len; /* 0: strlen(src) */
	int code;
	uint32_t line;
};

static const struct err_case err_cases[] = {
	/* Required header lines (CF_E_TEXT_MISSING). */
	{ "empty input", "", 0, CF_E_TEXT_MISSING, 1 },
	{ "comments only", "# a\n\n  # b\n", 0, CF_E_TEXT_MISSING, 3 },
	{ "no template", "channel 1\ncontent-version 2\n", 0, CF_E_TEXT_MISSING,
	    2 },
	{ "no channel before instance",
	    "content-version 2\ntemplate IPC\ninstance 1 log\n", 0,
	    CF_E_TEXT_MISSING, 3 },
	{ "no content-version before string",
	    "channel 1\ntemplate IPC\nstring \"a\"\n", 0, CF_E_TEXT_MISSING,
	    3 },
	{ "no template before field",
	    "channel 1\ncontent-version 2\nfield 0 wildcard\n", 0,
	    CF_E_TEXT_MISSING, 3 },
	{ "format only", "format 1\n", 0, CF_E_TEXT_MISSING, 1 },

	/* Header lines. */
	{ "unknown keyword", HDR "bogus 1\n", 0, CF_E_TEXT_SYNTAX, 4 },
	{ "line starts with a string", "\"channel\" 1\n", 0, CF_E_TEXT_SYNTAX,
	    1 },
	{ "line starts with a ref", "@1\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "channel name", "channel x\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "channel signed", "channel -1\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "channel plus", "channel +1\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "channel missing", "channel\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "channel string", "channel \"1\"\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "channel u32+1", "channel 4294967296\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "channel hex u32+1", "channel 0x100000000\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "channel 0x", "channel 0x\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "channel 12ab", "channel 12ab\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "channel 1.5", "channel 1.5\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "channel 0xg", "channel 0xg\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "channel two numbers", "channel 1 2\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "channel twice", "channel 1\nchannel 2\n", 0, CF_E_TEXT_SYNTAX, 2 },
	{ "template twice", HDR "template IPC\n", 0, CF_E_TEXT_SYNTAX, 4 },
	{ "format twice", "format 1\nformat 1\n", 0, CF_E_TEXT_SYNTAX, 2 },
	{ "format 2", "format 2\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "format 0", "format 0\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "format u16+1", "format 65537\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "content-version u32+1", "content-version 4294967296\n", 0,
	    CF_E_TEXT_VALUE, 1 },
	{ "unknown template name", "template Nope\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "template string", "template \"IPC\"\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "template missing", "template\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "template u32+1", "template 4294967296\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "template extra", "template IPC x\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "header after instance", INST "channel 5\n", 0, CF_E_TEXT_SYNTAX, 5 },
	{ "header after string", HDR "string \"a\"\nformat 1\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },

	/* String table lines. */
	{ "string after instance", INST "string \"a\"\n", 0, CF_E_TEXT_SYNTAX,
	    5 },
	{ "string without operand", HDR "string\n", 0, CF_E_TEXT_SYNTAX, 4 },
	{ "string with a name", HDR "string abc\n", 0, CF_E_TEXT_SYNTAX, 4 },
	{ "string with a ref", HDR "string @0\n", 0, CF_E_TEXT_SYNTAX, 4 },
	{ "string twice on a line", HDR "string \"a\" \"b\"\n", 0,
	    CF_E_TEXT_SYNTAX, 4 },

	/* Instances. */
	{ "instance id missing", HDR "instance\n", 0, CF_E_TEXT_SYNTAX, 4 },
	{ "instance id name", HDR "instance x log\n", 0, CF_E_TEXT_SYNTAX, 4 },
	{ "instance id u32+1", HDR "instance 4294967296 log\n", 0,
	    CF_E_TEXT_VALUE, 4 },
	{ "instance action missing", HDR "instance 1\n", 0, CF_E_TEXT_SYNTAX,
	    4 },
	{ "instance action unknown", HDR "instance 1 frob\n", 0,
	    CF_E_TEXT_VALUE, 4 },
	{ "instance action number", HDR "instance 1 2\n", 0, CF_E_TEXT_VALUE,
	    4 },
	{ "instance action string", HDR "instance 1 \"log\"\n", 0,
	    CF_E_TEXT_SYNTAX, 4 },
	{ "instance enabled", HDR "instance 1 log enabled\n", 0,
	    CF_E_TEXT_SYNTAX, 4 },
	{ "instance disabled extra", HDR "instance 1 log disabled x\n", 0,
	    CF_E_TEXT_SYNTAX, 4 },

	/* Criteria. */
	{ "field before instance", HDR "field pipe_name wildcard\n", 0,
	    CF_E_TEXT_SYNTAX, 4 },
	{ "field missing", INST "field\n", 0, CF_E_TEXT_SYNTAX, 5 },
	{ "field unknown name", INST "field nosuch wildcard\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "field name is case-sensitive", INST "field PIPE_NAME wildcard\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "field u16+1", INST "field 65536 wildcard\n", 0, CF_E_TEXT_VALUE, 5 },
	{ "field string", INST "field \"pipe_name\" wildcard\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "field name, unknown template",
	    "channel 1\ncontent-version 1\ntemplate 99\ninstance 1 log\n"
	    "field pipe_name wildcard\n",
	    0, CF_E_TEXT_VALUE, 5 },
	{ "operator missing", INST "field 0\n", 0, CF_E_TEXT_SYNTAX, 5 },
	{ "operator unknown", INST "field 0 regexx \"a\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "operator C name", INST "field 0 int_eq 1\n", 0, CF_E_TEXT_VALUE, 5 },
	{ "operator string", INST "field 0 \"equals\" \"a\"\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "equals without operand", INST "field 0 equals\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "equals with INT", INST "field 0 equals 5\n", 0, CF_E_TEXT_SYNTAX,
	    5 },
	{ "equals with modifier only", INST "field 0 equals icase\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "wildcard with string", INST "field 0 wildcard \"a\"\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "wildcard with INT", INST "field 0 wildcard 0\n", 0, CF_E_TEXT_SYNTAX,
	    5 },
	{ "int-eq with string", INST "field 3 int-eq \"a\"\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "int-eq with ref",
	    HDR "string \"a\"\ninstance 1 log\nfield 3 int-eq @0\n", 0,
	    CF_E_TEXT_SYNTAX, 6 },
	{ "int-eq missing", INST "field 3 int-eq\n", 0, CF_E_TEXT_SYNTAX, 5 },
	{ "int-eq u64+1", INST "field 3 int-eq 18446744073709551616\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "int-eq hex u64+1", INST "field 3 int-eq 0x10000000000000000\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "int-eq two", INST "field 3 int-eq 1 2\n", 0, CF_E_TEXT_SYNTAX, 5 },
	{ "int-range one", INST "field 3 int-range 1\n", 0, CF_E_TEXT_SYNTAX,
	    5 },
	{ "int-range three", INST "field 3 int-range 1 2 3\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "flags-any name", INST "field 7 flags-any all\n", 0, CF_E_TEXT_SYNTAX,
	    5 },
	{ "unknown modifier", INST "field 0 equals \"a\" icase frob\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "two operands", INST "field 0 equals \"a\" \"b\"\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "ref into empty table", INST "field 0 equals @0\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "ref past the table",
	    HDR "string \"a\"\ninstance 1 log\nfield 0 equals @1\n", 0,
	    CF_E_TEXT_VALUE, 6 },
	{ "ref u32+1", INST "field 0 equals @4294967296\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "ref empty", INST "field 0 equals @\n", 0, CF_E_TEXT_VALUE, 5 },
	{ "ref name", INST "field 0 equals @x\n", 0, CF_E_TEXT_VALUE, 5 },
	{ "ref spaced", INST "field 0 equals @ 0\n", 0, CF_E_TEXT_VALUE, 5 },

	/* Lexical errors. */
	{ "stray character", "channel 1!\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "stray at start", "$channel 1\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "string glued to word", INST "field 0 equals\"a\"\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "word glued to string", INST "field 0 equals \"a\"icase\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "at inside word", INST "field 0 equals a@0\n", 0, CF_E_TEXT_SYNTAX,
	    5 },
	{ "lone CR inside a line", "channel 1\r2\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "NUL outside a string", "channel 1\0\n", 11, CF_E_TEXT_SYNTAX, 1 },
	{ "byte 0x80 outside a string", "channel \x80\n", 0, CF_E_TEXT_SYNTAX,
	    1 },
	{ "vertical tab as blank", "channel\v1\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "unterminated string", INST "field 0 equals \"abc\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "string ends in backslash", INST "field 0 equals \"abc\\\"\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "string ends after backslash", INST "field 0 equals \"\\", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "escape \\d", INST "field 0 regex \"\\d+\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\.", INST "field 0 regex \"\\.\"\n", 0, CF_E_TEXT_VALUE, 5 },
	{ "escape \\E", INST "field 0 equals \"\\E\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\e", INST "field 0 equals \"\\e\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\M-a", INST "field 0 equals \"\\M-a\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\^A", INST "field 0 equals \"\\^A\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\$", INST "field 0 equals \"\\$\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\8", INST "field 0 equals \"\\8\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\ space", INST "field 0 equals \"\\ \"\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "escape \\x1", INST "field 0 equals \"\\x1\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\x", INST "field 0 equals \"\\x\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\xg1", INST "field 0 equals \"\\xg1\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\400", INST "field 0 equals \"\\400\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "escape \\777", INST "field 0 equals \"\\777\"\n", 0, CF_E_TEXT_VALUE,
	    5 },
	{ "raw tab in string", INST "field 0 equals \"a\tb\"\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "raw 0x7f in string", INST "field 0 equals \"\x7f\"\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "raw 0xff in string", INST "field 0 equals \"\xff\"\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "raw NUL in string", INST "field 0 equals \"a\0b\"\n",
	    sizeof(INST "field 0 equals \"a\0b\"\n") - 1, CF_E_TEXT_VALUE, 5 },
	{ "raw CR in string", INST "field 0 equals \"a\rb\"\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "raw byte after backslash", INST "field 0 equals \"\\\x01\"\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "error on the right line after CRLF",
	    "channel 1\r\ncontent-version 1\r\ntemplate IPC\r\nbad\r\n", 0,
	    CF_E_TEXT_SYNTAX, 4 },

	/* FORMAT.md 7.4: a number where an action or operator is expected is
	 * looked up as a name; where a number is expected, a name is the
	 * wrong kind of token. */
	{ "action number", HDR "instance 1 5\n", 0, CF_E_TEXT_VALUE, 4 },
	{ "action hex number", HDR "instance 1 0x1\n", 0, CF_E_TEXT_VALUE, 4 },
	{ "operator number", INST "field 0 5\n", 0, CF_E_TEXT_VALUE, 5 },
	{ "operator number before operand", INST "field 0 1 \"a\"\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "instance id glued to a name", HDR "instance 1x log\n", 0,
	    CF_E_TEXT_VALUE, 4 },
	{ "instance id signed", HDR "instance -1 log\n", 0, CF_E_TEXT_SYNTAX,
	    4 },
	{ "field index glued to a name", INST "field 1x wildcard\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "int-eq signed", INST "field 3 int-eq -1\n", 0, CF_E_TEXT_SYNTAX, 5 },
	{ "int-range second a name", INST "field 3 int-range 1 x\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "int-range second u64+1",
	    INST "field 3 int-range 1 18446744073709551616\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "template number not compiled in",
	    "channel 1\ncontent-version 1\ntemplate 99\n", 0, CF_OK, 0 },

	/* REF: "@" and any run of name characters; a bad value is
	 * CF_E_TEXT_VALUE where a REF may stand, a REF elsewhere is
	 * CF_E_TEXT_SYNTAX. */
	{ "ref negative", INST "field 0 equals @-1\n", 0, CF_E_TEXT_VALUE, 5 },
	{ "ref 0x", INST "field 0 equals @0x\n", 0, CF_E_TEXT_VALUE, 5 },
	{ "ref 1.5", INST "field 0 equals @1.5\n", 0, CF_E_TEXT_VALUE, 5 },
	{ "ref hex",
	    HDR "string \"a\"\nstring \"b\"\ninstance 1 log\n"
	        "field 0 equals @0x1\n",
	    0, CF_OK, 0 },
	{ "ref glued to ref", INST "field 0 equals @0@1\n", 0, CF_E_TEXT_SYNTAX,
	    5 },
	{ "ref doubled at", INST "field 0 equals @@1\n", 0, CF_E_TEXT_SYNTAX,
	    5 },
	{ "ref glued to string", INST "field 0 equals @\"a\"\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "ref comment",
	    HDR "string \"a\"\ninstance 1 log\nfield 0 equals @0#c\n", 0, CF_OK,
	    0 },
	{ "bad ref value before bad modifier", INST "field 0 equals @5 bogus\n",
	    0, CF_E_TEXT_VALUE, 5 },
	{ "ref as int-range operand", INST "field 3 int-range @0 1\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "ref as modifier", INST "field 0 wildcard @0\n", 0, CF_E_TEXT_SYNTAX,
	    5 },

	/* What may follow a token: a blank, '#' or the end of the line. */
	{ "word then comma", "channel 1,2\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "word then comment", HDR "instance 1 log#c\n", 0, CF_OK, 0 },
	{ "string then comment", INST "field 0 equals \"a\"#c\n", 0, CF_OK, 0 },
	{ "string glued to string", INST "field 0 equals \"a\"\"b\"\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "CR glued to a word", "channel 1\r \n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "CR before a word", "channel \r1\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "CR in a comment", HDR "# a\rb\n", 0, CF_OK, 0 },

	/* Left to right: a token's own error comes after the checks of the
	 * tokens before it and before the token is used. */
	{ "unknown field, then a stray", INST "field nosuch bogus!\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "stray ends the operator word", INST "field 0 bogus!\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "unknown operator glued to a string", INST "field 0 bogus\"a\"\n", 0,
	    CF_E_TEXT_SYNTAX, 5 },
	{ "unknown action glued to a string", HDR "instance 1 frob\"x\"\n", 0,
	    CF_E_TEXT_SYNTAX, 4 },
	{ "unknown template, then a token", "template Nope x\n", 0,
	    CF_E_TEXT_VALUE, 1 },
	{ "format 2, then a token", "format 2 x\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "bad escape, then a glued word", INST "field 0 equals \"\\q\"x\n", 0,
	    CF_E_TEXT_VALUE, 5 },
	{ "header after body, before its value", HDR "string \"a\"\nformat 2\n",
	    0, CF_E_TEXT_SYNTAX, 5 },
	{ "second header, before its value", "channel 1\nchannel x\n", 0,
	    CF_E_TEXT_SYNTAX, 2 },
	{ "missing header, before the id", "channel 1\ninstance x\n", 0,
	    CF_E_TEXT_MISSING, 2 },
	{ "missing header, before the operand",
	    "channel 1\ncontent-version 1\nstring @0\n", 0, CF_E_TEXT_MISSING,
	    3 },
	{ "string line, then a token", HDR "string \"a\" x\n", 0,
	    CF_E_TEXT_SYNTAX, 4 },
	{ "disabled twice", HDR "instance 1 log disabled DISABLED\n", 0,
	    CF_E_TEXT_SYNTAX, 4 },

	/* The last line, where a header missing at the end is reported. */
	{ "one LF, one line", "\n", 0, CF_E_TEXT_MISSING, 1 },
	{ "two LFs, two lines", "channel 1\n\n", 0, CF_E_TEXT_MISSING, 2 },
	{ "CR LF lines", "channel 1\r\n\r\n", 0, CF_E_TEXT_MISSING, 2 },
	{ "no final LF", "channel 1\n# c", 0, CF_E_TEXT_MISSING, 2 },
	{ "final CR", "channel 1\r", 0, CF_E_TEXT_MISSING, 1 },
};

static void
test_errors(void)
{
	for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *c = &err_cases[i];
		size_t len = c->len ? c->len : strlen(c->src);

		cf_chan_free(try_asm(c->name, c->src, len, c->code, c->line));
	}
}

/* The message for an unknown escape says how to write a backslash. */
static void
test_escape_message(void)
{
	const char *src = INST "field 0 regex \"^\\d+$\"\n";
	cf_chan *ch = NULL;
	cf_diag d;

	memset(&d, 0, sizeof(d));
	CF_EXPECT_EQ(cf_text_asm(src, strlen(src), &ch, &d), CF_E_TEXT_VALUE,
	    "\\d in a regex");
	CF_EXPECT(strstr(d.msg, "\\d") != NULL && strstr(d.msg, "twice"),
	    "message should name \\d and say to double it: %s", d.msg);
	CF_EXPECT(ch == NULL, "no model on failure");
	/* Arguments are checked. */
	CF_EXPECT_EQ(cf_text_asm(NULL, 1, &ch, &d), CF_E_ARG, "NULL source");
	CF_EXPECT_EQ(
	    cf_text_asm(src, strlen(src), NULL, NULL), CF_E_ARG, "NULL out");
	/* A NULL diag is allowed. */
	CF_EXPECT_EQ(
	    cf_text_asm("bogus", 5, &ch, NULL), CF_E_TEXT_SYNTAX, "NULL diag");
}

/* ---- accepted sources --------------------------------------------------- */

static void
test_accept(void)
{
	static const char example[] =
	    "# CF-291, as shipped on 19 July 2024 (shortened)\n"
	    "channel 291\n"
	    "content-version 20240719\n"
	    "template IPC\n"
	    "instance 1001 detect\n"
	    "  field pipe_name      prefix \"\\\\\\\\.\\\\pipe\\\\\"\n"
	    "  field client_image   wildcard\n"
	    "  field rpc_binding    wildcard            # field 21 (index 20)\n"
	    "instance 1002 detect\n"
	    "  field pipe_name      contains \"msrpc\" icase\n"
	    "  field rpc_binding    regex \"^ncacn_np:.*\\\\[.*\\\\]$\"   # non-wildcard on field 21\n";
	static const char cases[] =
	    "Format 1\r\n"
	    "TEMPLATE ipc # the comment\r\n"
	    "content-version 0X1f#glued comment\n"
	    "\t channel\t0x123 \n"
	    "STRING \"a#b\"\n"
	    "string \"\"\n"
	    "Instance 0xffffffff KILL DISABLED\n"
	    "FIELD 65535 EQUALS \"a#b\" ICASE Not icase\n"
	    "field 0x14 Int-Range 0 18446744073709551615 not\n"
	    "field access_mask flags-all 0xFFFFFFFFFFFFFFFF\n"
	    "field 0 equals @1\n"
	    "instance 0 block\n"
	    "field 00012 wildcard"; /* no final newline */
	cf_chan *ch;
	const cf_criterion *c;

	ch = try_asm(
	    "FORMAT.md 7.3 example", example, strlen(example), CF_OK, 0);
	if (ch != NULL) {
		CF_EXPECT_EQ(ch->channel, 291, "channel");
		CF_EXPECT_EQ(ch->content_version, 20240719, "content-version");
		CF_EXPECT_EQ(ch->template_type, CF_TMPL_IPC, "template");
		CF_EXPECT_EQ(ch->format_version, 1, "format version");
		CF_EXPECT_EQ(ch->ninstances, 2, "instances");
		CF_EXPECT_EQ(ch->nstrings, 3, "strings");
		CF_EXPECT(ch->strings[0].len == 9 &&
		        memcmp(ch->strings[0].data, "\\\\.\\pipe\\", 9) == 0,
		    "prefix string decoded");
		CF_EXPECT(ch->strings[2].len == 19 &&
		        memcmp(ch->strings[2].data, "^ncacn_np:.*\\[.*\\]$",
		            19) == 0,
		    "regex decoded");
		c = &ch->instances[0].crit[2];
		CF_EXPECT(c->field == 20 && c->op == CF_OP_WILDCARD &&
		        c->str == CF_NO_STRING,
		    "rpc_binding is index 20");
		c = &ch->instances[1].crit[0];
		CF_EXPECT(c->op == CF_OP_CONTAINS && c->mods == CF_MOD_ICASE &&
		        c->str == 1,
		    "contains msrpc icase");
		CF_EXPECT_EQ(ch->instances[0].flags, CF_INST_ENABLED,
		    "enabled by default");
		cf_chan_free(ch);
	}

	ch = try_asm(
	    "case, hex, comments, CRLF", cases, strlen(cases), CF_OK, 0);
	if (ch != NULL) {
		CF_EXPECT_EQ(ch->channel, 0x123, "hex channel");
		CF_EXPECT_EQ(ch->content_version, 31, "0X hex");
		CF_EXPECT_EQ(ch->nstrings, 2, "two explicit strings");
		CF_EXPECT(ch->strings[0].len == 3 &&
		        memcmp(ch->strings[0].data, "a#b", 3) == 0,
		    "# inside a string");
		CF_EXPECT_EQ(ch->strings[1].len, 0, "empty string");
		CF_EXPECT_EQ(ch->ninstances, 2, "instances");
		CF_EXPECT(ch->instances[0].id == 0xffffffffu &&
		        ch->instances[0].action == CF_ACT_KILL &&
		        ch->instances[0].flags == 0,
		    "instance kill disabled");
		CF_EXPECT_EQ(ch->instances[0].ncrit, 4, "criteria");
		c = &ch->instances[0].crit[0];
		CF_EXPECT(c->field == 65535 && c->op == CF_OP_EQUALS &&
		        c->mods == (CF_MOD_ICASE | CF_MOD_NEGATE) &&
		        c->str == 0,
		    "inline string interned to entry 0, repeated icase");
		c = &ch->instances[0].crit[1];
		CF_EXPECT(c->field == 20 && c->op == CF_OP_INT_RANGE &&
		        c->a == 0 && c->b == UINT64_MAX &&
		        c->mods == CF_MOD_NEGATE && c->str == CF_NO_STRING,
		    "int-range");
		c = &ch->instances[0].crit[2];
		CF_EXPECT(c->field == 7 && c->op == CF_OP_FLAGS_ALL &&
		        c->a == UINT64_MAX,
		    "flags-all");
		CF_EXPECT_EQ(ch->instances[0].crit[3].str, 1, "@1");
		CF_EXPECT(ch->instances[1].ncrit == 1 &&
		        ch->instances[1].crit[0].field == 12,
		    "leading zeros are decimal");
		cf_chan_free(ch);
	}
}

/* Interning: an inline STRING names the first equal entry or appends. */
static void
test_interning(void)
{
	static const char src[] =
	    HDR "string \"a\"\nstring \"a\"\nstring \"b\"\n"
	        "instance 1 log\n"
	        "field 0 equals \"a\"\n"
	        "field 0 equals \"b\"\n"
	        "field 0 equals \"c\"\n"
	        "field 0 equals \"c\"\n"
	        "field 0 equals @1\n"
	        "field 0 equals \"a\\0\"\n"
	        "field 0 equals \"a\\000\"\n";
	static const uint32_t want[] = { 0, 2, 3, 3, 1, 4, 4 };
	cf_chan *ch = try_asm("interning", src, strlen(src), CF_OK, 0);

	if (ch == NULL)
		return;
	CF_EXPECT_EQ(ch->nstrings, 5, "entries after interning");
	CF_EXPECT_EQ(ch->instances[0].ncrit, 7, "criteria");
	for (unsigned i = 0; i < 7 && i < ch->instances[0].ncrit; i++)
		CF_EXPECT(ch->instances[0].crit[i].str == want[i],
		    "criterion %u names entry %u, want %u", i,
		    ch->instances[0].crit[i].str, want[i]);
	CF_EXPECT(ch->strings[4].len == 2 && ch->strings[4].data[1] == 0,
	    "a NUL is part of the bytes");
	/* Duplicates and the unused entry survive: explicit form. */
	roundtrip("explicit table with duplicates", ch, 0);
	cf_chan_free(ch);
}

/* ---- escapes ------------------------------------------------------------ */

struct esc_case {
	const char *lit; /* between the quotes */
	const char *bytes;
	size_t len;
};

static const struct esc_case esc_cases[] = {
	{ "", "", 0 },
	{ "\\\\", "\\", 1 },
	{ "\\\"", "\"", 1 },
	{ "\\n\\t\\r", "\n\t\r", 3 },
	{ "\\a\\b\\f\\v", "\a\b\f\v", 4 },
	{ "\\s", " ", 1 },
	{ "a b", "a b", 3 },
	{ "\\0", "\0", 1 },
	{ "a\\0b", "a\0b", 3 },
	{ "\\000", "\0", 1 },
	{ "\\0012",
	    "\001"
	    "2",
	    2 },
	{ "\\0008",
	    "\0"
	    "8",
	    2 },
	{ "\\08",
	    "\0"
	    "8",
	    2 },
	{ "\\39",
	    "\003"
	    "9",
	    2 },
	{ "\\x41", "A", 1 },
	{ "\\x4a\\x4A", "JJ", 2 },
	{ "\\x414", "A4", 2 },
	{ "\\101", "A", 1 },
	{ "\\7", "\a", 1 },
	{ "\\77", "?", 1 },
	{ "\\377\\xff\\xFF", "\xff\xff\xff", 3 },
	{ "\\\\d+", "\\d+", 3 },
	{ "#@'`~", "#@'`~", 5 },
};

static void
test_escapes_in(void)
{
	char src[256];

	for (size_t i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		const struct esc_case *e = &esc_cases[i];
		cf_chan *ch;
		int n;

		n = snprintf(
		    src, sizeof(src), INST "field 0 equals \"%s\"\n", e->lit);
		ch = try_asm(e->lit, src, (size_t)n, CF_OK, 0);
		if (ch == NULL)
			continue;
		CF_EXPECT(ch->nstrings == 1 && ch->strings[0].len == e->len &&
		        memcmp(ch->strings[0].data, e->bytes, e->len) == 0,
		    "escape \"%s\" decodes wrongly", e->lit);
		cf_chan_free(ch);
	}
}

struct vis_case {
	const char *bytes;
	size_t len;
	const char *text; /* what dump prints between the quotes */
};

static const struct vis_case vis_cases[] = {
	{ "", 0, "" },
	{ "plain text", 10, "plain text" },
	{ "\\", 1, "\\\\" },
	{ "\"", 1, "\\\"" },
	{ "\n\t\r", 3, "\\n\\t\\r" },
	{ "\a\b\f\v", 4, "\\a\\b\\f\\v" },
	{ "\0a", 2, "\\0a" },
	{ "\0"
	  "1",
	    2, "\\0001" },
	{ "\x01\x1b\x7f", 3, "\\001\\033\\177" },
	{ "\x80\xff", 2, "\\200\\377" },
	{ "\xc3\xa9", 2, "\\303\\251" },
	{ "#@", 2, "#@" },
};

static void
test_escapes_out(void)
{
	for (size_t i = 0; i < sizeof(vis_cases) / sizeof(vis_cases[0]); i++) {
		const struct vis_case *v = &vis_cases[i];
		cf_chan *ch = new_model(CF_TMPL_IPC);
		char want[128];
		cf_buf out;
		uint32_t s, in;

		s = add_str(ch, v->bytes, v->len);
		cf_chan_add_instance(ch, 1, CF_ACT_LOG, CF_INST_ENABLED, &in);
		add_crit(ch, in, 0, CF_OP_EQUALS, 0, s, 0, 0);
		snprintf(want, sizeof(want),
		    "  field pipe_name equals \"%s\"\n", v->text);
		cf_buf_init(&out, 0);
		CF_EXPECT_EQ(cf_text_dump(ch, &out), CF_OK, "dump");
		CF_EXPECT(out.len >= strlen(want) &&
		        memcmp(out.data + out.len - strlen(want), want,
		            strlen(want)) == 0,
		    "escape out case %zu: want %s", i, want);
		roundtrip("escape out", ch, 1);
		cf_buf_free(&out);
		cf_chan_free(ch);
	}
}

/* Every byte value, in every position relative to an octal digit. */
static void
test_all_bytes(void)
{
	cf_chan *ch = new_model(CF_TMPL_IPC);
	uint8_t all[512];
	uint32_t s, in;

	for (unsigned i = 0; i < 256; i++) {
		all[2 * i] = (uint8_t)i;
		all[2 * i + 1] = (uint8_t)(i % 3 == 0 ? '0' + i % 8 : 255 - i);
	}
	s = add_str(ch, all, sizeof(all));
	cf_chan_add_instance(ch, 1, CF_ACT_LOG, CF_INST_ENABLED, &in);
	add_crit(ch, in, 0, CF_OP_CONTAINS, 0, s, 0, 0);
	roundtrip("bytes 0x00-0xff", ch, 1);

	/* The dump does not depend on the caller's locale. C.UTF-8 is built
	 * into Debian's libc: its absence is a failure, not a skip. */
	CF_EXPECT(setlocale(LC_ALL, "C.UTF-8") != NULL,
	    "the C.UTF-8 locale is available");
	roundtrip("bytes 0x00-0xff, UTF-8 locale", ch, 1);
	setlocale(LC_ALL, "C");
	cf_chan_free(ch);
}

/* ---- dump --------------------------------------------------------------- */

static void
expect_dump(const char *what, const cf_chan *ch, const char *want)
{
	cf_buf out;
	int rc;

	cf_buf_init(&out, 0);
	rc = cf_text_dump(ch, &out);
	CF_EXPECT(rc == CF_OK && out.len == strlen(want) &&
	        memcmp(out.data, want, out.len) == 0,
	    "%s: got\n%.*s\nwant\n%s", what, (int)out.len,
	    out.data ? (const char *)out.data : "", want);
	cf_buf_free(&out);
}

/* A 1-byte NUL string whose allocation is followed by an octal digit:
 * strnvisx looks one byte past a 1-byte source, which would turn "\0"
 * into "\000" (and read outside the string). The dump must not. */
static void
test_one_byte_nul(void)
{
	cf_chan *ch = new_model(CF_TMPL_IPC);
	uint8_t *p = cf_mem_alloc(2);
	uint32_t s, in;

	if (p == NULL)
		abort();
	p[0] = 0;
	p[1] = '1';
	s = add_str(ch, "", 1);
	cf_mem_free(ch->strings[s].data);
	ch->strings[s].data = p; /* len stays 1; freed with the model */
	cf_chan_add_instance(ch, 1, CF_ACT_LOG, CF_INST_ENABLED, &in);
	add_crit(ch, in, 0, CF_OP_EQUALS, 0, s, 0, 0);
	expect_dump("1-byte NUL", ch,
	    "format 1\nchannel 291\ncontent-version 7\ntemplate IPC\n"
	    "instance 1 log\n  field pipe_name equals \"\\0\"\n");
	cf_chan_free(ch);
}

static void
test_dump_golden(void)
{
	cf_chan *ch = new_model(CF_TMPL_IPC);
	uint32_t s0, s1, i0, i1;

	s0 = add_str(ch, "\\\\.\\pipe\\", 9);
	s1 = add_str(ch, "a\0b", 3);
	cf_chan_add_instance(ch, 10, CF_ACT_DETECT, CF_INST_ENABLED, &i0);
	cf_chan_add_instance(ch, 11, CF_ACT_KILL, 0, &i1);
	add_crit(ch, i0, 0, CF_OP_PREFIX, 0, s0, 0, 0);
	add_crit(ch, i0, 21, CF_OP_EQUALS, 3, s1, 0, 0);
	add_crit(ch, i0, 20, CF_OP_SUFFIX, 0, s0, 0, 0);
	add_crit(ch, i1, 7, CF_OP_FLAGS_ANY, 0, CF_NO_STRING, 0x12, 0);
	add_crit(ch, i1, 3, CF_OP_INT_RANGE, 0, CF_NO_STRING, 1, UINT64_MAX);
	add_crit(ch, i1, 3, CF_OP_INT_EQ, CF_MOD_ICASE, CF_NO_STRING, 42, 0);
	add_crit(ch, i1, 1, CF_OP_WILDCARD, CF_MOD_NEGATE, CF_NO_STRING, 0, 0);
	expect_dump("inline", ch,
	    "format 1\n"
	    "channel 291\n"
	    "content-version 7\n"
	    "template IPC\n"
	    "instance 10 detect\n"
	    "  field pipe_name prefix \"\\\\\\\\.\\\\pipe\\\\\"\n"
	    "  field 21 equals \"a\\0b\" icase not\n"
	    "  field rpc_binding suffix \"\\\\\\\\.\\\\pipe\\\\\"\n"
	    "instance 11 kill disabled\n"
	    "  field access_mask flags-any 0x12\n"
	    "  field client_pid int-range 1 18446744073709551615\n"
	    "  field client_pid int-eq 42 icase\n"
	    "  field client_image wildcard not\n");
	roundtrip("golden inline", ch, 1);

	/* First use out of table order: the explicit form. */
	ch->instances[0].crit[0].str = s1;
	ch->instances[0].crit[1].str = s0;
	ch->template_type = 4242;
	expect_dump("explicit", ch,
	    "format 1\n"
	    "channel 291\n"
	    "content-version 7\n"
	    "template 4242\n"
	    "string \"\\\\\\\\.\\\\pipe\\\\\"\n"
	    "string \"a\\0b\"\n"
	    "instance 10 detect\n"
	    "  field 0 prefix @1\n"
	    "  field 21 equals @0 icase not\n"
	    "  field 20 suffix @0\n"
	    "instance 11 kill disabled\n"
	    "  field 7 flags-any 0x12\n"
	    "  field 3 int-range 1 18446744073709551615\n"
	    "  field 3 int-eq 42 icase\n"
	    "  field 1 wildcard not\n");
	roundtrip("golden explicit", ch, 0);
	cf_chan_free(ch);

	ch = new_model(CF_TMPL_REGISTRY_SET);
	expect_dump("empty model", ch,
	    "format 1\nchannel 291\ncontent-version 7\ntemplate RegistrySet\n");
	roundtrip("empty", ch, 1);
	add_str(ch, "unused", 6);
	roundtrip("only an unused string", ch, 0);
	cf_chan_free(ch);
}

/* Models the text form cannot express are refused, not half printed. */
static void
test_dump_refuses(void)
{
	static const char *const what[] = { "format 2", "action 4", "flags 2",
		"op 10", "mods 4", "str past table", "wildcard with a",
		"equals with b", "int-eq with str", "int-range with str" };
	for (unsigned k = 0; k < sizeof(what) / sizeof(what[0]); k++) {
		cf_chan *ch = new_model(CF_TMPL_IPC);
		uint32_t in;
		cf_criterion *c;
		cf_buf out;

		add_str(ch, "x", 1);
		cf_chan_add_instance(ch, 1, CF_ACT_LOG, CF_INST_ENABLED, &in);
		add_crit(ch, in, 0, CF_OP_EQUALS, 0, 0, 0, 0);
		c = &ch->instances[0].crit[0];
		switch (k) {
		case 0:
			ch->format_version = 2;
			break;
		case 1:
			ch->instances[0].action = 4;
			break;
		case 2:
			ch->instances[0].flags = 2;
			break;
		case 3:
			c->op = 10;
			break;
		case 4:
			c->mods = 4;
			break;
		case 5:
			c->str = 1;
			break;
		case 6:
			c->op = CF_OP_WILDCARD;
			c->str = CF_NO_STRING;
			c->a = 1;
			break;
		case 7:
			c->b = 1;
			break;
		case 8:
			c->op = CF_OP_INT_EQ;
			break;
		default:
			c->op = CF_OP_INT_RANGE;
			break;
		}
		cf_buf_init(&out, 0);
		CF_EXPECT(cf_text_dump(ch, &out) == CF_E_ARG && out.len == 0,
		    "dump of a model with %s", what[k]);
		cf_buf_free(&out);
		cf_chan_free(ch);
	}
	CF_EXPECT_EQ(cf_text_dump(NULL, NULL), CF_E_ARG, "NULL model");
}

/* Inline operands repeat their string: when that text would pass the
 * output cap, dump falls back to the explicit table. */
static void
test_dump_fallback(void)
{
	cf_chan *ch = new_model(CF_TMPL_IPC);
	uint8_t big[4000];
	uint32_t s, in;
	cf_buf out;
	cf_chan *m2 = NULL;
	cf_diag d;

	memset(big, 'a', 100);
	s = add_str(ch, big, 100);
	cf_chan_add_instance(ch, 1, CF_ACT_LOG, CF_INST_ENABLED, &in);
	for (int i = 0; i < 20; i++)
		add_crit(ch, in, 0, CF_OP_EQUALS, 0, s, 0, 0);
	cf_buf_init(&out, 1000);
	CF_EXPECT_EQ(cf_text_dump(ch, &out), CF_OK, "dump into 1000 bytes");
	CF_EXPECT(contains(out.data, out.len, "\nstring ") &&
	        contains(out.data, out.len, " @0\n"),
	    "explicit form in a small buffer");
	memset(&d, 0, sizeof(d));
	CF_EXPECT(
	    cf_text_asm((const char *)out.data, out.len, &m2, &d) == CF_OK &&
	        cf_chan_equal(ch, m2),
	    "fallback round trip");
	cf_chan_free(m2);
	cf_buf_free(&out);
	cf_buf_init(&out, 50);
	CF_EXPECT(cf_text_dump(ch, &out) == CF_E_LIMIT && out.len == 0,
	    "nothing fits: CF_E_LIMIT, no partial output");
	cf_buf_free(&out);
	cf_chan_free(ch);

	/* A parseable file (under 1 MiB) whose inline dump would be 500 MiB. */
	ch = new_model(CF_TMPL_IPC);
	memset(big, 0xff, sizeof(big));
	s = add_str(ch, big, sizeof(big));
	for (uint32_t i = 0; i < CF_MAX_INSTANCES; i++) {
		cf_chan_add_instance(ch, i, CF_ACT_LOG, CF_INST_ENABLED, &in);
		for (uint32_t k = 0; k < CF_MAX_CRITERIA; k++)
			add_crit(ch, in, 0, CF_OP_EQUALS, 0, s, 0, 0);
	}
	roundtrip("largest criteria x long string", ch, 0);
	cf_chan_free(ch);
}

/* ---- round trips -------------------------------------------------------- */

/* Every operator with every modifier set, every action, a disabled
 * instance, fields in and out of the template's range, and a table with
 * duplicates, an unused entry and NUL bytes. */
static cf_chan *
model_everything(uint32_t tmpl)
{
	static const uint16_t fields[] = { 0, 7, 20, 21, 31, 65535 };
	cf_chan *ch = new_model(tmpl);
	uint32_t in[CF_ACT_COUNT], s[5];
	unsigned n = 0;

	s[0] = add_str(ch, "dup", 3);
	s[1] = add_str(ch, "dup", 3);
	s[2] = add_str(ch, "unused", 6);
	s[3] = add_str(ch, "a\0b", 3);
	s[4] = add_str(ch, "", 0);
	for (unsigned a = 0; a < CF_ACT_COUNT; a++)
		cf_chan_add_instance(ch, 1000 + a, (uint16_t)a,
		    a == 2 ? 0 : CF_INST_ENABLED, &in[a]);
	for (unsigned op = 0; op < CF_OP_COUNT; op++)
		for (unsigned mods = 0; mods <= CF_MOD_ALL; mods++, n++) {
			uint32_t str = CF_NO_STRING;
			uint64_t a = 0, b = 0;

			switch (cf_op_operand(op)) {
			case CF_OPND_STR:
				str = s[(n % 2) ? 1 : (n % 5 == 0 ? 3 : 4)];
				break;
			case CF_OPND_INT:
				a = n % 2 ? UINT64_MAX : n;
				break;
			case CF_OPND_RANGE:
				a = n % 2 ? UINT64_MAX : 0;
				b = n;
				break;
			default:
				break;
			}
			add_crit(ch, in[n % CF_ACT_COUNT],
			    fields[n % (sizeof(fields) / sizeof(fields[0]))],
			    (uint8_t)op, (uint8_t)mods, str, a, b);
		}
	return ch;
}

static void
test_roundtrip_models(void)
{
	static const uint32_t tmpls[] = { CF_TMPL_IPC, CF_TMPL_PROCESS_CREATE,
		CF_TMPL_FILE_WRITE, CF_TMPL_NETWORK_CONNECT,
		CF_TMPL_REGISTRY_SET, 0, 6, 0xffffffffu };

	for (size_t i = 0; i < sizeof(tmpls) / sizeof(tmpls[0]); i++) {
		cf_chan *ch = model_everything(tmpls[i]);

		ch->channel = (uint32_t)i * 0x9e3779b9u;
		ch->content_version = 0xffffffffu - (uint32_t)i;
		roundtrip("everything", ch, 0);
		cf_chan_free(ch);
	}
}

static uint64_t
rnd(uint64_t *state)
{
	/* splitmix64: a fixed seed gives the same models on every run. */
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Random models; half of them build their table by the interning rule,
 * so both dump forms are exercised. */
static void
test_roundtrip_random(void)
{
	static const uint32_t tmpls[] = { 1, 2, 3, 4, 5, 0, 77 };
	static const char alpha[] = "ab\\\"\n\0\x80\xff 0";
	uint64_t st = 291;
	unsigned inline_seen = 0, explicit_seen = 0;

	for (int iter = 0; iter < 400; iter++) {
		cf_chan *ch = new_model(tmpls[rnd(&st) % 7]);
		int interned = iter % 2;
		uint32_t nstr = (uint32_t)(rnd(&st) % 6);
		uint32_t ninst = (uint32_t)(rnd(&st) % 5);
		cf_buf text;

		ch->channel = (uint32_t)rnd(&st);
		ch->content_version = (uint32_t)rnd(&st);
		for (uint32_t i = 0; !interned && i < nstr; i++) {
			char b[8];
			size_t n = rnd(&st) % 4;

			for (size_t k = 0; k < n; k++)
				b[k] = alpha[rnd(&st) % (sizeof(alpha) - 1)];
			add_str(ch, b, n);
		}
		for (uint32_t i = 0; i < ninst; i++) {
			uint32_t in, ncrit = (uint32_t)(rnd(&st) % 6);

			cf_chan_add_instance(ch, (uint32_t)rnd(&st),
			    (uint16_t)(rnd(&st) % CF_ACT_COUNT),
			    (uint16_t)(rnd(&st) % 2), &in);
			for (uint32_t k = 0; k < ncrit; k++) {
				unsigned op =
				    (unsigned)(rnd(&st) % CF_OP_COUNT);
				uint16_t field = (uint16_t)(rnd(&st) % 4 == 0
				        ? rnd(&st)
				        : rnd(&st) % 24);
				uint32_t str = CF_NO_STRING;
				uint64_t a = 0, b = 0;

				switch (cf_op_operand(op)) {
				case CF_OPND_STR:
					if (interned) {
						char sb[4];
						size_t n = rnd(&st) % 3, j;

						for (j = 0; j < n; j++)
							sb[j] = alpha[rnd(&st) %
							    (sizeof(alpha) -
							        1)];
						for (j = 0; j < ch->nstrings;
						     j++)
							if (ch->strings[j]
							            .len == n &&
							    memcmp(
							        ch->strings[j]
							            .data,
							        sb, n) == 0)
								break;
						str = j < ch->nstrings
						    ? (uint32_t)j
						    : add_str(ch, sb, n);
					} else if (ch->nstrings == 0) {
						op = CF_OP_WILDCARD;
					} else {
						str = (uint32_t)(rnd(&st) %
						    ch->nstrings);
					}
					break;
				case CF_OPND_INT:
					a = rnd(&st) >> (rnd(&st) % 64);
					break;
				case CF_OPND_RANGE:
					a = rnd(&st) >> (rnd(&st) % 64);
					b = rnd(&st) >> (rnd(&st) % 64);
					break;
				default:
					break;
				}
				add_crit(ch, in, field, (uint8_t)op,
				    (uint8_t)(rnd(&st) % 4), str, a, b);
			}
		}
		roundtrip("random", ch, interned ? 1 : -1);
		cf_buf_init(&text, 0);
		if (cf_text_dump(ch, &text) == CF_OK) {
			if (contains(text.data, text.len, "\nstring "))
				explicit_seen++;
			else
				inline_seen++;
		}
		cf_buf_free(&text);
		cf_chan_free(ch);
	}
	CF_EXPECT(inline_seen >= 200 && explicit_seen >= 50,
	    "random models cover both forms (%u inline, %u explicit)",
	    inline_seen, explicit_seen);
}

/* ---- limits ------------------------------------------------------------- */

static void
buf_text(cf_buf *b, const char *s)
{
	if (cf_buf_put(b, s, strlen(s)) != CF_OK)
		abort();
}

static void
buf_fill(cf_buf *b, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cf_buf_put(b, &c, 1) != CF_OK)
			abort();
}

/* Assemble INST or HDR followed by n copies of line; past max fails. */
static void
limit_lines(const char *what, const char *head, uint32_t head_lines,
    const char *line, uint32_t max)
{
	for (uint32_t n = max; n <= max + 1; n++) {
		cf_buf b;
		cf_chan *ch;

		cf_buf_init(&b, 0);
		buf_text(&b, head);
		for (uint32_t i = 0; i < n; i++)
			if (cf_buf_printf(&b, line, i) != CF_OK)
				abort();
		ch = try_asm(what, (const char *)b.data, b.len,
		    n > max ? CF_E_TEXT_LIMIT : CF_OK, head_lines + n);
		cf_chan_free(ch);
		cf_buf_free(&b);
	}
}

static void
test_limits(void)
{
	cf_buf b;
	cf_chan *ch;

	limit_lines(
	    "criteria", INST, 4, "  field 0 int-eq %u\n", CF_MAX_CRITERIA);
	limit_lines("instances", HDR, 3, "instance %u log\n", CF_MAX_INSTANCES);
	limit_lines(
	    "explicit strings", HDR, 3, "string \"%u\"\n", CF_MAX_STRINGS);

	/* Interned strings: 32 criteria per instance, each a new string. */
	for (uint32_t n = CF_MAX_STRINGS; n <= CF_MAX_STRINGS + 1; n++) {
		uint32_t lines = 3;

		cf_buf_init(&b, 0);
		buf_text(&b, HDR);
		for (uint32_t i = 0; i < n; i++) {
			if (i % CF_MAX_CRITERIA == 0) {
				cf_buf_printf(&b, "instance %u log\n", i);
				lines++;
			}
			cf_buf_printf(&b, "  field 0 equals \"%u\"\n", i);
			lines++;
		}
		ch = try_asm("interned strings", (const char *)b.data, b.len,
		    n > CF_MAX_STRINGS ? CF_E_TEXT_LIMIT : CF_OK, lines);
		if (ch != NULL)
			CF_EXPECT_EQ(ch->nstrings, n, "interned entries");
		cf_chan_free(ch);
		cf_buf_free(&b);
	}

	/* Encoded size: strings of CF_MAX_STRING_LEN bytes until the file
	 * would pass CF_MAX_FILE_SIZE (72 bytes of frame, 8 per entry). */
	{
		uint32_t fit = (uint32_t)((CF_MAX_FILE_SIZE - 72) /
		    (8 + CF_MAX_STRING_LEN));

		cf_buf_init(&b, 0);
		buf_text(&b, HDR);
		for (uint32_t i = 0; i <= fit; i++) {
			buf_text(&b, "string \"");
			buf_fill(&b, 'a', CF_MAX_STRING_LEN);
			buf_text(&b, "\"\n");
			if (i + 1 < fit)
				continue; /* only the edge is interesting */
			ch = try_asm("file size", (const char *)b.data, b.len,
			    i < fit ? CF_OK : CF_E_TEXT_LIMIT, 4 + i);
			cf_chan_free(ch);
		}
		cf_buf_free(&b);
	}

	/* String length: exactly CF_MAX_STRING_LEN, and one more. */
	for (size_t n = CF_MAX_STRING_LEN; n <= CF_MAX_STRING_LEN + 1; n++) {
		cf_buf_init(&b, 0);
		buf_text(&b, INST "field 0 equals \"");
		buf_fill(&b, 'x', n - 1);
		buf_text(&b, "\\n\"\n");
		ch = try_asm("string length", (const char *)b.data, b.len,
		    n > CF_MAX_STRING_LEN ? CF_E_TEXT_LIMIT : CF_OK, 5);
		if (ch != NULL)
			CF_EXPECT(ch->strings[0].len == n &&
			        ch->strings[0].data[n - 1] == '\n',
			    "longest string decoded");
		cf_chan_free(ch);
		cf_buf_free(&b);
	}

	/* Line length, without its LF or CR LF. */
	for (size_t n = CF_TEXT_MAX_LINE; n <= CF_TEXT_MAX_LINE + 1; n++) {
		for (int crlf = 0; crlf < 2; crlf++) {
			cf_buf_init(&b, 0);
			buf_text(&b, HDR "#");
			buf_fill(&b, '-', n - 1);
			buf_text(&b, crlf ? "\r\n" : "\n");
			buf_text(&b, "instance 1 log\n");
			ch = try_asm("line length", (const char *)b.data, b.len,
			    n > CF_TEXT_MAX_LINE ? CF_E_TEXT_LIMIT : CF_OK, 4);
			cf_chan_free(ch);
			cf_buf_free(&b);
		}
	}
}

/*
 * A string of CF_MAX_STRING_LEN bytes that all need a 4-character escape
 * dumps to a line of more than 4 * CF_MAX_STRING_LEN characters. The round
 * trip holds for it because cf_limits.h insists CF_TEXT_MAX_LINE leaves
 * room for that line.
 */
static void
test_longest_line(void)
{
	cf_chan *ch = new_model(CF_TMPL_IPC);
	uint8_t *big = cf_mem_alloc(CF_MAX_STRING_LEN);
	uint32_t s, in;

	if (big == NULL)
		abort();
	memset(big, 0x80, CF_MAX_STRING_LEN);
	s = add_str(ch, big, CF_MAX_STRING_LEN);
	cf_chan_add_instance(ch, 1, CF_ACT_LOG, CF_INST_ENABLED, &in);
	add_crit(ch, in, 16, CF_OP_CONTAINS, 3, s, 0, 0);
	roundtrip("longest string, all escaped, inline", ch, 1);
	add_str(ch, "", 0);
	roundtrip("longest string, all escaped, explicit", ch, 0);
	cf_mem_free(big);
	cf_chan_free(ch);
}

/* ---- events file -------------------------------------------------------- */

static cf_event_list *
try_events(
    const char *what, const char *src, size_t len, int code, uint32_t line)
{
	cf_event_list *l = NULL;
	cf_diag d;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = cf_event_parse(src, len, &l, &d);
	CF_EXPECT(rc == code, "events %s: got %s (%s), want %s", what,
	    cf_err_name(rc), d.msg, cf_err_name(code));
	if (code != CF_OK) {
		CF_EXPECT(d.line == line, "events %s: line %u, want %u (%s)",
		    what, d.line, line, d.msg);
		CF_EXPECT(l == NULL && d.msg[0] != '\0',
		    "events %s: diag, no list", what);
	}
	if (rc != CF_OK) {
		cf_event_list_free(l);
		return NULL;
	}
	return l;
}

static const struct err_case ev_err_cases[] = {
	{ "field before event", "pipe_name \"a\"\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "event alone", "# x\nevent\n", 0, CF_E_TEXT_SYNTAX, 2 },
	{ "unknown template name", "event Nope\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "unknown template number", "event 6\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "template number u32+1", "event 4294967297\n", 0, CF_E_TEXT_VALUE,
	    1 },
	{ "template string", "event \"IPC\"\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "label twice", "event IPC \"a\" \"b\"\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "name after template", "event IPC x\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "label with NUL", "event IPC \"a\\0b\"\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "label bad escape", "event IPC \"\\q\"\n", 0, CF_E_TEXT_VALUE, 1 },
	{ "unknown field", "event IPC\nnosuch 1\n", 0, CF_E_TEXT_VALUE, 2 },
	{ "field case", "event IPC\nPipe_Name \"a\"\n", 0, CF_E_TEXT_VALUE, 2 },
	{ "field of another template", "event IPC\nimage_path \"a\"\n", 0,
	    CF_E_TEXT_VALUE, 2 },
	{ "index = nfields", "event IPC\n21 \"a\"\n", 0, CF_E_TEXT_VALUE, 2 },
	{ "index u32+1", "event IPC\n4294967296 \"a\"\n", 0, CF_E_TEXT_VALUE,
	    2 },
	{ "str field with INT", "event IPC\npipe_name 5\n", 0, CF_E_TEXT_VALUE,
	    2 },
	{ "int field with STRING", "event IPC\nclient_pid \"5\"\n", 0,
	    CF_E_TEXT_VALUE, 2 },
	{ "flags field with STRING", "event IPC\naccess_mask \"1\"\n", 0,
	    CF_E_TEXT_VALUE, 2 },
	{ "int field with name", "event IPC\nclient_pid five\n", 0,
	    CF_E_TEXT_SYNTAX, 2 },
	{ "str field with ref", "event IPC\npipe_name @0\n", 0,
	    CF_E_TEXT_SYNTAX, 2 },
	{ "value missing", "event IPC\npipe_name\n", 0, CF_E_TEXT_SYNTAX, 2 },
	{ "value extra", "event IPC\nclient_pid 1 2\n", 0, CF_E_TEXT_SYNTAX,
	    2 },
	{ "int u64+1", "event IPC\nclient_pid 18446744073709551616\n", 0,
	    CF_E_TEXT_VALUE, 2 },
	{ "field twice", "event IPC\nclient_pid 1\n3 2\n", 0, CF_E_TEXT_SYNTAX,
	    3 },
	{ "line starts with a string", "event IPC\n\"a\"\n", 0,
	    CF_E_TEXT_SYNTAX, 2 },
	{ "field keyword is not in the grammar",
	    "event IPC\nfield pipe_name \"a\"\n", 0, CF_E_TEXT_VALUE, 2 },
	{ "stray character", "event IPC;\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "unterminated", "event IPC\npipe_name \"a\n", 0, CF_E_TEXT_VALUE, 2 },

	/* FORMAT.md 8: the order of checks on a line. */
	{ "line starts with a ref", "@0\n", 0, CF_E_TEXT_SYNTAX, 1 },
	{ "template by hex number", "event 0x1\n", 0, CF_OK, 0 },
	{ "keyword and template in any case", "EVENT ipc\n", 0, CF_OK, 0 },
	{ "label with NUL, then a token", "event IPC \"a\\0\" x\n", 0,
	    CF_E_TEXT_VALUE, 1 },
	{ "field twice, wrong value kind",
	    "event IPC\nclient_pid 1\n"
	    "client_pid \"s\"\n",
	    0, CF_E_TEXT_SYNTAX, 3 },
	{ "field twice, by name and hex index",
	    "event IPC\nrpc_binding \"a\"\n"
	    "0x14 \"b\"\n",
	    0, CF_E_TEXT_SYNTAX, 3 },
	{ "unknown field, then a stray", "event IPC\nnosuch @@\n", 0,
	    CF_E_TEXT_VALUE, 2 },
	{ "field index signed", "event IPC\n-1 \"a\"\n", 0, CF_E_TEXT_VALUE,
	    2 },
	{ "int value u64+1, then a token",
	    "event IPC\nclient_pid 18446744073709551616 x\n", 0,
	    CF_E_TEXT_VALUE, 2 },
	{ "string value, then a token", "event IPC\npipe_name \"a\" x\n", 0,
	    CF_E_TEXT_SYNTAX, 2 },
	{ "string value glued", "event IPC\npipe_name \"a\"x\n", 0,
	    CF_E_TEXT_SYNTAX, 2 },
	{ "field line with no event, bad value", "pipe_name @\n", 0,
	    CF_E_TEXT_SYNTAX, 1 },
};

static void
test_events(void)
{
	static const char good[] = "# three events\n"
	                           "event IPC \"first\"\n"
	                           "  pipe_name \"\\\\\\\\.\\\\pipe\\\\x\"\n"
	                           "  client_pid 42\n"
	                           "  access_mask 0x10   # flags take INT\n"
	                           "  20 \"a\\0b\"\n"
	                           "\n"
	                           "EVENT 2\r\n"
	                           "  0 \"C:\\\\a.exe\"\r\n"
	                           "event processcreate \"lab\\x41\"\n"
	                           "  pid 0xffffffffffffffff\n"
	                           "  command_line \"\"";
	cf_event_list *l;
	const cf_event *ev;

	for (size_t i = 0; i < sizeof(ev_err_cases) / sizeof(ev_err_cases[0]);
	     i++) {
		const struct err_case *c = &ev_err_cases[i];

		cf_event_list_free(try_events(c->name, c->src,
		    c->len ? c->len : strlen(c->src), c->code, c->line));
	}

	l = try_events("good", good, strlen(good), CF_OK, 0);
	if (l != NULL) {
		CF_EXPECT_EQ(l->count, 3, "events");
		ev = &l->events[0];
		CF_EXPECT(strcmp(ev->name, "first") == 0, "label");
		CF_EXPECT(ev->tmpl_id == CF_TMPL_IPC && ev->nvalues == 21,
		    "IPC event holds 21 values");
		CF_EXPECT(ev->values[0].type == CF_VT_STR &&
		        ev->values[0].len == 10 &&
		        memcmp(ev->values[0].v.s, "\\\\.\\pipe\\x", 10) == 0,
		    "pipe_name");
		CF_EXPECT(ev->values[1].type == CF_VT_STR &&
		        ev->values[1].len == 0 && ev->values[1].v.s != NULL,
		    "missing str field: empty string");
		CF_EXPECT(
		    ev->values[3].type == CF_VT_INT && ev->values[3].v.u == 42,
		    "client_pid");
		CF_EXPECT(
		    ev->values[4].type == CF_VT_INT && ev->values[4].v.u == 0,
		    "missing int field: 0");
		CF_EXPECT(ev->values[7].type == CF_VT_INT &&
		        ev->values[7].v.u == 0x10,
		    "flags field");
		CF_EXPECT(ev->values[20].type == CF_VT_STR &&
		        ev->values[20].len == 3 &&
		        memcmp(ev->values[20].v.s, "a\0b", 3) == 0,
		    "by index, with a NUL");
		CF_EXPECT(ev->values[21].type == CF_VT_NONE,
		    "no value past the template's fields");
		ev = &l->events[1];
		CF_EXPECT(strcmp(ev->name, "event 2") == 0, "default label: %s",
		    ev->name);
		CF_EXPECT(ev->tmpl_id == CF_TMPL_PROCESS_CREATE &&
		        ev->nvalues == 10 && ev->values[0].len == 8,
		    "template by number, CRLF");
		ev = &l->events[2];
		CF_EXPECT(strcmp(ev->name, "labA") == 0 &&
		        ev->tmpl_id == CF_TMPL_PROCESS_CREATE &&
		        ev->values[3].v.u == UINT64_MAX &&
		        ev->values[1].type == CF_VT_STR &&
		        ev->values[1].len == 0,
		    "third event");
		cf_event_list_free(l);
	}

	l = try_events("empty", "", 0, CF_OK, 0);
	CF_EXPECT(l != NULL && l->count == 0, "empty file, no events");
	cf_event_list_free(l);
	cf_event_list_free(NULL);
	CF_EXPECT_EQ(cf_event_parse("", 0, NULL, NULL), CF_E_ARG, "NULL out");

	/* Event count at the limit and one past it. */
	for (uint32_t n = CF_MAX_EVENTS; n <= CF_MAX_EVENTS + 1; n++) {
		cf_buf b;

		cf_buf_init(&b, 0);
		for (uint32_t i = 0; i < n; i++)
			buf_text(&b, "event IPC\n");
		l = try_events("event limit", (const char *)b.data, b.len,
		    n > CF_MAX_EVENTS ? CF_E_TEXT_LIMIT : CF_OK, n);
		if (l != NULL)
			CF_EXPECT(l->count == n &&
			        strcmp(l->events[n - 1].name, "event 4096") ==
			            0,
			    "last default label");
		cf_event_list_free(l);
		cf_buf_free(&b);
	}

	/* Many long values: the pool moves as it grows, the pointers must
	 * still name each event's own bytes. */
	{
		cf_buf b;
		int ok = 1;

		cf_buf_init(&b, 0);
		for (uint32_t i = 0; i < 300; i++) {
			cf_buf_printf(&b, "event IPC \"e%u\"\npipe_name \"", i);
			buf_fill(&b, (char)('a' + i % 26), 4000);
			buf_text(&b, "\"\nrpc_binding \"\\0\"\n");
		}
		l = try_events(
		    "pool growth", (const char *)b.data, b.len, CF_OK, 0);
		for (uint32_t i = 0; l != NULL && i < l->count; i++) {
			const cf_value *v = &l->events[i].values[0];
			char name[16];

			snprintf(name, sizeof(name), "e%u", i);
			if (strcmp(l->events[i].name, name) != 0 ||
			    v->len != 4000 || v->v.s[0] != 'a' + i % 26 ||
			    v->v.s[3999] != 'a' + i % 26 ||
			    l->events[i].values[20].len != 1 ||
			    l->events[i].values[20].v.s[0] != 0)
				ok = 0;
		}
		CF_EXPECT(l != NULL && l->count == 300 && ok,
		    "values intact after pool growth");
		cf_event_list_free(l);
		cf_buf_free(&b);
	}
}

/* ---- FORMAT.md 7.4: order of checks, and the line reported ------------- */

/* The limits of a line come after its last token: a line over a count
 * limit that also has a bad token reports the token. */
static void
test_limit_order(void)
{
	static const struct {
		const char *what, *head, *line, *last;
		uint32_t head_lines, max;
		int code;
	} rows[] = {
		{ "1025th instance", HDR, "instance %u log\n",
		    "instance 9 log\n", 3, CF_MAX_INSTANCES, CF_E_TEXT_LIMIT },
		{ "1025th instance with an extra token", HDR,
		    "instance %u log\n", "instance 9 log x\n", 3,
		    CF_MAX_INSTANCES, CF_E_TEXT_SYNTAX },
		{ "1025th instance with an unknown action", HDR,
		    "instance %u log\n", "instance 9 frob\n", 3,
		    CF_MAX_INSTANCES, CF_E_TEXT_VALUE },
		{ "33rd criterion with an unknown operator", INST,
		    "  field 0 int-eq %u\n", "  field 0 bogus\n", 4,
		    CF_MAX_CRITERIA, CF_E_TEXT_VALUE },
		{ "33rd criterion with an unknown modifier", INST,
		    "  field 0 int-eq %u\n", "  field 0 int-eq 1 frob\n", 4,
		    CF_MAX_CRITERIA, CF_E_TEXT_SYNTAX },
		{ "4097th string with an extra token", HDR, "string \"%u\"\n",
		    "string \"x\" y\n", 3, CF_MAX_STRINGS, CF_E_TEXT_SYNTAX },
		{ "4097th string with a bad escape", HDR, "string \"%u\"\n",
		    "string \"\\q\"\n", 3, CF_MAX_STRINGS, CF_E_TEXT_VALUE },
	};

	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		cf_buf b;

		cf_buf_init(&b, 0);
		buf_text(&b, rows[k].head);
		for (uint32_t i = 0; i < rows[k].max; i++)
			if (cf_buf_printf(&b, rows[k].line, i) != CF_OK)
				abort();
		buf_text(&b, rows[k].last);
		cf_chan_free(try_asm(rows[k].what, (const char *)b.data, b.len,
		    rows[k].code, rows[k].head_lines + rows[k].max + 1));
		cf_buf_free(&b);
	}
}

/* A STRING is read left to right: the first problem met decides, and the
 * 4097th decoded byte is one. */
static void
test_string_order(void)
{
	static const struct {
		const char *what, *pre;
		size_t n; /* bytes 'a' after pre */
		const char *post;
		int code;
	} rows[] = {
		{ "unterminated, 4096 bytes", "", CF_MAX_STRING_LEN, "\n",
		    CF_E_TEXT_VALUE },
		{ "unterminated, 4097 bytes", "", CF_MAX_STRING_LEN + 1, "\n",
		    CF_E_TEXT_LIMIT },
		{ "4096 bytes, then a bad escape", "", CF_MAX_STRING_LEN,
		    "\\q\"\n", CF_E_TEXT_VALUE },
		{ "4096 bytes, then a raw tab", "", CF_MAX_STRING_LEN, "\t\"\n",
		    CF_E_TEXT_VALUE },
		{ "4097 bytes, then a bad escape", "", CF_MAX_STRING_LEN + 1,
		    "\\q\"\n", CF_E_TEXT_LIMIT },
		{ "a bad escape, then 5000 bytes", "\\q", 5000, "\"\n",
		    CF_E_TEXT_VALUE },
		{ "4095 bytes and an escape", "\\x41", CF_MAX_STRING_LEN - 1,
		    "\"\n", CF_OK },
		{ "4096 bytes and an escape", "\\x41", CF_MAX_STRING_LEN,
		    "\"\n", CF_E_TEXT_LIMIT },
	};

	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		cf_buf b;

		cf_buf_init(&b, 0);
		buf_text(&b, INST "field 0 equals \"");
		buf_text(&b, rows[k].pre);
		buf_fill(&b, 'a', rows[k].n);
		buf_text(&b, rows[k].post);
		cf_chan_free(try_asm(rows[k].what, (const char *)b.data, b.len,
		    rows[k].code, 5));
		cf_buf_free(&b);
	}
}

/* HDR, then `string` lines that bring the encoded size to exactly total
 * (72 bytes of frame, 8 + length per entry); returns the lines so far. */
static uint32_t
fill_to(cf_buf *b, uint64_t total)
{
	uint64_t r = total - 72, full = 8 + CF_MAX_STRING_LEN;
	uint32_t lines = 3;

	buf_text(b, HDR);
	/* Whole strings while two more entries still fit in what is left,
	 * then two that share the rest. */
	while (r > 2 * full) {
		buf_text(b, "string \"");
		buf_fill(b, 'a', CF_MAX_STRING_LEN);
		buf_text(b, "\"\n");
		r -= full;
		lines++;
	}
	for (int i = 0; i < 2; i++) {
		uint64_t n = i == 0 ? (r - 16) / 2 : r - 8;

		buf_text(b, "string \"");
		buf_fill(b, i == 0 ? 'b' : 'c', (size_t)n);
		buf_text(b, "\"\n");
		r -= 8 + n;
		lines++;
	}
	return lines;
}

/* The encoded size may reach CF_MAX_FILE_SIZE exactly; the line whose
 * instance, criterion or new table entry passes it is reported. */
static void
test_size_edges(void)
{
	static const struct {
		const char *what;
		uint64_t tail;      /* encoded bytes that ok adds */
		const char *ok;     /* accepted: exactly CF_MAX_FILE_SIZE */
		const char *over;   /* instead of ok: one byte or more over */
		uint32_t over_line; /* the line of over reported, 1-based */
	} rows[] = {
		{ "instance", 12, "instance 1 log\n",
		    "instance 1 log\ninstance 2 log\n", 2 },
		{ "criterion", 12 + 24, "instance 1 log\nfield 0 wildcard\n",
		    "instance 1 log\nfield 0 wildcard\nfield 0 wildcard\n", 3 },
		/* The criterion fits, its new one-byte-longer entry not. */
		{ "new entry", 12 + 24 + 8 + 1,
		    "instance 1 log\nfield 0 equals \"z\"\n",
		    "instance 1 log\nfield 0 equals \"zz\"\n", 2 },
		/* A STRING already in the table costs its criterion only. */
		{ "interned entry", 12 + 24 + 8 + 1 + 24,
		    "instance 1 log\nfield 0 equals \"z\"\n"
		    "field 0 equals \"z\"\n",
		    "instance 1 log\nfield 0 equals \"z\"\n"
		    "field 0 equals \"z\"\nfield 0 equals \"z\"\n",
		    4 },
	};

	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		cf_buf b, bin;
		uint32_t lines;
		size_t mark;
		cf_chan *ch;

		cf_buf_init(&b, 0);
		lines = fill_to(&b, CF_MAX_FILE_SIZE - rows[k].tail);
		mark = b.len;
		buf_text(&b, rows[k].ok);
		ch = try_asm(
		    rows[k].what, (const char *)b.data, b.len, CF_OK, 0);
		if (ch != NULL) {
			cf_buf_init(&bin, 0);
			CF_EXPECT(cf_chan_write(ch, &bin) == CF_OK &&
			        bin.len == CF_MAX_FILE_SIZE,
			    "%s: the file is exactly %u bytes (%zu)",
			    rows[k].what, (unsigned)CF_MAX_FILE_SIZE, bin.len);
			cf_buf_free(&bin);
		}
		cf_chan_free(ch);
		b.len = mark;
		buf_text(&b, rows[k].over);
		cf_chan_free(try_asm(rows[k].what, (const char *)b.data, b.len,
		    CF_E_TEXT_LIMIT, lines + rows[k].over_line));
		cf_buf_free(&b);
	}
}

/* ---- FORMAT.md 7.5: the dump layout ------------------------------------- */

static void
test_dump_layout(void)
{
	static const char *const names[] = { "IPC", "ProcessCreate",
		"FileWrite", "NetworkConnect", "RegistrySet" };
	cf_chan *ch = new_model(CF_TMPL_PROCESS_CREATE);
	uint32_t s, i0, i1;
	char want[128];

	ch->channel = 0;
	ch->content_version = UINT32_MAX;
	s = add_str(ch, "\\d", 2);
	cf_chan_add_instance(ch, 0, CF_ACT_LOG, CF_INST_ENABLED, &i0);
	cf_chan_add_instance(ch, UINT32_MAX, CF_ACT_BLOCK, 0, &i1);
	add_crit(ch, i0, 0, CF_OP_REGEX, CF_MOD_NEGATE | CF_MOD_ICASE, s, 0, 0);
	add_crit(ch, i0, 7, CF_OP_FLAGS_ALL, 0, CF_NO_STRING,
	    0xABCDEF0123456789ull, 0);
	add_crit(ch, i0, 7, CF_OP_FLAGS_ANY, CF_MOD_NEGATE, CF_NO_STRING, 0, 0);
	add_crit(ch, i0, 10, CF_OP_INT_EQ, 0, CF_NO_STRING, 0, 0);
	add_crit(ch, i0, 3, CF_OP_INT_RANGE, CF_MOD_ICASE, CF_NO_STRING, 7, 0);
	add_crit(ch, i0, 65535, CF_OP_WILDCARD, 0, CF_NO_STRING, 0, 0);
	add_crit(ch, i0, 9, CF_OP_SUFFIX, 0, s, 0, 0);
	expect_dump("layout", ch,
	    "format 1\n"
	    "channel 0\n"
	    "content-version 4294967295\n"
	    "template ProcessCreate\n"
	    "instance 0 log\n"
	    "  field image_path regex \"\\\\d\" icase not\n"
	    "  field token_flags flags-all 0xabcdef0123456789\n"
	    "  field token_flags flags-any 0x0 not\n"
	    "  field 10 int-eq 0\n"
	    "  field pid int-range 7 0 icase\n"
	    "  field 65535 wildcard\n"
	    "  field signer suffix \"\\\\d\"\n"
	    "instance 4294967295 block disabled\n");
	roundtrip("layout", ch, 1);
	cf_chan_free(ch);

	/* Template names as spelled in section 5; other ids as numbers. */
	for (uint32_t id = 0; id <= 6; id++) {
		ch = new_model(id);
		if (id >= 1 && id <= 5)
			snprintf(want, sizeof(want),
			    "format 1\nchannel 291\ncontent-version 7\n"
			    "template %s\n",
			    names[id - 1]);
		else
			snprintf(want, sizeof(want),
			    "format 1\nchannel 291\ncontent-version 7\n"
			    "template %u\n",
			    id);
		expect_dump("template line", ch, want);
		cf_chan_free(ch);
	}
}

/* FORMAT.md 7.5's escaping table, written out independently of libbsd. */
static size_t
ref_escape(const uint8_t *p, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		static const char cstyle[] = "abtnvfr"; /* 0x07 to 0x0D */
		uint8_t c = p[i];

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c >= 0x07 && c <= 0x0D) {
			out[o++] = '\\';
			out[o++] = cstyle[c - 0x07];
		} else if (c == 0 &&
		    !(i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '7')) {
			out[o++] = '\\';
			out[o++] = '0';
		} else if (c >= 0x20 && c <= 0x7E) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = (char)('0' + (c >> 6));
			out[o++] = (char)('0' + ((c >> 3) & 7));
			out[o++] = (char)('0' + (c & 7));
		}
	}
	out[o] = '\0';
	return o;
}

/* Every byte, alone and before each kind of next byte, dumps as the
 * table says. */
static void
test_vis_table(void)
{
	static const int nexts[] = { -1, '0', '7', '8', 'a', 0x00, 0xFF, '"' };
	unsigned bad = 0, cases = 0;

	for (unsigned c = 0; c < 256; c++) {
		for (size_t k = 0; k < sizeof(nexts) / sizeof(nexts[0]); k++) {
			cf_chan *ch = new_model(CF_TMPL_IPC);
			uint8_t str[2] = { (uint8_t)c, (uint8_t)nexts[k] };
			size_t n = nexts[k] < 0 ? 1 : 2;
			char want[64], line[96];
			uint32_t s, in;
			cf_buf out;

			ref_escape(str, n, want);
			snprintf(line, sizeof(line),
			    "  field pipe_name equals \"%s\"\n", want);
			s = add_str(ch, str, n);
			cf_chan_add_instance(
			    ch, 1, CF_ACT_LOG, CF_INST_ENABLED, &in);
			add_crit(ch, in, 0, CF_OP_EQUALS, 0, s, 0, 0);
			cf_buf_init(&out, 0);
			cases++;
			if (cf_text_dump(ch, &out) != CF_OK ||
			    out.len < strlen(line) ||
			    memcmp(out.data + out.len - strlen(line), line,
			        strlen(line)) != 0) {
				bad++;
				fprintf(stderr, "byte 0x%02x next %d: want %s",
				    c, nexts[k], line);
			}
			cf_buf_free(&out);
			cf_chan_free(ch);
		}
	}
	CF_EXPECT(bad == 0 && cases == 256 * 8,
	    "%u of %u strings escaped unlike FORMAT.md 7.5", bad, cases);
}

/* ---- FORMAT.md 7.6: the round trip of a file with INSTANCES first ------- */

static void
put_u32(uint8_t *p, size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static void
test_sections_first(void)
{
	static const char *const what[] = { "table lists INSTANCES first",
		"payload holds INSTANCES first", "both" };
	cf_chan *m = model_everything(CF_TMPL_IPC);
	cf_buf bin = write_model(m), text0;
	uint32_t slen = cf_ld_u32le(bin.data + 48);
	uint32_t ilen = cf_ld_u32le(bin.data + 60);
	uint8_t *v = cf_mem_alloc(bin.len);

	if (v == NULL)
		abort();
	cf_buf_init(&text0, 0);
	CF_EXPECT_EQ(cf_text_dump(m, &text0), CF_OK, "dump of the model");
	for (int k = 0; k < 3; k++) {
		uint32_t s_off = 64, i_off = 64 + slen;
		cf_chan *parsed = NULL, *back = NULL;
		cf_buf text, again;
		cf_diag d;

		/* Payload: the sections in the writer's order, or swapped. */
		memcpy(v, bin.data, bin.len);
		if (k >= 1) {
			memcpy(v + 64, bin.data + 64 + slen, ilen);
			memcpy(v + 64 + ilen, bin.data + 64, slen);
			i_off = 64;
			s_off = 64 + ilen;
		}
		/* Section table: STRINGS in entry 0, or INSTANCES. */
		if (k != 1) {
			put_u32(v, 40, CF_SECT_INSTANCES);
			put_u32(v, 44, i_off);
			put_u32(v, 48, ilen);
			put_u32(v, 52, CF_SECT_STRINGS);
			put_u32(v, 56, s_off);
			put_u32(v, 60, slen);
		} else {
			put_u32(v, 44, s_off);
			put_u32(v, 56, i_off);
		}
		put_u32(v, 24, cf_crc32(0, v + 40, bin.len - 40));
		CF_EXPECT(
		    memcmp(v, bin.data, bin.len) != 0, "%s: differs", what[k]);
		memset(&d, 0, sizeof(d));
		CF_EXPECT(cf_chan_parse(v, bin.len, &parsed, &d) == CF_OK,
		    "%s: parses (%s)", what[k], d.msg);
		if (parsed == NULL)
			continue;
		cf_buf_init(&text, 0);
		cf_buf_init(&again, 0);
		CF_EXPECT(cf_text_dump(parsed, &text) == CF_OK &&
		        text.len == text0.len &&
		        memcmp(text.data, text0.data, text.len) == 0,
		    "%s: dumps as the writer's layout does", what[k]);
		CF_EXPECT(cf_text_asm((const char *)text.data, text.len, &back,
		              &d) == CF_OK &&
		        cf_chan_equal(back, parsed),
		    "%s: asm(dump(f)) has f's content", what[k]);
		if (back != NULL) {
			CF_EXPECT(cf_chan_write(back, &again) == CF_OK &&
			        again.len == bin.len &&
			        memcmp(again.data, bin.data, bin.len) == 0,
			    "%s: comes back in the writer's layout", what[k]);
			CF_EXPECT(again.len == bin.len &&
			        memcmp(again.data, v, 24) == 0 &&
			        memcmp(again.data + 28, v + 28, 12) == 0 &&
			        memcmp(again.data, v, bin.len) != 0,
			    "%s: same header but the CRC, not the same bytes",
			    what[k]);
		}
		cf_buf_free(&text);
		cf_buf_free(&again);
		cf_chan_free(back);
		cf_chan_free(parsed);
	}
	cf_mem_free(v);
	cf_buf_free(&text0);
	cf_buf_free(&bin);
	cf_chan_free(m);
}

/* The inline form holds when its text fits the cap exactly, whatever
 * line ends it (here an instance line without criteria). */
static void
test_dump_cap_exact(void)
{
	cf_chan *ch = new_model(CF_TMPL_IPC);
	uint32_t s, in;
	cf_buf full, out;

	/* Long enough that the table form is the shorter. */
	s = add_str(ch, "abcdefghijklmnopqrst", 20);
	cf_chan_add_instance(ch, 1, CF_ACT_LOG, CF_INST_ENABLED, &in);
	for (int i = 0; i < 3; i++)
		add_crit(ch, in, 0, CF_OP_EQUALS, 0, s, 0, 0);
	cf_chan_add_instance(ch, 2, CF_ACT_KILL, CF_INST_ENABLED, NULL);
	cf_buf_init(&full, 0);
	CF_EXPECT_EQ(cf_text_dump(ch, &full), CF_OK, "dump, default cap");
	CF_EXPECT(!contains(full.data, full.len, "\nstring "), "inline form");
	cf_buf_init(&out, full.len);
	CF_EXPECT(cf_text_dump(ch, &out) == CF_OK && out.len == full.len &&
	        memcmp(out.data, full.data, full.len) == 0,
	    "inline text of exactly the cap (%zu bytes) is printed inline",
	    full.len);
	cf_buf_free(&out);
	cf_buf_init(&out, full.len - 1);
	CF_EXPECT(cf_text_dump(ch, &out) == CF_OK &&
	        contains(out.data, out.len, "\nstring "),
	    "one byte less: the table form");
	cf_buf_free(&out);
	cf_buf_free(&full);
	cf_chan_free(ch);
}

/* FORMAT.md 8: the events file shares the text form's lexical limits,
 * and checks the event count before it reads the rest of the line. */
static void
test_events_limits(void)
{
	static const struct {
		const char *what, *pre;
		size_t n; /* bytes 'a' after pre */
		const char *post;
		int code;
		uint32_t line;
	} rows[] = {
		{ "value of 4096 bytes", "event IPC\npipe_name \"",
		    CF_MAX_STRING_LEN, "\"\n", CF_OK, 0 },
		{ "value of 4097 bytes", "event IPC\npipe_name \"",
		    CF_MAX_STRING_LEN + 1, "\"\n", CF_E_TEXT_LIMIT, 2 },
		{ "label of 4096 bytes", "event IPC \"", CF_MAX_STRING_LEN,
		    "\"\n", CF_OK, 0 },
		{ "label of 4097 bytes", "event IPC \"", CF_MAX_STRING_LEN + 1,
		    "\"\n", CF_E_TEXT_LIMIT, 1 },
		{ "line of 32768 bytes", "event IPC #", CF_TEXT_MAX_LINE - 11,
		    "\n", CF_OK, 0 },
		{ "line of 32769 bytes", "event IPC #", CF_TEXT_MAX_LINE - 10,
		    "\n", CF_E_TEXT_LIMIT, 1 },
	};
	cf_buf b;

	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		cf_event_list *l;

		cf_buf_init(&b, 0);
		buf_text(&b, rows[k].pre);
		buf_fill(&b, 'a', rows[k].n);
		buf_text(&b, rows[k].post);
		l = try_events(rows[k].what, (const char *)b.data, b.len,
		    rows[k].code, rows[k].line);
		cf_event_list_free(l);
		cf_buf_free(&b);
	}

	/* The 4097th event line is over the limit before its template is
	 * read: an unknown one is not reported. */
	cf_buf_init(&b, 0);
	for (uint32_t i = 0; i < CF_MAX_EVENTS; i++)
		buf_text(&b, "event IPC\n");
	buf_text(&b, "event Nope\n");
	cf_event_list_free(try_events("4097th event, unknown template",
	    (const char *)b.data, b.len, CF_E_TEXT_LIMIT, CF_MAX_EVENTS + 1));
	cf_buf_free(&b);
}

int
main(void)
{
	test_errors();
	test_escape_message();
	test_accept();
	test_interning();
	test_escapes_in();
	test_escapes_out();
	test_all_bytes();
	test_one_byte_nul();
	test_dump_golden();
	test_dump_refuses();
	test_dump_fallback();
	test_roundtrip_models();
	test_roundtrip_random();
	test_limits();
	test_longest_line();
	test_events();
	test_limit_order();
	test_string_order();
	test_size_edges();
	test_dump_layout();
	test_vis_table();
	test_sections_first();
	test_dump_cap_exact();
	test_events_limits();
	return cf_test_finish("text");
}
