# basics.sh - a shell session for Debian's unmodified static busybox, run by
# its sh on the host's Linux and on Tessera (tests/busybox/diff.sh): the two
# outputs must be equal line for line. Pipelines, redirections, here-documents,
# subshells, functions, traps, background jobs and signals; files and folders
# on /tmp; the text tools; ps, free, df and kill. Only what both kernels must print the same: no
# times, process ids, sizes of memory or names of the machine.
t=/tmp/bb-basics.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd /; rm -rf "$t"' EXIT

echo '# pipelines and redirections'
echo hi | tr a-z A-Z > out; cat out
echo again >> out; wc -l < out
ls /nonexistent 2> err; echo "ls: status $?, $(wc -l < err) line on stderr"
{ echo to-stdout; echo to-stderr >&2; } 2>&1 | sort
cat <<END
a here-document, $((6 * 7)) expanded
END
cat <<'END'
a quoted one, $((6 * 7)) kept
END
seq 1 5 | while read -r n; do printf '%s,' "$n"; done; echo
seq 10 | paste -sd+ | bc 2>/dev/null || seq 10 | awk '{ s += $1 } END { print s }'

echo '# control'
f() { echo "f got $# arguments: $*"; return 3; }
f one "two words" three; echo "f returned $?"
for i in 1 2 3; do case $i in 1) echo one ;; 2) echo two ;; *) echo many ;; esac; done
n=0; while [ $n -lt 3 ]; do n=$((n + 1)); done; echo "n=$n"
(cd /; pwd); pwd | sed "s|$t|T|"
x=$(echo inner $(echo nested)); echo "$x"
true && echo and-ok; false || echo or-ok
[ -d /proc/self ] && echo "/proc/self is a folder"

echo '# processes'
sh -c 'exit 7'; echo "child exited $?"
sh -c 'kill -TERM $$'; echo "killed child: $?"
sleep 1 & pid=$!; wait $pid; echo "background job: $?"
sh -c 'trap "echo caught USR1" USR1; kill -USR1 $$; echo after the trap'
echo "exit of a pipeline: $(false | true; echo $?)"
yes | head -n 3

echo '# files'
mkdir -p a/b/c && touch a/b/c/f && ln -s b/c a/link
ls -R a | sed 's/^/  /'
readlink a/link; [ -L a/link ] && echo "a/link is a link"
echo data > a/link/g; cat a/b/c/g
cp a/b/c/g copy && mv copy moved && cat moved && rm moved
chmod 750 a/b/c/f; stat -c '%a %s %F' a/b/c/f
dd if=/dev/zero bs=1024 count=64 2>/dev/null | md5sum
head -c 100000 /dev/zero | tr '\0' 'x' | wc -c
printf 'line %s\n' 3 1 2 | sort > sorted; sort -r sorted | uniq -c | head -2
find a -type f | sort
tar cf a.tar a && rm -r a && tar xf a.tar && find a | sort | head -3
gzip -c a.tar | gunzip | cmp - a.tar && echo "gzip round trip"
sha256sum a.tar > /dev/null && echo "sha256sum ran"
rm -r a a.tar out err sorted; ls -A | wc -l

echo '# text'
printf 'b 2\na 1\nc 3\n' | sort -k2 -n | cut -d' ' -f1 | tr '\n' ' '; echo
echo 'hello world' | sed 's/world/busybox/' | awk '{ print toupper($2), length($0) }'
printf 'one\ntwo\nthree\n' | grep -n t
echo "$(basename /a/b/c.txt .txt) $(dirname /a/b/c.txt) $(expr 7 \* 6)"
printf '%05d|%-4s|%x\n' 42 ab 255
echo abc | od -c | head -1

echo '# system tools (their numbers differ between machines: only what they must show)'
ps -o pid | grep -qw "$$" && echo "ps lists this shell"
ps -o pid,comm | head -n 1 | tr -s ' '
free | awk 'NR == 2 { print ($2 > 0 && $4 > 0) ? "free: memory total and free" : "free: none" }'
df -k / | awk 'NR == 2 { print ($2 > 0) ? "df: a size for /" : "df: none" }'
kill -0 $$ && echo "kill -0 of this shell: alive"
sleep 30 & k=$!; kill $k; wait $k; echo "a killed sleep: $?"

echo 'basics: all done'
