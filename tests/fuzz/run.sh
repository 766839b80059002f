#!/bin/sh
# run.sh NAME SECONDS - run the libFuzzer target build/fuzz/fuzz_NAME for a
# while, starting from the checked-in corpus tests/fuzz/corpus/NAME. New
# inputs it finds go to build/fuzz/corpus-NAME (never into the source tree);
# a crash leaves its input in build/fuzz/ and fails the case.
set -eu
name=$1 secs=$2
out=build/fuzz/corpus-$name
mkdir -p "$out"
exec build/fuzz/fuzz_"$name" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 \
    -artifact_prefix=build/fuzz/crash-"$name"- "$out" tests/fuzz/corpus/"$name"
