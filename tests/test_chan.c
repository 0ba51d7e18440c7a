/*
 * test_chan.c - table-driven edge cases of the channel-file parser and
 * writer (docs/FORMAT.md section 1). Every hostile file is built from a
 * good one written by cf_chan_write, patched, and (unless the test is
 * about the CRC) given a correct CRC so that the check under test is the
 * one that fires. Each case asserts the exact error code. Then the layout
 * cf_chan.h names, the section-table check the parser and the mutator's
 * repair share, and the model's editors (insertions and removals of
 * instances, criteria and strings, against their limits and mixed with
 * the builders).
 */
#include <stdio.h>
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

/* The header fields where cf_chan.h's layout enums say they are, in the
 * writer's output (docs/FORMAT.md 1.1-1.2). */
struct field_at {
	const char *what;
	uint32_t off;
	unsigned width;
	uint64_t want; /* TOTAL: the file's length */
};
#define TOTAL 0xFFFFFFFFFFull

static const struct field_at header_fields[] = {
	{ "magic", CF_HDR_OFF_MAGIC, 4, 0xAAAAAAAAu },
	{ "format version", CF_HDR_OFF_FORMAT_VERSION, 2, CF_FORMAT_VERSION },
	{ "header size", CF_HDR_OFF_HEADER_SIZE, 2, CF_HEADER_SIZE },
	{ "channel", CF_HDR_OFF_CHANNEL, 4, 291 },
	{ "content version", CF_HDR_OFF_CONTENT_VERSION, 4, 7 },
	{ "template type", CF_HDR_OFF_TEMPLATE_TYPE, 4, 1 },
	{ "total length", CF_HDR_OFF_TOTAL_LENGTH, 4, TOTAL },
	{ "section count", CF_HDR_OFF_SECTION_COUNT, 2, CF_SECTION_COUNT },
	{ "flags", CF_HDR_OFF_FLAGS, 2, 0 },
	{ "section table", CF_HDR_OFF_SECTION_TABLE, 4, CF_HEADER_SIZE },
	{ "reserved", CF_HDR_OFF_RESERVED, 4, 0 },
	{ "entry 0 kind", CF_HEADER_SIZE + CF_SECT_OFF_KIND, 2,
	    CF_SECT_STRINGS },
	{ "entry 0 reserved", CF_HEADER_SIZE + CF_SECT_OFF_RESERVED, 2, 0 },
	{ "entry 0 offset", CF_HEADER_SIZE + CF_SECT_OFF_OFFSET, 4,
	    CF_PAYLOAD_START },
	{ "entry 1 kind",
	    CF_HEADER_SIZE + CF_SECTION_ENTRY_SIZE + CF_SECT_OFF_KIND, 2,
	    CF_SECT_INSTANCES },
	{ "first string's offset", CF_PAYLOAD_START + 4 + CF_STR_OFF_OFFSET, 4,
	    0 },
	{ "first string's length", CF_PAYLOAD_START + 4 + CF_STR_OFF_LENGTH, 4,
	    9 },
};

