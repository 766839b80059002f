#!/bin/sh
# table.sh OUT_DIR - the table that ends `make bench`: every row
# "bench: NAME ours=..." (tests/bench/row.sh's form) from every script's
# output kept in OUT_DIR/*.txt, script by script, then how many
# goals were met and missed. Lines of other forms (the kernel's own
# "bench: NAME tsc_per_op=..." lines, headings) are not rows.
set -eu
dir=$1
rows=$(cat "$dir"/*.txt | tr -d '\r' | grep -E '^bench: [^ ]+ ours=' || true)
echo
echo "make bench: one row per figure (goal: ratio to the anchor, or the figure itself, at most G)"
[ -n "$rows" ] && echo "$rows"
met=$(echo "$rows" | grep -c ' met$' || true)
missed=$(echo "$rows" | grep -c ' missed$' || true)
echo "bench: $(echo "$rows" | grep -c . || true) figures, $met goals met, $missed missed"
