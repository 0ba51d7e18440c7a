/*
 * fuzz_asm - the text form's assembler (lexer and parser) on arbitrary
 * bytes: the untrusted input `cftool asm` reads (docs/FORMAT.md 7).
 *
 * Oracle: whatever assembles is a channel file the writer can write and
 * the parser reads back to the same model, and its text form assembles
 * again to the same model: parse(write(asm(src))) == asm(src) and
 * asm(dump(asm(src))) == asm(src). Bad input must be refused with an
 * error, never a fault.
 */
#include <string.h>

#include "cf_chan.h"
#include "cf_text.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_chan *m = NULL, *parsed = NULL, *back = NULL;
	cf_buf bin, text;
	cf_diag d;
	int rc;

	if (cf_text_asm((const char *)data, size, &m, &d) != CF_OK)
		return 0;
	cf_buf_init(&bin, 0);
	cf_buf_init(&text, 0);
	if ((rc = cf_chan_write(m, &bin)) != CF_OK)
		cf_h_fail(
		    "fuzz_asm", "write(asm(src)) failed: %s", cf_err_name(rc));
	if ((rc = cf_chan_parse(bin.data, bin.len, &parsed, &d)) != CF_OK)
		cf_h_fail("fuzz_asm", "parse(write(asm(src))) failed: %s: %s",
		    cf_err_name(rc), d.msg);
	if (!cf_chan_equal(m, parsed))
		cf_h_fail("fuzz_asm", "parse(write(m)) != m");
	rc = cf_text_dump(m, &text);
	if (rc != CF_OK)
		cf_h_fail(
		    "fuzz_asm", "dump(asm(src)) failed: %s", cf_err_name(rc));
	rc = cf_text_asm((const char *)text.data, text.len, &back, &d);
	if (rc != CF_OK)
		cf_h_fail("fuzz_asm", "asm(dump(m)) failed at line %u: %s",
		    d.line, d.msg);
	if (!cf_chan_equal(m, back))
		cf_h_fail("fuzz_asm", "asm(dump(m)) != m");
	cf_chan_free(back);
	cf_chan_free(parsed);
	cf_buf_free(&text);
	cf_buf_free(&bin);
	cf_chan_free(m);
	return 0;
}
