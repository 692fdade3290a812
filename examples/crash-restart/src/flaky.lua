-- Works for a moment, then fails: its EXIT carries this error.
return { main = function()
    logger:info("flaky: up, about to fail")
    time.sleep("100ms")
    error("flaky: simulated crash")
end }
