/*
 * mod_time.c: the `time` module (API.md section 6): durations as Go
 * strings or integer nanoseconds, sleeping, timers and tickers that feed
 * channels, and Time values formatted with Go's reference layouts.
 *
 * A timer is a userdata holding an ev_timer.  While armed it is anchored
 * in the registry, so a timer nobody references still fires (a ticker
 * read only through its channel keeps ticking); stopping it, its last
 * firing, or its __gc at lua_close take it out of the loop's heap before
 * its memory can go.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>

#include "duration.h"
#include "ev.h"
#include "mod_channel.h"
#include "mod_errors.h"
#include "sandbox.h"
#include "sched.h"
#include "xmalloc.h"

#define TIME_META	"osactor.time"
#define TIMER_META	"osactor.timer"
#define NS_PER_S	1000000000LL
#define RFC3339		"2006-01-02T15:04:05Z07:00"
#define TIME_STRING	"2006-01-02 15:04:05.999999999 -0700 MST"

enum tmr_kind {
	TMR_AFTER,		/* time.after: one value, then closed */
	TMR_TIMER,
	TMR_TICKER,
};

struct tvalue {
	int64_t		 wall;		/* CLOCK_REALTIME ns */
	int64_t		 mono;		/* ev_now(), for sub */
};

/* User value 1: the channel it feeds. */
struct tmr {
	struct ev_timer	 ev;
	int		 ref;		/* registry anchor while armed */
	int		 kind;
	uint64_t	 period;
};

/*
 * The duration at idx into *ns; -1 with an Invalid error object pushed,
 * its message prefixed with the caller's position when where is set.
 */
static int
duration_arg(lua_State *L, int idx, int64_t *ns, int where)
{
	const char	*s, *why;
	size_t		 len;
	int		 isint;

	switch (lua_type(L, idx)) {
	case LUA_TNUMBER:
		*ns = lua_tointegerx(L, idx, &isint);
		if (isint)
			return 0;
		lua_pushliteral(L, "invalid duration: nanoseconds must be "
		    "an integer");
		break;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		if (duration_parse(s, len, ns, &why) == 0)
			return 0;
		lua_pushfstring(L, "invalid duration \"%s\": %s", s, why);
		break;
	default:
		lua_pushfstring(L, "invalid duration: expected a string or "
		    "an integer, got %s", luaL_typename(L, idx));
		break;
	}
	if (where) {
		luaL_where(L, 1);
		lua_insert(L, -2);
		lua_concat(L, 2);
	}
	errors_push(L, ERR_INVALID, lua_tostring(L, -1));
	lua_remove(L, -2);
	return -1;
}

/* The error object on top becomes the second of nil, err. */
static int
time_fail(lua_State *L)
{
	lua_pushnil(L);
	lua_insert(L, -2);
	return 2;
}

