#!/bin/sh
# vfs-ktest.sh IMG LOG [boot.sh options] - the VFS's ktests alone (kernel/test/test_vfs*.c,
# docs/files.md), fast: every test of kernel/test/ktest_list.h whose name starts with vfs_, run
# with "ktest=" on the command line and the heap's red zones on (heapdebug), then the summary must
# say they all passed, none skipped. Every boot cell runs them too (tests/qemu/ktest.sh); this case
# is for `make test T=vfs/` while working on kernel/fs/.
set -u
img=$1 log=$2
shift 2
here=$(dirname "$0")
tests=$(sed -nE 's/^[[:space:]]*X\((vfs_[a-z0-9_]+)\).*/\1/p' "$here/../../kernel/test/ktest_list.h")
n=$(echo "$tests" | grep -c .)
list=$(echo "$tests" | paste -sd, -)
smp=$(echo " $* " | sed -nE 's/.* --smp ([0-9]+) .*/\1/p')
sh "$here/boot.sh" --img "$img" --log "$log" --cmdline "test cpus=${smp:-1} heapdebug ktest=$list" "$@"
rc=$?
out=$(tr -d '\r' < "$log")
fail() { echo "vfs-ktest.sh: $*"; echo "--- serial log:"; echo "$out" | grep -E '^(ktest|panic|\[vfs\]|\[mm\] [a-z])' | tail -n 40; exit 1; }
[ $rc -eq 33 ] || fail "QEMU exited $rc, expected 33 (ktest all passed)"
echo "$out" | grep -Eq "^ktest: $n passed, 0 failed, 0 skipped\$" || fail "expected 'ktest: $n passed, 0 failed, 0 skipped'"
echo "ok: $n vfs ktests passed"
