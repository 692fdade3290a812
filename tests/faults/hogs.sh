#!/bin/bash
# Case 50, hogs: an actor that grows a string table forever on a host
# with a 64 MiB memory limit fails with "not enough memory" (its EXIT says
# so; not in the sanitizer build, whose shadow memory no RLIMIT_AS
# allows); an actor spinning in `while true do end`, which can never read
# its CANCEL, is SIGKILLed once the stop timeout has passed when the app
# ends (the supervisor's log says so, and then that it exited with an
# error), and the app still exits 0 with nothing left behind.
. "$(dirname "$0")/lib.sh"

cat >"$T/child.lua" <<'LUA'
return { main = function(how)
    if how == "hog" then
        local t = {}
        for i = 1, 1e9 do t[i] = string.rep("x", 65536) .. i end
    end
    process.events()
    while true do end
end }
LUA
fault_app "
local function case()
    local events = process.events()
    if '${SANITIZE:-}' ~= '1' then
        local pid = assert(process.spawn_monitored('t:child', 't:small', 'hog'))
        local ev = events:receive()
        io.print('hog: ' .. tostring(ev.from == pid) .. ' ' .. tostring(ev.result.error):match('not enough memory'))
    end
    io.print('child ' .. assert(process.spawn('t:child', 't:procs', 'spin')))
end" '  - name: small
    kind: process.host
    limits:
      memory: 64MiB
    lifecycle:
      auto_start: true'
start_fault --stop-timeout 300ms
child_proc
spinning() {
	[[ $(proc_field "$CHILD" 3) == R ]] && (( $(proc_field "$CHILD" 14) > 0 ))
}
wait_for spinning || fail "the spinner does not spin"
wait_done
[[ ${SANITIZE:-} == 1 ]] || out_has "hog: true not enough memory" ||
	fail "$(grep hog "$T/out")"
# The spinner holds its socket until the app ends, so the descriptor
# baseline is not checked; that nothing is left after the end is.
FD_BASE=""
spinner=$(sed -n 's/^child //p' "$T/out" | tail -n 1)
finish_fault
# log_at TEXT: the number of the first line of the log holding TEXT.
log_at() {
	local l
	l=$(grep -nF -m1 -- "$1" "$T/err") || return 1
	printf '%s\n' "${l%%:*}"
}
killed=$(log_at "t:child $spinner: stop timeout; killing it") ||
	fail "the spinner was not killed at the stop timeout"
exited=$(log_at "t:child $spinner exited (error)") ||
	fail "no error exit of the spinner in the log"
(( killed < exited )) || fail "the spinner exited before it was killed"
