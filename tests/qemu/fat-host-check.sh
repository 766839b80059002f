#!/bin/sh
# fat-host-check.sh IMG LOG [ktest.sh options] - what Tessera writes on a FAT32
# disk, judged by the host's tools (docs/files-fat.md).
#
# Makes a fresh FAT32 volume with 4 KiB clusters (mkfs.fat, label TSRFATHOST)
# as a whole disk, boots IMG with every ktest and that disk on q35's own AHCI
# controller (tests/qemu/ktest.sh); ktest fat_writes_for_host
# (kernel/test/test_fat.c) mounts it and writes files, folders, a rename, an
# unlink and a truncate, syncs and unmounts. Then, on the host:
#   - fsck.fat -n finds nothing;
#   - mdir lists exactly the names written (long, Unicode, renamed; the
#     unlinked one gone);
#   - mtype reads every file back byte for byte against the pattern the
#     kernel wrote (byte i = i * 7 + i / 251 + seed, the ktest's pattern()).
set -u
img=$1 log=$2
shift 2
dir=$(dirname "$0")
disk=$(dirname "$log")/fat-host-disk.img
fail() { echo "fat-host-check: $*"; exit 1; }
rm -f "$disk"
mkfs.fat -C -F 32 -s 8 -n TSRFATHOST -i 7e55e4a0 "$disk" 278528 >/dev/null || fail "mkfs.fat"
sh "$dir/ktest.sh" "$img" "$log" --only @boot,@disk,@fs \
    --qemu "-drive if=none,id=fathost,format=raw,file=$disk -device ide-hd,drive=fathost,bus=ide.0" "$@" || exit 1
grep -q '^ktest: PASS fat_writes_for_host' "$log" || fail "fat_writes_for_host did not pass"
out=$(fsck.fat -n "$disk" 2>&1) || fail "fsck.fat -n: $out"
MTOOLS_SKIP_CHECK=1 LC_ALL=C.UTF-8 python3 - "$disk" <<'EOF' || exit 1
import subprocess, sys
disk = sys.argv[1]
def pattern(n, seed):
    return bytes((i * 7 + i // 251 + seed) & 255 for i in range(n))
want = {
    'Tessera wrote this – ünï.txt': pattern(100000, 3),
    'renamed.txt': b'tessera file 00\n',
    'dir one/nested/deep file.bin': pattern(300000, 4),
    'dir one/file 02.txt': b'tesse',
}
for i in range(3, 50):
    want['dir one/file %02d.txt' % i] = b'tessera file %02d\n' % i
listing = subprocess.run(['mdir', '-i', disk, '-/', '-b', '::'], capture_output=True,
                         text=True).stdout.split('\n')
names = sorted(l[3:] for l in listing if l and not l.endswith('/'))
if names != sorted(want):
    sys.exit('fat-host-check: mdir lists %s, expected %s' %
             (sorted(set(names) ^ set(want)), 'the ktest\'s files'))
for name, data in want.items():
    got = subprocess.run(['mtype', '-i', disk, '::' + name], capture_output=True).stdout
    if got != data:
        sys.exit('fat-host-check: mtype reads %d bytes of %s, expected %d' % (len(got), name, len(data)))
print('fat-host-check: fsck.fat clean, %d files read back by mtype' % len(want))
EOF
