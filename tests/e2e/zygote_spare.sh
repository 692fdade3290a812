#!/bin/bash
# The supervisor keeps four spares, cloned by the zygote ahead of the
# next spawns: children of the supervisor titled "osactor: spare app",
# each in its own session, holding stdio and one socket (its actor's, to
# be), none of the zygote's.  The next actor is one of them (the
# supervisor logs the spare's OS pid for it), and the others stay; spares
# killed meanwhile cost nothing: the spawn clones instead (or takes a
# spare made since), and the pool, down to two or fewer, is filled again
# (supervisor/spare.c).
. "$(dirname "$0")/lib.sh"

# spares N [NOT...]: set SP to the supervisor's spares when there are N
# or more, none of them one of NOT.
spares() {
	local want=$1 pid ppid args not
	shift
	SP=()
	while read -r pid ppid args; do
		[[ $ppid == "$SUP" && $args == "osactor: spare app" ]] ||
			continue
		for not in "$@"; do
			[[ $pid != "$not" ]] || return 1
		done
		SP+=("$pid")
	done < <(ps -eo pid=,ppid=,args=)
	(( ${#SP[@]} >= want ))
}

# spare_fds PID: stdio and exactly one socket, not on fd 3.
spare_fds() {
	local fd target n=0
	for fd in /proc/"$1"/fd/*; do
		target=$(readlink "$fd") || continue
		case ${fd##*/} in
		0 | 1 | 2) ;;
		3) fail "the spare holds fd 3 ($target)" ;;
		*) [[ $target == socket:* ]] ||
			fail "the spare holds fd ${fd##*/} -> $target"
			n=$((n + 1)) ;;
		esac
	done
	(( n == 1 )) || fail "the spare holds $n sockets, want 1"
}

seed_app
start_app "$APP" -v -x app:terminal/app:cli
wait_for actor_up "$RELAY_TITLE" || fail "no relay actor"
# Four, or three when the terminal's actor took one.
wait_for spares 3 || fail "no spares among the supervisor's children"
first=("${SP[@]}")
for p in "${first[@]}"; do
	track "$p"
	[[ $(proc_field "$p" 6) == "$p" ]] ||
		fail "spare $p is not in its own session"
	spare_fds "$p"
done

send_line "one"
wait_for out_line_ends "  ONE" || fail "no echo"
used=""
for p in "${first[@]}"; do
	grep -q "as OS pid $p (spare)" "$T/err" && used=$p
done
[[ -n $used ]] || fail "the worker was not a spare (${first[*]})"
wait_for spares 2 "$used" || fail "the other spares went with the spawn"
second=("${SP[@]}")

for p in "${second[@]}"; do
	track "$p"
	kill -KILL "$p"
done
gone() { local p; for p in "${second[@]}"; do ! running "$p" || return 1; done; }
wait_for gone || fail "a spare survived SIGKILL"
for p in "${second[@]}"; do
	wait_for grep -q "spare OS pid $p ended unused" "$T/err" ||
		fail "spare $p was not dropped"
done
send_line "two"
wait_for out_line_ends "  TWO" || fail "no echo once the spares were killed"
for p in "${second[@]}"; do
	! grep -q "as OS pid $p (spare)" "$T/err" ||
		fail "a killed spare (OS pid $p) was given the worker"
done
wait_for spares 3 "${second[@]}" ||
	fail "the pool was not filled again after the killed spares"

close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
