"""The fuzz targets and sensor builds, as the scripts need them."""

TARGETS = ["fuzz_parse", "fuzz_validate", "fuzz_interp_711",
           "fuzz_interp_716", "fuzz_regex", "fuzz_differential"]
# Targets whose input starts with a channel file (docs/HARNESS.md).
CHAN_TARGETS = ["fuzz_parse", "fuzz_validate", "fuzz_interp_711",
                "fuzz_interp_716", "fuzz_differential"]
# Sensor builds and their interpreter targets.
SENSORS = ["7.11", "7.16"]


def sensor_target(build):
    return "fuzz_interp_" + build.replace(".", "")


def target_of_name(basename):
    """A target named by a file name's prefix (fuzz_interp_711-crash-...),
    or None."""
    for t in sorted(TARGETS, key=len, reverse=True):
        if basename == t or (basename.startswith(t) and
                             basename[len(t)] in "-_.:"):
            return t
    return None
