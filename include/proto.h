/*
 * proto.h: the osactor wire protocol between the supervisor and its actors.
 *
 * Every frame is a 24-byte little-endian header followed by a body of
 * `len` bytes.  Bump PROTO_VERSION whenever anything in this file changes
 * meaning.  osactor-wire(5) documents the same, for other languages.
 */
#ifndef OSACTOR_PROTO_H
#define OSACTOR_PROTO_H

#define PROTO_VERSION		8
#define FRAME_HDR_LEN		24
#define FRAME_MAX_BODY		(16U << 20)	/* largest body either side accepts */
/*
 * Largest body an actor may send.  The supervisor re-frames what it routes
 * (a DELIVER adds the sender's pid, an EVENT the kind, pid and time), and
 * that room keeps the result within FRAME_MAX_BODY.
 */
#define FRAME_ROUTE_ROOM	2048
#define FRAME_MAX_SEND		(FRAME_MAX_BODY - FRAME_ROUTE_ROOM)
#define VALUE_MAX_DEPTH		128		/* nesting of encoded Lua tables */
#define NAME_MAX_LEN		1024		/* registry names, topics, entry ids */
#define REASON_MAX_LEN		(64U << 10)	/* exit reasons are cut to this */

/* Header flags. */
#define FRAME_F_NONE		0x00

/*
 * Frame types, grouped by hundreds.  "a>s" is actor to supervisor, "s>a"
 * the other way.  Requests carry a non-zero ref that the REPLY echoes.
 *
 * A SEND with ref 0 wants no REPLY: it is delivered if dst lives and
 * dropped if not.  An actor pipelines its sends that way only to a dst
 * whose REPLY to a SEND with a ref said "watched" (u8 1): the supervisor
 * then sends it a GONE for dst when dst ends, before dst's EXIT or
 * LINK_DOWN and before anything routed after the end, so a send made
 * after the sender could know of the end gets "process not found".
 *
 * TAKEN carries a running count, never one frame per message: the shim
 * puts one before the next frame it writes after a take, and writes one
 * before it sleeps when the count changed and nothing else went out.  The
 * supervisor counts the messages it routed to an actor; when the actor
 * ends, routed minus taken were never taken (its dead letters).
 */
enum frame_type {
	/* 1xx: session */
	FRAME_START = 100,	/* s>a: identity and what to run (struct below) */
	FRAME_READY = 101,	/* a>s: main ran to its first wait */
	FRAME_EXITING = 102,	/* a>s: u8 status, value bytes or message to end */
	FRAME_REPLY = 110,	/* s>a: u8 status, then answer or kind+message */

	/* 2xx: messages */
	FRAME_SEND = 200,	/* a>s: dst=actor id; str topic, payload bytes;
			   reply (ref != 0): u8 watched (see above) */
	FRAME_SEND_NAMED = 201,	/* a>s: str name, str topic, payload bytes */
	FRAME_DELIVER = 202,	/* s>a: src=sender; str from, str topic, payload */
	FRAME_DELIVER_JSON = 203, /* s>a: str from, str topic, JSON text to the
			   end (from `osactor send`; the shim decodes it) */
	FRAME_TAKEN = 204,	/* a>s: u64 messages Lua has taken from its
			   mailboxes so far (v5); sent lazily, see below */

	/* 3xx: processes */
	FRAME_SPAWN = 300,	/* a>s: u8 flags, str entry, str host, args bytes */
	FRAME_EVENT = 301,	/* s>a: u8 kind, str from, i64 at, u8 status,
			   then value bytes or message to the end */
	FRAME_MONITOR = 302,	/* a>s: str dest */
	FRAME_UNMONITOR = 303,	/* a>s: str dest */
	FRAME_LINK = 304,	/* a>s: str dest */
	FRAME_UNLINK = 305,	/* a>s: str dest */
	FRAME_TERMINATE = 306,	/* a>s: str dest */
	FRAME_CANCEL = 307,	/* a>s: str dest, reason to the end */
	FRAME_GONE = 308,	/* s>a: u32 id of an actor it sent to, now ended */
	FRAME_NAME_GONE = 309,	/* (v6) s>a: str name it sent by, now
				 * unregistered or its owner ended */

	/* 5xx: logs */
	FRAME_LOG = 500,	/* a>s: u8 level, str logger name, str message,
			   str fields as text, str fields as JSON */

	/* 4xx: registry */
	FRAME_REGISTER = 400,	/* a>s: str name, u32 actor id (0 = self) */
	FRAME_UNREGISTER = 401,	/* a>s: str name */
	FRAME_LOOKUP = 402,	/* a>s: str name; reply: str pid */

