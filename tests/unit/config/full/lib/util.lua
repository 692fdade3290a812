local M = {}

function M.join(a, b)
	return tostring(a) .. tostring(b)
end

return M
