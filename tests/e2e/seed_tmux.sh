#!/bin/bash
# The tutorial in a terminal (tmux, 100x30): the prompt, each echo and its
# worker's pid at the start of their lines (the runtime drops the tutorial's
# broken escape bytes), Goodbye! on an empty line, exit status 0, and no
# process left.
. "$(dirname "$0")/lib.sh"

seed_app
tm_start "cd $(printf %q "$APP") &&
    $(printf %q "$OSACTOR") run -W $(printf %q "$OSACTOR_SHIM") \
    -x app:terminal/app:cli; echo \"status=\$?\"; exec sleep 600"

# The supervisor is the child of the pane's shell.
pane=$(tm display-message -p -t t '#{pane_pid}') || fail "no pane pid"
find_sup() {
	local pid ppid
	while read -r pid ppid; do
		if [[ $ppid == "$pane" ]] && sup_title "$pid" "$APP"; then
			SUP=$pid
			return 0
		fi
	done < <(ps -eo pid=,ppid=)
	screen_has "status=" && fail "osactor exited at once:
$(screen)"
	return 1
}
wait_for find_sup || fail "no supervisor under the tmux pane"
SUPS+=("$SUP")
track "$SUP"

wait_screen "Echo Client"
wait_screen "Type messages to echo. Ctrl+C to exit."
wait_screen ">"
tm_type "hello world"
wait_screen "  HELLO WORLD"
wait_screen "  from worker: {app:processes|0x00004}"
screen_line "> hello world" || fail "prompt and input garbled:
$(screen)"

tm_type "second line"
wait_screen "  SECOND LINE"
wait_screen "  from worker: {app:processes|0x00005}"

tm_keys Enter
wait_screen "Goodbye!"
wait_screen "status="
screen_line "status=0" || fail "exit status is not 0:
$(screen)"
check_no_leftovers