static void
test_layout(const uint8_t *good, size_t len)
{
	uint32_t inst = ld32(
	    good, CF_HEADER_SIZE + CF_SECTION_ENTRY_SIZE + CF_SECT_OFF_OFFSET);
	uint32_t r = inst + 4, c = r + CF_INSTANCE_HEADER_SIZE;
	cf_section e0 = cf_chan_section_entry(good, 0);
	cf_section e1 = cf_chan_section_entry(good, 1);

	CF_EXPECT_EQ(CF_PAYLOAD_START, 64, "payload start");
	for (size_t i = 0; i < sizeof(header_fields) / sizeof(header_fields[0]);
	     i++) {
		const struct field_at *t = &header_fields[i];
		uint64_t got = 0, want = t->want == TOTAL ? len : t->want;
		for (unsigned k = 0; k < t->width; k++)
			got |= (uint64_t)good[t->off + k] << (8 * k);
		CF_EXPECT(got == want, "%s at %u: got %llu, want %llu", t->what,
		    t->off, (unsigned long long)got, (unsigned long long)want);
	}
	CF_EXPECT(e0.kind == CF_SECT_STRINGS && e0.reserved == 0 &&
	        e0.off == CF_PAYLOAD_START && e1.kind == CF_SECT_INSTANCES &&
	        e1.off == inst && e0.off + e0.len == e1.off &&
	        e1.off + e1.len == len,
	    "section entries read back");
	/* Instance 0 of good_model(): id 10, DETECT, ENABLED, 5 criteria;
	 * its first criterion is the wildcard on field 0. */
	CF_EXPECT(ld32(good, r + CF_INST_OFF_ID) == 10 &&
	        cf_ld_u16le(good + r + CF_INST_OFF_ACTION) == CF_ACT_DETECT &&
	        cf_ld_u16le(good + r + CF_INST_OFF_FLAGS) == CF_INST_ENABLED &&
	        cf_ld_u16le(good + r + CF_INST_OFF_NCRIT) == 5 &&
	        cf_ld_u16le(good + r + CF_INST_OFF_RESERVED) == 0,
	    "instance record fields");
	c += CF_CRITERION_SIZE; /* criterion 1: EQUALS, string 0, ICASE */
	CF_EXPECT(cf_ld_u16le(good + c + CF_CRIT_OFF_FIELD) == 1 &&
	        good[c + CF_CRIT_OFF_OP] == CF_OP_EQUALS &&
	        good[c + CF_CRIT_OFF_MODS] == CF_MOD_ICASE &&
	        ld32(good, c + CF_CRIT_OFF_STR) == 0 &&
	        cf_ld_u64le(good + c + CF_CRIT_OFF_A) == 0 &&
	        cf_ld_u64le(good + c + CF_CRIT_OFF_B) == 0,
	    "criterion fields");
}

/*
 * cf_chan_check_sections directly: the verdict and the entry it names.
 * Offsets and lengths are for a file of TOTAL_LEN bytes.
 */
#define TOTAL_LEN 200u
struct sect_case {
	const char *what;
	cf_section sec[2];
	int want;
	unsigned entry; /* checked when want != CF_OK */
};

static const struct sect_case sect_cases[] = {
	{ "strings then instances", { { 1, 0, 64, 100 }, { 2, 0, 164, 36 } },
	    CF_OK, 0 },
	{ "instances then strings", { { 2, 0, 64, 36 }, { 1, 0, 100, 100 } },
	    CF_OK, 0 },
	{ "entries in the other order",
	    { { 2, 0, 164, 36 }, { 1, 0, 64, 100 } }, CF_OK, 0 },
	{ "an empty section last", { { 1, 0, 64, 136 }, { 2, 0, 200, 0 } },
	    CF_OK, 0 },
	{ "entry 0 reserved", { { 1, 1, 64, 100 }, { 2, 0, 164, 36 } },
	    CF_E_RESERVED, 0 },
	{ "entry 1 reserved", { { 1, 0, 64, 100 }, { 2, 0x8000, 164, 36 } },
	    CF_E_RESERVED, 1 },
	{ "entry 0 kind 0", { { 0, 0, 64, 100 }, { 2, 0, 164, 36 } },
	    CF_E_SECTION_KIND, 0 },
	{ "entry 1 kind repeated", { { 1, 0, 64, 100 }, { 1, 0, 164, 36 } },
	    CF_E_SECTION_KIND, 1 },
	{ "entry 1 kind 3", { { 1, 0, 64, 100 }, { 3, 0, 164, 36 } },
	    CF_E_SECTION_KIND, 1 },
	{ "entry 0 inside the table", { { 1, 0, 63, 101 }, { 2, 0, 164, 36 } },
	    CF_E_SECTION_BOUNDS, 0 },
	{ "entry 1 one past the end", { { 1, 0, 64, 100 }, { 2, 0, 165, 36 } },
	    CF_E_SECTION_BOUNDS, 1 },
	{ "entry 1 length = total + 1",
	    { { 1, 0, 64, 100 }, { 2, 0, 164, TOTAL_LEN + 1 } },
	    CF_E_SECTION_BOUNDS, 1 },
	{ "entry 1 offset + length wraps",
	    { { 1, 0, 64, 100 }, { 2, 0, 0xFFFFFFF0u, 0x20 } },
	    CF_E_SECTION_BOUNDS, 1 },
	{ "reserved before kind before bounds",
	    { { 9, 1, 0, 0xFFFFFFFFu }, { 2, 0, 164, 36 } }, CF_E_RESERVED, 0 },
	{ "overlap by one byte", { { 1, 0, 64, 101 }, { 2, 0, 164, 36 } },
	    CF_E_SECTION_OVERLAP, 1 },
	{ "overlap, entries swapped", { { 2, 0, 164, 36 }, { 1, 0, 64, 101 } },
	    CF_E_SECTION_OVERLAP, 0 },
	{ "same offset, same length", { { 1, 0, 64, 136 }, { 2, 0, 64, 136 } },
	    CF_E_SECTION_OVERLAP, 1 },
	/* The table passes; the section's own count check fails later. */
	{ "empty at the other's first byte",
	    { { 1, 0, 64, 136 }, { 2, 0, 64, 0 } }, CF_OK, 0 },
	{ "empty strictly inside the other",
	    { { 1, 0, 64, 136 }, { 2, 0, 100, 0 } }, CF_E_SECTION_OVERLAP, 1 },
	{ "a byte between", { { 1, 0, 64, 99 }, { 2, 0, 164, 36 } },
	    CF_E_SECTION_GAP, 1 },
	{ "a byte after", { { 1, 0, 64, 100 }, { 2, 0, 164, 35 } },
	    CF_E_SECTION_GAP, 1 },
	{ "a byte before the first", { { 1, 0, 65, 99 }, { 2, 0, 164, 36 } },
	    CF_E_SECTION_GAP, 1 },
};

