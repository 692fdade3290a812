return { main = function(parent)
    process.inbox():receive()
    channel.new():receive()
end }
