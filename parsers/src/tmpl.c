/*
 * tmpl.c - the template types compiled into the modelled sensor, and the
 * sensor-build table (cf_tmpl.h, cf_build.h). Constant data only.
 *
 * Field lists are modelled on what an endpoint sensor observes for each
 * event class; IPC declares 21 fields, the count of the 2024 IPC Template
 * Type. Its 21st field (index 20) is the one that 7.11's integration code
 * did not supply.
 */
#include <bsd/string.h>
#include <strings.h>

#include "cf_build.h"
#include "cf_chan.h"
#include "cf_limits.h"
#include "cf_tmpl.h"

#define S CF_FT_STR
#define I CF_FT_INT
#define F CF_FT_FLAGS

static const cf_field ipc_fields[] = {
	{ "pipe_name", S },
	{ "client_image", S },
	{ "server_image", S },
	{ "client_pid", I },
	{ "server_pid", I },
	{ "client_cmdline", S },
	{ "server_cmdline", S },
	{ "access_mask", F },
	{ "session_id", I },
	{ "integrity_level", I },
	{ "client_user", S },
	{ "server_user", S },
	{ "message_type", I },
	{ "message_size", I },
	{ "protocol", S },
	{ "endpoint", S },
	{ "client_parent_image", S },
	{ "client_sid", S },
	{ "server_sid", S },
	{ "rpc_interface", S },
	{ "rpc_binding", S },
};

static const cf_field process_fields[] = {
	{ "image_path", S },
	{ "command_line", S },
	{ "parent_image", S },
	{ "pid", I },
	{ "ppid", I },
	{ "user", S },
	{ "integrity_level", I },
	{ "token_flags", F },
	{ "sha256", S },
	{ "signer", S },
};

static const cf_field file_fields[] = {
	{ "path", S },
	{ "process_image", S },
	{ "size", I },
	{ "offset", I },
	{ "attributes", F },
	{ "user", S },
	{ "extension", S },
	{ "pid", I },
};

static const cf_field net_fields[] = {
	{ "remote_addr", S },
	{ "remote_port", I },
	{ "local_addr", S },
	{ "local_port", I },
	{ "protocol", I },
	{ "process_image", S },
	{ "direction", F },
	{ "pid", I },
	{ "hostname", S },
};

static const cf_field reg_fields[] = {
	{ "key_path", S },
	{ "value_name", S },
	{ "value_type", I },
	{ "data", S },
	{ "process_image", S },
	{ "pid", I },
	{ "operation", F },
};

#undef S
#undef I
#undef F

#define NFIELDS(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static const cf_tmpl tmpl_table[] = {
	{ CF_TMPL_IPC, "IPC", 291, NFIELDS(ipc_fields), ipc_fields },
	{ CF_TMPL_PROCESS_CREATE, "ProcessCreate", 262, NFIELDS(process_fields),
	    process_fields },
	{ CF_TMPL_FILE_WRITE, "FileWrite", 271, NFIELDS(file_fields),
	    file_fields },
	{ CF_TMPL_NETWORK_CONNECT, "NetworkConnect", 283, NFIELDS(net_fields),
	    net_fields },
	{ CF_TMPL_REGISTRY_SET, "RegistrySet", 276, NFIELDS(reg_fields),
	    reg_fields },
};

#define NTMPL (sizeof(tmpl_table) / sizeof(tmpl_table[0]))

_Static_assert(NFIELDS(ipc_fields) == 21, "IPC declares 21 fields");
_Static_assert(NFIELDS(ipc_fields) <= CF_MAX_FIELDS, "fields fit events");

size_t
cf_tmpl_count(void)
{
	return NTMPL;
}

const cf_tmpl *
cf_tmpl_at(size_t i)
{
	return i < NTMPL ? &tmpl_table[i] : NULL;
}

const cf_tmpl *
cf_tmpl_by_id(uint32_t id)
{
	for (size_t i = 0; i < NTMPL; i++)
		if (tmpl_table[i].id == id)
			return &tmpl_table[i];
	return NULL;
}

const cf_tmpl *
cf_tmpl_by_name(const char *name, size_t n)
{
	for (size_t i = 0; i < NTMPL; i++)
		if (strlen(tmpl_table[i].name) == n &&
		    strncasecmp(tmpl_table[i].name, name, n) == 0)
			return &tmpl_table[i];
	return NULL;
}

int
cf_tmpl_field_by_name(const cf_tmpl *t, const char *name, size_t n)
{
	for (uint32_t i = 0; i < t->nfields; i++)
		if (strlen(t->fields[i].name) == n &&
		    memcmp(t->fields[i].name, name, n) == 0)
			return (int)i;
	return -1;
}

const char *
cf_ftype_name(unsigned type)
{
	switch (type) {
	case CF_FT_STR:
		return "str";
	case CF_FT_INT:
		return "int";
	case CF_FT_FLAGS:
		return "flags";
	}
	return "?";
}

int
cf_tmpl_op_fits(unsigned op, unsigned ftype)
{
	switch (op) {
	case CF_OP_WILDCARD:
		return 1;
	case CF_OP_EQUALS:
	case CF_OP_PREFIX:
	case CF_OP_SUFFIX:
	case CF_OP_CONTAINS:
	case CF_OP_REGEX:
		return ftype == CF_FT_STR;
	case CF_OP_INT_RANGE:
		return ftype == CF_FT_INT;
	case CF_OP_INT_EQ:
		return ftype == CF_FT_INT || ftype == CF_FT_FLAGS;
	case CF_OP_FLAGS_ANY:
	case CF_OP_FLAGS_ALL:
		return ftype == CF_FT_FLAGS;
	}
	return 0;
}

/* Sensor builds. supplied[] is indexed by template id (slot 0 unused). */
static const cf_build build_table[] = {
	{ "7.11",
	    "Feb 2024: IPC integration supplies 20 of 21 inputs; no bounds checks (CF-291)",
	    0, { 0, 20, 10, 8, 9, 7 } },
	{ "7.16",
	    "Aug 2024: supplies all 21 IPC inputs; compile-time field check and runtime bounds check",
	    CF_CHECK_RUNTIME_BOUNDS | CF_CHECK_COMPILE_FIELDS,
	    { 0, 21, 10, 8, 9, 7 } },
};

#define NBUILD (sizeof(build_table) / sizeof(build_table[0]))

size_t
cf_build_count(void)
{
	return NBUILD;
}

const cf_build *
cf_build_at(size_t i)
{
	return i < NBUILD ? &build_table[i] : NULL;
}

const cf_build *
cf_build_by_name(const char *name)
{
	for (size_t i = 0; i < NBUILD; i++)
		if (strcmp(build_table[i].name, name) == 0)
			return &build_table[i];
	return NULL;
}

uint32_t
cf_build_supplied(const cf_build *b, uint32_t tmpl_id)
{
	if (b == NULL || tmpl_id == 0 || tmpl_id > CF_TMPL_MAX_ID)
		return 0;
	return b->supplied[tmpl_id];
}
