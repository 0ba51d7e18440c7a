/*
 * mut_frame.c - the frame of a channel file: its repair after byte-level
 * mutation (cf_mut_repair) and boundary edits of the numbers the parser
 * checks (cf_mut_frame).
 *
 * Repair sets the header's constant fields, total_length and, when the
 * section table fails the parser's own checks (cf_chan_check_sections,
 * docs/FORMAT.md 1.2), re-derives it: the section the table places first
 * keeps its place, its length is found from its content (the STRINGS
 * entries' lengths added up, or the INSTANCES records walked), and the
 * other section takes the rest. Then the CRC is recomputed. It draws no
 * random numbers, as AFL++'s post_process must not.
 *
 * The boundary edits set one count, reference, offset or length to a
 * value at or just past its edge (one either side, the limit and limit +
 * 1, values that make count x record size wrap around 2^32, the sign bit,
 * all ones) and recompute the CRC, so that the checks behind it decide.
 * Every offset comes from cf_chan.h's layout enums.
 */
#include <string.h>

#include "mut_int.h"

static void
put_crc(uint8_t *buf, uint32_t total)
{
	mut_st32(buf + CF_HDR_OFF_CRC,
	    cf_crc32(0, buf + CF_HEADER_SIZE, total - CF_HEADER_SIZE));
}

static void
put_entry(uint8_t *buf, unsigned i, uint16_t kind, uint32_t off, uint32_t len)
{
	uint8_t *e = buf + CF_HEADER_SIZE + i * CF_SECTION_ENTRY_SIZE;

	mut_st16(e + CF_SECT_OFF_KIND, kind);
	mut_st16(e + CF_SECT_OFF_RESERVED, 0);
	mut_st32(e + CF_SECT_OFF_OFFSET, off);
	mut_st32(e + CF_SECT_OFF_LENGTH, len);
}

/* ---- repair ------------------------------------------------------------- */

/* STRINGS length derived from its entries, placed at off with room for
 * room bytes; 0 when they do not add up. */
static uint32_t
strings_len(const uint8_t *buf, uint32_t off, uint32_t room)
{
	uint32_t count;
	uint64_t len;

	if (room < CF_COUNT_SIZE)
		return 0;
	count = cf_ld_u32le(buf + off);
	if (count > CF_MAX_STRINGS ||
	    count > (room - CF_COUNT_SIZE) / CF_STRING_ENTRY_SIZE)
		return 0;
	len = CF_COUNT_SIZE + (uint64_t)count * CF_STRING_ENTRY_SIZE;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t l = cf_ld_u32le(buf + off + CF_COUNT_SIZE +
		    i * CF_STRING_ENTRY_SIZE + CF_STR_OFF_LENGTH);
		if (l > CF_MAX_STRING_LEN)
			return 0;
		len += l;
	}
	return len <= room ? (uint32_t)len : 0;
}

/* INSTANCES length found by walking its records; 0 when they run out. */
static uint32_t
instances_len(const uint8_t *buf, uint32_t off, uint32_t room)
{
	uint32_t count, pos = CF_COUNT_SIZE;

	if (room < CF_COUNT_SIZE)
		return 0;
	count = cf_ld_u32le(buf + off);
	if (count > CF_MAX_INSTANCES)
		return 0;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t ncrit;
		if (room - pos < CF_INSTANCE_HEADER_SIZE)
			return 0;
		ncrit = cf_ld_u16le(buf + off + pos + CF_INST_OFF_NCRIT);
		if (ncrit > CF_MAX_CRITERIA)
			return 0;
		pos += CF_INSTANCE_HEADER_SIZE;
		if ((room - pos) / CF_CRITERION_SIZE < ncrit)
			return 0;
		pos += ncrit * CF_CRITERION_SIZE;
	}
	return pos;
}

/* The table is kept when the parser accepts it and each section has room
 * for its count. */
static int
table_ok(const cf_section *s, uint32_t total)
{
	return cf_chan_check_sections(s, total, NULL) == CF_OK &&
	    s[0].len >= CF_COUNT_SIZE && s[1].len >= CF_COUNT_SIZE;
}

