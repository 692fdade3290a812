#!/bin/bash
# The apps make bench runs still work and print what tests/bench/run
# parses, at tiny sizes.  Only shapes are checked, never a timing.
. "$(dirname "$0")/lib.sh"

apps=$TESTS/bench/apps
cd "$T" || fail "cd $T"		# marks this test's processes
num='[0-9]+(\.[0-9]+)?'

bench_app() {	# app entry args...
	"$OSACTOR" run -W "$OSACTOR_SHIM" -d "$apps/$1" -x "$2" "${@:3}" \
	    2>"$T/err"
}

out=$(bench_app echo b:main 2 3 </dev/null) || fail "echo: $out"
[[ $out =~ ^$num\ $num$ ]] || fail "echo printed \"$out\""

for mode in "" first; do
	out=$(bench_app spawn b:main 3 $mode </dev/null) || fail "spawn: $out"
	[[ $out =~ ^$num$ ]] || fail "spawn $mode printed \"$out\""
done

out=$(bench_app crowd b:main 3,5 2 4 </dev/null) || fail "crowd: $out"
line="$num $num $num $num $num"	# seconds, 2 batches to one, 2 to random
[[ $out =~ ^3\ $line$'\n'5\ $line$ ]] || fail "crowd printed \"$out\""

out=$(printf '\n\n' | bench_app crowd b:mem 3) || fail "mem: $out"
[[ $out == $'before\nafter' ]] || fail "mem printed \"$out\""
out=$("$OSACTOR_SHIM" --test "$TESTS/bench/floor.lua") || fail "floor: $out"
[[ $out =~ ^$num$ ]] || fail "floor.lua printed \"$out\""
check_no_leftovers
