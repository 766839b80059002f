# guest.sh - sourced by the bench scripts that boot Tessera with a bench= word
# (kernel-bench.sh, disk-bench.sh, term-bench.sh). The script sets first:
#   here           the folder of the bench scripts
#   img, runs, out the image, the plain runs wanted, the folder for the logs
#   guest_name     the script's name, for its messages
#   guest_cmdline  the kernel command line (e.g. "bench=irq")
#   guest_opts     boot.sh options for the machine (--machine, --mem, ...)
# guest_runs then boots once under -icount (out/icount.log: the guest TSC
# counts instructions) and `runs` times under plain TCG (out/plain-N.log);
# guest_field reads a figure back.

# guest_boot LOG [boot.sh options...]: one boot; fails unless the kernel exited 33.
guest_boot() {
    log=$1
    shift
    rc=0
    # shellcheck disable=SC2086
    sh "$here/../qemu/boot.sh" --img "$img" --log "$log" --cmdline "$guest_cmdline" $guest_opts "$@" || rc=$?
    [ "$rc" -eq 33 ] || { echo "$guest_name: QEMU exited $rc (expected 33); see $log"; tail -n 20 "$log"; exit 1; }
}

# guest_runs: the icount boot, then the plain ones.
guest_runs() {
    guest_boot "$out/icount.log" --icount
    for i in $(seq 1 "$runs"); do
        guest_boot "$out/plain-$i.log"
    done
}

# guest_field LOG OP KEY: the value of KEY= on OP's "bench:" line.
guest_field() {
    tr -d '\r' < "$1" | sed -nE "s/^bench: $2 .*$3=([0-9]+).*/\1/p"
}
