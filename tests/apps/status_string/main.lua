return { main = function() io.print("before") return "the result" end }
