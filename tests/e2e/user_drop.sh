#!/bin/bash
# --user NAME: root drops to NAME before the app is read and before the
# first fork, so the supervisor and every actor run as NAME; without root
# the option is refused.
. "$(dirname "$0")/lib.sh"

need_nobody "to run the app as nobody"
need_open_path
seed_app
chmod 755 "$T" "$APP" && chmod 644 "$APP"/* || fail "chmod"
export OSACTOR_RUNTIME_DIR=$T/run	# made by nobody? no: given to nobody
mkdir -m 700 "$OSACTOR_RUNTIME_DIR" && chown nobody "$OSACTOR_RUNTIME_DIR" ||
	fail "runtime dir"

start_app "$APP" --user nobody -x app:terminal/app:cli
wait_for actor_up "$RELAY_TITLE" || fail "no relay: $(cat "$T/err")"
for pid in "$SUP" $(pgrep -P "$SUP"); do
	[[ $(ps -o user= -p "$pid") == nobody ]] ||
		fail "OS pid $pid runs as $(ps -o user= -p "$pid")"
done
send_line "dropped"
wait_for out_line_ends "  DROPPED" || fail "no echo as nobody"
# root may use the socket of an app it runs as nobody
"$OSACTOR" ps -d "$APP" >"$T/ps" 2>&1 || fail "root's ps: $(cat "$T/ps")"
grep -q '^{app:processes|0x00002} ' "$T/ps" || fail "ps: $(cat "$T/ps")"
close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS"
check_no_leftovers

# Without OSACTOR_RUNTIME_DIR: root makes /run/osactor-UID for nobody
# before the drop, and root's ps and stop find the app there.
unset OSACTOR_RUNTIME_DIR
uid=$(id -u nobody)
start_app "$APP" --user nobody -x app:terminal/app:cli
wait_for actor_up "$RELAY_TITLE" || fail "no relay: $(cat "$T/err")"
socks=(/run/osactor-"$uid"/app-*.sock)
[[ -S ${socks[0]} && $(stat -c %U "${socks[0]}") == nobody ]] ||
	fail "no socket of nobody's in /run/osactor-$uid"
[[ $(stat -c %U:%a "/run/osactor-$uid") == nobody:700 ]] ||
	fail "/run/osactor-$uid is $(stat -c %U:%a "/run/osactor-$uid")"
"$OSACTOR" ps -d "$APP" >"$T/ps" 2>&1 || fail "root's ps: $(cat "$T/ps")"
grep -q '^{app:processes|0x00002} ' "$T/ps" || fail "ps: $(cat "$T/ps")"
"$OSACTOR" stop -d "$APP" >"$T/stop" 2>&1 || fail "root's stop: $(cat "$T/stop")"
wait_exit "$SUP"
running "$SUP" && fail "the app runs on after stop"
check_no_leftovers
