#!/bin/tsh
echo hello world
x="a b"; echo $x "$x"
for i in 1 2 3; do printf '%s,' $i; done; echo
f() { echo "f has $# args: $*"; return 3; }
f one "two words"; echo "status $?"
echo hi | tr a-z A-Z > /tmp/tshdev/out; cat /tmp/tshdev/out
cat <<END
here $x $(echo sub)
END
cat <<'END'
quoted $x
END
n=0; while [ $n -lt 3 ]; do n=$((n + 1)); done; echo n=$n
case abc in a*) echo starts-a;; *) echo other;; esac
echo ${unset:-default} ${x:+set} ${#x}
false || echo or; true && echo and
(cd /; pwd); echo "$(echo nested $(echo deep))"
ls /nonexistent 2>/dev/null; echo "ls status $?"
{ echo out; echo err >&2; } 2>&1 | sort
set -- p q r; echo $# $2; shift; echo $1
echo /etc/host*
alias say='echo said'
say it
type echo cd ls f say
until true; do echo never; done
for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo i=$i; done
echo $((2 * (3 + 4))) $((7 % 3)) $((1 << 4))
IFS=:; v=a:b:c; for p in $v; do echo $p; done; unset IFS
echo "$@" end
sh -c 'exit 7'; echo $?
echo ~ 
