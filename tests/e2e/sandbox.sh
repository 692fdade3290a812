#!/bin/bash
# The seccomp sandbox, read back from /proc/PID/status of live actors: an
# actor on a host with the default has "Seccomp: 2" (filter) and
# "NoNewPrivs: 1"; one on a host with "sandbox: false" has neither, and
# nor has the zygote, whose clones must each start unfiltered to load
# their code.  Both ways of spawning: the zygote's clone and --spawn=exec;
# and --no-sandbox, which turns the filter off for every actor.  Spares
# have the filter on already, so an actor of a "sandbox: false" host is
# never given one: it is cloned, while one of a sandboxed host is a spare.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/sandbox
export OSACTOR_RUNTIME_DIR=$T/run

# status PID FIELD: the value of FIELD in /proc/PID/status.
status() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}
check() {
	local got
	got=$(status "$1" "$2")
	[[ $got == "$3" ]] || fail "$4: $2 of OS pid $1 is '$got', want $3"
}
# waiting HOST [NOT...]: set PID to a t:wait on HOST, none of NOT.
waiting() {
	local p host=$1
	shift
	for p in $(pgrep -P "$SUP" -f "^osactor: t:wait \\{$host\\|"); do
		[[ " $* " != *" $p "* ]] && PID=$p && return 0
	done
	return 1
}
up() {
	waiting t:boxed && boxed=$PID && waiting t:open && open=$PID
}
# zygote_pid: set ZPID to the zygote of $SUP.
zygote_pid() {
	local pid ppid args
	while read -r pid ppid args; do
		[[ $ppid == "$SUP" && $args == "osactor: zygote "* ]] || continue
		ZPID=$pid
		return 0
	done < <(ps -eo pid=,ppid=,args=)
	return 1
}

# spawn_on HOST HOW SECCOMP: the spawner's next actor on HOST came from
# HOW (the supervisor's log says "(spare)" or "(zygote)"), with that
# Seccomp.
spawn_on() {
	(cd "$app" && "$OSACTOR" send spawner spawn "\"$1\"") ||
		fail "osactor send spawner failed"
	wait_for waiting "$1" "$boxed" "$open" || fail "no new actor on $1"
	track "$PID"
	wait_for grep -q "as OS pid $PID ($2)" "$T/err" ||
		fail "the actor on $1 was not made by the $2"
	check "$PID" Seccomp "$3" "an actor on $1 spawned with spares ready"
}

for mode in zygote exec; do
	run_bg "$app" --spawn="$mode"
	wait_for up || fail "$mode: the services did not start"
	check "$boxed" Seccomp 2 "$mode, sandboxed"
	check "$boxed" NoNewPrivs 1 "$mode, sandboxed"
	check "$open" Seccomp 0 "$mode, sandbox: false"
	check "$open" NoNewPrivs 0 "$mode, sandbox: false"
	if [[ $mode == zygote ]]; then
		wait_for zygote_pid || fail "no zygote"
		check "$ZPID" Seccomp 0 zygote
		check "$ZPID" NoNewPrivs 0 zygote
		wait_for spares 3 || fail "no spares"
		spawn_on t:open zygote 0
		spawn_on t:boxed spare 2
	fi
	kill -TERM "$SUP"
	wait_exit "$SUP"
	[[ $STATUS == 0 ]] || fail "$mode: exit status $STATUS, want 0"
	check_no_leftovers
done

# --no-sandbox: no filter anywhere, whatever the host says.
run_bg "$app" --no-sandbox
wait_for up || fail "--no-sandbox: the services did not start"
check "$boxed" Seccomp 0 "--no-sandbox"
check "$boxed" NoNewPrivs 0 "--no-sandbox"
kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "--no-sandbox: exit status $STATUS, want 0"
check_no_leftovers
