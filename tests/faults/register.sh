#!/bin/bash
# Case 37, register: a name held by another actor is refused ("name
# already registered"); 20 actors racing for one name give exactly one
# winner; "" and a name with a NUL are refused with nil and an error, one
# past 1024 bytes (10 KB) raises an argument error; once its owner dies
# the name is free for another.
. "$(dirname "$0")/lib.sh"

cat >"$T/child.lua" <<'LUA'
return { main = function(main)
    local ok, err = process.registry.register("prize")
    process.send(main, "race", ok == true, tostring(err))
    process.inbox():receive()
    return 0
end }
LUA
fault_app '
local function case()
    local inbox, events = process.inbox(), process.events()
    local kids, wins, losses, other = {}, 0, 0, ""
    for i = 1, 20 do kids[i] = assert(process.spawn_monitored("t:child", "t:procs", process.pid())) end
    for i = 1, 20 do
        local p = inbox:receive():payload()
        if p[1]:data() then wins = wins + 1
        elseif p[2]:data() == "name already registered" then losses = losses + 1
        else other = p[2]:data() end
    end
    io.print("race wins " .. wins .. " losses " .. losses .. other)
    local owner = assert(process.registry.lookup("prize"))
    local ok, err = process.registry.register("prize")
    io.print("taken " .. tostring(ok) .. " " .. tostring(err))
    ok, err = process.registry.register("")
    io.print("empty " .. tostring(ok) .. " " .. tostring(err ~= nil))
    ok, err = process.registry.register("a\0b")
    io.print("nul " .. tostring(ok) .. " " .. tostring(err ~= nil))
    io.print("10k raises " .. tostring(not pcall(process.registry.register, string.rep("n", 10240))))
    assert(process.terminate(owner))
    repeat local ev = events:receive() until ev.from == owner
    io.print("freed " .. tostring(process.registry.register("prize")))
    for i = 1, 20 do if kids[i] ~= owner then process.send(kids[i], "bye") end end
    for i = 1, 19 do events:receive() end
end'
start_fault
wait_done
for want in "race wins 1 losses 19" "taken nil name already registered" \
    "empty nil true" "nul nil true" "10k raises true" "freed true"; do
	out_has "$want" || fail "want '$want': $(tr '\n' ';' <"$T/out")"
done
finish_fault
