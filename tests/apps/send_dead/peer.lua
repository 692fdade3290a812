-- Given a live actor's pid (so its first send there is pipelined, the
-- supervisor watching it for us from the spawn) and main's: sends "hi"
-- to it and says so, then, once main says the actor has ended, sends
-- again and tells main what that send returned.
return { main = function(target, main)
    local inbox = process.inbox()
    assert(process.send(target, "hi", 1) == true)
    assert(process.send(main, "sent") == true)
    assert(inbox:receive():topic() == "ended")
    local ok, err = process.send(target, "late", 2)
    process.send(main, "late", { ok = ok, err = err and tostring(err) })
end }
