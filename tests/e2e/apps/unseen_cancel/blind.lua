-- Never opens process.events(), so it cannot see its CANCEL: it waits
-- in inbox:receive() forever, unless shutdown stops it at once.
return { main = function(parent)
    process.send(parent, "ready")
    process.inbox():receive()
    return "woken"
end }
