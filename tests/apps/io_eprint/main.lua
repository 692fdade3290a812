-- io.eprint writes its arguments, tab-separated, with a newline, to the
-- standard error (expect-stderr), and nothing to the standard output but
-- what io.print writes (expected.out).
local function main()
    assert(io.eprint("to stderr", 42, true) == true)
    io.print("to stdout")
    io.eprint("second")
    return 0
end

return { main = main }
