#!/bin/bash
# Case 45, spawn-10k: 10,000 actors spawned one after another, each
# ending at once: 10,000 EXITs, all normal; the supervisor's descriptors
# are back at their baseline and its resident memory grew by at most 5 MB
# (not in the sanitizer build, where ASan's quarantine keeps freed memory
# resident on purpose; there 2,000, to stay in time).  SPAWN_N=N runs N.
. "$(dirname "$0")/lib.sh"

N=10000
[[ ${SANITIZE:-} == 1 ]] && N=2000	# a sanitized spawn is 7 times slower
N=${SPAWN_N:-$N}
fault_app "
local function case()
    local events = process.events()
    local ok = 0
    for i = 1, $N do
        local pid = assert(process.spawn_monitored('t:warm', 't:procs'))
        local ev = events:receive()
        if ev.from == pid and ev.result.error == nil then ok = ok + 1 end
    end
    io.print('exits ' .. ok)
end"
rss_kb() {
	awk '$1 == "VmRSS:" { print $2 }' /proc/"$1"/status
}
start_fault
base=$(rss_kb "$SUP")
wait_done 50
out_has "exits $N" || fail "$(grep exits "$T/out"), want $N"
check_fds_back
now=$(rss_kb "$SUP")
echo "supervisor RSS $base kB before, $now kB after $N spawns"
[[ ${SANITIZE:-} == 1 ]] || (( now - base <= 5120 )) || fail "RSS grew from $base to $now kB"
finish_fault
