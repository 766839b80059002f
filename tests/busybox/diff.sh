#!/bin/sh
# diff.sh - a busybox session on the host's Linux and on Tessera, outputs
# compared line by line (docs/busybox.md).
#
#   diff.sh IMG LOG SCRIPT [boot.sh options...]
#
# On the host: SCRIPT run by the busybox that the image carries
# (build/root/bin/busybox, Debian's busybox-static) as `busybox sh SCRIPT`,
# with a PATH holding only busybox's applets, so both runs use the same
# tools. On Tessera: a copy of IMG (its root file system holds /bin/busybox
# and the applet links) with SCRIPT put on the boot partition, booted with
# `init=/bin/sh initexit -- /boot/boot/SCRIPT`; the lines between the
# kernel's "started" and "ended" lines, without the kernel's own "[...]"
# lines and the terminal's CRs. Both must exit 0; exit 0 when the outputs
# are equal, 1 with the diff otherwise.
set -u
img=$1 log=$2 script=$3
shift 3
B=${BUILD:-build}
here=$(dirname "$0")
name=$(basename "$script")
bb=$B/root/bin/busybox
[ -x "$bb" ] || { echo "diff.sh: no $bb (package busybox-static, tests/deps.sh)"; exit 1; }

# the host: busybox's applets alone on PATH
rm -rf "$log.bin" && mkdir -p "$log.bin"
for a in $("$bb" --list); do ln -s "$(realpath "$bb")" "$log.bin/$a"; done
env -i HOME=/ TERM=linux PATH="$(realpath "$log.bin")" "$bb" sh "$script" > "$log.host" 2>&1
hrc=$?
rm -rf "$log.bin"
[ $hrc -eq 0 ] || { echo "diff.sh: $name on the host's Linux exited $hrc:"; tail -n 5 "$log.host"; exit 1; }

# Tessera
sh "$here/../qemu/boot-script.sh" "$img" "$log" "$script" /bin/sh "$@"
rc=$?
tr -d '\r' < "$log" | sed -n '/^\[proc\] init=\/bin\/sh started/,/^\[proc\] init=\/bin\/sh ended/p' |
    grep -v '^\[' > "$log.tessera"
diff -u "$log.host" "$log.tessera" || { echo "diff.sh: $name: Linux and Tessera differ"; exit 1; }
[ $rc -eq 33 ] || { echo "diff.sh: $name on Tessera: QEMU exited $rc, not 33 (sh's exit status 0)"; exit 1; }
echo "diff.sh: $name: $(wc -l < "$log.host") lines, equal"
