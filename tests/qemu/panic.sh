#!/bin/sh
# panic.sh - the panic path, each in a boot of its own: the kernel faults or
# panics on purpose and its report must say what a student needs.
#
#   panic.sh fault|panic IMG LOG [boot.sh options...]
#
#   fault  cmdline "test=fault": kernel_fault_test_target (kernel/test/panic_tests.c)
#          writes to 0xffffd00000000010, which nothing maps. The report must
#          name the exception and where it hit (function+offset), decode the
#          error code (not-present page, write, kernel mode) and CR2, dump the
#          registers, and give a backtrace whose first frames name the
#          faulting function and its caller; kernel/decode-backtrace.sh
#          must then turn frame #0 into the faulting line of kernel/test/panic_tests.c.
#   panic  cmdline "test=panic": panic() itself; its message, then a
#          backtrace that names the caller.
#   panic-cpu  cmdline "test=panic-cpu": a thread pinned to the last CPU
#          panics (run it with several CPUs): the report must come from that
#          CPU and thread, and the other CPUs must stop with it.
#   overflow  cmdline "test=overflow": kernel_overflow_test recurses on a
#          16 KiB stack with a guard page below it: the report must name the
#          stack, the guard page, the double fault it became, and the
#          recursing function.
# Either way QEMU must exit 35 (test mode: a panic leaves with failure).
set -u
kind=$1 img=$2 log=$3
shift 3
sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --cmdline "test=$kind" --timeout 120 "$@"
rc=$?
out=$(tr -d '\r' < "$log" | grep -a -E '^(panic|  |backtrace)')
echo "$out"
fail() { echo "panic.sh: $kind: $*"; exit 1; }
has() { echo "$out" | grep -Eq "$1" || fail "no line matching '$1'"; }

[ $rc -eq 35 ] || fail "QEMU exited $rc, expected 35 (a panic in test mode)"
case $kind in
fault)
    has '^panic: page fault \(#PF\) in the kernel at 0xffffffff8[0-9a-f]{7} \(kernel_fault_test_target\+0x[0-9a-f]+\)$'
    has '^  error 0x2: not-present page, write, kernel mode; CR2 0xffffd00000000010$'
    has '^  RAX 0x[0-9a-f]{16}  RBX 0x[0-9a-f]{16}  RCX 0x[0-9a-f]{16}  RDX 0x[0-9a-f]{16}$'
    has '^  RIP 0xffffffff8[0-9a-f]{7}  RFLAGS 0x[0-9a-f]{8}  CS 0x0008  SS 0x0010$'
    has '^  CR0 0x[0-9a-f]{8}  CR2 0xffffd00000000010  CR3 '
    has '^  #0 0xffffffff8[0-9a-f]{7} kernel_fault_test_target\+0x[0-9a-f]+$'
    has '^  #1 0xffffffff8[0-9a-f]{7} (run_command_line|kmain)\+0x[0-9a-f]+$'
    want=$(grep -n 'FAULT_TEST_VA = 1;' kernel/test/panic_tests.c | cut -d: -f1)
    decoded=$(sh kernel/decode-backtrace.sh "${BUILD:-build}/kernel.elf" "$log" | grep -a -A1 '^  #0 ' | tail -n 1)
    echo "decoded: $decoded"
    echo "$decoded" | grep -q "kernel/test/panic_tests.c:$want (kernel_fault_test_target)" ||
        fail "decode-backtrace.sh did not lead to kernel/test/panic_tests.c:$want" ;;
overflow)
    has "^panic: stack overflow on 'overflow test' \\(its guard page 0xffffc[0-9a-f]{11} was hit\\)$"
    has '^  double fault \(#DF\) in the kernel at 0xffffffff8[0-9a-f]{7} \(kernel_overflow_recurse\+0x[0-9a-f]+\)$'
    has '^  #1 0xffffffff8[0-9a-f]{7} kernel_overflow_recurse\+0x[0-9a-f]+$' ;;
panic)
    has '^panic: kmain: test=panic on the command line$'
    has "^  on CPU 0, thread 'kmain'$"
    has '^  #0 0xffffffff8[0-9a-f]{7} (run_command_line|kmain)\+0x[0-9a-f]+$' ;;
panic-cpu)
    cpu=$(tr -d '\r' < "$log" | sed -nE 's/^smp: ([0-9]+) CPUs online$/\1/p')
    [ -n "$cpu" ] || fail "no 'smp: N CPUs online' line"
    last=$((cpu - 1))
    has "^panic: thread on CPU $last: test=panic-cpu on the command line\$"
    has "^  on CPU $last, thread 'panicker'\$"
    has '^  #0 0xffffffff8[0-9a-f]{7} panic_thread\+0x[0-9a-f]+$'
    # nothing after the report: the other CPUs stopped (kmain would print on)
    tr -d '\r' < "$log" | sed -n '/^backtrace:$/,$p' | grep -a -v -E '^(backtrace:|  #[0-9]+ )' | grep -a -q . &&
        fail "lines after the report: another CPU went on" ;;
*) fail "unknown kind" ;;
esac
has '^backtrace:$'
echo "ok: the $kind report names the exception, the registers and the callers"