static void
test_check_sections(void)
{
	for (size_t i = 0; i < sizeof(sect_cases) / sizeof(sect_cases[0]);
	     i++) {
		const struct sect_case *t = &sect_cases[i];
		unsigned entry = 99;
		int got = cf_chan_check_sections(t->sec, TOTAL_LEN, &entry);
		CF_EXPECT(got == t->want && (got == CF_OK || entry == t->entry),
		    "%s: got %s entry %u, want %s entry %u", t->what,
		    cf_err_name(got), entry, cf_err_name(t->want), t->entry);
		CF_EXPECT(
		    cf_chan_check_sections(t->sec, TOTAL_LEN, NULL) == t->want,
		    "%s: without an entry", t->what);
	}
}

/*
 * The editors (cf_chan.h), step by step on one model: each step's code
 * and the model after it, written as the instances' ids (and, after a
 * '/', the fields of instance 0's criteria). Steps past a power of two
 * make the arrays grow; builders and editors are mixed, which is safe
 * only while both keep the room rule (ASan checks the writes).
 */
enum edit_kind { ADD_I, INS_I, DEL_I, DUP_I, ADD_C, INS_C, DEL_C, DUP_C };
struct edit_step {
	const char *what;
	enum edit_kind kind;
	uint32_t pos;  /* instance position */
	uint32_t cpos; /* criterion position (INS_C, DEL_C, DUP_C's source) */
	uint16_t val;  /* id of a new instance, field of a new criterion */
	int want;
	const char *after;
};

