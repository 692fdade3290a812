#!/bin/bash
# An actor that only waits for messages sleeps in recv(2) on its socket,
# not in epoll_wait(2) (worker-shim/link.c: one system call per wake-up
# instead of two); one that also waits for standard input sleeps in the
# loop.  Checked with actors from spares and with actors exec'd (--spawn
# exec), the two ways an actor's socket is made; the actor still answers
# after such a sleep.  Either way an actor starts with nothing blocked
# and SIGPIPE ignored (a clone inherits both from the zygote).
. "$(dirname "$0")/lib.sh"

SYS_RECV=$(nr SYS_recvfrom)
SYS_EPOLL=" $(nr SYS_epoll_wait 2>/dev/null) $(nr SYS_epoll_pwait) "
[[ $SYS_RECV =~ ^[0-9]+$ ]] || fail "no number for recvfrom: $SYS_RECV"

# signals PID: nothing blocked, SIGPIPE (13) ignored.  (Other signals
# may be ignored by whoever started the tests, and a sanitizer build's
# runtime installs handlers of its own.)
signals() {
	local blk ign
	blk=$(awk '$1 == "SigBlk:" { print $2 }' "/proc/$1/status")
	ign=$(awk '$1 == "SigIgn:" { print $2 }' "/proc/$1/status")
	[[ $blk == 0000000000000000 ]] && (( 0x$ign & 0x1000 )) ||
		fail "OS pid $1: blocked $blk, ignored $ign"
}

# kid ENTRY: set PID to the supervisor's child that runs ENTRY.
kid() {
	PID=$(pgrep -P "$SUP" -f "^osactor: $1 ") && track "$PID"
}

check() {	# spawn-mode
	start_app "$TESTS/e2e/apps/link_sleep" --spawn "$1" -x t:main
	wait_for grep -qx ready "$T/out" || fail "$1: the app did not start"
	wait_for kid t:echo || fail "$1: no echo actor"
	echo=$PID
	signals "$echo"
	wait_for asleep_in "$echo" " $SYS_RECV " ||
		fail "$1: the idle actor is not asleep in recvfrom:" \
		    "$(cat "/proc/$echo/syscall")"
	kid t:main || fail "$1: no main actor"
	main=$PID
	wait_for asleep_in "$main" "$SYS_EPOLL" ||
		fail "$1: the actor reading stdin is not asleep in epoll_wait:" \
		    "$(cat "/proc/$main/syscall")"
	send_line "hello"
	wait_for grep -qx "echo: hello" "$T/out" ||
		fail "$1: no echo after the actor's sleep"
	wait_for asleep_in "$echo" " $SYS_RECV " ||
		fail "$1: the actor is not back in recvfrom"
	close_stdin
	wait_exit "$SUP" || fail "$1: the supervisor did not exit"
	[[ $STATUS == 0 ]] || fail "$1: exit status $STATUS"
}

check zygote
check exec
echo ok
