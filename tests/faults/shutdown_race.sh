#!/bin/bash
# Case 20, shutdown-race: when the app ends, 100 actors that exit by
# themselves on their CANCEL race a 1 ms stop timeout's SIGKILLs.  The
# shutdown finishes (exit 0), no kill fails (one to a reaped pid would
# be logged), and nothing is left behind.
. "$(dirname "$0")/lib.sh"

cat >"$T/child.lua" <<'LUA'
return { main = function(main)
    local events = process.events()
    process.send(main, "up")
    events:receive()
    return 0
end }
LUA
fault_app '
local function case()
    local inbox = process.inbox()
    for i = 1, 100 do assert(process.spawn("t:child", "t:procs", process.pid())) end
    for i = 1, 100 do inbox:receive() end
end'
start_fault --stop-timeout 1ms
wait_done
FD_BASE=""		# the 100 live on until the end
finish_fault
grep -E 'WARN .*kill|ERROR  *osactor' "$T/err" && fail "a kill failed"
[[ $(grep -c 'exited' "$T/err") -ge 100 ]] || fail "not every actor's end was logged"
exit 0
