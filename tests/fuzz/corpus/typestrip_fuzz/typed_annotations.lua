-- Luau-style type annotations are stripped before compiling: this file
-- runs exactly as it would without them, line numbers included.

export type Point = { x: number, y: number }
type Shape =
	| { kind: "circle", radius: number }
	| { kind: "rect", w: number, h: number }
type Callback<T...> = (T...) -> ()
type Map<K, V = any> = { [K]: V }
type Tree<T> = {
	value: T,
	children: { Tree<T> }?; -- a semicolon separates fields too
}

-- Generic functions, parameter and return annotations.
local function identity<T>(x: T): T
	return x
end
assert(identity(42) == 42 and identity("s") == "s")

local function pair<A, B>(a: A, b: B): (A, B)
	return a, b
end
local p1: number, p2: string = pair(1, "two")
assert(p1 == 1 and p2 == "two")

local function count(...: any): number
	return select("#", ...)
end
assert(count(1, nil, 3) == 3)

local function rest<T...>(first: number, ...: T...): ...any
	return ...
end
assert(select("#", rest(1, "a", "b")) == 2)

-- Methods, anonymous functions, function-typed values.
local Account = {}
Account.__index = Account

function Account.new(owner: string, balance: number?): typeof(Account)
	return setmetatable({ owner = owner, balance = balance or 0 }, Account)
end

function Account:deposit(n: number): number
	self.balance = self.balance + n
	return self.balance
end

function Account:map<R>(f: (self: any, n: number) -> R): R
	return f(self, self.balance)
end

local acct = Account.new("ann")
assert(acct:deposit(5) == 5 and acct:deposit(2) == 7)
assert(acct:map(function(_, n: number): string return "n=" .. n end) == "n=7")

local apply: <T>(f: (T) -> T, x: T) -> T = function<T>(f: (T) -> T, x: T): T
	return f(x)
end
assert(apply(function(n: number): number return n * 2 end, 21) == 42)

local cb: Callback<number, string> = function(n: number, s: string) end
cb(1, "x")

-- Local annotations: tables, unions, optionals, generics, literals.
local points: { Point } = { { x = 1, y = 2 }, { x = 3, y = 4 } }
local byName: Map<string, Array<number>> = { a = { 1, 2 } }
local shape: Shape = { kind = "rect", w = 2, h = 3 }
local maybe: string? = nil
local mode: "r" | "w" = "r"
local flag: boolean, limit: number | nil = true, nil
local tree: Tree<number> = {
	value = 1,
	children = { { value = 2 } },
}
local sum: number = 0
for i: number, pt: Point in ipairs(points) do
	sum = sum + i * (pt.x + pt.y)
end
assert(sum == 1 * 3 + 2 * 7)
for i: number = 1, #byName.a do
	sum = sum + byName.a[i]
end
assert(sum == 20)
assert(shape.w * shape.h == 6 and maybe == nil and mode == "r")
assert(flag == true and limit == nil and tree.children[1].value == 2)

-- Lua 5.4 attributes next to annotations.
do
	local k <const>: number = 10
	local closed = false
	do
		local c: any <close> = setmetatable({}, {
			__close = function() closed = true end,
		})
	end
	assert(k == 10 and closed)
end

-- Casts bind tighter than operators; labels are not casts.
local anyv: any = "7"
local n = tonumber(anyv :: string) :: number + 1
assert(n == 8)
local t = { 1, 2, 3 }
local total = 0
for i = 1, #t do
	if t[i] == 2 then goto continue end
	total = total + (t[i] :: number)
	::continue::
end
assert(total == 4)
local last = total :: number
::done::
assert(last == 4)

-- "type" and "export" stay ordinary names when used as such.
assert(type(points) == "table")
local type_ = type
local export = { type = "plain" }
assert(type_(1) == "number" and export.type == "plain")
do
	local type = "shadowed"
	assert(type == "shadowed")
end

-- Strings, long strings and comments with annotation look-alikes stay.
local s = "local x: number = 1 :: T"
local l = [==[type A = B ]] function f(x: T) ]==]
--[[ local y: string = "not code" ]]
assert(#s == 24 and l:sub(1, 6) == "type A")
assert(("a:b"):find(":") == 2)

-- Line numbers are where they were written.
local _, where: string = pcall(function() error("here") end)
assert(where:match(":(%d+): here$") == "135", where)
