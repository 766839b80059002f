#!/bin/sh
# term.sh - the terminal emulator's QEMU cases (term/...): boot IMG with only
# the terminal ktests (kernel/test/test_term.c) and check that the kernel ran
# every script of tests/term/ on the screen it was given, each screen cell read
# back from the renderer (framebuffer pixels or VGA text memory) as expected.
#
#   term.sh IMG LOG fb|vga [boot.sh options...]
#
# fb: the image's boot.cfg as it is (video=1024x768x32, the framebuffer
# renderer). vga: the copy's boot.cfg without video= (stage2 then stays in
# VGA text mode 80x25, vbe.asm; BIOS only), the VGA text renderer.
# Passes when QEMU exits 33 (all passed), the log names every ktest as
# passed, and the count of scripts rendered is the count of "script" lines
# in tests/term/*.term, counted here.
set -u
img=$1 log=$2 kind=$3
shift 3
here=$(dirname "$0")
tests="console_keeps_loader_log,console_view_scrollback,term_scripts_on_screen,term_consoles_switch,term_scrollback_keys"
want=$(cat "$here/../term/"*.term | grep -c '^script ')
cfg=$(dirname "$log")/$(basename "$log" .serial).cfg
case $kind in
fb) what=framebuffer; video="video=1024x768x32" ;;
vga) what="VGA text"; video="" ;;
*) echo "term.sh: kind must be fb or vga, not $kind"; exit 2 ;;
esac
printf 'cmdline=test ktest=%s\n%s\n' "$tests" "$video" > "$cfg"
rc=0
sh "$here/boot.sh" --img "$img" --log "$log" --cfg "$cfg" --timeout 120 "$@" || rc=$?
fail() { echo "FAIL: term: $*"; tail -n 20 "$log"; exit 1; }
[ "$rc" -eq 33 ] || fail "QEMU exited $rc (33: all passed); see $log"
tr -d '\r' < "$log" > "$log.txt"
for t in $(echo "$tests" | tr , ' '); do
    grep -q "^ktest: PASS $t\$" "$log.txt" || fail "no 'ktest: PASS $t' in $log"
done
grep -q "^term: $want scripts rendered on the $what console, every cell checked\$" "$log.txt" ||
    fail "expected 'term: $want scripts rendered on the $what console', got: $(grep '^term:' "$log.txt")"
echo "ok: term: $want scripts rendered on the $what console, every cell read back as expected"