static int64_t
clock_ns(clockid_t id)
{
	struct timespec	 ts;

	if (clock_gettime(id, &ts) == -1)
		fatal("clock_gettime");
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void
time_push_now(lua_State *L)
{
	struct tvalue	*tv;

	tv = lua_newuserdatauv(L, sizeof(*tv), 0);
	tv->wall = clock_ns(CLOCK_REALTIME);
	tv->mono = (int64_t)ev_now();
	luaL_setmetatable(L, TIME_META);
}

static struct tvalue *
time_check(lua_State *L, int idx)
{
	return luaL_checkudata(L, idx, TIME_META);
}

/* Seconds, floored, and the nanoseconds left over. */
static int64_t
time_split(const struct tvalue *tv, long *nsec)
{
	int64_t	 sec = tv->wall / NS_PER_S, rem = tv->wall % NS_PER_S;

	if (rem < 0) {
		rem += NS_PER_S;
		sec--;
	}
	*nsec = (long)rem;
	return sec;
}

/* Go's layout elements, as time/format.go names them. */
enum std {
	STD_LITERAL,
	STD_LONG_MONTH, STD_MONTH, STD_NUM_MONTH, STD_ZERO_MONTH,
	STD_LONG_WEEKDAY, STD_WEEKDAY,
	STD_DAY, STD_UNDER_DAY, STD_ZERO_DAY,
	STD_UNDER_YEARDAY, STD_ZERO_YEARDAY,
	STD_HOUR, STD_HOUR12, STD_ZERO_HOUR12,
	STD_MINUTE, STD_ZERO_MINUTE, STD_SECOND, STD_ZERO_SECOND,
	STD_LONG_YEAR, STD_YEAR, STD_PM, STD_PM_LOWER, STD_TZ,
	STD_NUM_TZ, STD_ISO_TZ, STD_FRAC0, STD_FRAC9,
};

struct chunk {
	enum std	 std;
	size_t		 len;
	int		 digits;	/* STD_FRAC*: how many */
	int		 tz;		/* STD_*_TZ: index in tz_forms */
};

/* Numeric zone forms after '-' or 'Z', longest first as Go tries them. */
static const struct {
	const char	*s;
	int		 colon, minutes, seconds;
} tz_forms[] = {
	{ "070000", 0, 1, 1 },
	{ "07:00:00", 1, 1, 1 },
	{ "0700", 0, 1, 0 },
	{ "07:00", 1, 1, 0 },
	{ "07", 0, 0, 0 },
};

static const enum std std0x[] = {
	STD_ZERO_MONTH, STD_ZERO_DAY, STD_ZERO_HOUR12, STD_ZERO_MINUTE,
	STD_ZERO_SECOND, STD_YEAR,
};

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static const char *const day_names[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday",
};

static int
has_prefix(const char *p, size_t n, const char *s)
{
	size_t	 l = strlen(s);

	return n >= l && memcmp(p, s, l) == 0;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
chunk_set(struct chunk *c, enum std std, size_t len)
{
	c->std = std;
	c->len = len;
	return 1;
}

static int
chunk_tz(struct chunk *c, const char *p, size_t n, enum std std)
{
	size_t	 i;

	for (i = 0; i < sizeof(tz_forms) / sizeof(tz_forms[0]); i++)
		if (has_prefix(p + 1, n - 1, tz_forms[i].s)) {
			c->tz = (int)i;
			return chunk_set(c, std, 1 + strlen(tz_forms[i].s));
		}
	return 0;
}

static int
chunk_frac(struct chunk *c, const char *p, size_t n)
{
	size_t	 j = 1;

	if (n < 2 || (p[1] != '0' && p[1] != '9'))
		return 0;
	while (j < n && p[j] == p[1])
		j++;
	if (j < n && is_digit(p[j]))
		return 0;
	c->digits = j - 1 > 9 ? 9 : (int)(j - 1);
	return chunk_set(c, p[1] == '0' ? STD_FRAC0 : STD_FRAC9, j);
}

/* Names and numbers that start with a letter or a digit. */
static int
chunk_word(struct chunk *c, const char *p, size_t n)
{
	switch (p[0]) {
	case 'J':
		if (has_prefix(p, n, "January"))
			return chunk_set(c, STD_LONG_MONTH, 7);
		if (has_prefix(p, n, "Jan") && !(n > 3 && p[3] >= 'a' &&
		    p[3] <= 'z'))
			return chunk_set(c, STD_MONTH, 3);
		return 0;
	case 'M':
		if (has_prefix(p, n, "Monday"))
			return chunk_set(c, STD_LONG_WEEKDAY, 6);
		if (has_prefix(p, n, "Mon") && !(n > 3 && p[3] >= 'a' &&
		    p[3] <= 'z'))
			return chunk_set(c, STD_WEEKDAY, 3);
		if (has_prefix(p, n, "MST"))
			return chunk_set(c, STD_TZ, 3);
		return 0;
	case '0':
		if (n >= 2 && p[1] >= '1' && p[1] <= '6')
			return chunk_set(c, std0x[p[1] - '1'], 2);
		if (has_prefix(p, n, "002"))
			return chunk_set(c, STD_ZERO_YEARDAY, 3);
		return 0;
	case '1':
		if (has_prefix(p, n, "15"))
			return chunk_set(c, STD_HOUR, 2);
		return chunk_set(c, STD_NUM_MONTH, 1);
	case '2':
		if (has_prefix(p, n, "2006"))
			return chunk_set(c, STD_LONG_YEAR, 4);
		return chunk_set(c, STD_DAY, 1);
	case '3':
		return chunk_set(c, STD_HOUR12, 1);
	case '4':
		return chunk_set(c, STD_MINUTE, 1);
	case '5':
		return chunk_set(c, STD_SECOND, 1);
	}
	return 0;
}

/* The layout element at p, or a literal byte. */
static void
layout_chunk(const char *p, size_t n, struct chunk *c)
{
	int	 found = 0;

	memset(c, 0, sizeof(*c));
	switch (p[0]) {
	case '_':
		/* "_2006" is a literal '_' then the year, as in Go. */
		if (has_prefix(p, n, "_2") && !has_prefix(p, n, "_2006"))
			found = chunk_set(c, STD_UNDER_DAY, 2);
		else if (has_prefix(p, n, "__2"))
			found = chunk_set(c, STD_UNDER_YEARDAY, 3);
		break;
	case 'P':
		if (has_prefix(p, n, "PM"))
			found = chunk_set(c, STD_PM, 2);
		break;
	case 'p':
		if (has_prefix(p, n, "pm"))
			found = chunk_set(c, STD_PM_LOWER, 2);
		break;
	case '-':
		found = chunk_tz(c, p, n, STD_NUM_TZ);
		break;
	case 'Z':
		found = chunk_tz(c, p, n, STD_ISO_TZ);
		break;
	case '.':
	case ',':
		found = chunk_frac(c, p, n);
		break;
	default:
		found = chunk_word(c, p, n);
		break;
	}
	if (!found)
		chunk_set(c, STD_LITERAL, 1);
}

static void
put_num(luaL_Buffer *b, long v, int width, int zero)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), zero ? "%0*ld" : "%*ld", width, v);
	luaL_addstring(b, buf);
}

