#!/usr/bin/env python3
"""gate_big.py - the text form of a channel file near CF_MAX_FILE_SIZE (1 MiB),
to measure the release gate on the largest content the format allows
(docs/GATE.md, "Cost"):

    bench/gate_big.py >/tmp/big.cft
    build/cftool asm /tmp/big.cft -o /tmp/big.cf     # 1,040,766 bytes
    time build/cftool gate /tmp/big.cf

1,024 IPC instances (CF_MAX_INSTANCES) of 32 criteria (CF_MAX_CRITERIA)
each, on the 20 fields sensor 7.11 supplies: string operators (a sixth of
them REGEX) on string fields, ranges on integers, masks on flags, a
quarter ICASE or NOT; a second criterion on a field is a CONTAINS where
the first one leaves room for it, else a WILDCARD, so every instance can
match and every criterion is reached. 3,000 operands from a pool, a third
of them 190 bytes long, and 500 patterns. Deterministic (seed 19).
"""
import random
import sys

# IPC fields 0..19 and their types (docs/FORMAT.md section 5).
TYPES = {0: "s", 1: "s", 2: "s", 3: "i", 4: "i", 5: "s", 6: "s", 7: "f",
         8: "i", 9: "i", 10: "s", 11: "s", 12: "i", 13: "i", 14: "s",
         15: "s", 16: "s", 17: "s", 18: "s", 19: "s"}


def main(instances=1024, criteria=32):
    rnd = random.Random(19)

    def word(n):
        return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789_")
                       for _ in range(n))

    pool = [word(rnd.randint(4, 12)) + ("_" + word(180) if j % 3 == 0
                                        else "") for j in range(3000)]
    patterns = ["^" + word(5) + "[a-z]+\\\\d{2,4}" + word(3)
                for _ in range(500)]
    out = ["channel 291", "content-version 20260101", "template IPC"]
    for i in range(instances):
        out.append("instance %d detect" % (100000 + i))
        first = {}
        fields = list(TYPES)
        rnd.shuffle(fields)
        for k in range(criteria):
            f = fields[k % len(fields)]
            t = TYPES[f]
            again = k >= len(fields)
            if t == "s":
                op = rnd.choice(["prefix", "suffix", "contains", "equals",
                                 "regex", "contains"])
                if again:
                    if first.get(f) not in ("prefix", "suffix", "contains"):
                        out.append("  field %d wildcard" % f)
                        continue
                    op = "contains"
                w = rnd.choice(patterns if op == "regex" else pool)
                mods = rnd.choice(["", "", " icase", " not"])
                first[f] = "not" if mods == " not" else op
                out.append('  field %d %s "%s"%s' % (f, op, w, mods))
            elif again:
                out.append("  field %d wildcard" % f)
            elif t == "i":
                a = rnd.randint(0, 1000)
                out.append("  field %d int-range %d %d" % (
                    f, a, a + rnd.randint(0, 500)))
            else:
                out.append("  field %d flags-any 0x%x" % (
                    f, rnd.randint(1, 0xffff)))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
