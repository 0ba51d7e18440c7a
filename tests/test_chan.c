/*
 * test_chan.c - table-driven edge cases of the channel-file parser and
 * writer (docs/FORMAT.md section 1). Every hostile file is built from a
 * good one written by cf_chan_write, patched, and (unless the test is
 * about the CRC) given a correct CRC so that the check under test is the
 * one that fires. Each case asserts the exact error code.
 */
#include <stdlib.h>
#include <string.h>

#include "cf_buf.h"
#include "cf_chan.h"
#include "cf_limits.h"
#include "cf_mem.h"
#include "cf_test.h"

/* A model with every operator, two strings and two instances. */
static cf_chan *
good_model(void)
{
	cf_chan *ch = cf_chan_new();
	uint32_t s0, s1, i0, i1;
	cf_criterion c;

	ch->channel = 291;
	ch->content_version = 7;
	ch->template_type = 1;
	cf_chan_add_string(ch, (const uint8_t *)"\\\\.\\pipe\\", 9, &s0);
	cf_chan_add_string(ch, (const uint8_t *)"a\0b", 3, &s1);
	cf_chan_add_instance(ch, 10, CF_ACT_DETECT, CF_INST_ENABLED, &i0);
	cf_chan_add_instance(ch, 11, CF_ACT_KILL, 0, &i1);
	for (unsigned op = 0; op < CF_OP_COUNT; op++) {
		memset(&c, 0, sizeof(c));
		c.field = (uint16_t)op;
		c.op = (uint8_t)op;
		c.str = CF_NO_STRING;
		switch (cf_op_operand(op)) {
		case CF_OPND_STR:
			c.str = op & 1 ? s0 : s1;
			c.mods = CF_MOD_ICASE;
			break;
		case CF_OPND_INT:
			c.a = 0x8000000000000001ull;
			break;
		case CF_OPND_RANGE:
			c.a = 1;
			c.b = UINT64_MAX;
			c.mods = CF_MOD_NEGATE;
			break;
		default:
			break;
		}
		cf_chan_add_criterion(ch, op < 5 ? i0 : i1, &c);
	}
	return ch;
}

static cf_buf
encode(const cf_chan *ch)
{
	cf_buf b;
	cf_buf_init(&b, 0);
	if (cf_chan_write(ch, &b) != CF_OK)
		abort();
	return b;
}

