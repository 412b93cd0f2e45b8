#!/bin/bash
# usage: XP=DIR run.sh WEIGHTS TAG: the harness with profile links scored by a linear model (see README.md).
set -e
cd "$(dirname "$0")/../../.."
DISAMBIG_W="$1" target/release/examples/dblp_eval --cache "$XP/gold-blocks.jsonl" --dump "$XP/out-$2.tsv" > "$XP/log-$2.txt" 2>&1
echo "$2: $(python3 "$(dirname "$0")/b3.py" "$XP/out-$2.tsv")"
