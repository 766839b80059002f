#!/bin/sh
# nvme.sh - the NVMe driver's cells (drivers/nvme/, docs/storage-nvme.md):
# make the disks a cell needs in LOG.d/ (kept when the cell fails), boot, and check what the kernel
# printed and, after QEMU exits, what it read or wrote (the block layer's
# checks, tests/qemu/blk-readback.sh and blk-scratch-check.sh).
#
#   nvme.sh KIND IMG LOG [ktest.sh / boot.sh options...]
#
# KIND:
#   boot     IMG on an NVMe controller and booted from it (--disk nvme:
#            SeaBIOS and OVMF both boot NVMe), cmdline test: every ktest
#            passes; nvme0n1 and its partitions read back as the host reads
#            the booted copy of IMG
#   names    IMG on the options' disk; nvme0 with two namespaces (nvme-ns):
#            nsid 1 a copy of IMG (512-byte LBAs), nsid 2 8 MiB of random
#            bytes in 4096-byte LBAs; nvme1 with 4 MiB of random bytes:
#            named nvme0n1, nvme0n2, nvme1n1, each read back as the host reads it
#   scratch  a scratch disk (TESSERA-SCRATCH in block 0) of 8 MiB, in
#            512-byte LBAs, or 4096-byte ones with `scratch4k`: the kernel
#            writes it from threads on every CPU (blk_scratch_write), the
#            host checks every block after QEMU exits
#   error    a 32 MiB disk behind QEMU's blkdebug, failing the first read of
#            sector 30000 (nvme_bad_block=30000, ktest
#            nvme_read_error_reported): the kernel reports it with that
#            sector and the status code, and the next read succeeds
#   timeout  a null-co disk answering every command after 3 s, with
#            nvme_timeout_ms=500, no tests and init=none (every read would time
#            out): the partition-table read times out, the controller is
#            reset and the read retried once, it times out again and fails
#            with BLOCK_ETIMEDOUT, and the boot goes on to its end
set -u
kind=$1 img=$2 log=$3
shift 3
dir=$log.d here=$(dirname "$0")
rm -rf "$dir"
mkdir -p "$dir"
blk_line() {        # the [blk] line of NAME with SECTORS of BYTES
    echo "^\\[blk\\] $1: $2 sectors of $3 bytes, QEMU NVMe Ctrl \\(nvme\\)\$"
}
scratch_disk() {    # FILE: 8 MiB, block 0 begins with the magic
    printf 'TESSERA-SCRATCH' > "$1"
    truncate -s 8M "$1"
}
case $kind in
boot)
    sh "$here/ktest.sh" "$img" "$log" --only "@boot,@disk" --log-has "$(blk_line nvme0n1 $(( $(stat -c %s "$img") / 512 )) 512)" \
        --log-has "^\\[pci\\] [0-9a-f:.]+ 1b36:0010 class 01\\.08\\.02 nvme\$" "$@" --disk nvme --keep || exit 1
    mv "$log.img" "$dir/booted.img"         # the copy boot.sh booted, its boot.cfg changed
    sh "$here/blk-readback.sh" "$dir/booted.img" "$log" nvme0n1 || exit 1 ;;
names)
    cp --sparse=always "$img" "$dir/ns1.img"
    head -c 8M /dev/urandom > "$dir/ns2.img"
    head -c 4M /dev/urandom > "$dir/c2.img"
    q="-drive file=$dir/ns1.img,if=none,id=ns1,format=raw -drive file=$dir/ns2.img,if=none,id=ns2,format=raw"
    q="$q -drive file=$dir/c2.img,if=none,id=c2,format=raw -device nvme,id=nc0,serial=tessera-ns"
    q="$q -device nvme-ns,drive=ns1,bus=nc0,nsid=1"
    q="$q -device nvme-ns,drive=ns2,bus=nc0,nsid=2,logical_block_size=4096,physical_block_size=4096"
    q="$q -device nvme,drive=c2,serial=tessera-second"
    sh "$here/ktest.sh" "$img" "$log" --only "@boot,@disk" --log-has "$(blk_line nvme0n1 $(( $(stat -c %s "$img") / 512 )) 512)" \
        --log-has "$(blk_line nvme0n2 2048 4096)" --log-has "$(blk_line nvme1n1 8192 512)" "$@" --qemu "$q" || exit 1
    sh "$here/blk-readback.sh" "$dir/ns1.img" "$log" nvme0n1 &&
    sh "$here/blk-readback.sh" "$dir/ns2.img" "$log" nvme0n2 &&
    sh "$here/blk-readback.sh" "$dir/c2.img" "$log" nvme1n1 || exit 1 ;;
