#!/bin/bash
# Another uid cannot use the control socket.  As root, run the client as
# nobody: the 0700 folder stops it first; with the folder and socket opened
# up on purpose, SO_PEERCRED stops it, the supervisor logs it, and the app
# is unharmed.  Needs root and setpriv or runuser; skipped (77) otherwise.
. "$(dirname "$0")/lib.sh"

need_nobody "to run a client as another user"
nobody=$(id -u nobody)

export OSACTOR_RUNTIME_DIR=$T/run
# nobody needs to reach the app folder and a copy of the binary.
chmod 711 "$T" || fail "chmod $T"
mkdir "$T/bin" && cp "$OSACTOR" "$T/bin/osactor" && chmod 755 "$T/bin/osactor" ||
	fail "cannot copy osactor"
seed_app
start_app "$APP" -v -x app:terminal/app:cli
wait_for actor_up "$RELAY_TITLE" || fail "no relay"
relay=$PID
sock=$(echo "$T"/run/*.sock)
[[ -S $sock ]] || fail "no control socket"

nobody_ps() {
	as_nobody env OSACTOR_RUNTIME_DIR="$T/run" "$T/bin/osactor" ps \
	    -d "$APP" >"$T/nobody.out" 2>"$T/nobody.err"
}

# The folder's mode alone turns nobody away.
nobody_ps
st=$?
[[ $st == 1 ]] || fail "nobody's ps through a 0700 folder: status $st, want 1"
grep -q "Permission denied" "$T/nobody.err" || fail "nobody got: $(cat "$T/nobody.err")"

# Opened up: connect works, SO_PEERCRED refuses.
chmod 711 "$T/run" && chmod 666 "$sock" || fail "chmod"
nobody_ps
st=$?
chmod 700 "$T/run" && chmod 600 "$sock" || fail "chmod back"
[[ $st == 1 ]] || fail "nobody's ps on an open socket: status $st, want 1"
grep -qx "osactor: permission denied" "$T/nobody.err" ||
	fail "nobody got: $(cat "$T/nobody.err")"
[[ ! -s $T/nobody.out ]] || fail "nobody was shown: $(cat "$T/nobody.out")"
logged() {
	grep -q "control: refused uid $nobody pid [0-9]*: only uid 0 or root" "$T/err"
}
wait_for logged || fail "the refusal was not logged"

running "$SUP" || fail "the supervisor died"
running "$relay" || fail "the relay died"
"$OSACTOR" ps -d "$APP" >/dev/null || fail "root's ps fails afterwards"
close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
