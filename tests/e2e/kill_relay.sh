#!/bin/bash
# kill -9 of the relay: its service restarts it after the back-off, as a new
# OS process with a new actor pid, which registers "relay" again, and the CLI
# gets its echoes once more.
. "$(dirname "$0")/lib.sh"

start_seed
send_line "one"
wait_for out_line_ends "  ONE" || fail "no echo before the kill"

actor_pid "$SUP" "$RELAY_TITLE" || fail "no relay"
old=$PID
kill -KILL "$old"

new=""
new_relay() {
	local pid t
	scan "$SUP"
	for pid in "${!KIDS[@]}"; do
		t=${KIDS[$pid]}
		[[ $pid != "$old" && $t != "$RELAY_TITLE" ]] || continue
		[[ $t =~ ^osactor:\ app:relay\ \{app:processes\|0x([0-9a-f]{5,})\}$ ]] ||
			continue
		(( 16#${BASH_REMATCH[1]} > 4 )) ||
			fail "the new relay reuses an actor pid: $t"
		new=$pid
		return 0
	done
	return 1
}
wait_for new_relay || fail "the relay was not restarted"

# The new relay may not have registered yet: the CLI then answers
# "error: relay not available".  Send lines until one is echoed, each time
# waiting for the CLI's answer to the line before sending the next.
failed() {
	out | grep -cE 'relay not available|timeout'
}
answered() {
	out_line_ends "  AGAIN $1" || (( $(failed) > $2 ))
}
end=$(( ${EPOCHREALTIME/./} + 10000000 ))
k=0
until out_line_ends "  AGAIN $k"; do
	(( ${EPOCHREALTIME/./} < end )) ||
		fail "no echo through the restarted relay"
	k=$((k + 1))
	n=$(failed)
	send_line "again $k"
	wait_for answered "$k" "$n" || fail "the CLI did not answer line $k"
done
running "$new" || fail "the new relay died"

close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
