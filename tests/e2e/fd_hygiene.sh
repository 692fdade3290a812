#!/bin/bash
# Descriptors: an actor inherits only stdin, stdout, stderr and its socket
# to the supervisor (whatever else it holds it made itself, like its epoll
# descriptor), and the supervisor's own count is back at its baseline after
# workers come and go.
. "$(dirname "$0")/lib.sh"

# only_own_fds PID: every fd above 3 is one the shim made (anon inodes).
only_own_fds() {
	local fd target
	for fd in /proc/"$1"/fd/*; do
		target=$(readlink "$fd") || continue
		case ${fd##*/} in
		0 | 1 | 2) ;;
		3) [[ $target == socket:* ]] ||
			fail "fd 3 of $1 is $target, not its socket" ;;
		*) [[ $target == anon_inode:* ]] ||
			fail "actor $1 inherited fd ${fd##*/} -> $target" ;;
		esac
	done
}

# only_cli_and_relay: every worker has been reaped.
only_cli_and_relay() {
	scan "$SUP"
	(( ${#KIDS[@]} == 2 ))
}

start_seed
send_line "first"
wait_for out_line_ends "  FIRST" || fail "no echo"
wait_for only_cli_and_relay || fail "the first worker was not reaped"
base=$(sup_fds)

actor_pid "$SUP" "$CLI_TITLE" || fail "no CLI"
only_own_fds "$PID"
actor_pid "$SUP" "$RELAY_TITLE" || fail "no relay"
only_own_fds "$PID"

for i in 1 2 3 4 5; do
	send_line "line $i"
	wait_for out_line_ends "  LINE $i" || fail "no echo of line $i"
done
wait_for only_cli_and_relay || fail "workers were not reaped"
fds_back() { [[ $(sup_fds) == "$base" ]]; }
wait_for fds_back || fail "supervisor fds: $(sup_fds), baseline $base"
[[ -z $(zombie_children "$SUP") ]] || fail "zombies left"

close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
