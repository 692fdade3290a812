#!/bin/bash
# Case 10, exit-storm: 200 monitored actors killed together (one kill -9
# of all 200 OS processes): exactly 200 EXITs, one per actor, each
# "killed by signal 9", no zombie left.
. "$(dirname "$0")/lib.sh"

N=200
sleeper_child
fault_app "
local function case()
    local events = process.events()
    local kids = {}
    for i = 1, $N do kids[assert(process.spawn_monitored('t:child', 't:procs'))] = true end
    io.print('spawned')
    local n, bad = 0, 0
    while n < $N do
        local ev = events:receive()
        if not kids[ev.from] or tostring(ev.result.error) ~= 'killed by signal 9' then bad = bad + 1 end
        kids[ev.from] = nil
        n = n + 1
    end
    -- Any EXIT past the 200th would come before this one's.
    local last = assert(process.spawn_monitored('t:child', 't:procs'))
    assert(process.terminate(last))
    local ev = events:receive()
    io.print('exits ' .. n .. ' bad ' .. bad .. ' extra ' .. tostring(ev.from ~= last))
end"
start_fault
wait_for out_has spawned || fail "no spawns"
all_up() {
	scan "$SUP"
	pids=()
	for p in "${!KIDS[@]}"; do
		[[ ${KIDS[$p]} == "osactor: t:child "* ]] && pids+=("$p")
	done
	(( ${#pids[@]} == N ))
}
wait_for all_up || fail "only ${#pids[@]} children up"
kill -KILL "${pids[@]}" || fail "kill"
wait_done
out_has "exits $N bad 0 extra false" || fail "$(grep exits "$T/out")"
finish_fault
