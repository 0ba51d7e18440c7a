/*
 * cf_error.h - stable, numbered error codes of the chanfuzz model library.
 *
 * Every library function that can fail returns an int from this list; 0 is
 * success. Numbers are part of the public contract (docs/FORMAT.md lists
 * them) and are never reused or renumbered: a retired code keeps its slot.
 * Where a caller wants to know *where* an error was found, functions also
 * fill a cf_diag (byte offset or text line, and a short message).
 */
#ifndef CF_ERROR_H
#define CF_ERROR_H

#include <stddef.h>
#include <stdint.h>

enum cf_error {
	CF_OK = 0,
	CF_E_NOMEM = 1, /* allocation failed or exceeded CF_MAX_ALLOC */
	CF_E_ARG = 2,   /* invalid argument from the caller (not from input) */
	CF_E_LIMIT = 3, /* an output buffer reached its hard cap */

	/* Binary channel file: header (10-19). */
	CF_E_TRUNCATED = 10,    /* shorter than the header or a declared part */
	CF_E_MAGIC = 11,        /* first four bytes are not AA AA AA AA */
	CF_E_VERSION = 12,      /* format_version is not 1 */
	CF_E_HEADER_SIZE = 13,  /* header_size is not 40 */
	CF_E_TOTAL_LENGTH = 14, /* total_length differs from the real size */
	CF_E_CRC = 15,          /* payload CRC-32 mismatch */
	CF_E_TOO_LARGE = 16,    /* file larger than CF_MAX_FILE_SIZE */
	CF_E_RESERVED = 17,     /* a reserved field or flag bit is not zero */
	CF_E_SECTION_COUNT = 18, /* section_count is not 2 */
	CF_E_SECTION_TABLE = 19, /* section table not at header_size */

	/* Sections (20-29). */
	CF_E_SECTION_BOUNDS = 20,  /* offset/length outside the payload */
	CF_E_SECTION_OVERLAP = 21, /* two sections share bytes */
	CF_E_SECTION_KIND = 22,    /* unknown, duplicated or missing kind */
	CF_E_SECTION_GAP = 23,     /* payload bytes covered by no section */

	/* String table (30-39). */
	CF_E_STRING_COUNT =
	    30, /* count over CF_MAX_STRINGS or over the section */
	CF_E_STRING_BOUNDS =
	    31, /* a string's offset/length leaves the data area */
	CF_E_STRING_OVERLAP = 32,  /* strings out of order or sharing bytes */
	CF_E_STRING_LEN = 33,      /* a string longer than CF_MAX_STRING_LEN */
	CF_E_STRING_TRAILING = 34, /* data area bytes after the last string */

	/* Instance table (40-49). */
	CF_E_INSTANCE_COUNT =
	    40, /* count over CF_MAX_INSTANCES or the section */
	CF_E_INSTANCE_TRUNCATED = 41, /* a record runs past its section */
	CF_E_CRITERION_COUNT = 42,    /* criterion_count over CF_MAX_CRITERIA */
	CF_E_INSTANCE_TRAILING = 43,  /* bytes after the last instance record */
	CF_E_ACTION = 44,             /* unknown action */
	CF_E_OPERATOR = 45,           /* unknown operator */
	CF_E_MODIFIER = 46,           /* unknown modifier bit */
	CF_E_OPERAND = 47, /* operand fields do not fit the operator */
	CF_E_STRREF = 48,  /* string reference past the string table */

	/* Template types, sensor builds, semantics (50-69). */
	CF_E_TEMPLATE_UNKNOWN = 50,     /* template type id not compiled in */
	CF_E_BUILD_UNKNOWN = 51,        /* sensor build name not in the table */
	CF_E_TEMPLATE_UNSUPPORTED = 52, /* build has no integration for type */
	CF_E_FIELD_RANGE = 53, /* field index >= template's declared count */
	CF_E_FIELD_UNSUPPLIED = 54, /* field index >= inputs a build supplies */
	CF_E_FIELD_TYPE = 55,       /* operator does not fit the field's type */
	CF_E_CHANNEL_MISMATCH = 56, /* channel number not the template's */
	CF_E_INT_RANGE = 57,        /* INT_RANGE with low > high */
	CF_E_DUP_INSTANCE = 58,     /* two instances share an id */
	CF_E_EMPTY_OPERAND = 59,    /* empty string or zero mask operand */
	CF_E_REJECTED = 60,         /* content validator rejected the file */

	/* Regex (70-79). */
	CF_E_RE_SYNTAX = 70,   /* pattern does not parse */
	CF_E_RE_TOO_LONG = 71, /* pattern longer than CF_RE_MAX_PATTERN */
	CF_E_RE_TOO_BIG = 72,  /* program over CF_RE_MAX_INSTS */
	CF_E_RE_REPEAT = 73,   /* {m,n} count over CF_RE_MAX_REPEAT (BADBR) */
	CF_E_RE_NESTING = 74,  /* groups nested deeper than CF_RE_MAX_DEPTH */
	CF_E_RE_SUBJECT = 75,  /* subject longer than CF_RE_MAX_SUBJECT */
	CF_E_RE_PROGRAM = 76,  /* compiled program failed a paranoid check */
	CF_E_RE_STEPS = 77,    /* step bound exceeded (internal invariant) */

	/* Text form and events file (80-89). */
	CF_E_TEXT_SYNTAX = 80, /* a line does not follow the grammar */
	CF_E_TEXT_VALUE = 81,  /* a number, name or string literal is invalid */
	CF_E_TEXT_LIMIT = 82,  /* a text limit (line length, counts) exceeded */
	CF_E_TEXT_MISSING = 83, /* a required directive is missing */

	/* Interpreter at run time (90-99). */
	CF_E_INPUT_BOUNDS = 90, /* runtime bounds check refused a field read */

	/* Release gate (100-109): the codes of its findings (cf_gate.h). A
	 * fault is CF_E_INPUT_BOUNDS; these are its warnings. */
	CF_E_GATE_UNREACHED = 100, /* a live criterion no event evaluated */
	CF_E_GATE_UNSAT = 101,     /* an instance no event can match */
	CF_E_GATE_DISABLED = 102   /* an instance every build disables */
};

/* Where an error was found. Filled on failure; callers may pass NULL. */
typedef struct cf_diag {
	int code;
	uint32_t offset; /* byte offset in a binary file, or 0 */
	uint32_t line;   /* 1-based line in a text source, or 0 */
	char msg[160];
} cf_diag;

/* Symbolic name ("CF_E_CRC") and one-line description of a code. Never
 * NULL: unknown codes give "CF_E_UNKNOWN" / "unknown error". */
const char *cf_err_name(int code);
const char *cf_strerror(int code);

/* Record an error in d (if non-NULL) with a printf-style message and return
 * code, so parsers can write `return cf_diag_set(d, CF_E_CRC, off, ...)`. */
int cf_diag_set(cf_diag *d, int code, uint32_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
