#!/bin/bash
# Case 42, slow-consumer: 100,000 messages of 1 KB to an actor stopped
# with SIGSTOP (it reads nothing): the supervisor's memory stays bounded
# (past a high-water mark on its queue to a receiver it stops reading the
# sender), the sender's process.send then waits while its own queue is
# past its high-water mark (so the sender's memory is bounded too), and
# once SIGCONT resumes the receiver every message arrives, in order.
. "$(dirname "$0")/lib.sh"

N=100000
cat >"$T/child.lua" <<LUA
return { main = function()
    local inbox = process.inbox()
    for i = 1, $N do
        local m = inbox:receive():payload():data()
        if m.i ~= i or #m.s ~= 1000 then error("message " .. i .. " lost or out of order") end
    end
    return $N
end }
LUA
fault_app "
local function case()
    local events = process.events()
    local pid = assert(process.spawn_monitored('t:child', 't:procs'))
    io.print('child ' .. pid)
    assert(io.readline() == 'stopped')
    local s = string.rep('k', 1000)
    for i = 1, $N do
        assert(process.send(pid, 'n', { i = i, s = s }))
        if i % 1000 == 0 then io.print('sent ' .. i) end
    end
    local ev = events:receive()
    io.print('result ' .. tostring(ev.result.value) .. ' ' .. tostring(ev.result.error))
end"
rss_kb() {
	awk -v k="$2" '$1 == k":" { print $2 }' /proc/"$1"/status
}
start_fault
child_proc
child=$CHILD
base=$(rss_kb "$SUP" VmRSS)
sender=$(pgrep -P "$SUP" -f '^osactor: t:main ') || fail "no sender process"
sbase=$(rss_kb "$sender" VmRSS)
kill -STOP "$child" || fail "kill -STOP"
send_line stopped
# The stopped child's queue in the supervisor passes its high-water mark
# and the supervisor stops reading the sender: ps says it is stalled.
sender_stalled() {
	"$OSACTOR" ps -d "$APP" --json |
	    grep -q '"entry":"t:main".*"state":"stalled"'
}
wait_for sender_stalled || fail "the sender was never stalled"
kill -CONT "$child" || fail "kill -CONT"
wait_done 30
out_has "result $N nil" || fail "$(grep result "$T/out")"
peak=$(rss_kb "$SUP" VmHWM)
echo "supervisor RSS $base kB at the start, peak $peak kB"
(( peak - base < 16384 )) || fail "supervisor RSS grew from $base to $peak kB"
# 100 MB were sent: a sender that buffered them all would have grown by as
# much; it waited instead.  Growth, not size: an actor's RSS counts the
# code it shares with the zygote, several MB in a sanitizer build, where
# ASan's shadow and allocator add some 24 MB to the 1.5 MB of growth.
grow=16384
[[ ${SANITIZE:-} == 1 ]] && grow=65536
speak=$(rss_kb "$sender" VmHWM)
echo "sender RSS $sbase kB at the start, peak $speak kB"
(( speak - sbase < grow )) ||
	fail "the sender buffered its sends: RSS grew from $sbase to $speak kB"
finish_fault
