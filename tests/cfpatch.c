/*
 * cfpatch - test helper: copy a channel file with one integer patched.
 *
 *   cfpatch IN OUT OFFSET WIDTH VALUE [--keep-crc] [--truncate N]
 *
 * WIDTH is 1, 2, 4 or 8 (little-endian). The payload CRC-32 is recomputed
 * after the patch unless --keep-crc is given, so a test can reach the
 * checks that come after the CRC with a hostile value. --truncate N keeps
 * only the first N bytes (after patching, before the CRC). Used by the
 * shell suites to build hostile files from good ones.
 */
#include <bsd/stdlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_buf.h"
#include "cf_chan.h"

static unsigned long long
num(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	if (*s == '\0' || *end != '\0') {
		fprintf(stderr, "cfpatch: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	static uint8_t buf[1 << 22];
	unsigned long long off, width, val, trunc = ~0ull;
	int keep_crc = 0;
	size_t len;
	FILE *f;

	if (argc < 6) {
		fprintf(stderr,
		    "usage: cfpatch IN OUT OFFSET WIDTH VALUE [--keep-crc] [--truncate N]\n");
		return 2;
	}
	off = num(argv[3]);
	width = num(argv[4]);
	val = num(argv[5]);
	for (int i = 6; i < argc; i++) {
		if (strcmp(argv[i], "--keep-crc") == 0)
			keep_crc = 1;
		else if (strcmp(argv[i], "--truncate") == 0 && i + 1 < argc)
			trunc = num(argv[++i]);
		else
			return 2;
	}
	if ((f = fopen(argv[1], "rb")) == NULL)
		return 3;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if ((width != 1 && width != 2 && width != 4 && width != 8) ||
	    off > len || len - off < width)
		return 2;
	for (unsigned i = 0; i < width; i++)
		buf[off + i] = (uint8_t)(val >> (8 * i));
	if (trunc < len)
		len = (size_t)trunc;
	if (!keep_crc && len >= CF_HEADER_SIZE) {
		uint32_t crc =
		    cf_crc32(0, buf + CF_HEADER_SIZE, len - CF_HEADER_SIZE);
		for (int i = 0; i < 4; i++)
			buf[24 + i] = (uint8_t)(crc >> (8 * i));
	}
	if ((f = fopen(argv[2], "wb")) == NULL ||
	    fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		return 3;
	return 0;
}
