"""The campaign verbs (docs/CAMPAIGN.md). So far the finishing phase
alone, `chanfuzz campaign-finish OUT [--full-triage]` (finish.py), which
scripts/campaign.sh runs once its fuzzers are stopped; the fuzzing phase
(options, schedule, supervision, corpus exchange) is still bash. Exit
status: 0 done, 1 a step failed (triage did not finish, no report), 130 /
143 interrupted while finishing (resume it)."""
import os
import signal
import sys

from chanfuzz import finish, state, stats
from chanfuzz.layout import EventLog, Failure, Layout, PROG


class Campaign:
    """One campaign: its state, folder and event log."""

    def __init__(self, out, st, full_triage=False):
        self.st = st
        self.state_path = os.path.join(out, "state.json")
        self.layout = Layout(out, st.sync_dir, st.role, st.prefix,
                             st.suppress)
        self.log = EventLog(self.layout.path("campaign.log"))
        self.runs = stats.RunBook(out, st.targets)
        self.full_triage = full_triage

    def save_state(self):
        self.st.save(self.state_path)


def _raise(signum, _frame):
    raise KeyboardInterrupt(signum)


def finish_main(args):
    out = os.path.abspath(args.out)
    c = Campaign(out, state.load(os.path.join(out, "state.json")),
                 args.full_triage)
    signal.signal(signal.SIGTERM, _raise)
    try:
        finish.finish(c)
    except Failure as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 1
    except KeyboardInterrupt as e:
        sig = e.args[0] if e.args else signal.SIGINT
        c.log.event("%s while finishing: continue with %s --resume %s" % (
            "terminated" if sig == signal.SIGTERM else "interrupted", PROG,
            out))
        return 143 if sig == signal.SIGTERM else 130
    return 0


def register(sub):
    p = sub.add_parser("campaign-finish", help="a campaign's finishing "
                       "phase (scripts/campaign.sh)")
    p.add_argument("out")
    p.add_argument("--full-triage", action="store_true")
    p.set_defaults(func=finish_main)