static const struct edit_step edit_steps[] = {
	{ "remove from an empty model", DEL_I, 0, 0, 0, CF_E_ARG, "" },
	{ "insert past the end", INS_I, 1, 0, 1, CF_E_ARG, "" },
	{ "insert into an empty model", INS_I, 0, 0, 1, CF_OK, "1" },
	{ "append by position", INS_I, 1, 0, 2, CF_OK, "1 2" },
	{ "insert first", INS_I, 0, 0, 3, CF_OK, "3 1 2" },
	{ "insert in the middle (4 = room)", INS_I, 1, 0, 4, CF_OK, "3 4 1 2" },
	{ "append with the builder (grows)", ADD_I, 0, 0, 5, CF_OK,
	    "3 4 1 2 5" },
	{ "remove one past the end", DEL_I, 5, 0, 0, CF_E_ARG, "3 4 1 2 5" },
	{ "remove the first", DEL_I, 0, 0, 0, CF_OK, "4 1 2 5" },
	{ "remove the last", DEL_I, 3, 0, 0, CF_OK, "4 1 2" },
	{ "criterion into a missing instance", ADD_C, 3, 0, 7, CF_E_ARG,
	    "4 1 2" },
	{ "criterion past the end", INS_C, 0, 1, 7, CF_E_ARG, "4 1 2" },
	{ "first criterion", INS_C, 0, 0, 7, CF_OK, "4 1 2/7" },
	{ "criterion before it", INS_C, 0, 0, 6, CF_OK, "4 1 2/6 7" },
	{ "builder appends a criterion", ADD_C, 0, 0, 9, CF_OK, "4 1 2/6 7 9" },
	{ "criterion in the middle", INS_C, 0, 2, 8, CF_OK, "4 1 2/6 7 8 9" },
	{ "copy of criterion 0 at the end (grows)", DUP_C, 0, 0, 4, CF_OK,
	    "4 1 2/6 7 8 9 6" },
	{ "remove a criterion past the end", DEL_C, 0, 5, 0, CF_E_ARG,
	    "4 1 2/6 7 8 9 6" },
	{ "remove criterion 1", DEL_C, 0, 1, 0, CF_OK, "4 1 2/6 8 9 6" },
	{ "copy of instance 0 (with its criteria) at 3", DUP_I, 0, 3, 0, CF_OK,
	    "4 1 2 4/6 8 9 6" },
	{ "remove the original", DEL_I, 0, 0, 0, CF_OK, "1 2 4" },
	{ "its copy's criteria moved with it", DEL_I, 0, 0, 0, CF_OK, "2 4" },
	{ "the copy is first", DEL_I, 0, 0, 0, CF_OK, "4/6 8 9 6" },
	{ "remove its criteria", DEL_C, 0, 0, 0, CF_OK, "4/8 9 6" },
	{ "builder after removals", ADD_C, 0, 0, 5, CF_OK, "4/8 9 6 5" },
};

static void
describe(const cf_chan *ch, char *buf, size_t n)
{
	size_t w = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < ch->ninstances && w < n; i++)
		w += (size_t)snprintf(
		    buf + w, n - w, "%s%u", i ? " " : "", ch->instances[i].id);
	if (ch->ninstances > 0 && ch->instances[0].ncrit > 0)
		for (uint16_t k = 0; k < ch->instances[0].ncrit && w < n; k++)
			w += (size_t)snprintf(buf + w, n - w, "%s%u",
			    k ? " " : "/", ch->instances[0].crit[k].field);
}

static int
edit_one(cf_chan *ch, const struct edit_step *t)
{
	cf_criterion c = { t->val, CF_OP_WILDCARD, 0, CF_NO_STRING, 0, 0 };
	cf_instance in;

	memset(&in, 0, sizeof(in));
	in.id = t->val;
	switch (t->kind) {
	case ADD_I:
		return cf_chan_add_instance(ch, t->val, 0, 0, NULL);
	case INS_I:
		return cf_chan_insert_instance(ch, t->pos, &in);
	case DEL_I:
		return cf_chan_remove_instance(ch, t->pos);
	case DUP_I: /* instance pos copied to position cpos, from inside */
		return cf_chan_insert_instance(
		    ch, t->cpos, &ch->instances[t->pos]);
	case ADD_C:
		return cf_chan_add_criterion(ch, t->pos, &c);
	case INS_C:
		return cf_chan_insert_criterion(ch, t->pos, t->cpos, &c);
	case DEL_C:
		return cf_chan_remove_criterion(ch, t->pos, t->cpos);
	default: /* DUP_C: criterion cpos copied to the end, from inside */
		return cf_chan_insert_criterion(ch, t->pos,
		    ch->instances[t->pos].ncrit,
		    &ch->instances[t->pos].crit[t->cpos]);
	}
}

