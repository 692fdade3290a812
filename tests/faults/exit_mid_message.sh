#!/bin/bash
# Case 2, exit-mid-message: an actor sent 10 messages takes 4, says so,
# and is killed (kill -9 from outside: actors have no os.exit) while the
# other 6 wait for it, wherever they are: in the supervisor's queue, its
# socket or its shim's inbox.  The supervisor counts them: its log names
# the actor and says 6 were not taken, and ps says the app has 6 dead
# letters.  A later send gives "process not found".
. "$(dirname "$0")/lib.sh"

cat >"$T/child.lua" <<'LUA'
return { main = function(parent)
    local inbox = process.inbox()
    for _ = 1, 4 do inbox:receive() end
    process.send(parent, "took", 4)
    time.sleep("1h")
end }
LUA
fault_app '
local function case()
    local events, inbox = process.events(), process.inbox()
    local c = assert(process.spawn_monitored("t:child", "t:procs", process.pid()))
    for i = 1, 10 do assert(process.send(c, "m", i)) end
    -- Answered after the 10 sends were routed: frames leave in order.
    assert(process.registry.lookup("nobody") == nil)
    io.print("took " .. inbox:receive():payload():data())
    io.print("child " .. c)
    local ev = events:receive()
    assert(ev.kind == process.event.EXIT and ev.from == c)
    io.print("exit " .. tostring(ev.result.error))
    local ok, err = process.send(c, "late", 11)
    io.print("late " .. tostring(ok) .. " " .. tostring(err))
end'
start_fault
wait_for out_has "took 4" || fail "the child did not take 4: $(cat "$T/out")"
child_proc
cpid=$(sed -n 's/^child //p' "$T/out")
kill -9 "$CHILD" || fail "kill -9"
wait_done
out_has "exit killed by signal 9" || fail "$(grep exit "$T/out")"
out_has "late nil process not found" || fail "$(grep late "$T/out")"
grep -qF "t:child $cpid: ended with 6 messages not taken" "$T/err" ||
	fail "no count of 6 in the log: $(grep -F 'not taken' "$T/err")"
[[ $(grep -c 'not taken' "$T/err") == 1 ]] || fail "other counts: $(grep 'not taken' "$T/err")"
# The late send was refused: a dead letter too.
"$OSACTOR" ps -d "$APP" >"$T/ps" 2>&1 || fail "ps: $(cat "$T/ps")"
[[ $(tail -n 1 "$T/ps") == "dead letters: 7" ]] || fail "ps: $(cat "$T/ps")"
finish_fault
