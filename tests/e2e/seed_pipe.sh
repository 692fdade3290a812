#!/bin/bash
# The tutorial through a pipe: each line comes back in upper case from a new
# worker, with the pids the tutorial shows; an empty line, or EOF, ends the
# CLI with "Goodbye!" and osactor exits 0, leaving no process behind.
. "$(dirname "$0")/lib.sh"

# run_piped INPUT ARGS...: printf INPUT | osactor run ARGS... -x the CLI, in
# the app folder; sets STATUS.
run_piped() {
	local input=$1
	shift
	printf '%s' "$input" |
	    (cd "$APP" && exec "$OSACTOR" run "$@" -x app:terminal/app:cli) \
	    >"$T/out" 2>"$T/err" &
	SUP=$!
	SUPS+=("$SUP")
	track "$SUP"
	wait_exit "$SUP"
}

# expect_in_order TEXT...: stdout holds each TEXT, in this order.
expect_in_order() {
	local rest frag
	rest=$(out)
	for frag; do
		[[ $rest == *"$frag"* ]] || fail "stdout lacks '$frag' (in order)"
		rest=${rest#*"$frag"}
	done
}

expect_goodbye() {
	[[ $(out | tail -n 1) == "Goodbye!" ]] ||
		fail "stdout does not end with Goodbye!"
	out | grep -qE 'error|timeout' && fail "an echo failed"
	[[ -s $T/err ]] && fail "stderr is not empty under -x without -v"
	return 0
}

seed_app

run_piped $'hello world\nfoo\n\n' -W "$OSACTOR_SHIM"
[[ $STATUS == 0 ]] || fail "empty line: exit status $STATUS, want 0"
expect_in_order "Echo Client" "Type messages to echo. Ctrl+C to exit." \
    "  HELLO WORLD" "  from worker: {app:processes|0x00004}" \
    "  FOO" "  from worker: {app:processes|0x00005}" "Goodbye!"
expect_goodbye
check_no_leftovers

# EOF without an empty line; the shim is found through $OSACTOR_SHIM alone.
run_piped $'x\n'
[[ $STATUS == 0 ]] || fail "EOF: exit status $STATUS, want 0"
expect_in_order "Echo Client" "  X" "  from worker: {app:processes|0x00004}" \
    "Goodbye!"
expect_goodbye
check_no_leftovers

# A line far larger than a socket buffer: every frame that carries it is
# written in several parts, and the echo still comes back whole.
long=$(head -c 300000 /dev/zero | tr '\0' a)
run_piped "$long"$'\n\n'
[[ $STATUS == 0 ]] || fail "300 KB line: exit status $STATUS, want 0"
# (awk, not a bash pattern: matching 300 KB with one is slow)
out | awk '{ sub(/^> /, "") } length($0) == 300002 && /^  A+$/ { f = 1 } END { exit !f }' ||
	fail "the 300 KB line did not come back whole"
out | grep -qxF "  from worker: {app:processes|0x00004}" ||
	fail "no answer from the first worker"
expect_goodbye
check_no_leftovers
