/*
 * fuzz_parse - the channel-file parser, writer and text form.
 *
 * Oracle: the binary encoding is unique (docs/FORMAT.md), so whatever
 * parses must write back to exactly the input bytes; and the text form
 * must round-trip: asm(dump(m)) == m.
 */
#include <stdlib.h>
#include <string.h>

#include "cf_chan.h"
#include "cf_text.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_chan *ch = NULL, *back = NULL;
	cf_buf out, text;
	cf_diag d;
	int rc;

	if (cf_chan_parse(data, size, &ch, &d) != CF_OK)
		return 0;
	cf_buf_init(&out, 0);
	cf_buf_init(&text, 0);
	rc = cf_chan_write(ch, &out);
	if (rc != CF_OK)
		cf_h_fail(
		    "fuzz_parse", "write of a parsed file failed: %d", rc);
#ifndef CF_FUZZ_SKIP_CRC
	if (out.len != size || memcmp(out.data, data, size) != 0)
		cf_h_fail("fuzz_parse",
		    "write(parse(f)) != f (%zu vs %zu bytes)", out.len, size);
#endif
	rc = cf_text_dump(ch, &text);
	if (rc != CF_OK)
		cf_h_fail("fuzz_parse", "dump failed: %d", rc);
	rc = cf_text_asm((const char *)text.data, text.len, &back, &d);
	if (rc != CF_OK)
		cf_h_fail("fuzz_parse", "asm(dump(f)) failed at line %u: %s",
		    d.line, d.msg);
	if (!cf_chan_equal(ch, back))
		cf_h_fail("fuzz_parse", "asm(dump(m)) != m");
	cf_chan_free(back);
	cf_buf_free(&text);
	cf_buf_free(&out);
	cf_chan_free(ch);
	return 0;
}
