#!/bin/tsh
# boot-script.sh - tsh as the first process on Tessera (init=/bin/tsh, the
# cases tsh/bios-script and tsh/uefi-script, tests/tsh/boot.sh): pipes,
# redirections to /tmp, a here-document, command substitution, loops, a
# function, $?, globbing, traps, and a script started through its #!/bin/tsh line.
# Its output must equal boot-script.expected line for line.
t=/tmp/tsh-boot
mkdir -p $t && cd $t || exit 1

echo '# pipes and redirections'
echo 'tessera shell' | tr a-z A-Z > upper
cat upper
echo second >> upper; wc -l < upper
printf 'b\nc\na\n' | sort | tr '\n' ' '; echo
ls /nonexistent 2> err; echo "ls status $?, $(wc -l < err) line of error"
{ echo out; echo err >&2; } 2>&1 | sort

echo '# here-document and substitution'
who=tsh
cat <<END > doc
made by $who in $(pwd), $((6 * 7)) lines
END
cat doc
echo "nested: $(echo a $(echo b $(echo c)))"

echo '# loops, a function, status'
count() { n=0; for w in "$@"; do n=$((n + 1)); done; echo "$n words"; return $n; }
count one two three; echo "count returned $?"
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); echo "turn $i"; done   # whole lines: the kernel's own lines come between
for f in a b c; do echo $f > file.$f; done; echo file.*
case $(cat file.b) in b) echo "case matched" ;; *) echo "case failed" ;; esac
false; echo "false gives $?"; ! false && echo "negated"
deep() { deep; }; deep 2>&1; echo "deep recursion stopped: $?"   # 500 calls deep, not a stack overflow

echo '# a script started by its #! line'
cat > hello <<'END'
#!/bin/tsh
echo "hello from $0 with $# arguments: $*"
exit 9
END
chmod +x hello
$t/hello x y; echo "script exit $?"   # (a relative ./hello: execve looks it up from /, not the cwd)
/bin/tsh -c 'echo "tsh -c: $1"' name arg

echo '# traps'
trap 'echo caught USR1' USR1
kill -USR1 $$; echo "after kill"
trap 'echo "exit trap"' EXIT

cd / && rm -rf $t
echo 'boot-script: done'
