/*
 * cf_buf.h - a growable byte buffer with a hard cap.
 *
 * The writer and the text dumper build their output here. Every append
 * checks the cap before it grows (CF_E_LIMIT), so no output can grow without
 * bound whatever the input.
 */
#ifndef CF_BUF_H
#define CF_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct cf_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	size_t max; /* hard cap on len */
} cf_buf;

/* An empty buffer that may grow to max bytes (0 means CF_MAX_OUTPUT). */
void cf_buf_init(cf_buf *b, size_t max);
void cf_buf_free(cf_buf *b);
/* Append; CF_OK, CF_E_LIMIT past the cap, or CF_E_NOMEM. */
int cf_buf_put(cf_buf *b, const void *p, size_t n);
int cf_buf_u8(cf_buf *b, uint8_t v);
int cf_buf_u16le(cf_buf *b, uint16_t v);
int cf_buf_u32le(cf_buf *b, uint32_t v);
int cf_buf_u64le(cf_buf *b, uint64_t v);
int cf_buf_printf(cf_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Overwrite 4 bytes at off (which must already be written). */
void cf_buf_patch_u32le(cf_buf *b, size_t off, uint32_t v);

/* Little-endian loads from a buffer the caller has bounds-checked. */
static inline uint16_t
cf_ld_u16le(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t
cf_ld_u32le(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	    ((uint32_t)p[3] << 24);
}
static inline uint64_t
cf_ld_u64le(const uint8_t *p)
{
	return (uint64_t)cf_ld_u32le(p) | ((uint64_t)cf_ld_u32le(p + 4) << 32);
}

/* CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value
 * 0xFFFFFFFF, final XOR 0xFFFFFFFF); cf_crc32(0, "123456789", 9) is
 * 0xCBF43926. Pass the previous result as crc to continue a running CRC. */
uint32_t cf_crc32(uint32_t crc, const uint8_t *p, size_t n);

#endif
