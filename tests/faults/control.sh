#!/bin/bash
# Cases 30, 31 and 32 on the control socket, while an actor runs.  Fuzz:
# 1000 connections each writing 64 KiB of pseudo-random bytes (seeds 1 to
# 1000, so a failure can be replayed with ctlpoke garbage PATH SEED) are
# each closed without an answer.  fd-passing: a request carrying 10
# descriptors is refused and the descriptors are closed (the fd count
# comes back).  connect-flood: 10,000 connections at once; past the cap
# the rest are turned away at once, and ps answers again after.  Actors
# are unaffected throughout: one is spawned and run after.
# (Slowloris, 29, and EMFILE on accept, 32, are in tests/e2e/control_fault.sh.)
. "$(dirname "$0")/lib.sh"

[[ -x $POKE ]] || fail "no $POKE (make all builds it)"
fault_app '
local function case()
    assert(io.readline() == "poked")
    io.print("exec " .. tostring(process.exec("t:warm", "t:procs")))
end'
start_fault
sock=$(echo "$T"/run/*.sock)
[[ -S $sock ]] || fail "no control socket"
for seed in $(seq 1 1000); do
	"$POKE" garbage "$sock" "$seed" >"$T/poke" 2>&1 ||
		fail "seed $seed: $(cat "$T/poke")"
done
"$POKE" fds "$sock" 10 >"$T/poke" 2>&1 || fail "$(cat "$T/poke")"
grep -q "control: .*passed descriptors" "$T/err" || fail "fds not logged"
check_fds_back
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
n=$(( $(ulimit -n) - 100 ))
(( n > 10000 )) && n=10000
echo "$n connections at once"
"$POKE" hold "$sock" "$n" 0 >"$T/hold" 2>&1 || fail "hold: $(cat "$T/hold")"
grep -qx "refused $(( n - 32 ))" "$T/hold" || fail "$n connections: $(cat "$T/hold")"
answers() {
	"$OSACTOR" ps -d "$APP" >"$T/ps" 2>/dev/null
}
wait_for answers || fail "ps no longer answers after the flood"
send_line poked
wait_done
out_has "exec 0" || fail "$(grep exec "$T/out")"
finish_fault
