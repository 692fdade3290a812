#!/bin/bash
# Case 36, send-stale: sends to the pid of an actor that has exited fail
# with "process not found", and never reach a newer actor: ids are not
# reused, so the next child, though it may get the same OS pid, gets
# none of them.  Each refused send is a dead letter: ps's count grows by
# exactly 100.  Then 1001 sends race an actor's end (process.terminate):
# each is either routed and never taken, or refused (silently when it
# was pipelined before the sender read the end's GONE, which the busy
# loop makes likely); either way one dead letter, 1101 in all.
. "$(dirname "$0")/lib.sh"

cat >"$T/child.lua" <<'LUA'
return { main = function(mode)
    if mode == "sleep" then time.sleep("1h") end
    local inbox, n = process.inbox(), 0
    while inbox:receive():topic() ~= "stop" do n = n + 1 end
    return n
end }
LUA
fault_app '
local function case()
    local events = process.events()
    local old = assert(process.spawn_monitored("t:child", "t:procs"))
    assert(process.send(old, "stop"))
    assert(events:receive().from == old)
    local new = assert(process.spawn_monitored("t:child", "t:procs"))
    local refused = 0
    for i = 1, 100 do
        local ok, err = process.send(old, "stale", i)
        if ok == nil and tostring(err) == "process not found" then refused = refused + 1 end
    end
    assert(process.send(new, "stop"))
    local ev = events:receive()
    io.print("new ~= old " .. tostring(new ~= old) .. " refused " .. refused .. " new got " .. tostring(ev.result.value))
    assert(io.readline() == "race")
    local s = assert(process.spawn_monitored("t:child", "t:procs", "sleep"))
    assert(process.send(s, "x", 0))
    assert(process.terminate(s))
    -- Not reading the link: the supervisor reaps s meanwhile, most likely.
    local t0 = os.clock()
    while os.clock() - t0 < 0.2 do end
    for i = 1, 1000 do process.send(s, "x", i) end
    -- Answered after the sends were routed: frames leave in order.
    assert(process.registry.lookup("nobody") == nil)
    ev = events:receive()
    io.print("raced " .. tostring(ev.from == s) .. " " .. tostring(ev.result.error))
end'
dead_letters() {
	"$OSACTOR" ps -d "$APP" >"$T/ps" 2>&1 || fail "ps: $(cat "$T/ps")"
	[[ $(tail -n 1 "$T/ps") == "dead letters: $1" ]] ||
		fail "want $1 dead letters: $(tail -n 1 "$T/ps")"
}
start_fault
wait_for out_has "new ~= old true refused 100 new got 0" ||
	fail "$(grep refused "$T/out")"
dead_letters 100
send_line race
wait_done
out_has "raced true process terminated" || fail "$(grep raced "$T/out")"
dead_letters 1101
finish_fault
