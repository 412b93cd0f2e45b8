#!/usr/bin/env python3
"""Known-item quality from a topk file: MRR@10 and the share found at rank 1.

    python3 bench/mrr.py bench/known-items.tsv TOPK.txt
"""
import sys

expected = [l.rstrip("\n").split("\t")[1] for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
ranked = [l.rstrip("\n").split("\t") if l.strip() else [] for l in open(sys.argv[2], encoding="utf-8")]
assert len(ranked) == len(expected), f"{len(ranked)} result lines for {len(expected)} queries"
rr, first, found = 0.0, 0, 0
for want, got in zip(expected, ranked):
    if want in got[:10]:
        r = got.index(want) + 1
        rr += 1 / r
        found += 1
        first += r == 1
n = len(expected)
print(f"known_items: {n}\nmrr_at_10: {rr / n:.3f}\nfound_at_1: {first / n:.3f}\nfound_in_10: {found / n:.3f}")