static void
test_editors(void)
{
	cf_chan *ch = cf_chan_new();
	char got[256];

	for (size_t i = 0; i < sizeof(edit_steps) / sizeof(edit_steps[0]);
	     i++) {
		const struct edit_step *t = &edit_steps[i];
		int rc = edit_one(ch, t);
		describe(ch, got, sizeof(got));
		CF_EXPECT(rc == t->want && strcmp(got, t->after) == 0,
		    "%s: got %s [%s], want %s [%s]", t->what, cf_err_name(rc),
		    got, cf_err_name(t->want), t->after);
	}
	cf_chan_free(ch);
}

/* The editors' limits: exactly the maximum fits, one more is refused and
 * leaves the model as it was. */
static void
test_editor_limits(void)
{
	cf_chan *ch = cf_chan_new();
	cf_criterion c = { 0, CF_OP_WILDCARD, 0, CF_NO_STRING, 0, 0 };
	cf_criterion many[CF_MAX_CRITERIA + 1];
	cf_instance in;
	int ok = 1;

	memset(&in, 0, sizeof(in));
	for (uint32_t i = 0; i < CF_MAX_INSTANCES && ok; i++)
		ok = cf_chan_insert_instance(ch, i / 2, &in) == CF_OK;
	CF_EXPECT(ok && ch->ninstances == CF_MAX_INSTANCES,
	    "instances up to the limit");
	CF_EXPECT(cf_chan_insert_instance(ch, 0, &in) == CF_E_ARG &&
	        ch->ninstances == CF_MAX_INSTANCES,
	    "instance limit + 1 refused");
	for (uint32_t k = 0; k < CF_MAX_CRITERIA && ok; k++)
		ok = cf_chan_insert_criterion(ch, 7, k / 3, &c) == CF_OK;
	CF_EXPECT(ok && ch->instances[7].ncrit == CF_MAX_CRITERIA,
	    "criteria up to the limit");
	CF_EXPECT(cf_chan_insert_criterion(ch, 7, 0, &c) == CF_E_ARG &&
	        ch->instances[7].ncrit == CF_MAX_CRITERIA,
	    "criterion limit + 1 refused");
	/* An instance copied with exactly the limit of criteria, and one
	 * with one more. */
	CF_EXPECT(cf_chan_remove_instance(ch, 0) == CF_OK &&
	        cf_chan_insert_instance(ch, 0, &ch->instances[6]) == CF_OK &&
	        ch->instances[0].ncrit == CF_MAX_CRITERIA &&
	        ch->instances[0].crit != ch->instances[7].crit,
	    "an instance at the criteria limit copied");
	for (uint32_t k = 0; k <= CF_MAX_CRITERIA; k++)
		many[k] = c;
	in.ncrit = CF_MAX_CRITERIA + 1;
	in.crit = many;
	CF_EXPECT(cf_chan_remove_instance(ch, 0) == CF_OK &&
	        cf_chan_insert_instance(ch, 0, &in) == CF_E_ARG,
	    "an instance over the criteria limit refused");
	cf_chan_free(ch);
}

/* Strings: replacing (from itself), the length limit, and dropping the
 * unused ones with the references renumbered. */
