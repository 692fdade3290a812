#!/bin/bash
# Case 49, pid-reuse: actor A is killed; the next actor, B, is given A's
# OS pid (ns_last_pid is set to just before it, retried while other
# processes of the machine take it first; skipped, 77, if they always do).  A's stale handle cannot touch
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
# Between setting ns_last_pid and the spawn this shell must fork nothing
# (a fork would take the pid): count the lines and wait with builtins.
children_printed() {
	local l n=0
	mapfile -t l <"$T/out"
	for l in "${l[@]}"; do
		[[ $l == "child "* ]] && n=$((n + 1))
	done
	(( n == $1 ))
}
mkfifo "$T/tick" && exec 4<>"$T/tick" || fail "mkfifo"
wait_nofork() {
	local i
	for (( i = 0; i < 500; i++ )); do
		"$@" && return 0
		read -r -t 0.02 -u 4
	done
	return 1
}
GOT=()
for try in $(seq 1 50); do
	echo $((old - 1)) >/proc/sys/kernel/ns_last_pid || fail "ns_last_pid"
	send_line again
	wait_nofork children_printed $((try + 1)) || fail "no child $try"
	child_proc
	GOT+=("$CHILD")
	[[ $CHILD == "$old" ]] && break
	send_line other
done
[[ $CHILD == "$old" ]] || { echo "got: ${GOT[*]}"; echo "OS pid $old was taken by other processes 50 times"; exit 77; }
send_line same
wait_done
out_has "terminate process not found; send process not found; monitor pid not registered" ||
	fail "$(grep terminate "$T/out")"
out_has "b true nil" || fail "B was hit: $(grep '^b ' "$T/out")"
finish_fault
