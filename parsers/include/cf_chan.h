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
#define CF_FORMAT_VERSION 1u
#define CF_HEADER_SIZE 40u
#define CF_SECTION_ENTRY_SIZE 12u
#define CF_SECTION_COUNT 2u
#define CF_STRING_ENTRY_SIZE 8u
#define CF_INSTANCE_HEADER_SIZE 12u
#define CF_CRITERION_SIZE 24u
#define CF_NO_STRING 0xFFFFFFFFu

enum cf_section_kind { CF_SECT_STRINGS = 1, CF_SECT_INSTANCES = 2 };

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

/* Builders used by the assembler, the mutator and tests. */
cf_chan *cf_chan_new(void);
void cf_chan_free(cf_chan *ch);
/* Append a copy of a string; *index gets its table index. */
int cf_chan_add_string(
    cf_chan *ch, const uint8_t *p, size_t n, uint32_t *index);
/* Append an instance with no criteria; *index gets its position. */
int cf_chan_add_instance(
    cf_chan *ch, uint32_t id, uint16_t action, uint16_t flags, uint32_t *index);
int cf_chan_add_criterion(
    cf_chan *ch, uint32_t instance, const cf_criterion *c);
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
