#!/bin/sh
# deps.sh - check the Debian packages Tessera builds and tests with; install
# the missing ones when run as root, otherwise print the exact command.
# Used by `make deps`, `make test` and .ci/run.
set -eu

# what each package is for
PACKAGES="
make gcc binutils gdb python3
nasm
gnu-efi
qemu-system-x86 seabios ovmf
dosfstools mtools fdisk gdisk
e2fsprogs cpio zlib1g-dev
musl-tools libc6-dev linux-libc-dev
busybox-static
console-setup-linux
libcmocka-dev
clang
python3-matplotlib
"
# gnu-efi: the UEFI loader's headers, crt0, linker script and libraries
# ovmf: UEFI firmware for QEMU; gdisk: sgdisk makes and checks GPT images
# console-setup-linux: the PSF font the kernel's framebuffer console draws
# python3: the docs checks (tests/docs/); gdb: the `make debug-bios` check; libcmocka-dev: the host unit tests; clang: the libFuzzer targets
# e2fsprogs: mke2fs -d makes the ext2 root, e2fsck and debugfs check it; cpio: the initramfs;
# zlib1g-dev: the host test of the write workload checks its CRCs with zlib's
# busybox-static: Debian's static busybox, put on the root file system (/bin/busybox and its
#   applet links) as the outside program that shows the Linux subset is real (docs/busybox.md)
# python3-matplotlib: make chart draws the boot chart with it (run by /usr/bin/python3)

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -n "$missing" ] || exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing packages:$missing"
    echo "deps: run as root: apt-get update && $cmd"
    exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
$cmd
