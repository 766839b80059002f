#!/bin/sh
# fs-crash.sh - crash tests of the file systems (issue 15, docs/files-images.md):
# boot a copy of an image with the write workload (`test=fsstress seed=N`,
# kernel/fs/fsstress.c), kill QEMU at a moment drawn from the seed, then let
# the host's checkers judge the copy (tests/qemu/fs-crash-check.py): fsck.fat -n
# finds nothing but what docs/files-fat.md says a crash may leave, e2fsck -fp
# repairs without asking, and every file the log says was synced is there with
# its logged size and CRC-32.
#
#   fs-crash.sh IMG LOG --seed N [--kills K] [--ops N] [boot.sh options...]
#
# Each of the K kills (default 3) is a boot of its own of a fresh copy, with
# the same seed (so the same operations, cut off at another moment): kill i
# comes D seconds after the workload's first `fsstress: fs` line, D drawn in
# 0.5 .. 12 s by Python's random.Random(N * 1000 + i) (a failure is
# reproduced by the same seed). QEMU is stopped by boot.sh's kill (SIGTERM):
# its vCPUs stop where they are, and what the guest had not handed to the
# disk is lost, as at a power cut.
#
# --ops N instead runs N operations to the end (`fsstress_ops=N`): the kernel
# syncs and leaves QEMU itself; then the checkers must find the file systems
# clean (--clean: e2fsck -fn without repairs) and every synced file intact.
#
# Logs: LOG-K.serial per kill (the image copy LOG-K.serial.img is kept when
# the check fails). Exit 0 when every kill passed.
set -u
img=$1 log=$2
shift 2
seed="" kills=3 ops=""
while [ $# -gt 0 ]; do
    case $1 in
    --seed) seed=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --ops) ops=$2; shift 2 ;;
    *) break ;;
    esac
done
[ -n "$seed" ] || { echo "fs-crash: --seed N is required" >&2; exit 2; }
here=$(dirname "$0")
mkdir -p "$(dirname "$log")"

# unexpected_errors LOG: the workload's error lines other than a full disk (-28).
unexpected_errors() {
    grep -a '^fsstress: error ' "$1" | grep -v ': -28$' || true
}

fail=0
if [ -n "$ops" ]; then
    kills=1
fi
i=1
while [ $i -le "$kills" ]; do
    run="$log-$i.serial"
    if [ -n "$ops" ]; then
        sh "$here/boot.sh" --img "$img" --log "$run" --cmdline "test=fsstress seed=$seed fsstress_ops=$ops" \
            --keep --timeout 600 "$@"
        rc=$?
        want=33 clean=--clean
    else
        delay=$(python3 -c "import random; print('%.1f' % random.Random($seed * 1000 + $i).uniform(0.5, 12))")
        sh "$here/boot.sh" --img "$img" --log "$run" --cmdline "test=fsstress seed=$seed" \
            --expect '^fsstress: fs ' --settle "$delay" --keep --timeout 150 "$@"
        rc=$?
        want=0 clean=""
    fi
    echo "fs-crash: seed $seed, run $i: QEMU ended with $rc${delay:+ (killed ${delay}s into the workload)}"
    if [ $rc -ne $want ]; then
        echo "fs-crash: run $i: expected $want (0: killed while the workload ran; 33: it finished); log tail:"
        tail -n 15 "$run"
        fail=1
    elif [ -n "$(unexpected_errors "$run")" ]; then
        echo "fs-crash: run $i: operations failed that should not have:"
        unexpected_errors "$run" | head -n 10
        fail=1
    elif python3 "$here/fs-crash-check.py" --img "$run.img" --log "$run" $clean; then
        rm -f "$run.img"
    else
        echo "fs-crash: run $i: the disk is kept as $run.img"
        fail=1
    fi
    i=$(( i + 1 ))
done
exit $fail
