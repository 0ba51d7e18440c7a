"""The `scripts/chanfuzz` command line: argparse subcommands, one module
per verb. Each module named in COMMANDS defines register(subparsers), which
adds its parser and sets `func` to a function taking the parsed arguments
and returning the exit status."""
import argparse
import importlib
import sys

# Modules that contribute subcommands, in --help order.
COMMANDS = ["signature", "triage", "preflight", "verify", "report", "gate",
            "benchcampaign", "benchstats"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="chanfuzz",
        description="chanfuzz orchestration: crash signatures, triage, "
        "campaign reports, the content release gate (docs/CRASHES.md, "
        "docs/CAMPAIGN.md, docs/GATE.md)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        importlib.import_module("chanfuzz." + name).register(sub)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        print("chanfuzz: interrupted", file=sys.stderr)
        return 130