/* "+hh", "+hhmm", "+hh:mm" or "+hh:mm:ss" for a zone offset in seconds. */
static void
put_zone(luaL_Buffer *b, long offset, int form)
{
	long	 zone = offset / 60, abs = offset;

	luaL_addchar(b, offset < 0 ? '-' : '+');
	if (offset < 0) {
		zone = -zone;
		abs = -abs;
	}
	put_num(b, zone / 60, 2, 1);
	if (tz_forms[form].minutes) {
		if (tz_forms[form].colon)
			luaL_addchar(b, ':');
		put_num(b, zone % 60, 2, 1);
	}
	if (tz_forms[form].seconds) {
		if (tz_forms[form].colon)
			luaL_addchar(b, ':');
		put_num(b, abs % 60, 2, 1);
	}
}

static void
put_frac(luaL_Buffer *b, const struct chunk *c, char sep, long nsec)
{
	char	 digits[16];
	int	 n = c->digits;

	snprintf(digits, sizeof(digits), "%09ld", nsec);
	if (c->std == STD_FRAC9)
		while (n > 0 && digits[n - 1] == '0')
			n--;
	if (n == 0)
		return;
	luaL_addchar(b, sep);
	luaL_addlstring(b, digits, (size_t)n);
}

static void
put_tz_name(luaL_Buffer *b, const struct tm *tm)
{
	if (tm->tm_zone != NULL && tm->tm_zone[0] != '\0') {
		luaL_addstring(b, tm->tm_zone);
		return;
	}
	put_zone(b, tm->tm_gmtoff, tm->tm_gmtoff % 3600 ? 2 : 4);
}