static void
repair_sections(uint8_t *buf, uint32_t total)
{
	cf_section s[CF_SECTION_COUNT] = { cf_chan_section_entry(buf, 0),
		cf_chan_section_entry(buf, 1) };
	uint32_t payload = total - CF_PAYLOAD_START, first = CF_SECT_STRINGS;
	uint32_t old = 0, l1, room = payload - CF_COUNT_SIZE;

	if (table_ok(s, total) || payload < 2 * CF_COUNT_SIZE)
		return;
	/* Keep the kind the table places first, when it says. */
	for (int i = 0; i < 2; i++)
		if (s[i].off == CF_PAYLOAD_START &&
		    (s[i].kind == CF_SECT_STRINGS ||
		        s[i].kind == CF_SECT_INSTANCES))
			first = s[i].kind;
	for (int i = 0; i < 2; i++)
		if (s[i].kind == first)
			old = s[i].len;
	if (first == CF_SECT_STRINGS)
		l1 = strings_len(buf, CF_PAYLOAD_START, room);
	else
		l1 = instances_len(buf, CF_PAYLOAD_START, room);
	if (l1 == 0)
		l1 = old >= CF_COUNT_SIZE && old <= room ? old : room;
	put_entry(buf, 0, (uint16_t)first, CF_PAYLOAD_START, l1);
	put_entry(buf, 1,
	    (uint16_t)(first == CF_SECT_STRINGS ? CF_SECT_INSTANCES
	                                        : CF_SECT_STRINGS),
	    CF_PAYLOAD_START + l1, payload - l1);
}

size_t
cf_mut_repair(cf_mut *m, uint8_t *buf, size_t n)
{
	size_t limit = n < CF_MAX_FILE_SIZE ? n : CF_MAX_FILE_SIZE;
	uint32_t total;

	(void)m;
	if (buf == NULL || n < CF_MAGIC_SIZE)
		return n;
	memset(buf + CF_HDR_OFF_MAGIC, CF_MAGIC_BYTE, CF_MAGIC_SIZE);
	if (n < CF_HEADER_SIZE)
		return n;
	mut_st16(buf + CF_HDR_OFF_FORMAT_VERSION, CF_FORMAT_VERSION);
	mut_st16(buf + CF_HDR_OFF_HEADER_SIZE, CF_HEADER_SIZE);
	mut_st16(buf + CF_HDR_OFF_SECTION_COUNT, CF_SECTION_COUNT);
	mut_st16(buf + CF_HDR_OFF_FLAGS, 0);
	mut_st32(buf + CF_HDR_OFF_SECTION_TABLE, CF_HEADER_SIZE);
	mut_st32(buf + CF_HDR_OFF_RESERVED, 0);
	total = cf_ld_u32le(buf + CF_HDR_OFF_TOTAL_LENGTH);
	if (total < CF_PAYLOAD_START || total > limit)
		total = (uint32_t)limit;
	mut_st32(buf + CF_HDR_OFF_TOTAL_LENGTH, total);
	if (total >= CF_PAYLOAD_START)
		repair_sections(buf, total);
	put_crc(buf, total);
	return n;
}

/* ---- boundary edits of the frame ---------------------------------------- */

/* Added to a count, they make count x record size (8, 12 or 24 bytes) wrap
 * around 2^32 back to near the true product: 2^32 / 8 x k, 2^32 / 12 and
 * 2^32 / 24 rounded up, and their multiples. */
static const uint32_t wrap32[] = { 0x20000000u, 0x40000000u, 0x60000000u,
	0x80000000u, 0xA0000000u, 0xC0000000u, 0xE0000000u, 0x15555556u,
	0x2AAAAAABu, 0x0AAAAAABu };

/* A value at or past the edge of a field holding v whose largest valid
 * value is limit - 1: one either side of v, limit and limit + 1, a wrap
 * point, the sign bit's edges, all ones. */
static uint32_t
edge32(cf_mut *m, uint32_t v, uint32_t limit)
{
	switch (mut_below(m, 7)) {
	case 0:
		return v + 1;
	case 1:
		return v - 1;
	case 2:
		return limit;
	case 3:
		return limit + 1;
	case 4:
	case 5:
		return v +
		    wrap32[mut_below(m, sizeof(wrap32) / sizeof(wrap32[0]))];
	default:
		return mut_one_in(m, 2)
		    ? 0xFFFFFFFFu
		    : (mut_one_in(m, 2) ? 0x7FFFFFFFu : 0x80000000u);
	}
}

/* The file offset of instance record pick (< the count) of a file that
 * parsed, whose INSTANCES section starts at off. */
static uint32_t
record_at(const uint8_t *buf, uint32_t off, uint32_t pick)
{
	uint32_t pos = off + CF_COUNT_SIZE;

	for (uint32_t i = 0; i < pick; i++)
		pos += CF_INSTANCE_HEADER_SIZE +
		    cf_ld_u16le(buf + pos + CF_INST_OFF_NCRIT) *
		        CF_CRITERION_SIZE;
	return pos;
}

