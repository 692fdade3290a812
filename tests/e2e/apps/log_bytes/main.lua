return { main = function()
	logger:info("bad \xff\xfe, tab\there, nl\nend, \1, é",
	    { f = "x\xffy", g = "a\tb", h = "é" })
	logger:named("sub"):warn("named")
	return 0
end }
