# shellcheck shell=bash disable=SC2034
# targets.sh - the fuzz targets of harness/targets.tsv as shell variables
# (docs/HARNESS.md, "Targets"). Sourced, never run: by
# bench.sh, build.sh and the tests (the Python
# package reads the list itself: scripts/lib/chanfuzz/targets.py). Sets
#   TARGETS        every target, in the file's order
#   CHAN_TARGETS   the targets whose input starts with a channel file
#   SENSORS        the sensor builds that have a target, in the file's order
#   T_SRC[t]       the target's source file in harness/
#   T_INPUT[t]     chan, regex or another word (the input column)
#   T_SENSOR[t]    its sensor build, empty for none
#   T_MUT[t]       channel, regex or none (the mutator kind)
#   T_DEFS[t]      further preprocessor flags, space-separated, or empty
# and the function sensor_target BUILD (the target that runs BUILD, or
# nothing). A malformed file is a message on stderr and a status of 1 from
# the `.` that sourced this file. CF_TARGETS_FILE names another file (tests).
TARGETS_FILE=${CF_TARGETS_FILE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/harness/targets.tsv}
TARGETS=() CHAN_TARGETS=() SENSORS=()
declare -gA T_SRC=() T_INPUT=() T_SENSOR=() T_MUT=() T_DEFS=() T_BY_SENSOR=()

sensor_target() { printf '%s\n' "${T_BY_SENSOR[$1]:-}"; }

# targets_load: fill the variables above from TARGETS_FILE.
targets_load() {
	local n=0 name src input sensor mut defs extra where
	if [ ! -r "$TARGETS_FILE" ]; then
		printf '%s: cannot read the target list\n' "$TARGETS_FILE" >&2
		return 1
	fi
	while IFS=$'\t' read -r name src input sensor mut defs extra || [ -n "$name" ]; do
		n=$((n + 1))
		where="$TARGETS_FILE:$n"
		case $name in '' | '#'*) continue ;; esac
		if [ -z "$defs" ] || [ -n "$extra" ]; then
			printf '%s: want NAME SOURCE INPUT SENSOR MUTATOR DEFINES, one tab apart\n' "$where" >&2
			return 1
		fi
		if ! [[ $name =~ ^[a-z][a-z0-9_]*$ ]] || [ -n "${T_SRC[$name]:-}" ]; then
			printf '%s: target name %s is not [a-z][a-z0-9_]* or is given twice\n' "$where" "$name" >&2
			return 1
		fi
		if ! [[ $src =~ ^[a-z][a-z0-9_]*\.c$ ]] || ! [[ $input =~ ^[a-z]+$ ]]; then
			printf '%s: source %s or input %s is not a plain name\n' "$where" "$src" "$input" >&2
			return 1
		fi
		case $mut in
		channel | regex | none) ;;
		*)
			printf '%s: mutator %s is not channel, regex or none\n' "$where" "$mut" >&2
			return 1
			;;
		esac
		TARGETS+=("$name")
		T_SRC[$name]=$src T_INPUT[$name]=$input T_MUT[$name]=$mut
		[ "$input" != chan ] || CHAN_TARGETS+=("$name")
		T_SENSOR[$name]=
		if [ "$sensor" != - ]; then
			if [ -n "${T_BY_SENSOR[$sensor]:-}" ]; then
				printf '%s: sensor build %s already has target %s\n' "$where" "$sensor" "${T_BY_SENSOR[$sensor]}" >&2
				return 1
			fi
			T_SENSOR[$name]=$sensor T_BY_SENSOR[$sensor]=$name
			SENSORS+=("$sensor")
		fi
		T_DEFS[$name]=
		[ "$defs" = - ] || T_DEFS[$name]=${defs//,/ }
	done <"$TARGETS_FILE"
	if [ ${#TARGETS[@]} = 0 ]; then
		printf '%s: no targets\n' "$TARGETS_FILE" >&2
		return 1
	fi
}
targets_load
