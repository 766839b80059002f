#!/bin/tsh
# basics.sh - POSIX shell behaviour tsh must share with dash (tests/tsh/host.sh
# runs it with both and compares them, and with basics.out).
t=/tmp/tsh-basics.$$
mkdir "$t" && cd "$t" || exit 1

echo '# quoting'
x='a  b' y="it's"
echo $x "$x" '$x' "\$x \"q\" \\" $y
echo a\ b 'c'"d"e "" end
printf '[%s]\n' "" '' "$unset_var" $unset_var
echo "tab:	:" 'nl
inside'

echo '# parameters'
set -- one "two words" three
echo "$#: $1 / $2 / $3"
for a in "$@"; do printf '<%s>' "$a"; done; echo
for a in $*; do printf '<%s>' "$a"; done; echo
for a in "$*"; do printf '<%s>' "$a"; done; echo
shift; echo "after shift: $# $1"
set --; for a in "$@"; do echo never; done; echo "none: $#"
echo ${u:-default} ${u-dash} "${u:+plus}" ${x:+plus} ${#x}
echo ${v:=assigned} $v
e=; echo "[${e:-colon}] [${e-nocolon}]"
echo $((3 + 4 * 2)) $(( (3 + 4) * 2 )) $((10 / 3)) $((10 % 3)) $((-5 + 2)) $((1 < 2)) $((0x10))
i=5; echo $((i * i))

echo '# quotes inside substitutions'
echo $(echo ")") "$(echo "a  b")" "${u:-"q  r"}" ${x:+"set"}
g2() { echo "in g2: $1"; }; g2 "$(echo "x  y")"
case "x)" in "x)") echo paren ;; esac
echo $(( $(echo 3) + 4 ))
IFS=,; set -- $(echo "1,2,,3"); echo "$# fields"; unset IFS
echo a${u}b "a${u}b" ""a
for w in "" a ""; do printf '[%s]' "$w"; done; echo

echo '# pattern removal'
f=dir/sub/file.tar.gz
echo ${f%.*} ${f%%.*} ${f#*/} ${f##*/} ${f%/*} "${f##*.}"
echo ${f%nomatch} ${u%x}x "${f%"*.gz"}" ${f%\.gz} ${f#d[a-z]?/}

echo '# status'
true; echo "true $?"
false; echo "false $?"
! false; echo "not $?"
sh -c 'exit 3'; echo "child $?"
false | true; echo "pipe $?"
true | false; echo "pipe $?"
(exit 4); echo "subshell $?"
nosuchcommand 2>/dev/null; echo "missing $?"

echo '# lists'
true && echo and1; false && echo and2
true || echo or1; false || echo or2
false || false || echo or3 && echo then
{ echo group; echo more; } | wc -l
(x=inner; echo $x); echo $x

echo '# control'
for i in 1 2 3 4 5; do
    case $i in
    1) echo one ;;
    2|3) echo two-or-three ;;
    [4-9]) echo "digit $i" ;;
    esac
done
n=0; while [ $n -lt 5 ]; do n=$((n + 1)); [ $n -eq 2 ] && continue; [ $n -eq 4 ] && break; echo "n=$n"; done
until [ $n -eq 0 ]; do n=$((n - 1)); done; echo "down to $n"
for i in a b; do for j in 1 2; do [ $j = 2 ] && continue 2; echo $i$j; done; done
if false; then echo no; elif true; then echo elif; else echo no; fi
case "a*b" in "a*b") echo quoted-pattern ;; esac
case axb in "a*b") echo wrong ;; a*b) echo glob-pattern ;; esac

echo '# functions'
f() { echo "f: $# [$*]"; return 5; }
f 1 "2 3"; echo "f returned $?"; echo "outside: $#"
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }
echo "5! = $(fact 5)"
g() { local_var=set; }; g; echo "global after g: $local_var"

echo '# redirections'
echo first > file; echo second >> file; cat file
wc -l < file
ls /nonexistent-dir 2> err; echo "status $?, err lines $(wc -l < err)"
{ echo out; echo err >&2; } > both 2>&1; sort both
echo to-three 3>three >&3; cat three
exec 4>fd4; echo via-4 >&4; exec 4>&-; cat fd4
cat <<END
here: $x $(echo sub) $((1 + 1)) \$x
END
cat <<'END'
quoted: $x $(echo sub)
END
cat <<-END
	tabs stripped $y
	END
big=$(i=0; while [ $i -lt 100 ]; do printf '%099d\n' $i; i=$((i + 1)); done)
cat <<END | wc -c
$big
END
while read -r a b; do echo "read [$a] [$b]"; done <<END
one two three
four
END

echo '# more redirections and control'
ls /nonexistent-dir 2>&1 >/dev/null | wc -l
printf 'l1\nl2\n' > f; exec 3<f; read a <&3; read b <&3; exec 3<&-; echo "$a $b"
h() { cat <<E
in h: $1
E
}; h arg
r() { for i in 1 2 3; do if [ $i = 2 ]; then return 7; fi; echo r$i; done; }; r; echo "r: $?"
echo "IFS test" | { IFS=' ' read -r p q; echo "$q-$p"; }
x=5; [ $x -gt 3 ] && { echo big; false; } || echo fallback
echo $(( 1 ? 2 : 3 )) $((0 ? 2 : 3)) $((1 ? 0 ? 5 : 6 : 7))
a=1; a=2 true; echo "a=$a"
unset -f h; h 2>/dev/null || echo "h gone $?"
(echo sub; exit 3) | cat; echo "pipe-status $?"
while false; do :; done; echo "while-status $?"
if false; then :; fi; echo "if-status $?"
echo "$((5 > 3 && 2 < 1))" "$((7 & 3 | 8))" "$((-7 / 2))"

echo '# substitution and globbing'
echo "$(echo nested $(echo deeper))"
lines=$(printf 'a\nb\n\n\n'); echo "[$lines]"
touch b.c a.c c.h .hidden
echo *.c; echo *.[ch]; echo ?.h; echo *.none; echo "*.c"
echo [!a].c
set -- *; echo "$# files"

echo '# builtins'
alias hi='echo hello'
hi there
eval 'echo evaluated $x'
export EXPORTED=yes; sh -c 'echo "child sees $EXPORTED"'
NOTEXPORTED=no; sh -c 'echo "child sees [$NOTEXPORTED]"'
ONCE=temp sh -c 'echo "child sees $ONCE"'; echo "after: [$ONCE]"
unset x; echo "unset: [${x-gone}]"
cd "$t" && pwd | sed "s|$t|T|"
src_var=value; echo 'echo sourced $src_var; src_set=yes' > src.sh; . ./src.sh; echo "src_set=$src_set"
sleep 0 & wait $!; echo "background: $?"
printf '%s\n' 'c 1' 'a 2' | while read -r k v; do echo "$v$k"; done | sort

echo '# traps'
trap 'echo caught USR1' USR1
kill -USR1 $$
echo after kill
trap
trap - USR1
(trap 'echo subshell exit' EXIT; echo in subshell)
trap '' USR2; kill -USR2 $$; echo ignored
trap 'echo at exit' EXIT

cd / && rm -rf "$t"
echo '# end'
