#!/bin/bash
# The seccomp sandbox, read back from /proc/PID/status of live actors: an
# actor on a host with the default has "Seccomp: 2" (filter) and
# "NoNewPrivs: 1"; one on a host with "sandbox: false" has neither, and
# nor has the zygote, whose clones must each start unfiltered to load
# their code.  Both ways of spawning: the zygote's clone and --spawn=exec;
# and --no-sandbox, which turns the filter off for every actor.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/sandbox

# status PID FIELD: the value of FIELD in /proc/PID/status.
status() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}
check() {
	local got
	got=$(status "$1" "$2")
	[[ $got == "$3" ]] || fail "$4: $2 of OS pid $1 is '$got', want $3"
}
up() {
	actor_pid "$SUP" "osactor: t:wait {t:boxed|0x00002}" && boxed=$PID &&
	    actor_pid "$SUP" "osactor: t:wait {t:open|0x00004}" && open=$PID
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
