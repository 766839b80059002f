#!/bin/tsh
# errors.sh - tsh's own messages (no other shell words them the same; run by
# tests/tsh/host.sh with TSH set to the tsh under test): syntax errors give
# "tsh: line L, column C: MESSAGE" and status 2, end a script but not an
# interactive shell; runtime errors name the command; limits hold.
t=${TSH:?TSH must name the tsh to test}

echo '# syntax errors in -c and scripts'
$t -c 'echo a; fi' 2>&1; echo "status $?"
$t -c 'if true; then echo x' 2>&1; echo "status $?"
$t -c 'echo "open' 2>&1; echo "status $?"
$t -c 'for 9 in a; do :; done' 2>&1; echo "status $?"
$t -c 'echo ok
echo ok2; (
echo three )) ' 2>&1; echo "status $?"
$t -c 'echo `date`' 2>&1; echo "status $?"
$t -c 'cat <<EOF
no end' 2>&1; echo "status $?"
printf 'echo before\ncase x in\n' > /tmp/tsh-errors.$$; $t /tmp/tsh-errors.$$ 2>&1; echo "status $?"
rm -f /tmp/tsh-errors.$$

echo '# an interactive shell goes on after a syntax error'
printf 'echo one\necho ) two\necho three\nif true\nthen echo four\nfi\nexit 6\n' | $t -i 2>&1; echo "status $?"
printf 'echo one\necho ) two\necho never\n' | $t 2>&1; echo "not interactive: status $?"

echo '# runtime errors'
$t -c 'nosuch-command arg' 2>&1; echo "status $?"
$t -c 'cat < /nonexistent' 2>&1; echo "status $?"
$t -c 'echo ${x:?is not set}' 2>&1; echo "status $?"
$t -c 'echo ${x!y}' 2>&1; echo "status $?"
$t -c 'echo $((1 / 0))' 2>&1; echo "status $?"
$t -c 'echo $((2 +))' 2>&1; echo "status $?"
$t -c 'shift 5' 2>&1; echo "status $?"
$t -c 'exec 7>&-; echo x >&7' 2>&1; echo "status $?"
$t -c 'f() { f; }; f' 2>&1; echo "status $?"
$t -c 'set -e; echo a; false; echo never' 2>&1; echo "status $?"
$t -c 'set -e; if false; then :; fi; false || echo "or is a condition"; echo survived' 2>&1; echo "status $?"

echo '# -c with a name and arguments; exit'
$t -c 'echo "$0 $# $1 $2"' name a b
$t -c 'exit 300'; echo "status $?"
$t -c 'false; exit'; echo "status $?"
$t -x -c 'x=1; echo $x' 2>&1

echo '# type, alias'
$t -c 'f() { :; }; alias l=ls; type cd exit f l nosuch' 2>&1; echo "status $?"
$t -c 'alias a1="echo x" a2=y; alias; unalias a1; alias' 2>&1
$t -c 'alias loop=loop; loop' 2>&1; echo "status $?"
