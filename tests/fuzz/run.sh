#!/bin/sh
# run.sh NAME SECONDS - run the libFuzzer target build/fuzz/fuzz_NAME for a
# while, starting from the checked-in corpus tests/fuzz/corpus/NAME and, for
# the loaders' parsers, the rules corpus (tests/rules/: its boot.cfg files,
# and its kernel ELF rows written by tests/rules/mkelf.c). New inputs it
# finds go to build/fuzz/corpus-NAME (never into the source tree); a crash
# leaves its input in build/fuzz/ and fails the case.
set -eu
name=$1 secs=$2
out=build/fuzz/corpus-$name
mkdir -p "$out"
seeds=""
case $name in
bootcfg) seeds=tests/rules/cfg ;;
exec) seeds=build/user ;;           # the programs of tests/user/ (make test-build makes them)
elf64)
    seeds=build/fuzz/rules-elf
    mkdir -p "$seeds"
    cc -std=c11 -Wall -Werror -Icommon tests/rules/mkelf.c -o build/fuzz/mkelf
    awk '!/^#/ && NF >= 5 { $2 = $3 = $4 = $5 = ""; print }' tests/rules/elf.txt |
        while read -r row changes; do
            # shellcheck disable=SC2086
            build/fuzz/mkelf "$seeds/$row.elf" $changes
        done ;;
esac
# shellcheck disable=SC2086
exec build/fuzz/fuzz_"$name" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 \
    -artifact_prefix=build/fuzz/crash-"$name"- "$out" tests/fuzz/corpus/"$name" $seeds
