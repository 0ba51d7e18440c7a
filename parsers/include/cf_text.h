/*
 * cf_text.h - the text form of a channel file (".cft").
 *
 * A readable, line-oriented source of the same content, so seeds, tests and
 * regression cases are written and reviewed as text. The grammar is in
 * docs/FORMAT.md ("Text form"). For every file f that parses,
 * asm(dump(parse(f))) is parse(f), and write() of it is f byte for byte
 * when f has its sections in the writer's order (STRINGS first at offset
 * 64; FORMAT.md 7.6); a file with INSTANCES first comes back in that
 * order.
 */
#ifndef CF_TEXT_H
#define CF_TEXT_H

#include <stddef.h>

#include "cf_buf.h"
#include "cf_chan.h"

/* Assemble src[0..len) into a model; errors carry the line in d. */
int cf_text_asm(const char *src, size_t len, cf_chan **out, cf_diag *d);

/* Append the text form of ch to out. Untrusted bytes are escaped (strvis),
 * so the output is printable ASCII whatever the file holds. */
int cf_text_dump(const cf_chan *ch, cf_buf *out);

#endif
