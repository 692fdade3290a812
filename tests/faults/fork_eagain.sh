#!/bin/bash
# Case 46, fork-eagain: with the supervisor's RLIMIT_NPROC lowered to 1
# (prlimit from outside; the supervisor itself is that one process), a
# spawn fails with nil and an error naming EAGAIN's message, and leaves
# no half-built actor (no process, no descriptor); once the limit is
# back, spawns work again.  Root ignores RLIMIT_NPROC, so the app runs
# under --user nobody, with --spawn=exec so the supervisor does the fork.
. "$(dirname "$0")/lib.sh"

command -v prlimit >/dev/null || { echo "prlimit is not installed"; exit 77; }
need_nobody "to run the app as nobody (root ignores RLIMIT_NPROC)"
need_open_path
fault_app '
local function case()
    assert(io.readline() == "limited")
    local pid, err = process.spawn("t:warm", "t:procs")
    io.print("spawn " .. tostring(pid) .. " " .. tostring(err))
    assert(io.readline() == "restored")
    io.print("exec " .. tostring(process.exec("t:warm", "t:procs")))
end'
chmod 755 "$T" "$APP" && chmod 644 "$APP"/* || fail "chmod"
mkdir -m 700 "$OSACTOR_RUNTIME_DIR" && chown nobody "$OSACTOR_RUNTIME_DIR" ||
	fail "runtime dir"
start_fault --user nobody --spawn=exec
# As nobody: changing another uid's limits takes CAP_SYS_RESOURCE, which
# root may lack in a container; lowering one's own soft limit, and raising
# it back up to the hard one, takes nothing.
hard=$(as_nobody prlimit --pid "$SUP" --nproc --noheadings --output=HARD 2>&1) ||
	fail "prlimit: $hard"
soft=$(as_nobody prlimit --pid "$SUP" --nproc --noheadings --output=SOFT) ||
	fail "prlimit"
scan "$SUP"
kids=${#KIDS[@]}
as_nobody prlimit --pid "$SUP" --nproc=1:"$hard" || fail "prlimit --nproc=1"
send_line limited
wait_for grep -q '^spawn ' "$T/out" || fail "no spawn result"
as_nobody prlimit --pid "$SUP" --nproc="$soft":"$hard" || fail "prlimit back"
grep -q '^spawn nil .*Resource temporarily unavailable' "$T/out" ||
	fail "$(grep '^spawn' "$T/out")"
scan "$SUP"
(( ${#KIDS[@]} == kids )) || fail "a process was left: ${KIDS[*]}"
check_fds_back
send_line restored
wait_done
out_has "exec 0" || fail "no recovery: $(grep exec "$T/out")"
finish_fault