/* Dates and clock fields. */
static void
put_field(luaL_Buffer *b, const struct chunk *c, const struct tm *tm)
{
	int	 h12 = tm->tm_hour % 12 ? tm->tm_hour % 12 : 12;

	switch (c->std) {
	case STD_LONG_MONTH:
		luaL_addstring(b, month_names[tm->tm_mon]);
		break;
	case STD_MONTH:
		luaL_addlstring(b, month_names[tm->tm_mon], 3);
		break;
	case STD_NUM_MONTH:
	case STD_ZERO_MONTH:
		put_num(b, tm->tm_mon + 1, c->std == STD_ZERO_MONTH ? 2 : 0,
		    1);
		break;
	case STD_LONG_WEEKDAY:
		luaL_addstring(b, day_names[tm->tm_wday]);
		break;
	case STD_WEEKDAY:
		luaL_addlstring(b, day_names[tm->tm_wday], 3);
		break;
	case STD_DAY:
	case STD_UNDER_DAY:
	case STD_ZERO_DAY:
		put_num(b, tm->tm_mday, c->std == STD_DAY ? 0 : 2,
		    c->std == STD_ZERO_DAY);
		break;
	case STD_UNDER_YEARDAY:
	case STD_ZERO_YEARDAY:
		put_num(b, tm->tm_yday + 1, 3, c->std == STD_ZERO_YEARDAY);
		break;
	case STD_HOUR:
		put_num(b, tm->tm_hour, 2, 1);
		break;
	case STD_HOUR12:
	case STD_ZERO_HOUR12:
		put_num(b, h12, c->std == STD_HOUR12 ? 0 : 2, 1);
		break;
	case STD_MINUTE:
	case STD_ZERO_MINUTE:
		put_num(b, tm->tm_min, c->std == STD_MINUTE ? 0 : 2, 1);
		break;
	case STD_SECOND:
	case STD_ZERO_SECOND:
		put_num(b, tm->tm_sec, c->std == STD_SECOND ? 0 : 2, 1);
		break;
	case STD_LONG_YEAR:
		put_num(b, tm->tm_year + 1900L, 4, 1);
		break;
	case STD_YEAR:
		put_num(b, (tm->tm_year + 1900L) % 100, 2, 1);
		break;
	case STD_PM:
	case STD_PM_LOWER:
		luaL_addstring(b, tm->tm_hour >= 12 ?
		    (c->std == STD_PM ? "PM" : "pm") :
		    (c->std == STD_PM ? "AM" : "am"));
		break;
	default:
		break;
	}
}

static void
time_format_into(luaL_Buffer *b, const struct tvalue *tv, const char *l,
    size_t n)
{
	struct chunk	 c;
	struct tm	 tm;
	time_t		 sec;
	long		 nsec;

	sec = (time_t)time_split(tv, &nsec);
	if (localtime_r(&sec, &tm) == NULL)
		gmtime_r(&sec, &tm);
	while (n > 0) {
		layout_chunk(l, n, &c);
		if (c.std == STD_LITERAL)
			luaL_addchar(b, *l);
		else if (c.std == STD_TZ)
			put_tz_name(b, &tm);
		else if (c.std == STD_ISO_TZ && tm.tm_gmtoff == 0)
			luaL_addchar(b, 'Z');
		else if (c.std == STD_NUM_TZ || c.std == STD_ISO_TZ)
			put_zone(b, tm.tm_gmtoff, c.tz);
		else if (c.std == STD_FRAC0 || c.std == STD_FRAC9)
			put_frac(b, &c, *l, nsec);
		else
			put_field(b, &c, &tm);
		l += c.len;
		n -= c.len;
	}
}

static int
time_format(lua_State *L)
{
	struct tvalue	*tv = time_check(L, 1);
	size_t		 n;
	const char	*layout = luaL_optlstring(L, 2, RFC3339, &n);
	luaL_Buffer	 b;

	luaL_buffinit(L, &b);
	time_format_into(&b, tv, layout, n);
	luaL_pushresult(&b);
	return 1;
}

static int
time_tostring(lua_State *L)
{
	struct tvalue	*tv = time_check(L, 1);
	luaL_Buffer	 b;

	luaL_buffinit(L, &b);
	time_format_into(&b, tv, TIME_STRING, strlen(TIME_STRING));
	luaL_pushresult(&b);
	return 1;
}

