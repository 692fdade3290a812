-- expect: typed_error_fails.lua:20: attempt to perform arithmetic on a nil value (field 'missing')
-- A runtime error after annotated lines names the line it was written on:
-- stripping blanks the annotations but keeps every line break.
export type Config = {
	name: string,
	retries: number?,
	--[[ a long comment
	     inside the type ]]
	on_error: (msg: string) -> (),
}

local function load<T>(raw: { [string]: any }): T
	return raw :: any
end

local cfg: Config = load({ name = "svc" } :: { [string]: any })
local function retries(c: Config): number
	return (c :: any).retries
		or 1
		+ (c :: any).missing
end
retries(cfg)
error("not reached")
