-- Typed Lua under the real supervisor: the line numbers in errors are
-- the source's, in a child's EXIT and in the main actor's own failure
-- (expect-stderr: typed_main.lua:27).
export type Result<T> = { ok: boolean, value: T? }

local function wrap<T>(v: T): Result<T>
	return { ok = true, value = v }
end

local function main(): integer
	local events = process.events()
	local child: string = assert(process.spawn_monitored("t:child",
		"t:procs"))
	local ev = events:receive()
	assert(ev.from == child)
	local msg: string = tostring(ev.result.error)
	assert(msg == "typed_child.lua:14: attempt to index a nil value (field 'y')",
		msg)
	local r: Result<number> = wrap(1)
	local t: {
		name: string,
		count: number,
	}? = nil
	io.print("child ok", r.value)
	-- fails here, on the next line, after the annotations above
	local n: number = r.value :: number
	return n + (t :: any).count
end

return { main = main }
