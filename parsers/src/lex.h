/*
 * lex.h - the line and token lexer shared by the text form (text.c) and the
 * events file (event.c). Private to parsers/src.
 *
 * The lexical rules are docs/FORMAT.md section 7.1. The lexer hands out one
 * line at a time (at most CF_TEXT_MAX_LINE bytes without its LF or CR LF)
 * and, within it, one token at a time: a word (NAME, or INT when it starts
 * with a digit), a STRING (escapes checked against the documented set, then
 * decoded with libbsd's strnunvisx) or a REF ("@" and a word). A "#" outside
 * a string ends the line. Numbers are parsed by a checked decimal/hex
 * parser that tests for overflow before it multiplies. Nothing recurses and
 * every buffer is sized from the limits, so no input can make it grow.
 */
#ifndef CF_LEX_H
#define CF_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "cf_error.h"

enum cf_tk {
	CF_TK_END = 0, /* no more tokens on this line */
	CF_TK_NAME,    /* word not starting with a digit */
	CF_TK_INT,     /* word starting with a digit (checked when used) */
	CF_TK_STRING,  /* "...": decoded bytes in s, slen */
	CF_TK_REF      /* "@" word: the word in p, n */
};

typedef struct cf_tok {
	int kind;      /* enum cf_tk */
	const char *p; /* NAME, INT: the word; REF: the word after '@' */
	size_t n;
	const uint8_t *s; /* STRING: decoded bytes (may hold NUL), valid
	                   * until the next STRING token of the same lexer */
	size_t slen;
} cf_tok;

typedef struct cf_lex {
	const char *src;
	size_t len;
	size_t next;      /* offset of the next line in src */
	uint32_t lineno;  /* 1-based number of the current line */
	const char *line; /* current line, without its line ending */
	size_t linelen;
	size_t pos;   /* cursor within line */
	char *tmp;    /* NUL-terminated copy of a string's escape text */
	uint8_t *dec; /* decoded string */
	cf_diag *d;
} cf_lex;

/* Start lexing src[0..len); d (may be NULL) receives errors. */
int cf_lex_open(cf_lex *lx, const char *src, size_t len, cf_diag *d);
void cf_lex_close(cf_lex *lx);

/* Move to the next line: *more is 0 at the end of input. Fails with
 * CF_E_TEXT_LIMIT on an over-long line. */
int cf_lex_line(cf_lex *lx, int *more);

/* Next token of the current line (CF_TK_END when none is left). Fails with
 * CF_E_TEXT_SYNTAX on a stray character, CF_E_TEXT_VALUE on a bad string
 * literal, CF_E_TEXT_LIMIT on a string over CF_MAX_STRING_LEN. */
int cf_lex_next(cf_lex *lx, cf_tok *t);

/* Record an error at the current line (d->line) and return code. */
int cf_lex_err(cf_lex *lx, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 1 when t is a word equal to kw, ignoring ASCII case. */
int cf_lex_is(const cf_tok *t, const char *kw);
/* CF_OK when the line has no more tokens; else CF_E_TEXT_SYNTAX naming the
 * unexpected token and what it came after. */
int cf_lex_expect_end(cf_lex *lx, const char *after);

/* Printable description of t for messages ("'word'", "a string", ...). */
void cf_lex_desc(const cf_tok *t, char *buf, size_t size);

/* Parse p[0..n) as an INT: decimal, or hex after "0x"/"0X"; no sign, at
 * least one digit, value <= max. Returns 0, or -1 when invalid. */
int cf_parse_uint(const char *p, size_t n, uint64_t max, uint64_t *out);

/* The value of INT (or REF) token t, which must be <= max; else
 * CF_E_TEXT_VALUE naming what. */
int cf_lex_uint(
    cf_lex *lx, const cf_tok *t, uint64_t max, const char *what, uint64_t *out);

#endif
