/*
 * cf_chan.h - the channel file: in-memory model, parser and writer.
 *
 * The binary format is specified in docs/FORMAT.md. cf_chan_parse() takes
 * an untrusted buffer and either returns a fully checked model or an error
 * code with the offending byte offset; the model owns copies of its strings
 * and never points into the input. cf_chan_write() produces the canonical
 * encoding, with correct lengths, counts and CRC-32, from any model whose
 * counts are within the limits.
 *
 * The parser checks structure only (sizes, counts, bounds, encodings,
 * references into the string table). Semantics that depend on a template
 * type or a sensor build (field indexes, operator/field-type agreement)
 * belong to the Content Validator (cf_val.h) and the interpreter.
 */
#ifndef CF_CHAN_H
#define CF_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "cf_buf.h"
#include "cf_error.h"

#define CF_MAGIC_BYTE 0xAAu
#define CF_MAGIC_SIZE 4u /* the magic: AA AA AA AA */
#define CF_FORMAT_VERSION 1u
#define CF_HEADER_SIZE 40u
#define CF_SECTION_ENTRY_SIZE 12u
#define CF_SECTION_COUNT 2u
#define CF_STRING_ENTRY_SIZE 8u
#define CF_INSTANCE_HEADER_SIZE 12u
#define CF_CRITERION_SIZE 24u
#define CF_NO_STRING 0xFFFFFFFFu
/* Each section opens with its u32 count; its records follow. */
#define CF_COUNT_SIZE 4u
/* Where the sections may start: after the header and the section table. */
#define CF_PAYLOAD_START \
	(CF_HEADER_SIZE + CF_SECTION_COUNT * CF_SECTION_ENTRY_SIZE)

/*
 * The layout of the binary records, named once (docs/FORMAT.md 1.1-1.5):
 * byte offsets of each field in its record, for the parser, the writer's
 * readers and the mutator's frame repair alike.
 */
/* Header, 1.1 */
enum cf_hdr_off {
	CF_HDR_OFF_MAGIC = 0,            /* 4 bytes AA AA AA AA */
	CF_HDR_OFF_FORMAT_VERSION = 4,   /* u16 */
	CF_HDR_OFF_HEADER_SIZE = 6,      /* u16 */
	CF_HDR_OFF_CHANNEL = 8,          /* u32 */
	CF_HDR_OFF_CONTENT_VERSION = 12, /* u32 */
	CF_HDR_OFF_TEMPLATE_TYPE = 16,   /* u32 */
	CF_HDR_OFF_TOTAL_LENGTH = 20,    /* u32 */
	CF_HDR_OFF_CRC = 24,             /* u32, CRC-32 of the payload */
	CF_HDR_OFF_SECTION_COUNT = 28,   /* u16 */
	CF_HDR_OFF_FLAGS = 30,           /* u16, reserved */
	CF_HDR_OFF_SECTION_TABLE = 32,   /* u32 */
	CF_HDR_OFF_RESERVED = 36         /* u32 */
};
/* Section table entry, 1.2 */
enum cf_sect_off {
	CF_SECT_OFF_KIND = 0,     /* u16 */
	CF_SECT_OFF_RESERVED = 2, /* u16 */
	CF_SECT_OFF_OFFSET = 4,   /* u32, from the start of the file */
	CF_SECT_OFF_LENGTH = 8    /* u32 */
};
/* String entry, 1.3 */
enum cf_str_off {
	CF_STR_OFF_OFFSET = 0, /* u32, in the data area */
	CF_STR_OFF_LENGTH = 4  /* u32 */
};
/* Instance record head, 1.4 */
enum cf_inst_off {
	CF_INST_OFF_ID = 0,       /* u32 */
	CF_INST_OFF_ACTION = 4,   /* u16 */
	CF_INST_OFF_FLAGS = 6,    /* u16 */
	CF_INST_OFF_NCRIT = 8,    /* u16 */
	CF_INST_OFF_RESERVED = 10 /* u16 */
};
/* Criterion, 1.5 */
enum cf_crit_off {
	CF_CRIT_OFF_FIELD = 0, /* u16 */
	CF_CRIT_OFF_OP = 2,    /* u8 */
	CF_CRIT_OFF_MODS = 3,  /* u8 */
	CF_CRIT_OFF_STR = 4,   /* u32 */
	CF_CRIT_OFF_A = 8,     /* u64 */
	CF_CRIT_OFF_B = 16     /* u64 */
};

