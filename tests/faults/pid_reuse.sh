#!/bin/bash
# Case 49, pid-reuse: actor A is killed; the next actor, B, is given A's
# OS pid (ns_last_pid is set to just before it, retried while other
# processes of the machine take it first).  A's stale handle cannot touch
# B: terminate, send and monitor of A all fail as for any dead actor,
# and B lives on to end normally.
. "$(dirname "$0")/lib.sh"

[[ -w /proc/sys/kernel/ns_last_pid ]] ||
	{ echo "cannot write /proc/sys/kernel/ns_last_pid (needs root)"; exit 77; }
sleeper_child
fault_app '
local function case()
    local events = process.events()
    local a = assert(process.spawn_monitored("t:child", "t:procs"))
    io.print("child " .. a)
    assert(events:receive().from == a)
    local b
    repeat
        assert(io.readline() == "again")
        if b then
            assert(process.terminate(b))
            assert(events:receive().from == b)
        end
        b = assert(process.spawn_monitored("t:child", "t:procs"))
        io.print("child " .. b)
    until io.readline() == "same"
    local t1, e1 = process.terminate(a)
    local s1, e2 = process.send(a, "x")
    local m1, e3 = process.monitor(a)
    io.print("terminate " .. tostring(e1) .. "; send " .. tostring(e2) .. "; monitor " .. tostring(e3))
    assert(process.send(b, "bye"))
    local ev = events:receive()
    io.print("b " .. tostring(ev.from == b) .. " " .. tostring(ev.result.error))
end'
start_fault --spawn=exec
child_proc
old=$CHILD
kill -KILL "$old" || fail "kill"
wait_for exited "$old" || fail "A lives on"
children_printed() {
	(( $(grep -c '^child ' "$T/out") == $1 ))
}
for try in $(seq 1 50); do
	echo $((old - 1)) >/proc/sys/kernel/ns_last_pid || fail "ns_last_pid"
	send_line again
	wait_for children_printed $((try + 1)) || fail "no child $try"
	child_proc
	[[ $CHILD == "$old" ]] && break
	send_line other
done
[[ $CHILD == "$old" ]] || { echo "OS pid $old was taken by others 50 times"; exit 77; }
send_line same
wait_done
out_has "terminate process not found; send process not found; monitor pid not registered" ||
	fail "$(grep terminate "$T/out")"
out_has "b true nil" || fail "B was hit: $(grep '^b ' "$T/out")"
finish_fault
