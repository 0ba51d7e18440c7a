/*
 * cf_tmpl.h - template types compiled into the sensor.
 *
 * A template type declares the input fields that its instances' criteria
 * may test, each with a name and a type. The table is constant data
 * (parsers/src/tmpl.c); docs/FORMAT.md lists it. IPC (id 1, channel 291)
 * declares 21 fields, as the 2024 IPC Template Type did.
 */
#ifndef CF_TMPL_H
#define CF_TMPL_H

#include <stddef.h>
#include <stdint.h>

enum cf_ftype {
	CF_FT_STR = 1,  /* byte string: EQUALS PREFIX SUFFIX CONTAINS REGEX */
	CF_FT_INT = 2,  /* unsigned 64-bit: INT_EQ INT_RANGE */
	CF_FT_FLAGS = 3 /* 64-bit mask: FLAGS_ANY FLAGS_ALL INT_EQ */
};

enum cf_tmpl_id {
	CF_TMPL_IPC = 1,
	CF_TMPL_PROCESS_CREATE = 2,
	CF_TMPL_FILE_WRITE = 3,
	CF_TMPL_NETWORK_CONNECT = 4,
	CF_TMPL_REGISTRY_SET = 5,
	CF_TMPL_MAX_ID = 5
};

typedef struct cf_field {
	const char *name;
	uint8_t type; /* enum cf_ftype */
} cf_field;

typedef struct cf_tmpl {
	uint32_t id;
	const char *name;
	uint32_t channel; /* channel number its content ships on */
	uint32_t nfields;
	const cf_field *fields;
} cf_tmpl;

size_t cf_tmpl_count(void);
const cf_tmpl *cf_tmpl_at(size_t i); /* NULL past the end */
const cf_tmpl *cf_tmpl_by_id(uint32_t id);
const cf_tmpl *cf_tmpl_by_name(const char *name, size_t n); /* any case */
/* Field index by name, or -1. */
int cf_tmpl_field_by_name(const cf_tmpl *t, const char *name, size_t n);
const char *cf_ftype_name(unsigned type);
/* 1 when operator op may test a field of this type (WILDCARD fits all). */
int cf_tmpl_op_fits(unsigned op, unsigned ftype);

#endif