static void
put(uint8_t *p, size_t off, unsigned width, uint64_t v)
{
	for (unsigned i = 0; i < width; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

static void
fix_crc(uint8_t *p, size_t len)
{
	if (len >= CF_HEADER_SIZE)
		put(p, 24, 4,
		    cf_crc32(0, p + CF_HEADER_SIZE, len - CF_HEADER_SIZE));
}

static int
parse_code(const uint8_t *p, size_t len)
{
	cf_chan *ch = NULL;
	cf_diag d;
	int rc = cf_chan_parse(p, len, &ch, &d);
	if (rc == CF_OK) {
		CF_EXPECT(ch != NULL, "parse OK returns a model");
		cf_chan_free(ch);
	} else {
		CF_EXPECT(ch == NULL, "parse failure returns no model");
		CF_EXPECT(
		    d.code == rc, "diag code %d equals rc %d", d.code, rc);
	}
	return rc;
}

/* Offsets of the canonical encoding of good_model(). */
#define STR_SEC 64u

static uint32_t
ld32(const uint8_t *p, size_t off)
{
	return cf_ld_u32le(p + off);
}

struct patch {
	const char *what;
	uint32_t off; /* absolute, or relative to the instance section if */
	int rel_inst; /* rel_inst is set */
	unsigned width;
	uint64_t value;
	int keep_crc;
	int want;
};

/* Instance section layout: count(4), inst0 head(12) at 4, its 5 criteria
 * (24 each) at 16, inst1 head at 136, criteria at 148. */
static const struct patch patches[] = {
	{ "magic byte 0", 0, 0, 1, 0xAB, 0, CF_E_MAGIC },
	{ "magic byte 3", 3, 0, 1, 0x00, 0, CF_E_MAGIC },
	{ "format version 0", 4, 0, 2, 0, 0, CF_E_VERSION },
	{ "format version 2", 4, 0, 2, 2, 0, CF_E_VERSION },
	{ "header size 39", 6, 0, 2, 39, 0, CF_E_HEADER_SIZE },
	{ "header size 0xFFFF", 6, 0, 2, 0xFFFF, 0, CF_E_HEADER_SIZE },
	{ "total length 0", 20, 0, 4, 0, 0, CF_E_TOTAL_LENGTH },
	{ "total length 2^32-1", 20, 0, 4, 0xFFFFFFFF, 0, CF_E_TOTAL_LENGTH },
	{ "crc off by one", 24, 0, 1, 0, 1, CF_E_CRC },
	{ "section count 0", 28, 0, 2, 0, 0, CF_E_SECTION_COUNT },
	{ "section count 3", 28, 0, 2, 3, 0, CF_E_SECTION_COUNT },
	{ "section count 0xFFFF", 28, 0, 2, 0xFFFF, 0, CF_E_SECTION_COUNT },
	{ "header flags", 30, 0, 2, 1, 0, CF_E_RESERVED },
	{ "header reserved", 36, 0, 4, 0x80000000, 0, CF_E_RESERVED },
	{ "section table at 0", 32, 0, 4, 0, 0, CF_E_SECTION_TABLE },
	{ "section table at 64", 32, 0, 4, 64, 0, CF_E_SECTION_TABLE },
	{ "section kind 0", 40, 0, 2, 0, 0, CF_E_SECTION_KIND },
	{ "section kind 3", 40, 0, 2, 3, 0, CF_E_SECTION_KIND },
	{ "section kind duplicated", 52, 0, 2, 1, 0, CF_E_SECTION_KIND },
	{ "section entry reserved", 42, 0, 2, 1, 0, CF_E_RESERVED },
	{ "section offset inside header", 44, 0, 4, 0, 0, CF_E_SECTION_BOUNDS },
	{ "section offset in table", 44, 0, 4, 63, 0, CF_E_SECTION_BOUNDS },
	{ "section offset 2^32-1", 44, 0, 4, 0xFFFFFFFF, 0,
	    CF_E_SECTION_BOUNDS },
	{ "section length 2^32-1", 48, 0, 4, 0xFFFFFFFF, 0,
	    CF_E_SECTION_BOUNDS },
	{ "section offset+length wraps", 56, 0, 4, 0xFFFFFFF0, 0,
	    CF_E_SECTION_BOUNDS },
	{ "sections overlap", 56, 0, 4, 64, 0, CF_E_SECTION_OVERLAP },
	{ "string count 2^32-1", STR_SEC, 0, 4, 0xFFFFFFFF, 0,
	    CF_E_STRING_COUNT },
	{ "string count 3: data too short", STR_SEC, 0, 4, 3, 0,
	    CF_E_STRING_BOUNDS },
	{ "string count 4 (past section)", STR_SEC, 0, 4, 4, 0,
	    CF_E_STRING_COUNT },
	{ "string count 0 leaves data", STR_SEC, 0, 4, 0, 0,
	    CF_E_STRING_TRAILING },
	{ "string 0 offset 1", STR_SEC + 4, 0, 4, 1, 0, CF_E_STRING_OVERLAP },
	{ "string 0 offset past data", STR_SEC + 4, 0, 4, 13, 0,
	    CF_E_STRING_BOUNDS },
	{ "string 0 offset 2^32-1", STR_SEC + 4, 0, 4, 0xFFFFFFFF, 0,
	    CF_E_STRING_BOUNDS },
	{ "string 0 length past data", STR_SEC + 8, 0, 4, 13, 0,
	    CF_E_STRING_BOUNDS },
	{ "string 0 length over limit", STR_SEC + 8, 0, 4,
	    CF_MAX_STRING_LEN + 1, 0, CF_E_STRING_LEN },
	{ "string 0 length 2^32-1", STR_SEC + 8, 0, 4, 0xFFFFFFFF, 0,
	    CF_E_STRING_LEN },
	{ "string 1 overlaps string 0", STR_SEC + 12, 0, 4, 0, 0,
	    CF_E_STRING_OVERLAP },
	{ "string 1 after a gap", STR_SEC + 12, 0, 4, 10, 0,
	    CF_E_STRING_BOUNDS },
	{ "string 1 shorter: trailing", STR_SEC + 16, 0, 4, 2, 0,
	    CF_E_STRING_TRAILING },
	{ "instance count 2^32-1", 0, 1, 4, 0xFFFFFFFF, 0,
	    CF_E_INSTANCE_COUNT },
	{ "instance count limit+1", 0, 1, 4, CF_MAX_INSTANCES + 1, 0,
	    CF_E_INSTANCE_COUNT },
	{ "instance count 3: runs past", 0, 1, 4, 3, 0,
	    CF_E_INSTANCE_TRUNCATED },
	{ "instance count 23 (past section)", 0, 1, 4, 23, 0,
	    CF_E_INSTANCE_COUNT },
	{ "instance count 1: trailing", 0, 1, 4, 1, 0, CF_E_INSTANCE_TRAILING },
	{ "instance count 0: trailing", 0, 1, 4, 0, 0, CF_E_INSTANCE_TRAILING },
	{ "action 4", 8, 1, 2, 4, 0, CF_E_ACTION },
	{ "action 0xFFFF", 8, 1, 2, 0xFFFF, 0, CF_E_ACTION },
	{ "instance flag bit 1", 10, 1, 2, 3, 0, CF_E_RESERVED },
	{ "instance reserved", 14, 1, 2, 1, 0, CF_E_RESERVED },
	{ "criterion count limit+1", 12, 1, 2, CF_MAX_CRITERIA + 1, 0,
	    CF_E_CRITERION_COUNT },
	{ "criterion count 0xFFFF", 12, 1, 2, 0xFFFF, 0, CF_E_CRITERION_COUNT },
	/* 6: the next instance head is read as a wildcard with str = 3. */
	{ "criterion count 6: shifts", 12, 1, 2, 6, 0, CF_E_OPERAND },
	{ "last criterion count 6: past", 144, 1, 2, 6, 0,
	    CF_E_INSTANCE_TRUNCATED },
	/* 4: criterion 5 reads as two empty instances, then bytes remain. */
	{ "criterion count 4: trailing", 12, 1, 2, 4, 0,
	    CF_E_INSTANCE_TRAILING },
	{ "operator 10", 16 + 2, 1, 1, 10, 0, CF_E_OPERATOR },
	{ "operator 0xFF", 16 + 2, 1, 1, 0xFF, 0, CF_E_OPERATOR },
	{ "modifier bit 2", 16 + 3, 1, 1, 4, 0, CF_E_MODIFIER },
	{ "modifier 0x80", 16 + 3, 1, 1, 0x80, 0, CF_E_MODIFIER },
	{ "wildcard with a string", 16 + 4, 1, 4, 0, 0, CF_E_OPERAND },
	{ "wildcard with a", 16 + 8, 1, 8, 1, 0, CF_E_OPERAND },
	{ "wildcard with b", 16 + 16, 1, 8, 1, 0, CF_E_OPERAND },
	{ "equals strref = count", 40 + 4, 1, 4, 2, 0, CF_E_STRREF },
	{ "equals strref 2^32-1", 40 + 4, 1, 4, 0xFFFFFFFF, 0, CF_E_STRREF },
	{ "equals with a", 40 + 8, 1, 8, 5, 0, CF_E_OPERAND },
	{ "int-eq with a string", 148 + 24 + 4, 1, 4, 0, 0, CF_E_OPERAND },
	{ "int-eq with b", 148 + 24 + 16, 1, 8, 1, 0, CF_E_OPERAND },
	{ "int-range with a string", 148 + 48 + 4, 1, 4, 1, 0, CF_E_OPERAND },
	{ "regex strref 2", 148 + 4, 1, 4, 2, 0, CF_E_STRREF },
};

static void
test_patches(const uint8_t *good, size_t len)
{
	uint32_t inst = ld32(good, 56);
	uint8_t *p = cf_mem_alloc(len);

	for (size_t i = 0; i < sizeof(patches) / sizeof(patches[0]); i++) {
		const struct patch *t = &patches[i];
		uint32_t off = t->rel_inst ? inst + t->off : t->off;
		memcpy(p, good, len);
		if (t->keep_crc)
			put(p, off, t->width, ld32(p, off) + 1);
		else {
			put(p, off, t->width, t->value);
			fix_crc(p, len);
		}
		CF_EXPECT(parse_code(p, len) == t->want, "%s: got %s, want %s",
		    t->what, cf_err_name(parse_code(p, len)),
		    cf_err_name(t->want));
	}
	cf_mem_free(p);
}

/*
 * Section tables, each in both entry orders: the verdict must not depend
 * on the order (docs/FORMAT.md 1.2). Each offset or length is
 * p * 64 + s * S + i * I + d, where S and I are the good file's string and
 * instance section lengths.
 */
struct lin {
	int p, s, i, d;
};

struct layout {
	const char *what;
	struct lin str_off, str_len, inst_off, inst_len;
	int want;
};

static const struct layout layouts[] = {
	{ "the canonical layout", { 1, 0, 0, 0 }, { 0, 1, 0, 0 },
	    { 1, 1, 0, 0 }, { 0, 0, 1, 0 }, CF_OK },
	{ "empty instances at the start", { 1, 0, 0, 0 }, { 0, 1, 1, 0 },
	    { 1, 0, 0, 0 }, { 0, 0, 0, 0 }, CF_E_STRING_TRAILING },
	{ "empty instances at the end", { 1, 0, 0, 0 }, { 0, 1, 1, 0 },
	    { 1, 1, 1, 0 }, { 0, 0, 0, 0 }, CF_E_STRING_TRAILING },
	{ "empty instances inside strings", { 1, 0, 0, 0 }, { 0, 1, 1, 0 },
	    { 1, 0, 0, 1 }, { 0, 0, 0, 0 }, CF_E_SECTION_OVERLAP },
	{ "empty strings at the start", { 1, 0, 0, 0 }, { 0, 0, 0, 0 },
	    { 1, 0, 0, 0 }, { 0, 1, 1, 0 }, CF_E_STRING_COUNT },
	{ "same offset, same length", { 1, 0, 0, 0 }, { 0, 1, 1, 0 },
	    { 1, 0, 0, 0 }, { 0, 1, 1, 0 }, CF_E_SECTION_OVERLAP },
	{ "one byte shared", { 1, 0, 0, 0 }, { 0, 1, 0, 1 }, { 1, 1, 0, 0 },
	    { 0, 0, 1, 0 }, CF_E_SECTION_OVERLAP },
	{ "one byte between", { 1, 0, 0, 0 }, { 0, 1, 0, -1 }, { 1, 1, 0, 0 },
	    { 0, 0, 1, 0 }, CF_E_SECTION_GAP },
	{ "a byte before the first", { 1, 0, 0, 1 }, { 0, 1, 0, -1 },
	    { 1, 1, 0, 0 }, { 0, 0, 1, 0 }, CF_E_SECTION_GAP },
};

static uint32_t
lin_at(struct lin v, uint32_t s, uint32_t i)
{
	return (uint32_t)(v.p * 64 + v.s * (int)s + v.i * (int)i + v.d);
}

static void
put_entry(uint8_t *p, size_t at, unsigned kind, uint32_t off, uint32_t len)
{
	put(p, at, 2, kind);
	put(p, at + 2, 2, 0);
	put(p, at + 4, 4, off);
	put(p, at + 8, 4, len);
}

static void
test_section_layouts(const uint8_t *good, size_t len)
{
	uint32_t s = ld32(good, 48), i = ld32(good, 60);
	uint8_t *p = cf_mem_alloc(len);

	for (size_t k = 0; k < sizeof(layouts) / sizeof(layouts[0]); k++) {
		const struct layout *t = &layouts[k];
		uint32_t so = lin_at(t->str_off, s, i);
		uint32_t sl = lin_at(t->str_len, s, i);
		uint32_t io = lin_at(t->inst_off, s, i);
		uint32_t il = lin_at(t->inst_len, s, i);
		for (int swap = 0; swap < 2; swap++) {
			int got;
			memcpy(p, good, len);
			put_entry(p, swap ? 52 : 40, CF_SECT_STRINGS, so, sl);
			put_entry(p, swap ? 40 : 52, CF_SECT_INSTANCES, io, il);
			fix_crc(p, len);
			got = parse_code(p, len);
			CF_EXPECT(got == t->want,
			    "%s (%s entry first): strings [%u,+%u) instances [%u,+%u): got %s, want %s",
			    t->what, swap ? "instances" : "strings", so, sl, io,
			    il, cf_err_name(got), cf_err_name(t->want));
		}
	}
	cf_mem_free(p);
}

/* Two faults in one instance record: the first check in the order of
 * docs/FORMAT.md 1.4 decides. */
static void
test_record_order(const uint8_t *good, size_t len)
{
	uint32_t inst = ld32(good, 56);
	uint8_t *p = cf_mem_alloc(len);
	int got;

	memcpy(p, good, len);
	put(p, inst + 12, 2, CF_MAX_CRITERIA + 1);
	put(p, inst + 14, 2, 1);
	fix_crc(p, len);
	got = parse_code(p, len);
	CF_EXPECT(got == CF_E_RESERVED,
	    "criterion count over the limit and reserved set: got %s",
	    cf_err_name(got));
	put(p, inst + 8, 2, CF_ACT_COUNT);
	fix_crc(p, len);
	got = parse_code(p, len);
	CF_EXPECT(got == CF_E_ACTION, "and a bad action too: got %s",
	    cf_err_name(got));
	cf_mem_free(p);
}

/* Every prefix of a good file fails; which error depends on the length. */
static void
test_truncation(const uint8_t *good, size_t len)
{
	uint8_t *p = cf_mem_alloc(len);

	for (size_t k = 0; k < len; k++) {
		int want =
		    k < CF_HEADER_SIZE ? CF_E_TRUNCATED : CF_E_TOTAL_LENGTH;
		CF_EXPECT(parse_code(good, k) == want,
		    "prefix of %zu bytes: got %s", k,
		    cf_err_name(parse_code(good, k)));
	}
	/* Prefixes whose total_length is patched to match. */
	for (size_t k = CF_HEADER_SIZE; k < 64; k++) {
		memcpy(p, good, k);
		put(p, 20, 4, k);
		CF_EXPECT(parse_code(p, k) == CF_E_TRUNCATED,
		    "consistent prefix of %zu bytes", k);
	}
	cf_mem_free(p);
}

/* Build n strings of one byte each (count at the limit and over it). */
static void
test_count_limits(void)
{
	cf_chan *ch = cf_chan_new();
	cf_buf b;
	uint32_t idx;

	ch->template_type = 1;
	for (uint32_t i = 0; i < CF_MAX_STRINGS; i++)
		cf_chan_add_string(ch, (const uint8_t *)"x", 1, NULL);
	CF_EXPECT(
	    cf_chan_add_string(ch, (const uint8_t *)"x", 1, NULL) == CF_E_ARG,
	    "builder refuses string limit+1");
	for (uint32_t i = 0; i < CF_MAX_INSTANCES; i++)
		cf_chan_add_instance(ch, i, 0, 1, NULL);
	CF_EXPECT(cf_chan_add_instance(ch, 0, 0, 1, &idx) == CF_E_ARG,
	    "builder refuses instance limit+1");
	{
		cf_criterion c = { 0, 0, 0, CF_NO_STRING, 0, 0 };
		for (uint32_t k = 0; k < CF_MAX_CRITERIA; k++)
			CF_EXPECT(cf_chan_add_criterion(ch, 0, &c) == CF_OK,
			    "criterion %u", k);
		CF_EXPECT(cf_chan_add_criterion(ch, 0, &c) == CF_E_ARG,
		    "builder refuses criterion limit+1");
	}
	b = encode(ch);
	CF_EXPECT(parse_code(b.data, b.len) == CF_OK,
	    "strings, instances and criteria exactly at their limits parse");
	/* String count limit+1 that still fits the section: 4+8*4097 bytes
	 * of entries fit in 4 + 8*4096 + 4096 bytes of section. */
	put(b.data, STR_SEC, 4, CF_MAX_STRINGS + 1);
	fix_crc(b.data, b.len);
	CF_EXPECT(parse_code(b.data, b.len) == CF_E_STRING_COUNT,
	    "string count limit+1");
	cf_buf_free(&b);
	cf_chan_free(ch);
}

static void
test_sizes(void)
{
	uint8_t *big = cf_mem_calloc(1, CF_MAX_FILE_SIZE + 1);
	memset(big, 0xAA, 4);
	CF_EXPECT(parse_code(big, CF_MAX_FILE_SIZE + 1) == CF_E_TOO_LARGE,
	    "file over the limit");
	CF_EXPECT(parse_code(NULL, 0) == CF_E_TRUNCATED, "empty file");
	cf_mem_free(big);
	{
		/* The largest string length allowed is accepted. */
		cf_chan *ch = cf_chan_new();
		uint8_t *s = cf_mem_calloc(1, CF_MAX_STRING_LEN);
		cf_buf b;
		CF_EXPECT(
		    cf_chan_add_string(ch, s, CF_MAX_STRING_LEN, NULL) == CF_OK,
		    "string at max length");
		CF_EXPECT(cf_chan_add_string(
		              ch, s, CF_MAX_STRING_LEN + 1, NULL) == CF_E_ARG,
		    "string over max length");
		b = encode(ch);
		CF_EXPECT(parse_code(b.data, b.len) == CF_OK,
		    "string of exactly the max length parses");
		cf_buf_free(&b);
		cf_chan_free(ch);
		cf_mem_free(s);
	}
}

static void
test_roundtrip(void)
{
	cf_chan *ch = good_model(), *back = NULL, *cl = NULL;
	cf_buf b = encode(ch), b2;
	cf_diag d;

	CF_EXPECT(cf_chan_parse(b.data, b.len, &back, &d) == CF_OK,
	    "good model parses: %s", d.msg);
	CF_EXPECT(back && cf_chan_equal(ch, back), "parse(write(m)) == m");
	b2 = encode(back);
	CF_EXPECT(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "write(parse(f)) == f");
	CF_EXPECT(cf_chan_clone(ch, &cl) == CF_OK && cf_chan_equal(ch, cl),
	    "clone equals");
	cl->instances[1].crit[0].a ^= 1;
	CF_EXPECT(!cf_chan_equal(ch, cl), "equal sees a changed operand");
	CF_EXPECT(cf_crc32(0, (const uint8_t *)"123456789", 9) == 0xCBF43926u,
	    "CRC-32 check value");
	/* Sections in the other order are valid too (FORMAT.md 1.2). */
	{
		uint32_t slen = ld32(b.data, 48), ilen = ld32(b.data, 60);
		uint8_t *p = cf_mem_alloc(b.len);
		memcpy(p, b.data, 64);
		memcpy(p + 64, b.data + 64 + slen, ilen);
		memcpy(p + 64 + ilen, b.data + 64, slen);
		put(p, 44, 4, 64 + ilen);
		put(p, 56, 4, 64);
		fix_crc(p, b.len);
		CF_EXPECT(parse_code(p, b.len) == CF_OK, "sections swapped");
		/* A gap between them (string section one byte short). */
		put(p, 48, 4, slen - 1);
		fix_crc(p, b.len);
		CF_EXPECT(parse_code(p, b.len) == CF_E_SECTION_GAP,
		    "byte between sections");
		cf_mem_free(p);
	}
	/* The writer refuses what it cannot encode. */
	ch->instances[0].crit[1].str = 99;
	cf_buf_free(&b2);
	cf_buf_init(&b2, 0);
	CF_EXPECT(cf_chan_write(ch, &b2) == CF_E_ARG && b2.len == 0,
	    "writer refuses a dangling string reference, writes nothing");
	cf_buf_free(&b2);
	cf_buf_init(&b2, 100);
	ch->instances[0].crit[1].str = 0;
	CF_EXPECT(cf_chan_write(ch, &b2) == CF_E_LIMIT && b2.len == 0,
	    "writer respects the buffer cap");
	cf_buf_free(&b);
	cf_buf_free(&b2);
	cf_chan_free(ch);
	cf_chan_free(back);
	cf_chan_free(cl);
}

/* cf_buf's cap is on what it holds: exactly max bytes fit, however they
 * were appended (printf needs a scratch byte for its NUL, which is not
 * content), and one more byte does not. */
static void
test_buf_cap(void)
{
	cf_buf b;

	cf_buf_init(&b, 8);
	CF_EXPECT(cf_buf_printf(&b, "%s", "12345678") == CF_OK && b.len == 8 &&
	        memcmp(b.data, "12345678", 8) == 0,
	    "printf of exactly the cap");
	CF_EXPECT(cf_buf_put(&b, "x", 1) == CF_E_LIMIT && b.len == 8,
	    "put past the cap");
	CF_EXPECT(cf_buf_printf(&b, "%s", "") == CF_OK && b.len == 8,
	    "empty printf at the cap");
	cf_buf_free(&b);
	cf_buf_init(&b, 8);
	CF_EXPECT(cf_buf_put(&b, "1234", 4) == CF_OK &&
	        cf_buf_printf(&b, "%d", 5678) == CF_OK && b.len == 8 &&
	        memcmp(b.data, "12345678", 8) == 0,
	    "put, then printf to exactly the cap");
	cf_buf_free(&b);
	cf_buf_init(&b, 8);
	CF_EXPECT(
	    cf_buf_printf(&b, "%s", "123456789") == CF_E_LIMIT && b.len == 0,
	    "printf one byte over the cap appends nothing");
	cf_buf_free(&b);
	/* Past the initial 256 bytes of capacity, growing to the cap. */
	cf_buf_init(&b, 1000);
	for (int i = 0; i < 99; i++)
		cf_buf_printf(&b, "%010d", i);
	CF_EXPECT(cf_buf_printf(&b, "%010d", 99) == CF_OK && b.len == 1000,
	    "printf fills a grown buffer to exactly the cap");
	CF_EXPECT(cf_buf_printf(&b, "x") == CF_E_LIMIT && b.len == 1000,
	    "and no further");
	cf_buf_free(&b);
}

int
main(void)
{
	cf_chan *ch = good_model();
	cf_buf b = encode(ch);

	CF_EXPECT(parse_code(b.data, b.len) == CF_OK, "good file parses");
	test_patches(b.data, b.len);
	test_section_layouts(b.data, b.len);
	test_record_order(b.data, b.len);
	test_truncation(b.data, b.len);
	test_count_limits();
	test_sizes();
	test_roundtrip();
	test_buf_cap();
	CF_EXPECT(
	    strcmp(cf_err_name(CF_E_CRC), "CF_E_CRC") == 0, "error names");
	CF_EXPECT(strcmp(cf_err_name(12345), "CF_E_UNKNOWN") == 0,
	    "unknown error name");
	cf_buf_free(&b);
	cf_chan_free(ch);
	return cf_test_finish("chan");
}