int
cf_mut_frame(cf_mut *m, uint8_t *buf, size_t n)
{
	cf_section s[CF_SECTION_COUNT], *st, *in;
	uint32_t total, nstr, ninst, pos, pick, seen = 0, crit = 0;
	uint32_t at, v;
	cf_chan *ch = NULL;
	int kind;

	if (m == NULL || buf == NULL || n < CF_PAYLOAD_START)
		return CF_MUT_FRAME_NONE;
	total = cf_ld_u32le(buf + CF_HDR_OFF_TOTAL_LENGTH);
	if (total < CF_PAYLOAD_START || total > n ||
	    cf_chan_parse(buf, total, &ch, NULL) != CF_OK)
		return CF_MUT_FRAME_NONE;
	cf_chan_free(ch);
	/* Parsed: the table is valid and every record is where it says. */
	s[0] = cf_chan_section_entry(buf, 0);
	s[1] = cf_chan_section_entry(buf, 1);
	st = s[0].kind == CF_SECT_STRINGS ? &s[0] : &s[1];
	in = st == &s[0] ? &s[1] : &s[0];
	nstr = cf_ld_u32le(buf + st->off);
	ninst = cf_ld_u32le(buf + in->off);
	/* A criterion with a string operand, uniformly (reservoir). */
	pos = in->off + CF_COUNT_SIZE;
	for (uint32_t i = 0; i < ninst; i++) {
		uint16_t nc = cf_ld_u16le(buf + pos + CF_INST_OFF_NCRIT);

		pos += CF_INSTANCE_HEADER_SIZE;
		for (uint16_t k = 0; k < nc; k++, pos += CF_CRITERION_SIZE)
			if (mut_is_str_op(buf[pos + CF_CRIT_OFF_OP]) &&
			    mut_below(m, ++seen) == 0)
				crit = pos;
	}
	kind = 1 + (int)mut_below(m, 6);
	if (kind == CF_MUT_FRAME_STRREF && crit == 0)
		kind = CF_MUT_FRAME_STRINGS_COUNT;
	if (kind == CF_MUT_FRAME_STRING_ENTRY && nstr == 0)
		kind = CF_MUT_FRAME_STRINGS_COUNT;
	if (kind == CF_MUT_FRAME_CRIT_COUNT && ninst == 0)
		kind = CF_MUT_FRAME_INSTANCES_COUNT;
	switch (kind) {
	case CF_MUT_FRAME_STRREF:
		at = crit + CF_CRIT_OFF_STR;
		mut_st32(buf + at, edge32(m, cf_ld_u32le(buf + at), nstr));
		break;
	case CF_MUT_FRAME_STRING_ENTRY:
		pick = mut_below(m, nstr);
		at = st->off + CF_COUNT_SIZE + pick * CF_STRING_ENTRY_SIZE +
		    (mut_one_in(m, 2) ? CF_STR_OFF_LENGTH : CF_STR_OFF_OFFSET);
		mut_st32(buf + at,
		    edge32(m, cf_ld_u32le(buf + at),
		        st->len - CF_COUNT_SIZE - nstr * CF_STRING_ENTRY_SIZE));
		break;
	case CF_MUT_FRAME_INSTANCES_COUNT:
		mut_st32(buf + in->off,
		    edge32(m, ninst,
		        (in->len - CF_COUNT_SIZE) / CF_INSTANCE_HEADER_SIZE));
		break;
	case CF_MUT_FRAME_CRIT_COUNT:
		pos = record_at(buf, in->off, mut_below(m, ninst)) +
		    CF_INST_OFF_NCRIT;
		v = cf_ld_u16le(buf + pos);
		v = mut_one_in(m, 4)
		    ? 0xFFFFu
		    : (mut_one_in(m, 2) ? v + 1 : CF_MAX_CRITERIA + 1u);
		mut_st16(buf + pos, (uint16_t)v);
		break;
	case CF_MUT_FRAME_SECTION:
		/* Which entry, then which field: drawn in this order. */
		at = CF_HEADER_SIZE +
		    (mut_one_in(m, 2) ? 0u : CF_SECTION_ENTRY_SIZE);
		at +=
		    mut_one_in(m, 2) ? CF_SECT_OFF_OFFSET : CF_SECT_OFF_LENGTH;
		mut_st32(buf + at, edge32(m, cf_ld_u32le(buf + at), total));
		break;
	default: /* CF_MUT_FRAME_STRINGS_COUNT */
		kind = CF_MUT_FRAME_STRINGS_COUNT;
		mut_st32(buf + st->off,
		    edge32(m, nstr,
		        (st->len - CF_COUNT_SIZE) / CF_STRING_ENTRY_SIZE + 1));
		break;
	}
	put_crc(buf, total);
	m->last_op = "frame";
	m->ntrace = 0;
	return kind;
}
