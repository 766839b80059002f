#!/bin/sh
# rootfs-damaged.sh IMG LOG [boot.sh options] - a damaged initramfs must not
# stop the kernel. IMG (build/bios-rootfs-damaged.img, tests/build.mk) carries
# the rootfs test archive cut in the middle of its largest file's data as
# /boot/initrd. The cell passes when the kernel, booted without "test",
#   - names the entry and the damage: "[initramfs] damaged archive: entry N
#     "data/big.bin" at byte N: the data runs past the end of the archive;
#     N entries unpacked before it",
#   - still counts what it made and says the root is the initramfs,
#   - mounts /dev and /proc and reaches its halting line, with no panic.
set -u
img=$1 log=$2
shift 2
sh "$(dirname "$0")/boot.sh" --img "$img" --log "$log" --cmdline "loglevel=info" \
    --expect '^kernel: nothing more to do yet; halting' "$@"
rc=$?
out=$(tr -d '\r' < "$log")
fail() { echo "rootfs-damaged.sh: $*"; echo "--- serial log:"; echo "$out" | tail -n 30; exit 1; }
[ $rc -eq 0 ] || fail "no halting line (boot.sh exit $rc)"
! echo "$out" | grep -aq 'panic' || fail "the kernel panicked"
for re in '^\[initramfs\] damaged archive: entry [0-9]+ "data/big\.bin" at byte [0-9]+: the data runs past the end of the archive; [0-9]+ entries unpacked before it$' \
          '^\[initramfs\] [0-9]+ files, [0-9]+ bytes from /boot/initrd \(damaged: see above\)$' \
          '^\[vfs\] root: initramfs \(tmpfs\)$' \
          '^\[vfs\] mounted devfs \(devfs\) on /dev$' \
          '^\[vfs\] mounted proc \(proc\) on /proc$'; do
    echo "$out" | grep -aEq "$re" || fail "no line matching '$re'"
done
echo "ok: $(echo "$out" | grep -a '^\[initramfs\] damaged')"