static void
test_string_editors(void)
{
	cf_chan *ch = cf_chan_new();
	uint8_t *big = cf_mem_calloc(1, CF_MAX_STRING_LEN + 1);
	cf_criterion c = { 0, CF_OP_EQUALS, 0, 3, 0, 0 };
	uint32_t removed = 99;

	for (int i = 0; i < 5; i++)
		cf_chan_add_string(ch, (const uint8_t *)"abcde" + i, 1, NULL);
	cf_chan_add_instance(ch, 1, 0, 0, NULL);
	cf_chan_add_criterion(ch, 0, &c); /* "d" */
	c.str = 1;
	c.op = CF_OP_REGEX;
	cf_chan_add_criterion(ch, 0, &c); /* "b" */
	c.op = CF_OP_INT_EQ;
	c.str = CF_NO_STRING;
	cf_chan_add_criterion(ch, 0, &c);
	CF_EXPECT(
	    cf_chan_set_string(ch, 5, (const uint8_t *)"x", 1) == CF_E_ARG,
	    "set string one past the table");
	CF_EXPECT(
	    cf_chan_set_string(ch, 1, big, CF_MAX_STRING_LEN + 1) == CF_E_ARG &&
	        ch->strings[1].len == 1 && ch->strings[1].data[0] == 'b',
	    "set string over the length limit leaves it");
	CF_EXPECT(cf_chan_set_string(ch, 1, big, CF_MAX_STRING_LEN) == CF_OK &&
	        ch->strings[1].len == CF_MAX_STRING_LEN,
	    "set string of exactly the limit");
	CF_EXPECT(cf_chan_set_string(ch, 1, ch->strings[1].data, 0) == CF_OK &&
	        ch->strings[1].len == 0 && ch->strings[1].data != NULL,
	    "set string empty, from itself");
	CF_EXPECT(
	    cf_chan_set_string(ch, 3, (const uint8_t *)"dd", 2) == CF_OK &&
	        cf_chan_set_string(ch, 3, ch->strings[3].data, 1) == CF_OK &&
	        ch->strings[3].len == 1 && ch->strings[3].data[0] == 'd',
	    "set string shorter, from itself");
	CF_EXPECT(cf_chan_drop_unused_strings(ch, &removed) == CF_OK &&
	        removed == 3 && ch->nstrings == 2,
	    "three unused strings dropped, got %u", removed);
	CF_EXPECT(ch->instances[0].crit[0].str == 1 &&
	        ch->instances[0].crit[1].str == 0 &&
	        ch->instances[0].crit[2].str == CF_NO_STRING &&
	        ch->strings[1].data[0] == 'd' && ch->strings[0].len == 0,
	    "references renumbered");
	CF_EXPECT(cf_chan_drop_unused_strings(ch, &removed) == CF_OK &&
	        removed == 0 && ch->nstrings == 2,
	    "nothing more to drop");
	CF_EXPECT(
	    cf_chan_add_string(ch, (const uint8_t *)"e", 1, NULL) == CF_OK &&
	        ch->nstrings == 3,
	    "builder after the drop");
	{
		cf_buf b = encode(ch);
		CF_EXPECT(parse_code(b.data, b.len) == CF_OK,
		    "the edited model writes a file that parses");
		cf_buf_free(&b);
	}
	cf_mem_free(big);
	cf_chan_free(ch);
}

/* A long random mix of builders and editors (instances and criteria
 * inserted, appended, copied from inside the model and removed) against a
 * plain reference: the model must follow it, and ASan checks that no
 * write leaves an array's room. */
#define MIX_STEPS 40000
#define MIX_MAXN 24u

struct mix_ref {
	uint32_t n, id[MIX_MAXN], nc[MIX_MAXN];
	uint16_t f[MIX_MAXN][CF_MAX_CRITERIA];
};

