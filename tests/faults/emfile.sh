#!/bin/bash
# Case 47, emfile: with the supervisor's RLIMIT_NOFILE lowered to the
# descriptors it holds (prlimit from outside), the spares made ahead
# still become actors (they hold their sockets already; these actors stay
# alive, so none gives one back), then a spawn fails with a clear error
# and forks nothing; once the limit is back, spawns work again.
. "$(dirname "$0")/lib.sh"

command -v prlimit >/dev/null || { echo "prlimit is not installed"; exit 77; }
printf 'return { main = function() process.inbox():receive() end }\n' \
    >"$T/child.lua"
fault_app '
local function case()
    assert(io.readline() == "limited")
    local events = process.events()
    local live, pid, err = {}, nil, nil
    for _ = 1, 10 do		-- the spares there are, then none
        pid, err = process.spawn_monitored("t:child", "t:procs")
        if not pid then
            break
        end
        live[#live + 1] = pid
    end
    io.print("spawned " .. #live)
    io.print("spawn " .. tostring(pid) .. " " .. tostring(err))
    assert(io.readline() == "restored")
    for _, p in ipairs(live) do
        process.send(p, "quit")
        assert(events:receive().from == p)
    end
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
n=$(sed -n 's/^spawned //p' "$T/out")
(( n <= 4 )) || fail "$n spawns with no descriptor to spare, want at most 4"
# The n actors were spares; nothing else was forked.
scan "$SUP"
(( ${#KIDS[@]} == kids + n )) || fail "a process was forked: ${KIDS[*]}"
send_line restored
wait_done
out_has "exec 0" || fail "no recovery: $(grep exec "$T/out")"
finish_fault
