/*
 * buf.c - growable byte buffer with a hard cap, and CRC-32 (cf_buf.h).
 *
 * CRC-32 is the reflected IEEE 802.3 CRC computed bytewise with a table
 * built at compile time from the polynomial (no lazily initialised global:
 * the library keeps no mutable state).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cc.h"
#include "cf_buf.h"
#include "cf_error.h"
#include "cf_limits.h"
#include "cf_mem.h"

void
cf_buf_init(cf_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : CF_MAX_OUTPUT;
}

void
cf_buf_free(cf_buf *b)
{
	cf_mem_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Make room for n more bytes, and spare bytes of scratch after them that
 * never count in len (vsnprintf's NUL): CF_E_LIMIT if len + n would pass
 * max. The cap is on what the buffer holds, so text of exactly max bytes
 * fits however it was appended. */
static int
buf_reserve(cf_buf *b, size_t n, size_t spare)
{
	size_t want, ncap, top;
	uint8_t *p;

	if (n > b->max || b->len > b->max - n)
		return CF_E_LIMIT;
	want = b->len + n;
	if (spare > SIZE_MAX - want)
		return CF_E_LIMIT;
	want += spare;
	if (want <= b->cap)
		return CF_OK;
	top = b->max > SIZE_MAX - spare ? SIZE_MAX : b->max + spare;
	ncap = b->cap ? b->cap : 256;
	while (ncap < want)
		ncap = ncap > top / 2 ? top : ncap * 2;
	p = cf_mem_reallocarray(b->data, ncap, 1);
	if (p == NULL)
		return CF_E_NOMEM;
	b->data = p;
	b->cap = ncap;
	return CF_OK;
}

int
cf_buf_put(cf_buf *b, const void *p, size_t n)
{
	int rc;

	if (n == 0)
		return CF_OK;
	if ((rc = buf_reserve(b, n, 0)) != CF_OK)
		return rc;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return CF_OK;
}

int
cf_buf_u8(cf_buf *b, uint8_t v)
{
	return cf_buf_put(b, &v, 1);
}

int
cf_buf_u16le(cf_buf *b, uint16_t v)
{
	uint8_t t[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	return cf_buf_put(b, t, 2);
}

int
cf_buf_u32le(cf_buf *b, uint32_t v)
{
	uint8_t t[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
		(uint8_t)(v >> 24) };
	return cf_buf_put(b, t, 4);
}

int
cf_buf_u64le(cf_buf *b, uint64_t v)
{
	int rc = cf_buf_u32le(b, (uint32_t)v);
	return rc ? rc : cf_buf_u32le(b, (uint32_t)(v >> 32));
}

int
cf_buf_printf(cf_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CF_E_ARG;
	/* One spare byte for vsnprintf's NUL, which is not kept in len. */
	if ((rc = buf_reserve(b, (size_t)n, 1)) != CF_OK)
		return rc;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return CF_OK;
}

void
cf_buf_patch_u32le(cf_buf *b, size_t off, uint32_t v)
{
	if (off > b->len || b->len - off < 4)
		return; /* caller bug; never write outside what exists */
	b->data[off] = (uint8_t)v;
	b->data[off + 1] = (uint8_t)(v >> 8);
	b->data[off + 2] = (uint8_t)(v >> 16);
	b->data[off + 3] = (uint8_t)(v >> 24);
}

/* One table entry: eight shift/xor rounds of the reflected polynomial. */
#define CRC_R(c) (((c) >> 1) ^ (((c)&1u) ? 0xEDB88320u : 0u))
#define CRC_E(n) \
	CRC_R(CRC_R(CRC_R(CRC_R(CRC_R(CRC_R(CRC_R(CRC_R((uint32_t)(n)))))))))
#define CRC_4(n) CRC_E(n), CRC_E((n) + 1), CRC_E((n) + 2), CRC_E((n) + 3)
#define CRC_16(n) CRC_4(n), CRC_4((n) + 4), CRC_4((n) + 8), CRC_4((n) + 12)
#define CRC_64(n) \
	CRC_16(n), CRC_16((n) + 16), CRC_16((n) + 32), CRC_16((n) + 48)

static const uint32_t crc_table[256] = { CRC_64(0), CRC_64(64), CRC_64(128),
	CRC_64(192) };

/* The CRC loop decides nothing: in coverage-guided builds
 * (-fsanitize=fuzzer) its per-byte loop compare would be traced for no
 * gain (it was 13% of fuzz_parse_smart's time), so it is not instrumented
 * for coverage (cc.h). Sanitizers still check it. */

CF_NO_COVERAGE uint32_t
cf_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
	return ~crc;
}
