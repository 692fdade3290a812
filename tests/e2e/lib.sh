# tests/e2e/lib.sh: helpers the end-to-end scripts source.  Each script gets
# a private temp dir ($T), bounded polling (wait_for), a private tmux server,
# and a cleanup that kills whatever the script started, whatever way it ends.
#
# The environment comes from tests/run; the defaults below let one script run
# alone from anywhere: bash tests/e2e/seed_pipe.sh
#   B             build dir (absolute)
#   OSACTOR       the supervisor binary, OSACTOR_SHIM the shim (absolute)
#   TESTS         the tests/ folder (absolute)
#   SEED          the byte-for-byte copy of the tutorial's src/ folder
#
# Tests never sleep for a guessed time: they poll for the state they need
# (wait_for) and fail once a generous deadline passes.
# shellcheck shell=bash

set -u
export LC_ALL=C
unset TMUX

TESTS=${TESTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
B=${B:-$TESTS/../build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
OSACTOR=${OSACTOR:-$B/osactor}
OSACTOR_SHIM=${OSACTOR_SHIM:-$B/osactor-shim}
SEED=${SEED:-$TESTS/seed/echo-service/src}
export B OSACTOR OSACTOR_SHIM TESTS SEED

T=$(mktemp -d "${TMPDIR:-/tmp}/osactor-e2e.XXXXXX") || exit 1
SUP=""			# the supervisor started last
PID=""			# the actor actor_pid found
SUPS=()			# every supervisor this script started or found
STATUS=""		# exit status set by wait_exit
TMUX_ON=0
declare -A TRACKED=()	# pid -> start time of every process seen as ours
CLI_TITLE='osactor: app:cli {app:terminal|0x00003}'
RELAY_TITLE='osactor: app:relay {app:processes|0x00002}'

cleanup() {
	local rc=${1:-$?}
	trap - EXIT HUP INT PIPE TERM
	exec 3>&-
	snapshot
	kill_tracked "${SUPS[@]}"
	kill_tracked "${!TRACKED[@]}"
	local p
	for p in $(marked_procs); do
		kill -KILL "$p" 2>/dev/null
	done
	[[ $TMUX_ON == 1 ]] && tm kill-server 2>/dev/null
	rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'cleanup 129' HUP
trap 'cleanup 130' INT
trap 'cleanup 141' PIPE
trap 'cleanup 143' TERM

# fail MSG: show what the app wrote and which of its processes are up, then
# MSG as the last line (tests/run shows the tail of the log), and exit 1.
fail() {
	local f p k
	for f in "$T"/out "$T"/err; do
		[[ -s $f ]] || continue
		printf -- '--- %s (last 30 lines, ESC shown as ^[)\n' "${f##*/}" >&2
		tail -n 30 "$f" | cat -v >&2
	done
	for p in "${SUPS[@]}"; do
		running "$p" || continue
		printf -- '--- processes of supervisor %s\n' "$p" >&2
		scan "$p"
		for k in "${!KIDS[@]}"; do
			printf '%s %s\n' "$k" "${KIDS[$k]}" >&2
		done
	done
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

# wait_for [-t SECONDS] CMD...: run CMD every 20 ms until it succeeds;
# return 1 once SECONDS (an integer, default 10) have passed.
wait_for() {
	local secs=10 end
	if [[ $1 == -t ]]; then
		secs=$2
		shift 2
	fi
	end=$(( ${EPOCHREALTIME/./} + secs * 1000000 ))
	until "$@"; do
		(( ${EPOCHREALTIME/./} < end )) || return 1
		sleep 0.02
	done
}

# --- another user ---------------------------------------------------------

# need_nobody WHY: exit 77 (skipped, with WHY) unless this script can run
# things as the user nobody: as root, with setpriv or runuser installed.
need_nobody() {
	[[ $(id -u) == 0 ]] || { echo "needs root, $1"; exit 77; }
	id nobody >/dev/null 2>&1 || { echo "no user nobody"; exit 77; }
	command -v setpriv >/dev/null || command -v runuser >/dev/null ||
		{ echo "neither setpriv nor runuser is installed"; exit 77; }
}

# need_open_path: exit 77 unless nobody can reach the binaries: every
# folder above them open to other users.
need_open_path() {
	local d
	d=$(dirname "$OSACTOR")
	until [[ $d == / ]]; do
		[[ $(stat -c %A "$d") == d??????r?[xt] ]] ||
			{ echo "$d is not open to other users"; exit 77; }
		d=$(dirname "$d")
	done
}

# as_nobody CMD...: run CMD as nobody, without root's groups.
as_nobody() {
	if command -v setpriv >/dev/null; then
		setpriv --reuid=nobody --regid="$(id -g nobody)" \
		    --clear-groups "$@"
	else
		runuser -u nobody -- "$@"
	fi
}

# --- processes -----------------------------------------------------------

# proc_field PID N: field N (1-based, as in proc(5)) of /proc/PID/stat.
proc_field() {
	local s
	read -r s 2>/dev/null <"/proc/$1/stat" || return 1
	s=${s##*) }		# the command name may hold spaces; skip it
	# shellcheck disable=SC2086
	set -- "$2" $s
	shift $(( $1 - 2 ))
	printf '%s\n' "$1"
}

# running PID: PID exists and is not a zombie.
running() {
	local st
	st=$(proc_field "$1" 3) || return 1
	[[ $st != Z ]]
}

# fd_count PID: how many descriptors PID holds.
fd_count() {
	local fds=(/proc/"$1"/fd/*)
	printf '%s\n' "${#fds[@]}"
}

# sup_fds: the supervisor's descriptors but its spares' sockets (one a
# spare; the pool's size varies with the spawns, supervisor/spare.c).
sup_fds() {
	local n
	n=$(pgrep -c -P "$SUP" -f '^osactor: spare ') || n=0
	echo $(( $(fd_count "$SUP") - n ))
}

# spares N [NOT...]: set SP to the supervisor's spares (children titled
# "osactor: spare NS") when there are N or more, none of them one of NOT.
spares() {
	local want=$1 pid ppid args not
	shift
	SP=()
	while read -r pid ppid args; do
		[[ $ppid == "$SUP" && $args == "osactor: spare "* ]] || continue
		for not in "$@"; do
			[[ $pid != "$not" ]] || return 1
		done
		SP+=("$pid")
	done < <(ps -eo pid=,ppid=,args=)
	(( ${#SP[@]} >= want ))
}

# The numbers /proc/PID/syscall shows, from this machine's own headers.
nr() {
	printf '#include <sys/syscall.h>\n%s\n' "$1" | cpp -P - |
	    awk 'NF { n = $1 } END { print n }'
}

# asleep_in PID NUMBERS: PID is sleeping in one of the system calls NUMBERS
# (space-separated, with spaces around).
asleep_in() {
	local st nr
	st=$(awk '{ print $3 }' "/proc/$1/stat") || return 1
	[[ $st == S ]] || return 1
	read -r nr _ <"/proc/$1/syscall" || return 1
	[[ $2 == *" $nr "* ]]
}

# same_proc PID: PID is still the process that track() saw (pids recycle).
same_proc() {
	local st
	st=$(proc_field "$1" 22) || return 1
	[[ $st == "${TRACKED[$1]-}" ]]
}

# track PID...: remember processes as ours, by pid and start time.
track() {
	local p st
	for p; do
		[[ -n ${TRACKED[$p]-} ]] && continue
		st=$(proc_field "$p" 22) || continue
		TRACKED[$p]=$st
	done
}

kill_tracked() {
	local p
	for p; do
		same_proc "$p" && kill -KILL "$p" 2>/dev/null
	done
	return 0
}

# scan SUP: set KIDS (pid -> title) to SUP's actors, its children whose
# titles start with "osactor:" (the zygote and its spare aside), and track
# them all, so
# that cleanup finds them even once they are reparented.  Runs in this shell, never in $(...), or tracking is lost.
declare -A KIDS=()
scan() {
	local pid ppid args
	KIDS=()
	while read -r pid ppid args; do
		[[ $ppid == "$1" && $args == "osactor:"* ]] || continue
		# The zygote and the spare clone it keeps for the next actor
		# are no actors, but must not outlive the app either.
		track "$pid"
		[[ $args == "osactor: zygote "* || $args == "osactor: spare "* ]] ||
			KIDS[$pid]=$args
	done < <(ps -eo pid=,ppid=,args=)
}

# snapshot: track the children of every supervisor of this test.
snapshot() {
	local p
	for p in "${SUPS[@]}"; do
		scan "$p"
	done
}

# actor_pid SUP TITLE: set PID to the OS pid of SUP's child titled TITLE.
actor_pid() {
	local p
	scan "$1"
	for p in "${!KIDS[@]}"; do
		if [[ ${KIDS[$p]} == "$2" ]]; then
			PID=$p
			return 0
		fi
	done
	return 1
}

# title PID: the process's title as ps shows it.
title() {
	local t
	t=$(ps -o args= -p "$1") || return 1
	printf '%s\n' "${t%"${t##*[! ]}"}"
}

# sup_title PID DIR: PID is titled as the supervisor of the app in DIR:
# "osactor: supervisor NAMESPACE", which may be followed by the app's folder
# to tell apart two apps of one namespace.
sup_title() {
	local t
	t=$(title "$1") || return 1
	[[ $t == "osactor: supervisor app" ||
	    $t == "osactor: supervisor app $2" ||
	    $t == "osactor: supervisor app $(cd "$2" && pwd -P)" ]]
}

# zombie_children PID: true if PID has a child that is a zombie.
zombie_children() {
	local ppid stat
	while read -r ppid stat; do
		[[ $ppid == "$1" && $stat == Z* ]] && return 0
	done < <(ps -eo ppid=,stat=)
	return 1
}

# marked_procs: pids of "osactor:" processes whose working directory is in
# $T.  Titles replace the command line, so the directory the app runs in is
# this test's marker, for processes that escaped tracking.
marked_procs() {
	local pid args cwd
	while read -r pid args; do
		[[ $args == "osactor:"* ]] || continue
		cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || continue
		[[ $cwd == "$T" || $cwd == "$T"/* ]] && printf '%s\n' "$pid"
	done < <(ps -eo pid=,args=)
}

# leftovers [zombies-ok]: print "PID STATE TITLE" of each process of this test that
# still exists.  Zombies count, since a supervisor must reap every child
# before it exits; "zombies-ok" is for a supervisor killed with SIGKILL,
# whose orphans are reaped, or not, by whatever adopts them.
leftovers() {
	local p st
	for p in "${!TRACKED[@]}"; do
		same_proc "$p" || continue
		st=$(proc_field "$p" 3) || continue
		[[ $st == Z && ${1-} == zombies-ok ]] && continue
		printf '%s %s %s\n' "$p" "$st" "$(title "$p")"
	done
	for p in $(marked_procs); do
		[[ -n ${TRACKED[$p]-} ]] ||
			printf '%s %s %s\n' "$p" marked "$(title "$p")"
	done
}

no_leftovers() {
	[[ -z $(leftovers "$@") ]]
}

# check_no_leftovers [zombies-ok]: every process of this test is gone (a
# bounded wait, since the kernel delivers PDEATHSIG asynchronously).
check_no_leftovers() {
	snapshot
	wait_for no_leftovers "$@" ||
		fail "processes of this test remain: $(leftovers "$@" | tr '\n' ';')"
}

# --- running the app -----------------------------------------------------

# seed_app: copy the tutorial's files, byte for byte, into $T/app and set APP.
# The copy's path marks this test's processes (see marked_procs).
seed_app() {
	[[ -f $SEED/_index.yaml ]] || fail "no copy of the tutorial in $SEED"
	APP=$T/app
	if ! mkdir "$APP" || ! cp -R "$SEED"/. "$APP"/; then
		fail "cannot copy $SEED"
	fi
}

# start_app DIR ARGS...: run "osactor run ARGS..." in DIR, in the background,
# stdin from the fifo $T/in (this shell holds it open on fd 3, so stdin stays
# open until close_stdin), stdout to $T/out and stderr to $T/err.  Sets SUP.
start_app() {
	local dir=$1
	shift
	[[ -p $T/in ]] || mkfifo "$T/in" || fail "mkfifo $T/in"
	exec 3<>"$T/in"
	(cd "$dir" && exec "$OSACTOR" run -W "$OSACTOR_SHIM" "$@") \
	    <"$T/in" >"$T/out" 2>"$T/err" 3>&- &
	SUP=$!
	SUPS+=("$SUP")
	track "$SUP"
}

# run_bg DIR [OPTIONS...]: "osactor run -v OPTIONS" on the app in DIR, in
# the background, no stdin, stdout to $T/out, stderr (the log) to $T/err.
# Sets SUP.
run_bg() {
	local dir=$1
	shift
	"$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$dir" "$@" </dev/null \
	    >"$T/out" 2>"$T/err" &
	SUP=$!
	SUPS+=("$SUP")
	track "$SUP"
}

# copy_app DIR: copy the test app in DIR to $T/app (to edit it) and set APP.
copy_app() {
	APP=$T/app
	mkdir "$APP" && cp -R "$1"/. "$APP"/ || fail "cannot copy $1"
}

send_line() {
	printf '%s\n' "$1" >&3
}

close_stdin() {
	exec 3>&-
}

# start_seed: the tutorial, as its README runs it, with the CLI on stdin;
# returns once the supervisor, the CLI and the relay are up.
start_seed() {
	seed_app
	start_app "$APP" -x app:terminal/app:cli
	wait_for actor_up "$CLI_TITLE" || fail "no CLI actor"
	wait_for actor_up "$RELAY_TITLE" || fail "no relay actor"
}

# actor_up TITLE: the supervisor has a child titled TITLE; fails the test
# at once if the supervisor has exited.
actor_up() {
	if ! running "$SUP"; then
		wait "$SUP"
		fail "the supervisor exited with status $?"
	fi
	actor_pid "$SUP" "$1"
}

exited() {
	snapshot
	! running "$1"
}

# wait_exit PID [SECONDS]: wait (bounded) for PID, a child of this shell, to
# end, and set STATUS to its exit status.
wait_exit() {
	wait_for -t "${2:-10}" exited "$1" ||
		fail "process $1 still runs after ${2:-10} s"
	wait "$1"
	STATUS=$?
}

# out: what the app wrote to stdout, ESC bytes removed.
out() {
	tr -d '\033' <"$T/out"
}

# out_has LINE: a line of stdout is exactly LINE.
out_has() {
	grep -qxF -- "$1" "$T/out"
}

# out_line_ends TEXT: a line of stdout ends with TEXT.  The CLI's prompt
# "> " has no newline, so over a pipe each answer follows a prompt.
out_line_ends() {
	out | awk -v s="$1" '
	    substr($0, length($0) - length(s) + 1) == s { f = 1 }
	    END { exit !f }'
}

# --- tmux ----------------------------------------------------------------

# The server's socket lives in $T, so it goes with $T.
tm() {
	TMUX_TMPDIR=$T tmux -L "osactor-test-$$" -f /dev/null "$@"
}

# tm_start CMD: a detached 100x30 session "t" running CMD under /bin/sh.
tm_start() {
	TMUX_ON=1
	SHELL=/bin/sh tm new-session -d -s t -x 100 -y 30 "$1" ||
		fail "tmux new-session"
}

tm_keys() {
	tm send-keys -t t "$@" || fail "tmux send-keys"
}

# tm_type TEXT: type TEXT literally, then Enter.
tm_type() {
	tm_keys -l "$1"
	tm_keys Enter
}

screen() {
	tm capture-pane -p -t t
}

# screen_has TEXT: a line of the screen starts with TEXT.
screen_has() {
	screen | awk -v s="$1" 'index($0, s) == 1 { f = 1 } END { exit !f }'
}

# screen_line TEXT: a line of the screen is exactly TEXT.
screen_line() {
	screen | awk -v s="$1" '$0 == s { f = 1 } END { exit !f }'
}

wait_screen() {
	wait_for screen_has "$1" ||
		fail "screen never showed a line starting with '$1':
$(screen)"
}

# --- log times -------------------------------------------------------------

# log_ms LINE: the time stamp of a log line ("2026-12-01T23:23:32.564Z ...")
# in ms since midnight.
log_ms() {
	local h m s
	IFS=: read -r h m s <<<"${1:11:12}"
	s=${s/./}
	echo $(( (10#$h * 3600 + 10#$m * 60) * 1000 + 10#$s ))
}

# gap_ms LINE1 LINE2: ms from LINE1's time stamp to LINE2's (across
# midnight too).
gap_ms() {
	local d=$(( $(log_ms "$2") - $(log_ms "$1") ))
	(( d < 0 )) && d=$(( d + 86400000 ))
	echo "$d"
}

# first_line PATTERN: the first line of $T/err matching PATTERN (grep -E).
first_line() {
	grep -m1 -E -- "$1" "$T/err"
}

# within_ms GAP WANT SLACK: GAP (ms) is no shorter than WANT (less 1 ms:
# time stamps are truncated to ms) and at most SLACK ms longer.
within_ms() {
	(( $1 >= $2 - 1 && $1 <= $2 + $3 ))
}

# check_backoff SERVICE: each restart of SERVICE came when its log said it
# would ("restarting in X s" to the next "started", within 100 ms), and
# set DELAYS to the delays the log gave, in ms.
check_backoff() {
	local -a fails starts
	local i d gap
	mapfile -t fails < <(grep -F "service $1: failed (" "$T/err")
	mapfile -t starts < <(grep -F "service $1 started" "$T/err")
	DELAYS=()
	for i in "${!fails[@]}"; do
		[[ ${fails[i]} =~ restarting\ in\ ([0-9]+)\.([0-9]{3})\ s ]] ||
			fail "no delay in: ${fails[i]}"
		d=$(( 10#${BASH_REMATCH[1]} * 1000 + 10#${BASH_REMATCH[2]} ))
		DELAYS+=("$d")
		[[ -n ${starts[i + 1]-} ]] || continue
		gap=$(gap_ms "${fails[i]}" "${starts[i + 1]}")
		within_ms "$gap" "$d" 100 ||
			fail "restart $((i + 1)) came after $gap ms; the log said $d ms"
	done
}
