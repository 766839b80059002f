# tools.sh - run by busybox's sh as the first process (tests/tools/boot.sh):
# each of Tessera's tools once, its output between "== NAME" and "== end NAME"
# lines, which boot.sh checks against the kernel's own lines in the same log.
run() {
    echo "== $*"
    "/bin/$@"
    echo "== end $* (exit $?)"
}
run bootinfo
run timeline
run lspci -n
run lspci -k
run lsblk -b
run lsblk
run free
run ps
run top -b -n 2 -d 0.2 -m 5
run dmesg -l err,warn
run dmesg -l info
echo "== setsid -c ps"
setsid -c /bin/ps
echo "== end setsid -c ps (exit $?)"
