#!/bin/bash
# ps shows the app as the design says: the supervisor titled "osactor:
# supervisor app" (and the app's folder), and each actor a distinct OS process running the shim, a
# child of the supervisor in its own session, titled with its entry and pid.
# Closing stdin ends the CLI and the app exits 0.
. "$(dirname "$0")/lib.sh"

start_seed

sup_title "$SUP" "$APP" || fail "supervisor title is '$(title "$SUP")'"
[[ $(readlink "/proc/$SUP/exe") == "$(readlink -f "$OSACTOR")" ]] ||
	fail "the supervisor does not run $OSACTOR"
actor_pid "$SUP" "$CLI_TITLE" || fail "the CLI ended early"
cli=$PID
actor_pid "$SUP" "$RELAY_TITLE" || fail "the relay ended early"
relay=$PID
[[ $cli != "$relay" && $cli != "$SUP" && $relay != "$SUP" ]] ||
	fail "actors share a process: sup $SUP cli $cli relay $relay"

shim=$(readlink -f "$OSACTOR_SHIM")
for p in "$cli" "$relay"; do
	t=$(title "$p")
	[[ $(proc_field "$p" 4) == "$SUP" ]] ||
		fail "$t: parent is $(proc_field "$p" 4), not $SUP"
	[[ $(proc_field "$p" 6) == "$p" ]] ||
		fail "$t: not in its own session (sid $(proc_field "$p" 6))"
	[[ $(readlink "/proc/$p/exe") == "$shim" ]] ||
		fail "$t: runs $(readlink "/proc/$p/exe"), not $shim"
done

close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS after EOF, want 0"
[[ $(out | tail -n 1) == "Goodbye!" ]] || fail "no Goodbye! after EOF"
check_no_leftovers
