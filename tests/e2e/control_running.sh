#!/bin/bash
# One supervisor per app folder: a second `osactor run` in the folder says
# "already running" and exits 1 before it starts any actor.  After a kill -9
# of the supervisor its socket is stale: the next run removes it and starts.
. "$(dirname "$0")/lib.sh"

export OSACTOR_RUNTIME_DIR=$T/run
start_seed
first=$SUP
real=$(cd "$APP" && pwd -P)

# relays: how many relay processes of this test exist, whoever their parent.
relays() {
	local p n=0
	for p in $(marked_procs); do
		[[ $(title "$p") == "$RELAY_TITLE" ]] && n=$((n + 1))
	done
	printf '%s\n' "$n"
}
[[ $(relays) == 1 ]] || fail "want one relay, have $(relays)"

for args in "-x app:terminal/app:cli" ""; do
	# shellcheck disable=SC2086 # two words, or none
	(cd "$APP" && exec timeout 10 "$OSACTOR" run -v -W "$OSACTOR_SHIM" \
	    $args) </dev/null >"$T/out2" 2>"$T/err2"
	st=$?
	[[ $st == 1 ]] || fail "second run ($args): status $st, want 1"
	grep -qxF "osactor: an app is already running in $real" "$T/err2" ||
		fail "second run ($args) said: $(cat "$T/err2")"
	grep -q spawned "$T/err2" && fail "second run ($args) spawned an actor"
	[[ $(relays) == 1 ]] || fail "second run ($args) started a relay"
done
running "$first" || fail "the first supervisor died"
"$OSACTOR" ps -d "$APP" >/dev/null || fail "the first app no longer answers"

# kill -9 leaves the socket; nothing answers on it.
sock=$(echo "$T"/run/*.sock)
kill -KILL "$first"
wait_exit "$first"
check_no_leftovers zombies-ok
[[ -S $sock ]] || fail "no stale socket to test with"
"$OSACTOR" ps -d "$APP" 2>/dev/null
[[ $? == 69 ]] || fail "ps on a stale socket: want 69"

start_app "$APP" -v -x app:terminal/app:cli
wait_for actor_up "$RELAY_TITLE" || fail "no relay in the second life"
grep -q "removing stale socket $sock" "$T/err" || fail "the stale socket was not noted"
"$OSACTOR" ps -d "$APP" >"$T/ps" || fail "no answer after the restart"
grep -q '^{app:processes|0x00002} ' "$T/ps" || fail "ps: $(cat "$T/ps")"
close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
[[ ! -e $sock ]] || fail "socket left behind"
check_no_leftovers
