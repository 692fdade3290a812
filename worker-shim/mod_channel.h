/*
 * mod_channel.h: Go-style channels between the tasks of one actor
 * (API.md section 5), and the calls C code uses to feed them.
 */
#ifndef OSACTOR_MOD_CHANNEL_H
#define OSACTOR_MOD_CHANNEL_H

#include <stdint.h>

#include <lua.h>

#define CHANNEL_META	"osactor.channel"

int	 luaopen_channel(lua_State *);

/* Push a new channel; unbounded: sends never block (a mailbox). */
void	 chan_new(lua_State *, int, int);
/*
 * Pop the value on top and deliver it into the channel at idx without
 * blocking: to the first waiting receiver, else into the buffer.  A
 * closed channel drops it; a full one is a Lua error.
 */
void	 chan_push(lua_State *, int);
/* chan_push to a channel the runtime made and holds: never checked. */
void	 chan_push_own(lua_State *, int);
/* Like chan_push, but a full channel drops it too; 1 when delivered. */
int	 chan_offer(lua_State *, int);
/* Close the channel at idx, as ch:close() does. */
void	 chan_close(lua_State *, int);
int	 chan_has_receivers(lua_State *, int);
/* Count in *n every value taken from the channel at idx (a mailbox). */
void	 chan_count_taken(lua_State *, int, uint64_t *);

#endif /* OSACTOR_MOD_CHANNEL_H */
