#!/bin/sh
# test.sh BUILD OUT - the chart/boots case of make test: make chart's three
# boots (one run each) and pictures (tests/chart/chart.py), written to OUT instead of
# build/ and docs/, then each picture checked (tests/chart/check.py): well-
# formed SVG that names every loader step its boot printed, the hand-off
# and every kernel phase of kernel/main.c. Debian's python3 (/usr/bin/python3,
# with python3-matplotlib from tests/deps.sh), not another python3 on PATH.
set -eu
build=$1 out=$2
py=/usr/bin/python3
$py tests/chart/chart.py --build "$build" --out "$out" --runs 1
for boot in bios-pc-ide bios-q35-ahci uefi-q35-ahci; do
    $py tests/chart/check.py "$out/boot-chart-$boot.svg" "$out/chart/$boot-1.log" kernel/main.c
done