static int
time_unix(lua_State *L)
{
	long	 nsec;

	lua_pushinteger(L, time_split(time_check(L, 1), &nsec));
	return 1;
}

static int
time_unix_nano(lua_State *L)
{
	lua_pushinteger(L, time_check(L, 1)->wall);
	return 1;
}

static int
time_sub(lua_State *L)
{
	struct tvalue	*a = time_check(L, 1), *b = time_check(L, 2);

	lua_pushinteger(L, a->mono - b->mono);
	return 1;
}

static int
time_now(lua_State *L)
{
	time_push_now(L);
	return 1;
}

static int
time_sleep(lua_State *L)
{
	int64_t	 ns;

	if (duration_arg(L, 1, &ns, 1) == -1)
		return lua_error(L);
	if (ns <= 0)
		return sched_yield(L);
	return sched_sleep(L, (uint64_t)ns);
}

static int
time_parse_duration(lua_State *L)
{
	int64_t	 ns;

	if (duration_arg(L, 1, &ns, 0) == -1)
		return time_fail(L);
	lua_pushinteger(L, ns);
	return 1;
}

static void
tmr_disarm(lua_State *L, struct tmr *tm)
{
	ev_timer_stop(sched_loop(), &tm->ev);
	luaL_unref(L, LUA_REGISTRYINDEX, tm->ref);
	tm->ref = LUA_NOREF;
}

static void
tick_rearm(struct ev_loop *loop, struct tmr *tm)
{
	uint64_t	 now = ev_now(), next = tm->ev.when + tm->period;

	/* A slow receiver loses ticks rather than getting a burst. */
	if (next <= now)
		next += ((now - next) / tm->period + 1) * tm->period;
	ev_timer_start(loop, &tm->ev, next - now, tm->ev.cb, tm);
}

/* Runs from the event loop, outside any task, on the main thread. */
static void
tmr_fire(struct ev_loop *loop, struct ev_timer *ev)
{
	struct tmr	*tm = ev->arg;
	lua_State	*L = sched_state();
	int		 top = lua_gettop(L);

	if (!lua_checkstack(L, 8))
		fatalx("time: no stack space for a timer");
	lua_rawgeti(L, LUA_REGISTRYINDEX, tm->ref);
	lua_getiuservalue(L, -1, 1);
	time_push_now(L);
	(void)chan_offer(L, -2);
	if (tm->kind == TMR_TICKER)
		tick_rearm(loop, tm);
	else {
		if (tm->kind == TMR_AFTER)
			chan_close(L, -1);
		tmr_disarm(L, tm);
	}
	lua_settop(L, top);
}

