/*
 * samples.c - the built-in sample events (cf_event.h): at least one per
 * template type, used by `cftool run` when no events file is given.
 *
 * Each sample carries a value for every field its template type declares,
 * as the event source sees them. The IPC sample is a named-pipe RPC
 * connection of the kind the 19 July 2024 instance matched on: it reaches
 * the non-wildcard criterion on field 21 (rpc_binding) of
 * corpus/src/cf291-nonwildcard.cft.
 */
#include "cf_event.h"
#include "cf_tmpl.h"

#define STR(lit)                                        \
	{                                               \
		CF_VT_STR, (uint32_t)(sizeof(lit) - 1), \
		{                                       \
			.s = (const uint8_t *)(lit)     \
		}                                       \
	}
#define INT(n)                             \
	{                                  \
		CF_VT_INT, 0,              \
		{                          \
			.u = (uint64_t)(n) \
		}                          \
	}

static const cf_event samples[] = {
	{ "ipc-rpc-named-pipe", CF_TMPL_IPC, 21,
	    { STR("\\\\.\\pipe\\msrpc_lsass"),
	        STR("C:\\Windows\\System32\\svchost.exe"),
	        STR("C:\\Windows\\System32\\lsass.exe"), INT(4242), INT(684),
	        STR("svchost.exe -k netsvcs"), STR("lsass.exe"),
	        INT(0x0012019f), INT(1), INT(0x4000),
	        STR("NT AUTHORITY\\SYSTEM"), STR("NT AUTHORITY\\SYSTEM"),
	        INT(3), INT(1024), STR("ncacn_np"), STR("\\pipe\\lsass"),
	        STR("C:\\Windows\\System32\\services.exe"), STR("S-1-5-18"),
	        STR("S-1-5-18"), STR("12345778-1234-abcd-ef00-0123456789ab"),
	        STR("ncacn_np:\\\\DC01[\\pipe\\lsass]") } },
	{ "process-powershell", CF_TMPL_PROCESS_CREATE, 10,
	    { STR("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"),
	        STR("powershell.exe -NoProfile -EncodedCommand SQBFAFgA"),
	        STR("C:\\Windows\\explorer.exe"), INT(5120), INT(2048),
	        STR("CORP\\alice"), INT(0x2000), INT(0x3),
	        STR("de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c"),
	        STR("Microsoft Windows") } },
	{ "file-ransom-note", CF_TMPL_FILE_WRITE, 8,
	    { STR("C:\\Users\\alice\\Documents\\README_DECRYPT.txt"),
	        STR("C:\\Users\\alice\\AppData\\Local\\Temp\\x.exe"), INT(1337),
	        INT(0), INT(0x20), STR("CORP\\alice"), STR("txt"),
	        INT(6060) } },
	{ "net-smb-outbound", CF_TMPL_NETWORK_CONNECT, 9,
	    { STR("203.0.113.7"), INT(445), STR("10.0.0.15"), INT(49812),
	        INT(6), STR("C:\\Windows\\System32\\rundll32.exe"), INT(0x1),
	        INT(7070), STR("files.example.net") } },
	{ "reg-run-key", CF_TMPL_REGISTRY_SET, 7,
	    { STR("HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
	        STR("updater"), INT(1),
	        STR("C:\\Users\\Public\\updater.exe --silent"),
	        STR("C:\\Users\\Public\\dropper.exe"), INT(8080), INT(0x2) } },
};

size_t
cf_event_sample_count(void)
{
	return sizeof(samples) / sizeof(samples[0]);
}

const cf_event *
cf_event_sample_at(size_t i)
{
	return i < cf_event_sample_count() ? &samples[i] : NULL;
}
