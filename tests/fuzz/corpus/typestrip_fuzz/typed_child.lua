-- Annotations before the failing line, in a spawned actor: its EXIT
-- message names the line the error was written on (line 14).
type Point = { x: number, y: number? }

local function norm(p: Point,
	scale: number?): number
	--[[ a long comment: (x: number) -> () ]]
	local s: number = scale or 1
	return ((p :: any).x * s) :: number
end

local function main(): integer
	local p: Point = { x = 3 }
	return norm(p) + (p :: any).y.z
end

return { main = main }
