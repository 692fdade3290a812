-- The words after -x SPEC arrive as main's arguments and as io.args().
return { main = function(...)
    local a = io.args()
    io.print(select("#", ...), #a, table.concat(a, ","))
    return 0
end }
