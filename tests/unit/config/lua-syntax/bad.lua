local function main()
	local x = 1
	x = = 2
	return x
end
return { main = main }