static int
mix_step(cf_chan *ch, struct mix_ref *x, uint32_t r, uint16_t tag)
{
	cf_criterion c = { tag, CF_OP_WILDCARD, 0, CF_NO_STRING, 0, 0 };
	cf_instance in;
	uint32_t i = x->n ? (r >> 8) % x->n : 0, nc = x->nc[i];
	uint32_t pos = (r >> 16) % (x->n + 1), k = nc ? (r >> 20) % nc : 0;
	int bad = 0;

	memset(&in, 0, sizeof(in));
	in.id = tag;
	switch (x->n == 0 ? 0 : r % 8) {
	case 0: /* insert an empty instance, or append one by the builder */
	case 1:
		if (x->n == MIX_MAXN)
			return 0;
		bad = (r & 0x80) ? cf_chan_add_instance(ch, tag, 0, 0, NULL)
		                 : cf_chan_insert_instance(ch, pos, &in);
		if (r & 0x80)
			pos = x->n;
		memmove(x->id + pos + 1, x->id + pos, (x->n - pos) * 4);
		memmove(x->nc + pos + 1, x->nc + pos, (x->n - pos) * 4);
		memmove(
		    x->f[pos + 1], x->f[pos], (x->n - pos) * sizeof(x->f[0]));
		x->id[pos] = tag;
		x->nc[pos] = 0;
		x->n++;
		return bad != CF_OK;
	case 2: /* copy instance i, from inside, to pos */
		if (x->n == MIX_MAXN)
			return 0;
		bad = cf_chan_insert_instance(ch, pos, &ch->instances[i]);
		if (pos <= i)
			i++;
		memmove(x->id + pos + 1, x->id + pos, (x->n - pos) * 4);
		memmove(x->nc + pos + 1, x->nc + pos, (x->n - pos) * 4);
		memmove(
		    x->f[pos + 1], x->f[pos], (x->n - pos) * sizeof(x->f[0]));
		x->id[pos] = x->id[i];
		x->nc[pos] = x->nc[i];
		memcpy(x->f[pos], x->f[i], sizeof(x->f[0]));
		x->n++;
		return bad != CF_OK;
	case 3: /* remove instance i */
		bad = cf_chan_remove_instance(ch, i);
		memmove(x->id + i, x->id + i + 1, (x->n - i - 1) * 4);
		memmove(x->nc + i, x->nc + i + 1, (x->n - i - 1) * 4);
		memmove(x->f[i], x->f[i + 1], (x->n - i - 1) * sizeof(x->f[0]));
		x->n--;
		return bad != CF_OK;
	case 4: /* a criterion inserted at k, or appended by the builder */
	case 5:
		if (nc == CF_MAX_CRITERIA)
			return cf_chan_add_criterion(ch, i, &c) != CF_E_ARG;
		k = (r & 0x80) ? nc : (r >> 20) % (nc + 1);
		bad = (r & 0x80) ? cf_chan_add_criterion(ch, i, &c)
		                 : cf_chan_insert_criterion(ch, i, k, &c);
		break;
	case 6: /* criterion k copied, from inside, to the end */
		if (nc == 0 || nc == CF_MAX_CRITERIA)
			return 0;
		c.field = x->f[i][k];
		bad = cf_chan_insert_criterion(
		    ch, i, nc, &ch->instances[i].crit[k]);
		k = nc;
		break;
	default: /* remove criterion k */
		if (nc == 0)
			return cf_chan_remove_criterion(ch, i, 0) != CF_E_ARG;
		memmove(x->f[i] + k, x->f[i] + k + 1, (nc - k - 1) * 2);
		x->nc[i]--;
		return cf_chan_remove_criterion(ch, i, k) != CF_OK;
	}
	memmove(x->f[i] + k + 1, x->f[i] + k, (nc - k) * 2);
	x->f[i][k] = c.field;
	x->nc[i]++;
	return bad != CF_OK;
}

static void
test_editor_mix(void)
{
	static struct mix_ref x;
	cf_chan *ch = cf_chan_new();
	uint32_t bad = 0, off = 0;
	uint64_t s = 1;

	for (int step = 0; step < MIX_STEPS && off == 0; step++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		bad += (uint32_t)mix_step(
		    ch, &x, (uint32_t)(s >> 32), (uint16_t)step);
		off += ch->ninstances != x.n;
		for (uint32_t i = 0; i < x.n && off == 0; i++) {
			const cf_instance *in = &ch->instances[i];
			off += in->id != x.id[i] || in->ncrit != x.nc[i];
			for (uint32_t k = 0; k < x.nc[i] && off == 0; k++)
				off += in->crit[k].field != x.f[i][k];
		}
	}
	CF_EXPECT_EQ(bad, 0, "builders and editors mixed: unexpected codes");
	CF_EXPECT_EQ(off, 0, "builders and editors mixed: model off");
	cf_chan_free(ch);
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
	test_layout(b.data, b.len);
	test_check_sections();
	test_editors();
	test_editor_limits();
	test_string_editors();
	test_editor_mix();
	CF_EXPECT(
	    strcmp(cf_err_name(CF_E_CRC), "CF_E_CRC") == 0, "error names");
	CF_EXPECT(strcmp(cf_err_name(12345), "CF_E_UNKNOWN") == 0,
	    "unknown error name");
	cf_buf_free(&b);
	cf_chan_free(ch);
	return cf_test_finish("chan");
}
