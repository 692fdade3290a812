#!/bin/bash
# Clients that break the protocol never harm the supervisor: garbage, a
# header claiming 4 GiB, an unknown type and a passed descriptor each get
# the connection closed without an answer; a partial frame sent a byte at a
# time is dropped when it times out while ps still answers; past 32
# connections the rest are turned away, and ps answers again once they go; out
# of descriptors, accepts pause and resume.
# Afterwards the app runs as before and the supervisor's fds are back.
. "$(dirname "$0")/lib.sh"

export OSACTOR_RUNTIME_DIR=$T/run
POKE=$B/tests/bin/ctlpoke
[[ -x $POKE ]] || fail "no $POKE (make all builds it)"
seed_app
start_app "$APP" -v -x app:terminal/app:cli
wait_for actor_up "$CLI_TITLE" || fail "no CLI"
wait_for actor_up "$RELAY_TITLE" || fail "no relay"
relay=$PID
sock=$(echo "$T"/run/*.sock)
[[ -S $sock ]] || fail "no control socket"
fds() {
	sup_fds
}
base=$(fds)

# Connection cap: 40 idle connections, 32 held and 8 turned away; while
# they are held a ps is turned away too.
"$POKE" hold "$sock" 40 1 >"$T/hold" &
hold=$!
wait_for grep -q refused "$T/hold" || fail "hold did not report"
grep -qx "refused 8" "$T/hold" || fail "cap: $(cat "$T/hold")"
"$OSACTOR" ps -d "$APP" >/dev/null 2>"$T/ps.err"
[[ $? == 1 ]] || fail "ps past the cap: want 1"
grep -q "too many control connections" "$T/ps.err" || fail "ps: $(cat "$T/ps.err")"
wait "$hold" || fail "hold failed"
answers() {
	"$OSACTOR" ps -d "$APP" >"$T/ps" 2>/dev/null
}
wait_for answers || fail "ps no longer answers after the flood"

# A slow partial frame in the background; ps answers meanwhile.
"$POKE" slowloris "$sock" >"$T/slow" 2>&1 &
slow=$!
for mode in huge type fds; do
	"$POKE" "$mode" "$sock" >"$T/poke" 2>&1 || fail "$(cat "$T/poke")"
done
for seed in $(seq 1 20); do
	"$POKE" garbage "$sock" "$seed" >"$T/poke" 2>&1 || fail "$(cat "$T/poke")"
done
answers || fail "ps does not answer while a slow client is connected"
wait "$slow" || fail "slowloris: $(cat "$T/slow")"
ms=$(sed -n 's/.*bytes, \([0-9]*\) ms$/\1/p' "$T/slow")
(( ms >= 1500 )) || fail "dropped too soon for a timeout: $(cat "$T/slow")"

# Out of descriptors: accepts pause rather than spin, and resume.
if command -v prlimit >/dev/null; then
	soft=$(prlimit --pid "$SUP" --nofile --noheadings --output=SOFT) ||
		fail "prlimit"
	free=0
	while [[ -e /proc/$SUP/fd/$free ]]; do
		free=$((free + 1))
	done
	ticks() {
		echo $(( $(proc_field "$SUP" 14) + $(proc_field "$SUP" 15) ))
	}
	before=$(ticks)
	prlimit --pid "$SUP" --nofile="$free": || fail "prlimit --nofile=$free"
	"$OSACTOR" ps -d "$APP" >"$T/ps2" 2>&1 &
	ps2=$!
	paused() {
		grep -q "control: accept: Too many open files; pausing" "$T/err"
	}
	wait_for paused || fail "no pause on EMFILE"
	sleep 0.5
	spent=$(( $(ticks) - before ))
	prlimit --pid "$SUP" --nofile="$soft": || fail "prlimit back"
	wait "$ps2" || fail "ps across EMFILE: $(cat "$T/ps2")"
	(( spent < $(getconf CLK_TCK) / 4 )) ||
		fail "the supervisor spun while out of fds: $spent ticks"
else
	echo "prlimit is not installed: the EMFILE part is skipped"
fi

# The app is as it was.
running "$SUP" || fail "the supervisor died"
running "$relay" || fail "the relay was restarted or died"
answers || fail "ps does not answer"
grep -q '^{app:processes|0x00002} ' "$T/ps" || fail "ps: $(cat "$T/ps")"
send_line "still here"
wait_for out_line_ends "  STILL HERE" || fail "no echo after the faults"
for what in "bad frame header" "malformed request type 999" \
    "passed descriptors" "partial request timed out" "too many connections"
do
	grep -q "control: .*$what" "$T/err" || fail "not logged: $what"
done
fds_back() {
	[[ $(fds) == "$base" ]]
}
wait_for fds_back || fail "supervisor fds: $(fds), were $base"

close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
