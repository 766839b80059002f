#!/bin/sh
# syscalls.sh [--write] - docs/syscalls.md's table against the syscall list
# (kernel/abi/linux/syscall_list.h, printed by tests/docs/gen-syscalls.c):
# the lines between "<!-- syscalls: begin -->" and "<!-- syscalls: end -->"
# must be exactly what the generator prints. --write puts them there.
set -u
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
page=docs/syscalls.md
mkdir -p "$B/docs"
cc -std=c11 -Wall -Werror -Ikernel tests/docs/gen-syscalls.c -o "$B/docs/gen-syscalls" || exit 1
"$B/docs/gen-syscalls" > "$B/docs/syscalls-table.md" || exit 1
awk '/<!-- syscalls: begin -->/ { inside = 1; next } /<!-- syscalls: end -->/ { inside = 0 } inside' "$page" > "$B/docs/syscalls-page.md"
if [ "${1:-}" = --write ]; then
    awk -v table="$B/docs/syscalls-table.md" '
        /<!-- syscalls: begin -->/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
        /<!-- syscalls: end -->/ { skip = 0 }
        !skip' "$page" > "$page.tmp" && mv "$page.tmp" "$page"
    echo "syscalls.sh: $page written"
    exit 0
fi
diff -u "$B/docs/syscalls-page.md" "$B/docs/syscalls-table.md" || {
    echo "syscalls.sh: $page's table differs from kernel/abi/linux/syscall_list.h (sh tests/docs/syscalls.sh --write)" >&2
    exit 1
}
