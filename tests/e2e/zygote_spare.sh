#!/bin/bash
# The zygote keeps one spare clone made ahead of the next spawn: a child
# of the supervisor titled "osactor: spare app", in its own session,
# holding stdio and its own socket to the zygote, none of the zygote's
# others.  The next actor is that process (the supervisor logs the
# spare's OS pid for it), a new spare is made for the one after, and a
# spare killed meanwhile costs nothing: the spawn clones instead.
. "$(dirname "$0")/lib.sh"

# spare [NOT]: set S to the supervisor's spare, one other than NOT.
spare() {
	local pid ppid args
	while read -r pid ppid args; do
		[[ $ppid == "$SUP" && $args == "osactor: spare app" &&
		    $pid != "${1:-}" ]] || continue
		track "$pid"
		S=$pid
		return 0
	done < <(ps -eo pid=,ppid=,args=)
	return 1
}

# spare_fds PID: stdio and exactly one socket, not on fd 3.
spare_fds() {
	local fd target n=0
	for fd in /proc/"$1"/fd/*; do
		target=$(readlink "$fd") || continue
		case ${fd##*/} in
		0 | 1 | 2) ;;
		3) fail "the spare holds fd 3 ($target), the zygote's socket" ;;
		*) [[ $target == socket:* ]] ||
			fail "the spare holds fd ${fd##*/} -> $target"
			n=$((n + 1)) ;;
		esac
	done
	(( n == 1 )) || fail "the spare holds $n sockets, want 1"
}

seed_app
start_app "$APP" -v -x app:terminal/app:cli
wait_for actor_up "$RELAY_TITLE" || fail "no relay actor"
wait_for spare || fail "no spare among the supervisor's children"
first=$S
[[ $(proc_field "$first" 6) == "$first" ]] ||
	fail "the spare is not in its own session"
spare_fds "$first"

send_line "one"
wait_for out_line_ends "  ONE" || fail "no echo"
wait_for grep -q "as OS pid $first (zygote)" "$T/err" ||
	fail "the worker was not the spare (OS pid $first)"
wait_for spare "$first" || fail "no new spare after the spawn"
second=$S

kill -KILL "$second"
gone() { ! running "$second"; }
wait_for gone || fail "the spare survived SIGKILL"
send_line "two"
wait_for out_line_ends "  TWO" || fail "no echo once the spare was killed"
wait_for spare "$second" || fail "no spare after a spawn without one"

close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
