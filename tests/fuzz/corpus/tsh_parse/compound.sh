if a; then b; elif c; then d; else e; fi
case $x in a|b) x;; (*) y;; esac
f() { (a | b) >o 2>&1 <<E
body $x
E
}
