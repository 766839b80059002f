#!/bin/sh
# host.sh - Tessera's tools (user/tools/, docs/tools.md) on the host, each
# run against the fabricated /proc tree tests/tools/proc/ (TESSERA_PROC),
# whose numbers were chosen so the right output can be worked out by hand:
# the expected outputs below. Then bad input: each tool given a broken
# file must exit 1 with a message naming it, never crash or hang.
#
#   host.sh        (BUILD: the build folder, build by default)
# Exit 0 when every output and every exit status is as expected.
set -u
B=${BUILD:-build}
here=$(dirname "$0")
bin=$B/user/tools
proc=$here/proc
failed=0 passed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# expect ROOT STATUS EXPECTED_FILE TOOL ARGS...: the tool's stdout and stderr with ROOT as /proc.
expect() {
    root=$1 status=$2 want=$3
    shift 3
    TESSERA_PROC=$root timeout 10 "$bin/$@" > "$work/out" 2>&1
    rc=$?
    if [ $rc -ne "$status" ]; then
        echo "FAILED $*: exit $rc, not $status"; cat "$work/out"; failed=$((failed + 1))
    elif ! diff -u "$want" "$work/out" > "$work/diff"; then
        echo "FAILED $*:"; cat "$work/diff"; failed=$((failed + 1))
    else
        echo "ok     $*"; passed=$((passed + 1))
    fi
}

for t in bootinfo timeline lspci lsblk free ps top dmesg; do
    [ -x "$bin/$t" ] || { echo "host.sh: no $bin/$t (make tools)"; exit 1; }
done

cat > "$work/want" <<'X'
firmware      uefi
loader        tessera-uefi 0.1
memory        255.0 MiB usable (261120 KiB)
memory map    9 entries
framebuffer   800x600x32
ACPI RSDP     0x7fb7e014
kernel        loaded at physical 0x1000000
command line  loglevel=info quiet
boot          2 loader steps, kernel entry at 2.600 ms
              1 kernel phase, the last at 6.600 ms (timeline shows each)
X
expect "$proc" 0 "$work/want" bootinfo

cat > "$work/want" <<'X'
STEP                          TOOK ms      AT ms
loader
  efi_main                      0.500      0.500  #####
  kernel                        2.000      2.500  ####################
  kernel entry                  0.100      2.600  #
kernel
  kernel pci                    4.000      6.600  ########################################
4 steps, 6.600 ms from the loader's start to the last
X
expect "$proc" 0 "$work/want" timeline

cat > "$work/want" <<'X'
00:00.0 Host bridge [0600]: Intel Corporation 440FX - 82441FX PMC [Natoma] [8086:1237] (rev 02)
00:1f.2 SATA controller [0106]: Intel Corporation 82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode] [8086:2922] (rev 02)
	Kernel driver in use: ahci
01:05.0 Class [ff42]: QEMU Device abcd [1234:abcd]
X
expect "$proc" 0 "$work/want" lspci -k
cat > "$work/want" <<'X'
00:00.0 0600: 8086:1237 (rev 02)
00:1f.2 0106: 8086:2922 (rev 02)
01:05.0 ff42: 1234:abcd
X
expect "$proc" 0 "$work/want" lspci -n

cat > "$work/want" <<'X'
NAME         MAJ:MIN   SIZE TYPE MOUNTPOINT
sda              8:0   128M disk
|-sda1           8:1    63M part /boot
`-sda2           8:2    64M part /
nvme0n1        259:0     1G disk
`-nvme0n1p1    259:1  1023M part
X
expect "$proc" 0 "$work/want" lsblk
cat > "$work/want" <<'X'
NAME         MAJ:MIN         SIZE TYPE MOUNTPOINT
sda              8:0    134217728 disk
|-sda1           8:1     66060288 part /boot
`-sda2           8:2     67108864 part /
nvme0n1        259:0   1073741824 disk
`-nvme0n1p1    259:1   1072693248 part
X
expect "$proc" 0 "$work/want" lsblk -b

cat > "$work/want" <<'X'
            total        used        free      shared  buff/cache   available
Mem:       262144       32144      200000         512       30000      230000
Swap:           0           0           0
X
expect "$proc" 0 "$work/want" free
cat > "$work/want" <<'X'
            total        used        free      shared  buff/cache   available
Mem:          256          31         195           0          29         224
Swap:           0           0           0
X
expect "$proc" 0 "$work/want" free -m

cat > "$work/want" <<'X'
  PID  PPID   UID S TTY            TIME CMD
    1     0     0 S ?           0:02.00 /sbin/init
    7     1  1000 R ttyS0       1:01.00 /bin/sh -c echo hi
    9     1     0 S tty1        0:00.00 [kworker]
X
expect "$proc" 0 "$work/want" ps
cat > "$work/want" <<'X'
  PID  PPID   UID S TTY            TIME CMD
    7     1  1000 R ttyS0       1:01.00 /bin/sh -c echo hi
X
expect "$proc" 0 "$work/want" ps -p 7
cat > "$work/want" <<'X'
 PPID STAT COMMAND
    0 S    init
    1 R    sh (x)
    1 S    kworker
