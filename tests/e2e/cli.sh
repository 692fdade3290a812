#!/bin/bash
# The command line itself: --help, --version, and usage errors (exit 64).
. "$(dirname "$0")/lib.sh"

# try ARGS...: run osactor ARGS... (bounded); sets STATUS, $T/out, $T/err.
try() {
	timeout 10 "$OSACTOR" "$@" </dev/null >"$T/out" 2>"$T/err"
	STATUS=$?
	[[ $STATUS != 124 ]] || fail "osactor $* hangs"
}

try --help
[[ $STATUS == 0 ]] || fail "--help: exit status $STATUS"
grep -qi usage "$T/out" || fail "--help prints no usage on stdout"
for w in run check -x -d -W -v --stop-timeout; do
	grep -qe "$w" "$T/out" || fail "--help does not mention $w"
done

# -h and --help, alone and after each command: usage on stdout, exit 0.
for cmd in "" run check ps stop start restart send; do
	for h in -h --help; do
		# shellcheck disable=SC2086
		try $cmd $h
		[[ $STATUS == 0 ]] || fail "osactor $cmd $h: exit status $STATUS"
		grep -qi usage "$T/out" || fail "osactor $cmd $h: no usage on stdout"
	done
done

version=$(sed -n 's/^VERSION[[:space:]]*:=[[:space:]]*//p' "$TESTS/../Makefile")
[[ -n $version ]] || fail "no VERSION in the Makefile"
try --version
[[ $STATUS == 0 ]] || fail "--version: exit status $STATUS"
[[ $(cat "$T/out") == "osactor $version" ]] ||
	fail "--version prints '$(cat "$T/out")', want 'osactor $version'"

for args in "--no-such-option" "run --no-such-option" "run -x" \
    "check --no-such-option" "no-such-command"; do
	# shellcheck disable=SC2086
	try $args
	[[ $STATUS == 64 ]] || fail "osactor $args: exit status $STATUS, want 64"
	[[ -s $T/err ]] || fail "osactor $args: no message on stderr"
done
