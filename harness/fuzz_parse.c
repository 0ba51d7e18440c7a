/*
 * fuzz_parse - the channel-file parser, writer and text form.
 *
 * Oracle: the binary encoding is unique up to the order of the two
 * sections (docs/FORMAT.md 1.2: either order is valid, the writer emits
 * STRINGS first at offset 64). A file in the writer's order must write back
 * to exactly its own bytes; a file in the other order must write a file
 * that parses to the same model and is a fixed point of parse + write. The
 * text form must round-trip: asm(dump(m)) == m.
 */
#include <stdlib.h>
#include <string.h>

#include "cf_chan.h"
#include "cf_text.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef CF_FUZZ_SKIP_CRC
/* The writer's layout: section table entry 0 is STRINGS at offset 64. */
static int
canonical_order(const uint8_t *data, size_t size)
{
	cf_section e0;

	/* parsed files hold the whole section table */
	if (size < CF_PAYLOAD_START)
		return 0;
	e0 = cf_chan_section_entry(data, 0);
	return e0.kind == CF_SECT_STRINGS && e0.reserved == 0 &&
	    e0.off == CF_PAYLOAD_START;
}

/* Non-canonical order: the written file is canonical and means the same. */
static void
check_rewritten(const cf_chan *ch, const cf_buf *out)
{
	cf_chan *again = NULL;
	cf_buf out2;
	cf_diag d;
	int rc;

	if (!canonical_order(out->data, out->len))
		cf_h_fail("fuzz_parse", "writer emitted a non-canonical order");
	rc = cf_chan_parse(out->data, out->len, &again, &d);
	if (rc != CF_OK)
		cf_h_fail(
		    "fuzz_parse", "parse(write(parse(f))) failed: %d", rc);
	if (!cf_chan_equal(ch, again))
		cf_h_fail("fuzz_parse", "parse(write(m)) != m");
	cf_buf_init(&out2, 0);
	if (cf_chan_write(again, &out2) != CF_OK || out2.len != out->len ||
	    memcmp(out2.data, out->data, out->len) != 0)
		cf_h_fail("fuzz_parse", "write is not a fixed point");
	cf_buf_free(&out2);
	cf_chan_free(again);
}
#endif

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
	if (!canonical_order(data, size))
		check_rewritten(ch, &out);
	else if (out.len != size || memcmp(out.data, data, size) != 0)
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