enum cf_section_kind { CF_SECT_STRINGS = 1, CF_SECT_INSTANCES = 2 };

/* A section table entry as stored, unchecked. */
typedef struct cf_section {
	uint16_t kind; /* enum cf_section_kind when valid */
	uint16_t reserved;
	uint32_t off;
	uint32_t len;
} cf_section;

enum cf_op {
	CF_OP_WILDCARD = 0,
	CF_OP_EQUALS = 1,
	CF_OP_PREFIX = 2,
	CF_OP_SUFFIX = 3,
	CF_OP_CONTAINS = 4,
	CF_OP_REGEX = 5,
	CF_OP_INT_EQ = 6,
	CF_OP_INT_RANGE = 7,
	CF_OP_FLAGS_ANY = 8,
	CF_OP_FLAGS_ALL = 9,
	CF_OP_COUNT = 10
};

enum cf_mod {
	CF_MOD_ICASE = 1u,  /* ASCII case folding (string operators) */
	CF_MOD_NEGATE = 2u, /* invert the criterion's result */
	CF_MOD_ALL = 3u
};

enum cf_action {
	CF_ACT_LOG = 0,
	CF_ACT_DETECT = 1,
	CF_ACT_BLOCK = 2,
	CF_ACT_KILL = 3,
	CF_ACT_COUNT = 4
};

#define CF_INST_ENABLED 1u /* instance flag bit 0; others reserved */

/* Operand shape of an operator (docs/FORMAT.md, "Criterion"). */
enum cf_operand {
	CF_OPND_NONE = 0, /* str = CF_NO_STRING, a = b = 0 */
	CF_OPND_STR = 1,  /* str = index, a = b = 0 */
	CF_OPND_INT = 2,  /* str = CF_NO_STRING, a = value, b = 0 */
	CF_OPND_RANGE = 3 /* str = CF_NO_STRING, a = low, b = high */
};

typedef struct cf_str {
	uint8_t *data; /* owned; may contain any byte, including NUL */
	uint32_t len;
} cf_str;

typedef struct cf_criterion {
	uint16_t field; /* 0-based index into the template's input fields */
	uint8_t op;     /* enum cf_op */
	uint8_t mods;   /* enum cf_mod bits */
	uint32_t str;   /* string table index or CF_NO_STRING */
	uint64_t a;
	uint64_t b;
} cf_criterion;

typedef struct cf_instance {
	uint32_t id;
	uint16_t action; /* enum cf_action */
	uint16_t flags;  /* CF_INST_ENABLED */
	uint16_t ncrit;
	cf_criterion *crit; /* owned, ncrit entries */
} cf_instance;

typedef struct cf_chan {
	uint16_t format_version;
	uint32_t channel;
	uint32_t content_version;
	uint32_t template_type;
	uint32_t nstrings;
	cf_str *strings; /* owned */
	uint32_t ninstances;
	cf_instance *instances; /* owned */
} cf_chan;

/* Parse and fully check buf[0..len). On success *out owns a new model.
 * CRC-32 is always verified, except in builds compiled with both
 * FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION and CF_FUZZ_SKIP_CRC. */
int cf_chan_parse(const uint8_t *buf, size_t len, cf_chan **out, cf_diag *d);

/* Canonical encoding of ch appended to out. Fails with CF_E_ARG when a count
 * exceeds its limit or a string reference is out of bounds. */
int cf_chan_write(const cf_chan *ch, cf_buf *out);

