#!/bin/sh
# mutants.sh [NAME...] - make mutants: prove that the tests fail when the
# feature they name is gone. For each line of tests/mutants.list (or only
# the NAMEs given):
#   NAME | boot.sh options (the cell) | test,test,... (the ktests that must fail)
# it builds the kernel with MUTANT=NAME in BUILD/mutant-NAME/ (kernel/mutant.h:
# the feature's sites switch it off; build/ itself is not touched; only the
# files holding a site are compiled again, the rest is BUILD's), puts
# that kernel into a copy of BUILD/bios.img (or uefi.img with --firmware
# uefi, or the image a cell names with --image NAME.img), boots it with
# "test ktest=TESTS" (only those tests run) and reads their results:
#   killed    every listed test FAILed, or the kernel stopped (a panic, a
#             hang ended by the timeout) before passing one;
#   survived  a listed test PASSed or SKIPped: it does not prove the feature.
# Ends with "mutants: N killed, N survived" and exits 1 when any survived
# (or a build failed). Logs: BUILD/mutant-NAME/{build.log,serial.log}.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
killed=0 survived=0
trim() { echo "$1" | sed -E 's/^[[:space:]]+|[[:space:]]+$//g'; }

# Seed DIR with the real build's kernel objects (times kept) and remove
# those whose source or any header it includes (their .d files) holds a
# site of mutant NAME: make then compiles only those and links. A NAME
# with no site rebuilds nothing, so its kernel is the real one and the
# mutant survives, as it must.
seed_objects() {
    name=$1 dir=$2
    [ -f "$BUILD/kernel.elf" ] || return 0
    rm -rf "$dir/kernel" "$dir/gen"
    cp -a "$BUILD/kernel" "$BUILD/gen" "$dir/"
    find "$dir/kernel" -name '*.d' -exec sed -i "s|^$BUILD/kernel/|$dir/kernel/|" {} +
    sites=$(grep -rlF "MUTANT_ENABLED($name)" kernel drivers common | grep -vx kernel/mutant.h)   # its comment names one
    find "$dir/kernel" -name '*.d' | while read -r d; do
        for f in $sites; do
            if grep -qE "(^|[ :])$f( |\$)" "$d"; then rm -f "${d%.d}.o"; break; fi
        done
    done
}

# One mutant: build, boot, judge; prints one line, returns 0 when killed.
run_mutant() {
    name=$1 cell=$2 tests=$3
    dir=$BUILD/mutant-$name
    mkdir -p "$dir"
    seed_objects "$name" "$dir"
    make --no-print-directory BUILD="$dir" MUTANT="$name" OBJDUMP=true "$dir/kernel.elf" < /dev/null > "$dir/build.log" 2>&1 ||
        { echo "mutant $name: the build failed (see $dir/build.log)"; return 1; }
    case " $cell " in *" --firmware uefi "*) img=uefi.img ;; *) img=bios.img ;; esac
    # --image NAME.img: another image of BUILD (one with the modules the tests need), not passed on
    case " $cell " in *" --image "*)
        img=$(echo " $cell " | sed -nE 's/.* --image ([^ ]+) .*/\1/p')
        cell=$(echo " $cell " | sed -E 's/ --image [^ ]+ / /') ;;
    esac
    cp --sparse=always "$BUILD/$img" "$dir/$img"
    MTOOLS_SKIP_CHECK=1 mcopy -o -i "$dir/$img@@1048576" "$dir/kernel.elf" ::/boot/kernel.elf
    smp=$(echo " $cell " | sed -nE 's/.* --smp ([0-9]+) .*/\1/p')
    # shellcheck disable=SC2086
    eval sh tests/qemu/boot.sh --img "$dir/$img" --log "$dir/serial.log" \
        --cmdline "'test cpus=${smp:-1} ktest=$tests'" --timeout 90 $cell < /dev/null > "$dir/boot.log" 2>&1
    verdicts=""
    for t in $(echo "$tests" | tr , ' '); do
        v=$(tr -d '\r' < "$dir/serial.log" | sed -nE "s/^ktest: (PASS|FAIL|SKIP) $t(:.*)?\$/\\1/p" | head -n 1)
        verdicts="$verdicts $t=${v:-STOPPED}"
    done
    case $verdicts in
    *=PASS*|*=SKIP*) echo "mutant $name: SURVIVED:$verdicts"; return 1 ;;
    esac
    echo "mutant $name: killed:$verdicts"
}

while IFS='|' read -r name cell tests <&3; do
    name=$(trim "$name")
    case $name in ''|'#'*) continue ;; esac
    if [ $# -gt 0 ]; then
        case " $* " in *" $name "*) ;; *) continue ;; esac
    fi
    if run_mutant "$name" "$(trim "$cell")" "$(trim "$tests")"; then
        killed=$((killed + 1))
    else
        survived=$((survived + 1))
    fi
done 3< tests/mutants.list
echo "mutants: $killed killed, $survived survived"
[ $((killed + survived)) -gt 0 ] || { echo "mutants.sh: no mutant named $*"; exit 1; }
[ "$survived" -eq 0 ]
