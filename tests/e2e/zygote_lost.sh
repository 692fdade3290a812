#!/bin/bash
# kill -9 of the zygote never stops the app: the supervisor logs it, the
# next spawns exec a shim each (the echoes keep coming), and a spawn a
# second or more after its last start starts a new zygote.
. "$(dirname "$0")/lib.sh"

# zygote: set Z to the OS pid of the supervisor's zygote.
zygote() {
	local pid ppid args
	while read -r pid ppid args; do
		if [[ $ppid == "$SUP" && $args == "osactor: zygote app" ]]; then
			track "$pid"
			Z=$pid
			return 0
		fi
	done < <(ps -eo pid=,ppid=,args=)
	return 1
}

seed_app
start_app "$APP" -v -x app:terminal/app:cli
wait_for actor_up "$RELAY_TITLE" || fail "no relay actor"
zygote || fail "no zygote among the supervisor's children"
old=$Z
send_line "one"
wait_for out_line_ends "  ONE" || fail "no echo before the kill"

kill -KILL "$old"
gone() { ! running "$old"; }
wait_for gone || fail "the zygote survived SIGKILL"
send_line "two"
wait_for out_line_ends "  TWO" || fail "no echo once the zygote was gone"
grep -q "zygote (OS pid $old) exited" "$T/err" || fail "its death is not logged"

n=0
echo_restarts() {
	n=$((n + 1))
	send_line "again $n"
	wait_for out_line_ends "  AGAIN $n" || fail "no echo of line $n"
	zygote && [[ $Z != "$old" ]]
}
wait_for echo_restarts || fail "no new zygote after $n spawns"

close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
