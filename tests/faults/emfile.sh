#!/bin/bash
# Case 47, emfile: with the supervisor's RLIMIT_NOFILE lowered to the
# descriptors it holds (prlimit from outside), the spares made ahead
# still become actors (they need no new descriptor), then a spawn fails
# with a clear error and forks nothing; once the limit is back, spawns
# work again.
. "$(dirname "$0")/lib.sh"

command -v prlimit >/dev/null || { echo "prlimit is not installed"; exit 77; }
fault_app '
local function case()
    assert(io.readline() == "limited")
    local events = process.events()
    local pid, err
    for _ = 1, 3 do		-- two spares, then none
        pid, err = process.spawn_monitored("t:warm", "t:procs")
        if not pid then
            break
        end
        assert(events:receive().from == pid)
    end
    io.print("spawn " .. tostring(pid) .. " " .. tostring(err))
    assert(io.readline() == "restored")
    io.print("exec " .. tostring(process.exec("t:warm", "t:procs")))
end'
start_fault
soft=$(prlimit --pid "$SUP" --nofile --noheadings --output=SOFT) || fail "prlimit"
free=0
while [[ -e /proc/$SUP/fd/$free ]]; do
	free=$((free + 1))
done
scan "$SUP"
kids=${#KIDS[@]}
prlimit --pid "$SUP" --nofile="$free": || fail "prlimit --nofile=$free"
send_line limited
wait_for grep -q '^spawn ' "$T/out" || fail "no spawn result"
prlimit --pid "$SUP" --nofile="$soft": || fail "prlimit back"

grep -q '^spawn nil .*Too many open files' "$T/out" || fail "$(grep '^spawn' "$T/out")"
scan "$SUP"
(( ${#KIDS[@]} == kids )) || fail "a process was forked: ${KIDS[*]}"
# The spares' sockets went with their actors, none came back, and the
# failed spawn left none; finish_fault sees the baseline again, once the
# spawn after the limit has filled the pool.
spares_gone() { (( $(fd_count "$SUP") == FD_BASE - 2 )); }
wait_for spares_gone || fail "supervisor fds: $(fd_count "$SUP"), want $((FD_BASE - 2))"
send_line restored
wait_done
out_has "exec 0" || fail "no recovery: $(grep exec "$T/out")"
finish_fault
