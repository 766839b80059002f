#!/bin/sh
# boot.sh - boot one row of the rules corpus through both loaders and check
# that they give the verdict of the table, in the same words.
#
#   boot.sh cfg|elf NAME LOGPREFIX
#
# The row NAME of tests/rules/cfg.txt or elf.txt: its boot.cfg
# (tests/rules/cfg/NAME.cfg) or its kernel (tests/rules/mkelf.c writes the
# base kernel of elfcase.h with the row's changes) goes on a copy of
# build/bios.img and build/uefi.img, booted under SeaBIOS and under OVMF
# (a row marked bios: SeaBIOS only).
# A refused row must stop each loader at exactly the line
#   config: error, /boot/boot.cfg line N: TEXT (rule NAME)
#   elf: error, /boot/kernel.elf: [program header N: ]TEXT (rule NAME)
# (TEXT from build/gen/bootrules.inc, which common/bootrules.h generates),
# with SeaBIOS halted there (no reset) and no kernel line under either; an
# accepted boot.cfg row must reach the config summary line on both.
set -u
kind=$1 name=$2 log=$3
B=${BUILD:-build}
here=$(dirname "$0")
export MTOOLS_SKIP_CHECK=1

row=$(grep -E "^$name[[:space:]]" "$here/$kind.txt") || { echo "boot.sh: no row $name in $kind.txt"; exit 2; }
set -- $row
verdict=$2 rule=$3 where=$4 firmwares="bios uefi"
[ "${5:-}" = bios ] && firmwares=bios
shift 5 2>/dev/null || shift $#
changes="$*"

# The input, on a copy of each image.
for fw in bios uefi; do
    cp --sparse=always "$B/$fw.img" "$log.$fw.img"
done
if [ "$kind" = cfg ]; then
    for fw in bios uefi; do mcopy -o -i "$log.$fw.img@@1048576" "$here/cfg/$name.cfg" ::/boot/boot.cfg; done
    what="config: error, /boot/boot.cfg"
    [ "$where" = 0 ] && what="$what: " || what="$what line $where: "
else
    cc -std=c11 -Wall -Werror -Icommon "$here/mkelf.c" -o "$log.mkelf" || exit 2
    # shellcheck disable=SC2086
    "$log.mkelf" "$log.elf" $changes || exit 2
    for fw in bios uefi; do mcopy -o -i "$log.$fw.img@@1048576" "$log.elf" ::/boot/kernel.elf; done
    what="elf: error, /boot/kernel.elf: "
    [ "$where" = - ] || what="${what}program header $where: "
fi

if [ "$verdict" = refuse ]; then
    text=$(sed -n "s/^%define RULE_[A-Z_]* *\"\(.*(rule $rule)\)\"$/\1/p" "$B/gen/bootrules.inc")
    [ -n "$text" ] || { echo "boot.sh: rule $rule is not in bootrules.inc"; exit 2; }
    want="$what$text"
    expect='^(stage2|uefi): (config|elf): error, '
else
    want="" expect='^(stage2|uefi): config: cmdline '
fi

status=0
for fw in $firmwares; do
    settle=1; [ $fw = uefi ] && settle=0
    sh "$here/../qemu/boot.sh" --img "$log.$fw.img" --log "$log.$fw.serial" --firmware $fw \
        --mem 256 --timeout 120 --expect "$expect" --settle $settle
    rc=$?
    rm -f "$log.$fw.img"
    out=$(tr -d '\r' < "$log.$fw.serial")
    got=$(echo "$out" | grep -a -E "$expect" | head -n 1 | sed -E 's/^(stage2|uefi): //')
    echo "$fw: $got"
    if [ $rc -ne 0 ]; then
        echo "boot.sh: $fw: no line matching '$expect' or QEMU ended after it (boot.sh exit $rc)"; status=1
    elif [ -n "$want" ] && [ "$got" != "$want" ]; then
        echo "boot.sh: $fw: want '$want'"; status=1
    elif [ -n "$want" ] && echo "$out" | grep -a -q '^kernel: '; then
        echo "boot.sh: $fw: the kernel ran anyway"; status=1
    fi
done
rm -f "$log.mkelf" "$log.elf"
[ $status -eq 0 ] && echo "ok: $kind/$name: $verdict${want:+ with '$want'} under: $firmwares"
exit $status