scratch|scratch4k)
    scratch_disk "$dir/scratch.img"
    bs=512
    [ "$kind" = scratch ] || bs=4096
    q="-drive file=$dir/scratch.img,if=none,id=s,format=raw -device nvme,drive=s,serial=tessera-scratch"
    q="$q,logical_block_size=$bs,physical_block_size=$bs"
    sh "$here/ktest.sh" "$img" "$log" --only "@boot,@disk" --scratch --log-has "$(blk_line nvme0n1 $(( 8388608 / bs )) $bs)" \
        --log-has "^blk: scratch nvme0n1 blocks 1\\.\\.$(( 8388608 / bs - 1 )) seed " "$@" --qemu "$q" || exit 1
    sh "$here/blk-scratch-check.sh" "$dir/scratch.img" "$log" || exit 1 ;;
error)
    truncate -s 32M "$dir/flaky.img"
    printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "30000"\nonce = "on"\n' > "$dir/blkdebug.cfg"
    q="-drive file=blkdebug:$dir/blkdebug.cfg:$dir/flaky.img,if=none,id=n,format=raw -device nvme,drive=n,serial=tessera-flaky"
    sh "$here/ktest.sh" "$img" "$log" --only "@boot,@disk" --words nvme_bad_block=30000 \
        --log-has "^nvme_report_error: nvme0n1: read of 1 blocks at sector 30000 failed: status 0x281 \\(type 2, code 0x81: unrecovered read error\\)\$" \
        "$@" --qemu "$q" || exit 1
    sh "$here/blk-readback.sh" "$dir/flaky.img" "$log" nvme0n1 || exit 1 ;;
timeout)
    q="-drive driver=null-co,size=32M,latency-ns=3000000000,read-zeroes=on,if=none,id=n -device nvme,drive=n,serial=tessera-slow"
    sh "$here/boot.sh" --img "$img" --log "$log" --cmdline "nvme_timeout_ms=500 init=none" \
        --expect '^kernel: nothing more to do yet; halting' "$@" --qemu "$q"
    rc=$?
    out=$(tr -d '\r' < "$log")
    [ $rc -eq 0 ] || { echo "nvme.sh: boot.sh ended $rc, expected 0 (the boot went on to its end)"; echo "$out" | tail -n 20; exit 1; }
    t="^nvme_report_timeout: nvme0n1: read of 1 blocks at sector 0 timed out after 500 ms \\(queue [0-9]+, command [0-9]+\\): "
    for re in "${t}resetting the controller, then retrying it\$" "${t}again after its retry: resetting the controller\$" \
              "${t}failed with BLOCK_ETIMEDOUT\$" '^\[blk\] nvme0n1: partition table not read: error -110$'; do
        echo "$out" | grep -Eq "$re" || { echo "nvme.sh: no line matching '$re'"; echo "$out" | grep -E 'nvme' | tail -n 20; exit 1; }
    done
    echo "ok: timed out, reset, retried once, BLOCK_ETIMEDOUT, boot finished" ;;
*) echo "nvme.sh: KIND must be boot, names, scratch, scratch4k, error or timeout" >&2; exit 2 ;;
esac
rm -rf "$dir"            # passed: the disks are kept only for a failure's inspection
