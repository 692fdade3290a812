# tests/faults/lib.sh: what the fault scripts share, on top of
# tests/e2e/lib.sh (process tracking, wait_for, check_no_leftovers).
#
# A fault script writes its app into $T/app (fault_app), runs it with
# start_fault, which waits for the main actor's "ready" (printed after a
# warm-up spawn, so a zygote that starts lazily is in the baseline), takes
# the supervisor's descriptor baseline, and says "go" on stdin.  The main
# actor then provokes its case, prints what a test checks, prints "done",
# and waits for a line on stdin; finish_fault checks the standing checks
# of RELIABILITY.md section 2 and ends the app:
#   - the supervisor is alive
#   - no zombie with ppid = supervisor
#   - its fd count is back at the baseline
#   - the app exits 0 and leaves no process behind
# Sanitizers: tests/run runs this suite in the sanitizer build too, where
# ASan/UBSan abort the supervisor on an error (abort_on_error=1), which
# the first check catches.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

export OSACTOR_RUNTIME_DIR=$T/run
POKE=$B/tests/bin/ctlpoke
FD_BASE=""

# fd_baseline: remember the supervisor's descriptor count.
fd_baseline() {
	FD_BASE=$(sup_fds)
}

fds_at_base() {
	[[ $(sup_fds) == "$FD_BASE" ]]
}

# check_fds_back: the supervisor's count returns to the baseline (bounded:
# an actor's socket is closed when its EXIT has been handled).
check_fds_back() {
	wait_for fds_at_base ||
		fail "supervisor fds but spares': $(sup_fds), baseline $FD_BASE: $(ls -l /proc/"$SUP"/fd | tail -n +2 | tr '\n' ';')"
}

# check_standing: the supervisor lives, has no zombie child, and holds
# the descriptors it held at the baseline.
check_standing() {
	running "$SUP" || fail "the supervisor died"
	zombie_children "$SUP" && fail "zombie children of the supervisor"
	[[ -z $FD_BASE ]] || check_fds_back
}

# fault_app MAIN_LUA [EXTRA_YAML]: write $T/app: a terminal host t:term,
# a process host t:procs, the main actor t:main from MAIN_LUA and a child
# t:child from $T/child.lua if the script wrote one; EXTRA_YAML is appended
# to the entries.  The main actor gets the prelude below (ready/go, done/
# quit), so MAIN_LUA defines only: local function case() ... end.
fault_app() {
	APP=$T/app
	mkdir -p "$APP" || fail "mkdir $APP"
	{
		cat <<-'LUA'
		local function warm()
		    local ev = process.events()
		    local p = assert(process.spawn_monitored("t:warm", "t:procs"))
		    local e = ev:receive()
		    assert(e.from == p)
		end
		LUA
		printf '%s\n' "$1"
		cat <<-'LUA'
		return { main = function()
		    warm()
		    io.print("ready")
		    assert(io.readline() == "go")
		    case()
		    io.print("done")
		    io.readline()
		    return 0
		end }
		LUA
	} >"$APP/main.lua"
	printf 'return { main = function() return 0 end }\n' >"$APP/warm.lua"
	cat >"$APP/_index.yaml" <<-EOF
	version: "1.0"
	namespace: t
	entries:
	  - name: term
	    kind: terminal.host
	    lifecycle:
	      auto_start: true
	  - name: procs
	    kind: process.host
	    lifecycle:
	      auto_start: true
	  - name: main
	    kind: process.lua
	    source: file://main.lua
	    modules: [time, io, logger, json]
	  - name: warm
	    kind: process.lua
	    source: file://warm.lua
	EOF
	if [[ -f $T/child.lua ]]; then
		mv "$T/child.lua" "$APP/child.lua" || fail "mv child.lua"
		cat >>"$APP/_index.yaml" <<-EOF
		  - name: child
		    kind: process.lua
		    source: file://child.lua
		    modules: [time, json]
		EOF
	fi
	[[ -z ${2-} ]] || printf '%s\n' "$2" >>"$APP/_index.yaml"
}

# start_fault [OPTIONS...]: run the app, wait for "ready", take the fd
# baseline, say "go".
start_fault() {
	start_app "$APP" -v "$@" -x t:main
	wait_for -t 20 out_has ready || fail "the app never said ready"
	fd_baseline
	send_line go
}

# wait_done: the case has run in the main actor.
wait_done() {
	wait_for -t "${1:-20}" out_has done || fail "the case never finished"
}

# finish_fault: the standing checks, then the app ends with status 0 and
# leaves nothing behind.
finish_fault() {
	check_standing
	send_line quit
	close_stdin
	wait_exit "$SUP" 20
	[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
	check_no_leftovers
}

# child_proc: set CHILD to the OS pid of the actor whose pid the main
# actor printed as "child PID".
child_proc() {
	local cpid
	wait_for grep -q '^child ' "$T/out" || fail "no child line"
	cpid=$(sed -n 's/^child //p' "$T/out" | tail -n 1)
	wait_for actor_pid "$SUP" "osactor: t:child $cpid" ||
		fail "no process for $cpid"
	CHILD=$PID
}

# sleeper_child: t:child waits for one message, then returns 0.
sleeper_child() {
	printf '%s\n' 'return { main = function() process.inbox():receive() return 0 end }' \
	    >"$T/child.lua"
}

# socket_backlog PID: the actor PID's socket (fd 3) holds more than 100 kB
# it has not read (ss shows them as its Recv-Q).
socket_backlog() {
	ss -xp | awk -v p="pid=$1,fd=3)" 'index($0, p) && $3 > 100000 { f = 1 }
	    END { exit !f }'
}
