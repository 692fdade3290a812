#!/bin/bash
# The supervisor keeps four spares, cloned by the zygote ahead of the
# next spawns: children of the supervisor titled "osactor: spare app",
# each in its own session, holding stdio and one socket (its actor's, to
# be, on fd 3), /dev/null for its actor's stdin, its epoll, none of the
# zygote's, its seccomp filter on, and of the zygote's heap only the
# pages in memory copied; with --no-sandbox there is no filter, in the
# spares or the worker.  The next actors are the oldest spares (the
# supervisor logs the spare's OS pid for each), and the others stay;
# spares killed meanwhile cost nothing: the spawn clones instead (or
# takes a spare made since), and the pool, down to two or fewer, is
# filled again (supervisor/spare.c).
. "$(dirname "$0")/lib.sh"

# spare_fds PID: stdio, its socket on fd 3, /dev/null and an epoll, on 4
# and 5, and nothing else.
spare_fds() {
	local fd target want
	for fd in /proc/"$1"/fd/*; do
		target=$(readlink "$fd") || continue
		case ${fd##*/} in
		0 | 1 | 2) continue ;;
		3) want='socket:*' ;;
		4) want=/dev/null ;;
		5) want='anon_inode:*eventpoll*' ;;
		*) want='' ;;
		esac
		# shellcheck disable=SC2053 # want is a pattern
		[[ -n $want && $target == $want ]] ||
			fail "the spare holds fd ${fd##*/} -> $target"
	done
	[[ -e /proc/$1/fd/3 && -e /proc/$1/fd/5 ]] ||
		fail "the spare lacks its socket or its epoll"
}

# heap_kib PID: how much of its malloc heap is in memory, in KiB; empty
# when it has none (a sanitizer's allocator keeps its own mappings).
heap_kib() {
	awk '/ \[heap\]$/ { h = 1 } h && $1 == "Rss:" { print $2; exit }' \
	    "/proc/$1/smaps"
}

# spare_heap PID ZYGOTE: a waiting spare has copied only the heap pages
# the zygote has in memory, not the ones malloc_trim gave back (a page
# or two more for what the spare allocated itself).
spare_heap() {
	local mine theirs
	theirs=$(heap_kib "$2")
	[[ -n $theirs ]] || return 0
	wait_for asleep_in "$1" " $SYS_RECV " ||
		fail "spare $1 does not come to wait in recvfrom"
	mine=$(heap_kib "$1")
	(( mine <= theirs + 8 )) ||
		fail "spare $1 has $mine KiB of heap, the zygote $theirs"
}

# older P Q: P started before Q (in clock ticks; then by pid).
older() {
	local a b
	a=$(proc_field "$1" 22)
	b=$(proc_field "$2" 22)
	(( a < b || (a == b && $1 < $2) ))
}

# seccomp PID: 2 when its filter is on, 0 when not.
seccomp() {
	awk '$1 == "Seccomp:" { print $2 }' "/proc/$1/status"
}

# unsandboxed: with --no-sandbox, spares and the actors they become have
# no filter.
unsandboxed() {
	local p
	rm -rf "$APP"
	seed_app
	start_app "$APP" -v --no-sandbox -x app:terminal/app:cli
	wait_for spares 3 || fail "no spares with --no-sandbox"
	for p in "${SP[@]}"; do
		[[ $(seccomp "$p") == 0 ]] ||
			fail "spare $p has a filter with --no-sandbox"
	done
	send_line "one"
	wait_for out_line_ends "  ONE" || fail "no echo with --no-sandbox"
	grep -q "(spare)" "$T/err" || fail "no spare served --no-sandbox"
	close_stdin
	wait_exit "$SUP"
	[[ $STATUS == 0 ]] || fail "--no-sandbox: exit status $STATUS, want 0"
}

SYS_RECV=$(nr SYS_recvfrom)
[[ $SYS_RECV =~ ^[0-9]+$ ]] || fail "no number for recvfrom: $SYS_RECV"
seed_app
start_app "$APP" -v -x app:terminal/app:cli
wait_for actor_up "$RELAY_TITLE" || fail "no relay actor"
# Four, or three when the terminal's actor took one.
wait_for spares 3 || fail "no spares among the supervisor's children"
first=("${SP[@]}")
zygote=$(pgrep -P "$SUP" -f '^osactor: zygote ') || fail "no zygote"
for p in "${first[@]}"; do
	track "$p"
	[[ $(title "$p") == "osactor: spare app" ]] ||
		fail "spare $p is titled '$(title "$p")'"
	[[ $(proc_field "$p" 6) == "$p" ]] ||
		fail "spare $p is not in its own session"
	spare_fds "$p"
	[[ $(seccomp "$p") == 2 ]] || fail "spare $p has no seccomp filter"
	spare_heap "$p" "$zygote"
done

send_line "one"
wait_for out_line_ends "  ONE" || fail "no echo"
used=""
for p in "${first[@]}"; do
	grep -q "as OS pid $p (spare)" "$T/err" && used=$p
done
[[ -n $used ]] || fail "the worker was not a spare (${first[*]})"

# The next worker is the oldest spare left, not one still preparing.
oldest=""
for p in "${first[@]}"; do
	[[ $p != "$used" ]] || continue
	if [[ -z $oldest ]] || older "$p" "$oldest"; then
		oldest=$p
	fi
done
send_line "one more"
wait_for out_line_ends "  ONE MORE" || fail "no second echo"
grep -q "as OS pid $oldest (spare)" "$T/err" ||
	fail "the second worker was not the oldest spare, $oldest"
wait_for spares 2 "$used" "$oldest" ||
	fail "the other spares went with the spawns"
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
unsandboxed
check_no_leftovers