/* The timer at idx starts (again) to fire after ns. */
static void
tmr_arm(lua_State *L, int idx, struct tmr *tm, int64_t ns)
{
	if (tm->ref == LUA_NOREF) {
		lua_pushvalue(L, idx);
		tm->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	ev_timer_start(sched_loop(), &tm->ev, ns > 0 ? (uint64_t)ns : 0,
	    tmr_fire, tm);
}

/* Push a new timer feeding a new channel with room for one value. */
static struct tmr *
tmr_new(lua_State *L, int kind, int64_t ns)
{
	struct tmr	*tm;

	tm = lua_newuserdatauv(L, sizeof(*tm), 1);
	memset(tm, 0, sizeof(*tm));
	tm->ref = LUA_NOREF;
	tm->kind = kind;
	tm->period = ns > 0 ? (uint64_t)ns : 0;
	luaL_setmetatable(L, TIMER_META);
	chan_new(L, 1, 0);
	lua_setiuservalue(L, -2, 1);
	tmr_arm(L, -1, tm, ns);
	return tm;
}

static int
tmr_gc(lua_State *L)
{
	struct tmr	*tm = luaL_checkudata(L, 1, TIMER_META);

	if (sched_loop() != NULL)
		ev_timer_stop(sched_loop(), &tm->ev);
	return 0;
}

static int
time_after(lua_State *L)
{
	int64_t	 ns;

	if (duration_arg(L, 1, &ns, 0) == -1)
		return time_fail(L);
	if (ns <= 0)
		return errors_return(L, ERR_INVALID,
		    "time.after: duration must be positive");
	tmr_new(L, TMR_AFTER, ns);
	lua_getiuservalue(L, -1, 1);
	return 1;
}

static int
time_timer(lua_State *L)
{
	int64_t	 ns;

	if (duration_arg(L, 1, &ns, 0) == -1)
		return time_fail(L);
	tmr_new(L, TMR_TIMER, ns);
	return 1;
}

static int
time_ticker(lua_State *L)
{
	int64_t	 ns;

	if (duration_arg(L, 1, &ns, 0) == -1)
		return time_fail(L);
	if (ns <= 0)
		return errors_return(L, ERR_INVALID,
		    "time.ticker: interval must be positive");
	tmr_new(L, TMR_TICKER, ns);
	return 1;
}

static int
tmr_response(lua_State *L)
{
	luaL_checkudata(L, 1, TIMER_META);
	lua_getiuservalue(L, 1, 1);
	return 1;
}

static int
tmr_stop(lua_State *L)
{
	struct tmr	*tm = luaL_checkudata(L, 1, TIMER_META);

	lua_pushboolean(L, ev_timer_active(&tm->ev));
	tmr_disarm(L, tm);
	return 1;
}

static int
tmr_reset(lua_State *L)
{
	struct tmr	*tm = luaL_checkudata(L, 1, TIMER_META);
	int64_t		 ns;

	if (duration_arg(L, 2, &ns, 0) == -1)
		return time_fail(L);
	if (tm->kind == TMR_TICKER) {
		if (ns <= 0)
			return errors_return(L, ERR_INVALID,
			    "ticker:reset: interval must be positive");
		tm->period = (uint64_t)ns;
	}
	lua_pushboolean(L, ev_timer_active(&tm->ev));
	tmr_arm(L, 1, tm, ns);
	return 1;
}

static const luaL_Reg time_methods[] = {
	{ "unix", time_unix },
	{ "unix_nano", time_unix_nano },
	{ "sub", time_sub },
	{ "format", time_format },
	{ NULL, NULL }
};

static const luaL_Reg tmr_methods[] = {
	{ "response", tmr_response },
	{ "stop", tmr_stop },
	{ "reset", tmr_reset },
	{ NULL, NULL }
};

static const luaL_Reg time_funcs[] = {
	{ "sleep", time_sleep },
	{ "after", time_after },
	{ "timer", time_timer },
	{ "ticker", time_ticker },
	{ "now", time_now },
	{ "parse_duration", time_parse_duration },
	{ NULL, NULL }
};

static const struct {
	const char	*name;
	lua_Integer	 ns;
} time_units[] = {
	{ "NANOSECOND", 1 },
	{ "MICROSECOND", 1000 },
	{ "MILLISECOND", 1000000 },
	{ "SECOND", NS_PER_S },
	{ "MINUTE", 60 * NS_PER_S },
	{ "HOUR", 3600 * NS_PER_S },
};

int
luaopen_time(lua_State *L)
{
	size_t	 i;

	if (luaL_newmetatable(L, TIME_META)) {
		luaL_newlib(L, time_methods);
		lua_setfield(L, -2, "__index");
		lua_pushcfunction(L, time_tostring);
		lua_setfield(L, -2, "__tostring");
	}
	lua_pop(L, 1);
	if (luaL_newmetatable(L, TIMER_META)) {
		luaL_newlib(L, tmr_methods);
		lua_setfield(L, -2, "__index");
		lua_pushcfunction(L, tmr_gc);
		lua_setfield(L, -2, "__gc");
		/* Lua must not unset __gc while the loop holds the timer. */
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "__metatable");
	}
	lua_pop(L, 1);
	luaL_newlib(L, time_funcs);
	for (i = 0; i < sizeof(time_units) / sizeof(time_units[0]); i++) {
		lua_pushinteger(L, time_units[i].ns);
		lua_setfield(L, -2, time_units[i].name);
	}
	return 1;
}