X
expect "$proc" 0 "$work/want" ps -o ppid,stat,comm
cat > "$work/want" <<'X'
USER     TT       ARGS, ALL OF THEM
root     ?        /sbin/init
X
expect "$proc" 0 "$work/want" ps -p 1 -o user -o "tt args=ARGS, ALL OF THEM"
cat > "$work/want" <<'X'
    7    1:01.00
X
expect "$proc" 0 "$work/want" ps -p 7 -o pid= -o time=

# The first frame counts since boot (cpu0 40 of 100 s busy, cpu1 60; pid 7 61 s of 100), the
# second since the first: the same files, so nothing used.
cat > "$work/want" <<'X'
top - up 100.00 s, 3 processes, 1 running, 2 CPUs
cpu0    40.0% [################                        ]
cpu1    60.0% [########################                ]
  PID S  %CPU       TIME CMD
    7 R  61.0    1:01.00 /bin/sh -c echo hi
    1 S   2.0    0:02.00 /sbin/init

top - up 100.00 s, 3 processes, 1 running, 2 CPUs
cpu0     0.0% [                                        ]
cpu1     0.0% [                                        ]
  PID S  %CPU       TIME CMD
    1 S   0.0    0:02.00 /sbin/init
    7 R   0.0    1:01.00 /bin/sh -c echo hi

X
expect "$proc" 0 "$work/want" top -b -n 2 -d 0 -m 2

cat > "$work/want" <<'X'
info   [    0.000000] kernel: Tessera 0.1 (x86_64)
warn   [    0.100000] [linux] pid 1 (sh): system call 334 (rseq) not implemented: -ENOSYS
err    [    0.200000] [blk] sda: read error
debug  [    0.300000] a debug line
info   [    0.400000] an info line of the user facility
info   a line without a level
X
expect "$proc" 0 "$work/want" dmesg
cat > "$work/want" <<'X'
warn   [    0.100000] [linux] pid 1 (sh): system call 334 (rseq) not implemented: -ENOSYS
err    [    0.200000] [blk] sda: read error
X
expect "$proc" 0 "$work/want" dmesg -l err,warn
cat > "$work/want" <<'X'
<7>[    0.300000] a debug line
X
expect "$proc" 0 "$work/want" dmesg -r -l 7

# Bad input: a copy of the tree with one file broken at a time.
broken() {
    rm -rf "$work/proc" && cp -R "$proc" "$work/proc"
    printf "$2" > "$work/proc/$1"
}
broken bootinfo 'firmware=bios\n'
echo "bootinfo: $work/proc/bootinfo does not begin with \"bootinfo: \"" > "$work/want"
expect "$work/proc" 1 "$work/want" bootinfo
broken bootinfo 'bootinfo: firmware=bios cmdline="open\n'
printf 'firmware      bios\nbootinfo: cmdline="... in %s/proc/bootinfo has no closing quote\n' "$work" > "$work/want"
expect "$work/proc" 1 "$work/want" bootinfo
broken timeline 'timeline: disk 12 ticks\n'
echo "timeline: line 1 of the timeline is not a row: \"timeline: disk 12 ticks\"" > "$work/want"
expect "$work/proc" 1 "$work/want" timeline
broken partitions 'major minor  #blocks  name\n\n   8 zero 1 sda\n'
echo "lsblk: $work/proc/partitions: line \"   8 zero 1 sda\" is not MAJOR MINOR BLOCKS NAME" > "$work/want"
expect "$work/proc" 1 "$work/want" lsblk
broken meminfo 'MemTotal: 100 kB\n'
echo "free: $work/proc/meminfo has no MemFree" > "$work/want"
expect "$work/proc" 1 "$work/want" free
broken 7/stat '7 sh R 1\n'
echo "ps: $work/proc/7/stat is not a stat line: \"7 sh R 1" > "$work/want"
echo "\"" >> "$work/want"
expect "$work/proc" 1 "$work/want" ps
broken bus/pci/00/1f.2 'short'
echo "00:00.0 Host bridge [0600]: Intel Corporation 440FX - 82441FX PMC [Natoma] [8086:1237] (rev 02)" > "$work/want"
echo "lspci: $work/proc/bus/pci/00/1f.2: 5 bytes, too short for a configuration header" >> "$work/want"
expect "$work/proc" 1 "$work/want" lspci
broken stat 'intr 5\n'
echo "top: $work/proc/stat has no cpuN lines" > "$work/want"
expect "$work/proc" 1 "$work/want" top -b -n 1
echo 'dmesg: unknown level "loud" (emerg alert crit err warn notice info debug, or 0..7)' > "$work/want"
expect "$proc" 1 "$work/want" dmesg -l info,loud
echo 'top: -n wants a number of frames, 1 or more, not "0"' > "$work/want"
expect "$proc" 1 "$work/want" top -n 0
echo "free: cannot read $work/none/meminfo: No such file or directory" > "$work/want"
expect "$work/none" 1 "$work/want" free

echo "tools/host: $passed passed, $failed failed"
[ $failed -eq 0 ]
