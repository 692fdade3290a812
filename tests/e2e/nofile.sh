#!/bin/bash
# Open files: started with a soft limit of 64 (below the hard one), the
# supervisor lifts its soft limit to the hard one, so an app keeps 100
# live actors (a socket each in the supervisor) instead of failing to
# spawn at about 60.
. "$(dirname "$0")/lib.sh"

# nofile PID: "soft hard" of its open files limit.
nofile() {
	awk '/^Max open files/ { print $4, $5 }' "/proc/$1/limits"
}

hard=$(ulimit -Hn)
[[ $hard == unlimited || $hard -gt 200 ]] ||
	fail "the hard limit ($hard) is too low for this test"
app=$TESTS/e2e/apps/many
(ulimit -Sn 64 && exec "$OSACTOR" run -W "$OSACTOR_SHIM" -d "$app") \
    </dev/null >"$T/out" 2>"$T/err" &
SUP=$!
SUPS+=("$SUP")
track "$SUP"
all_up() {
	(( $(pgrep -c -P "$SUP" -f '^osactor: t:idler ') == 100 ))
}
lifted() {
	local l
	l=$(nofile "$SUP") && [[ ${l% *} == "${l#* }" ]]
}
wait_for lifted || fail "soft limit not lifted: $(nofile "$SUP")"
wait_for all_up || fail "100 actors did not start: $(pgrep -c -P "$SUP")"
kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
