"""Tests of state.json (state.py): the round trip, its keys, a damaged
file, the phase a resumed campaign goes on with."""
import json
import os
import shutil
import tempfile
import unittest

from chanfuzz import state

KEYS = {"version", "created", "updated", "host", "suppress", "full_triage",
        "pid",
        "budget_s", "elapsed_s", "phase", "runs", "jobs", "targets",
        "engines", "crashes", "minimize_time", "sync_interval", "sync_dir",
        "role", "prefix", "previous", "target_seconds"}


class RoundTrip(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.path = os.path.join(self.dir, "state.json")

    def test_keys_and_round_trip(self):
        st = state.State(budget_s=60, elapsed_s=20, jobs=2,
                         targets=["fuzz_parse", "fuzz_interp_711"],
                         engines=["libfuzzer"], crashes="/c", suppress=False,
                         target_seconds={"fuzz_parse": 20})
        st.save(self.path)
        with open(self.path) as f:
            d = json.load(f)
        self.assertEqual(set(d), KEYS)
        self.assertEqual(d["target_seconds"],
                         {"fuzz_parse": 20, "fuzz_interp_711": 0})
        self.assertIsNone(d["sync_dir"])
        back = state.load(self.path)
        self.assertEqual((back.budget_s, back.elapsed_s, back.targets,
                          back.engines, back.suppress, back.phase),
                         (60, 20, ["fuzz_parse", "fuzz_interp_711"],
                          ["libfuzzer"], False, "fuzzing"))
        self.assertEqual([n for n in os.listdir(self.dir)], ["state.json"])

    def test_full_triage_is_kept(self):
        """--full-triage survives a resume (it was lost before); a state
        file written before the key existed reads as off."""
        state.State(targets=["fuzz_parse"], full_triage=True).save(self.path)
        self.assertIs(state.load(self.path).full_triage, True)
        with open(self.path) as f:
            d = json.load(f)
        del d["full_triage"]
        with open(self.path, "w") as f:
            json.dump(d, f)
        self.assertIs(state.load(self.path).full_triage, False)

    def test_engines_in_canonical_order(self):
        st = state.State(targets=["fuzz_parse"],
                         engines=["libfuzzer", "afl"])
        st.save(self.path)
        self.assertEqual(state.load(self.path).engines, ["afl", "libfuzzer"])

    def test_damaged(self):
        for text in ("{", "[]", '{"version": 2}',
                     '{"version": 1, "targets": ["t"], "budget_s": "x"}',
                     '{"version": 1, "targets": ["t"], "engines": ["hf"]}'):
            with open(self.path, "w") as f:
                f.write(text)
            with self.assertRaises(state.StateError, msg=text):
                state.load(self.path)
        with self.assertRaises(state.StateError):
            state.load(os.path.join(self.dir, "none.json"))


class Resume(unittest.TestCase):
    def st(self, phase, elapsed):
        return state.State(phase=phase, elapsed_s=elapsed, budget_s=60)

    def test_rules(self):
        self.assertIsNone(state.resume_phase(self.st("done", 60), 60))
        self.assertEqual(state.resume_phase(self.st("done", 60), 90),
                         "fuzzing")
        self.assertEqual(state.resume_phase(self.st("finishing", 60), 60),
                         "finishing")
        self.assertEqual(state.resume_phase(self.st("finishing", 30), 60),
                         "fuzzing")
        self.assertEqual(state.resume_phase(self.st("fuzzing", 20), 60),
                         "fuzzing")


if __name__ == "__main__":
    unittest.main()
