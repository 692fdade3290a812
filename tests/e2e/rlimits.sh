#!/bin/bash
# A host's limits: are set in each of its actors (read back from
# /proc/PID/limits, so RLIMIT_NPROC is checked even as root, where it has
# no effect): cpu_time as the soft limit with the hard one a second above,
# so SIGXCPU comes first; an actor on a host without limits has no core
# files and the supervisor's other limits.  tests/apps/limits overruns
# memory and cpu_time.
. "$(dirname "$0")/lib.sh"

# AddressSanitizer reserves terabytes of address space: no RLIMIT_AS fits.
[[ ${SANITIZE:-} == 1 ]] && { echo "sanitizer build"; exit 77; }

app=$TESTS/e2e/apps/limits
"$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$app" </dev/null >"$T/out" 2>"$T/err" &
SUP=$!
SUPS+=("$SUP")
track "$SUP"
up() {
	actor_pid "$SUP" "osactor: t:wait {t:lim|0x00002}" && lim=$PID &&
	    actor_pid "$SUP" "osactor: t:wait {t:plain|0x00004}" && plain=$PID
}
wait_for up || fail "the services did not start"

# limit PID NAME: "SOFT HARD" of the limit named NAME (as proc(5) has it).
limit() {
	awk -v n="$2" 'index($0, n) == 1 {
	    $0 = substr($0, 27); print $1, $2 }' "/proc/$1/limits"
}
check() {
	local got
	got=$(limit "$1" "$2")
	[[ $got == "$3" ]] || fail "$2 of OS pid $1: $got, want $3"
}
check "$lim" "Max address space" "268435456 268435456"
check "$lim" "Max cpu time" "7 8"
check "$lim" "Max open files" "17 17"
check "$lim" "Max processes" "33 33"
check "$lim" "Max core file size" "1048576 1048576"
check "$plain" "Max core file size" "0 0"
for n in "Max cpu time" "Max open files" "Max processes" "Max address space"
do
	check "$plain" "$n" "$(limit "$SUP" "$n")"
done

kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
