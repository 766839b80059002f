#!/bin/sh
# host.sh - tsh's scripts on the host (tsh is a static Linux program): each
# tests/tsh/NAME.sh is run by build/user/tsh and its output (standard output
# and error) compared with tests/tsh/NAME.out; a script whose second line
# says "POSIX" is also run by dash, whose output must be the same.
# Exit 0 when every script matched.
set -u
B=${BUILD:-build}
here=$(dirname "$0")
tsh=$B/user/tsh
out=${RESULTS:-$B/test-results}/tsh-host
[ -x "$tsh" ] || { echo "host.sh: no $tsh (make $tsh)"; exit 1; }
mkdir -p "$out"
TSH=$(realpath "$tsh"); export TSH          # for scripts that start tsh themselves
failed=0
for script in "$here"/*.sh; do
    name=$(basename "$script" .sh)
    [ -f "$here/$name.out" ] || continue
    (cd "$here" && "$OLDPWD/$tsh" "./$name.sh") > "$out/$name.tsh" 2>&1
    if ! diff -u "$here/$name.out" "$out/$name.tsh"; then
        echo "host.sh: $name: tsh's output differs from $name.out"
        failed=1
    fi
    if sed -n 2p "$script" | grep -q POSIX; then
        (cd "$here" && dash "./$name.sh") > "$out/$name.dash" 2>&1
        if ! diff -u "$out/$name.dash" "$out/$name.tsh"; then
            echo "host.sh: $name: tsh and dash differ"
            failed=1
        fi
    fi
    [ $failed -eq 0 ] && echo "host.sh: $name: $(wc -l < "$out/$name.tsh") lines as expected"
done
exit $failed