	/* 6xx: control socket, `osactor` commands to a running app (c>s) */
	FRAME_CTL_PS = 600,	/* u8 0; reply: the rows below */
	FRAME_CTL_STOP = 601,	/* str service, or "" for the whole app */
	FRAME_CTL_START = 602,	/* str service */
	FRAME_CTL_RESTART = 603, /* str service */
	FRAME_CTL_SEND = 604,	/* str name or pid, str topic, JSON to the end */
	FRAME_CTL_REPLY = 610,	/* s>c: as FRAME_REPLY (ref 0: refused) */

	/* 9xx: the zygote's control socket (SOCK_SEQPACKET, a frame a
	 * message), never an actor's link. */
	FRAME_Z_SOURCE = 900,	/* s>z: str path, str code, str chunk name */
	FRAME_Z_HELLO = 901,	/* s>z: sources sent; z>s: precompiled, ready */
	FRAME_Z_SPAWN = 902,	/* s>z: dst=actor id; u8 start flags, 5 x u64
				 * limits (RLIMIT_AS, CPU, NOFILE, NPROC, CORE;
				 * UINT64_MAX unset); the actor's socket by
				 * SCM_RIGHTS */
	FRAME_Z_PID = 903,	/* z>s: dst=actor id; u32 OS pid, or 0 and u32
				 * errno when clone failed */
	FRAME_Z_SPARE = 904,	/* (v6) s>z: ref=token; u8 start flags (v7:
				 * START_F_SANDBOX: filter it ahead); a new
				 * actor socket by SCM_RIGHTS, for a spare to
				 * wait on.
				 * z>s: ref=token; as FRAME_Z_PID.  The
				 * spare's first frame on that socket is the
				 * FRAME_Z_SPAWN of the actor it becomes */
};

/*
 * FRAME_REPLY and FRAME_EXITING status byte.  An EXITING error's message
 * may be followed by a NUL and the actor's error object and its details
 * as a value sequence (version 2); the supervisor passes the whole body
 * on in EXIT and LINK_DOWN events, and its own reasons have no NUL.
 */
enum proto_status {
	PROTO_OK = 0,		/* REPLY: answer follows; EXITING: value bytes */
	PROTO_ERROR = 1,	/* REPLY: str kind, str message; else: message */
};

/* FRAME_SPAWN flags. */
#define SPAWN_F_MONITOR		0x01
#define SPAWN_F_LINK		0x02

/* FRAME_EVENT status of a CANCEL: the app is stopping (not a user's). */
#define CANCEL_SHUTDOWN		1

/* FRAME_EVENT kinds. */
enum proto_event {
	EVENT_EXIT = 1,
	EVENT_CANCEL = 2,
	EVENT_LINK_DOWN = 3,
};

/*
 * FRAME_START body, in order:
 *   u32 actor id, str pid, str entry id, str host id, str source path
 *   (empty for inline code), str source code (empty for a file), str chunk
 *   name (what error messages call the source), str method, u8 log level,
 *   u8 start flags, the entry's scope, u32 library count, per library: str
 *   id, str source path, str source code, str chunk name, the library's
 *   scope; u32 peer count, that many u32 ids of actors that watch this one
 *   as their sender, as a REPLY's "watched" says (v6); then the spawn
 *   arguments as a value sequence to the end.  A
 *   scope is what that one entry may see: u32 module count, that many str
 *   module names, u32 import count, per import: str alias, str library id.
 */
/*
 * FRAME_CTL_REPLY to FRAME_CTL_PS, after the status byte: u32 row count,
 * then per row: u8 kind (CTL_ROW_*), str actor pid ("" when none), u32 OS
 * pid (0 when none), str entry id, str host id, str service id ("" when
 * none), u32 name count, that many str names, str state, u64 messages
 * queued in the supervisor, u64 RSS bytes, u64 CPU time ns, u64 uptime ns
 * (each CTL_UNKNOWN when not known), u64 restarts, u64 messages routed to
 * it, u64 messages it has said it took (v5); after the rows, u64 dead
 * letters: messages ended actors never took, and sends refused because
 * their target had ended (v5).
 */
#define CTL_ROW_ACTOR		0	/* a live actor */
#define CTL_ROW_SERVICE		1	/* a service slot with no live actor */
#define CTL_UNKNOWN		UINT64_MAX
#define CTL_MAX_BODY		(1U << 20)	/* largest control request */
#define CTL_FROM		"{node:control|0x00000}" /* from of CTL_SEND */

#define START_F_TERMINAL	0x01	/* the actor owns stdin/stdout */
#define START_F_MAIN		0x02	/* the -x actor: its result is the exit status */
#define START_F_SANDBOX		0x04	/* seccomp filter before its code runs (v4) */
#define START_PEERS_MAX		16	/* peers in a START, at most */

#endif /* OSACTOR_PROTO_H */
