#!/bin/bash
# Case 47, emfile: with the supervisor's RLIMIT_NOFILE lowered to the
# descriptors it holds (prlimit from outside), a spawn fails with a clear
# error and forks nothing; once the limit is back, spawns work again.
. "$(dirname "$0")/lib.sh"

command -v prlimit >/dev/null || { echo "prlimit is not installed"; exit 77; }
fault_app '
local function case()
    assert(io.readline() == "limited")
    local pid, err = process.spawn("t:warm", "t:procs")
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
check_fds_back
send_line restored
wait_done
out_has "exec 0" || fail "no recovery: $(grep exec "$T/out")"
finish_fault
