"""The `scripts/chanfuzz` command line: argparse subcommands, one module
per verb. Each module named in COMMANDS defines register(subparsers), which
adds its parser and sets `func` to a function taking the parsed arguments
and returning the exit status."""
import argparse
import importlib
import re
import sys

from chanfuzz import targets

# Modules that contribute subcommands, in --help order.
COMMANDS = ["signature", "triage", "promote", "regress", "repro", "corpus",
            "preflight", "verify", "report", "gate", "campaign", "bench",
            "benchcampaign", "benchstats"]


class UsageError(Exception):
    """Bad arguments: the verb says what is wrong and exits 2 (usage_error).
    bare: the message is the whole line (a usage line), not prefixed."""

    def __init__(self, message, bare=False):
        super().__init__(message)
        self.bare = bare


def usage_error(prog, error):
    """Say what UsageError ERROR says, as PROG; the exit status, 2."""
    sys.stdout.flush()
    print(str(error) if error.bare else "%s: %s" % (prog, error),
          file=sys.stderr)
    return 2


def posint(option, value):
    """VALUE as an int; UsageError unless it is a positive integer below
    10^6 (a bound in seconds or a count)."""
    if not re.fullmatch(r"[1-9][0-9]{0,5}", value):
        raise UsageError("%s wants a positive integer, not '%s'" %
                         (option, value))
    return int(value)


def check_target(name):
    """UsageError unless NAME is a fuzz target (harness/targets.tsv)."""
    if name not in targets.TARGETS:
        raise UsageError("unknown target '%s' (one of: %s)" %
                         (name, " ".join(targets.TARGETS)))


def _parser(modules):
    """The parser with the verbs of MODULES; (parser, subparsers)."""
    parser = argparse.ArgumentParser(
        prog="chanfuzz",
        description="chanfuzz orchestration: crash signatures, triage, "
        "promote, regress, repro, campaign reports, the content release "
        "gate (docs/CRASHES.md, docs/CAMPAIGN.md, docs/GATE.md)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in modules:
        importlib.import_module("chanfuzz." + name).register(sub)
    return parser, sub


def parse_args(argv=None):
    # A verb named like its module (most are) needs that module alone: a
    # verb then starts without importing every other (which matters to
    # the corpus verb's up-to-date run, `make corpus`). Anything else
    # (--help, bench-stats, a typo) gets every verb.
    words = sys.argv[1:] if argv is None else list(argv)
    parser, sub = None, None
    if words and words[0] in COMMANDS:
        parser, sub = _parser([words[0]])
        if words[0] not in sub.choices:
            parser = None
    if parser is None:
        parser, sub = _parser(COMMANDS)
    args, unknown = parser.parse_known_args(words)
    if unknown and not hasattr(args, "unknown"):
        parser.error("unrecognized arguments: %s" % " ".join(unknown))
    args.unknown = unknown
    return args


def takes_unknown(parser):
    """Let a verb name the arguments it does not know itself (a wrapped
    script's own message) instead of argparse: they reach it as
    args.unknown."""
    parser.set_defaults(unknown=[])


def operands(args):
    """A verb's operands (args.operands, and what argparse left over that
    is no option); UsageError naming the first unknown option."""
    for u in args.unknown:
        if u.startswith("-") and u != "-":
            raise UsageError("unknown option '%s' (try --help)" % u)
    return list(args.operands) + [u for u in args.unknown]


def one_operand(args, name, usage):
    """The one operand of a verb that takes one (NAME in messages);
    UsageError, with the usage line when there is none."""
    ops = operands(args)
    if not ops:
        raise UsageError("usage: " + usage, bare=True)
    if len(ops) > 1:
        raise UsageError("one %s at a time ('%s', '%s')" % (name, ops[0],
                                                            ops[1]))
    return ops[0]


def main(argv=None):
    args = parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        print("chanfuzz: interrupted", file=sys.stderr)
        return 130
