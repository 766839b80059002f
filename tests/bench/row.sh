# row.sh - sourced by the benchmark scripts: bench_row prints one row of the
# table that ends `make bench` (build.mk collects every row of every script's
# output), with the verdict, so a missed goal shows in one place:
#
#   bench_row NAME OURS                  bench: NAME ours=OURS
#   bench_row NAME OURS "" GOAL          bench: NAME ours=OURS goal=GOAL met|missed
#                                        (met when OURS <= GOAL)
#   bench_row NAME OURS ANCHOR GOAL      bench: NAME ours=OURS anchor=ANCHOR ratio=R goal=GOAL met|missed
#                                        (R = OURS / ANCHOR, met when R <= GOAL)
#
# Every figure is a cost (ms, instructions, calls): lower is better. Our goal
# is half the anchor's cost (GOAL 0.5) unless the issue names another. An
# OURS or ANCHOR that was not measured ("-" or empty) is a missed goal.
bench_row() {
    awk -v n="$1" -v o="${2:--}" -v a="${3:-}" -v g="${4:-}" 'BEGIN {
        line = "bench: " n " ours=" o
        if (a != "" && g != "") {
            ok = (o ~ /^[0-9.]+$/ && a ~ /^[0-9.]+$/ && a + 0 > 0)
            r = ok ? sprintf("%.2f", o / a) : "-"
            line = line " anchor=" a " ratio=" r " goal=" g (ok && r + 0 <= g + 0 ? " met" : " missed")
        } else if (g != "") {
            ok = (o ~ /^[0-9.]+$/)
            line = line " goal=" g (ok && o + 0 <= g + 0 ? " met" : " missed")
        }
        print line }'
}
