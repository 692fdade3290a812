#!/bin/bash
# hide_logs: true on a terminal host: even with -v its actors' log lines
# (logger and print) stay out of the log, while the supervisor's own and
# the terminal output are there.
. "$(dirname "$0")/lib.sh"

out=$(timeout 20 "$OSACTOR" run -v -W "$OSACTOR_SHIM" \
    -d "$TESTS/e2e/apps/hide_logs" -x t:main </dev/null 2>"$T/err") ||
	fail "exit status $?"
[[ $out == shown ]] || fail "stdout: $out"
grep -q "osactor spawned t:main" "$T/err" || fail "no supervisor log: $(cat "$T/err")"
! grep -q hidden "$T/err" || fail "a hidden line was logged: $(grep hidden "$T/err")"
check_no_leftovers