/* Check one criterion's operator, modifiers and operand shape against a
 * table of nstrings strings: CF_OK, CF_E_OPERATOR, CF_E_MODIFIER,
 * CF_E_OPERAND or CF_E_STRREF (docs/FORMAT.md 1.5). */
int cf_chan_check_criterion(const cf_criterion *c, uint32_t nstrings);

/* Entry i (< CF_SECTION_COUNT) of the section table of buf, which must
 * hold at least CF_PAYLOAD_START bytes; nothing is checked. */
cf_section cf_chan_section_entry(const uint8_t *buf, unsigned i);

/* The section-table checks of docs/FORMAT.md 1.2, in the order given there,
 * for a file of total bytes: CF_OK, or entry by entry CF_E_RESERVED,
 * CF_E_SECTION_KIND, CF_E_SECTION_BOUNDS (*entry, unless NULL, gets the
 * index of the entry at fault), then CF_E_SECTION_OVERLAP or
 * CF_E_SECTION_GAP (*entry gets the index of the section placed second).
 * This is the parser's verdict on the table; that each section holds its
 * 4-byte count is checked by the section's own walk. */
int cf_chan_check_sections(
    const cf_section sec[CF_SECTION_COUNT], uint32_t total, unsigned *entry);

/*
 * Builders and editors, used by the assembler, the parser, the mutator and
 * tests. A model's arrays (strings, instances, each instance's criteria)
 * hold no capacity field: an array of n elements has room for at least
 * the smallest power of two >= n, and grows when an insertion finds it
 * full. Every insertion and removal goes through these functions, so the
 * rule is kept in this file alone. They fail with CF_E_ARG on a position
 * or index out of range or a count or length at its limit (cf_limits.h),
 * CF_E_NOMEM when out of memory, and leave the model unchanged then.
 */
cf_chan *cf_chan_new(void);
void cf_chan_free(cf_chan *ch);
/* Append a copy of a string; *index (unless NULL) gets its table index. */
int cf_chan_add_string(
    cf_chan *ch, const uint8_t *p, size_t n, uint32_t *index);
/* Replace string index by a copy of p[0..n) (p may point into it). */
int cf_chan_set_string(cf_chan *ch, uint32_t index, const uint8_t *p, size_t n);
/* Remove the strings no string operand refers to and renumber the
 * references; *removed gets how many went. */
int cf_chan_drop_unused_strings(cf_chan *ch, uint32_t *removed);
/* Append an instance with no criteria; *index gets its position. */
int cf_chan_add_instance(
    cf_chan *ch, uint32_t id, uint16_t action, uint16_t flags, uint32_t *index);
/* Insert a copy of *in, its in->ncrit criteria included, at position pos
 * (<= ninstances); in may point into ch. */
int cf_chan_insert_instance(cf_chan *ch, uint32_t pos, const cf_instance *in);
int cf_chan_remove_instance(cf_chan *ch, uint32_t pos);
/* Append *c to instance's criteria. */
int cf_chan_add_criterion(
    cf_chan *ch, uint32_t instance, const cf_criterion *c);
/* Insert *c at position pos (<= ncrit) of instance's criteria; c may
 * point into ch. */
int cf_chan_insert_criterion(
    cf_chan *ch, uint32_t instance, uint32_t pos, const cf_criterion *c);
int cf_chan_remove_criterion(cf_chan *ch, uint32_t instance, uint32_t pos);
/* Deep copy. */
int cf_chan_clone(const cf_chan *ch, cf_chan **out);
/* 1 when the two models are equal field by field. */
int cf_chan_equal(const cf_chan *x, const cf_chan *y);

/* Operator names ("WILDCARD", "REGEX", ...) as in the text form, lower
 * case there; NULL for unknown. */
const char *cf_op_name(unsigned op);
int cf_op_by_name(const char *name, size_t n); /* -1 when unknown */
enum cf_operand cf_op_operand(unsigned op);
const char *cf_action_name(unsigned action);
int cf_action_by_name(const char *name, size_t n); /* -1 when unknown */

#endif
