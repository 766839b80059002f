# median.sh - sourced by the benchmark scripts: median reads numbers from
# stdin (one a line, or several separated by spaces) and prints the middle
# one (the lower middle for an even count), or "-" when there are none.
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "-")}'; }
