-- One job, one process: square the number, send it to the sink, exit.
return { main = function(job)
    process.send("sink", "result", { job = job, square = job * job, by = process.pid() })
end }
