/*
 * seccomp.c: the kernel's half of the actor sandbox (osactor-lua(7),
 * "System calls").  Once an actor's Lua state, modules and sources are
 * ready, and before its code runs, the shim sets no_new_privs and installs a
 * seccomp filter: a BPF allow-list of what a running shim needs (its
 * socket and the descriptors it has, memory without new executable
 * pages, clocks, its own signals, exit).  Any other call, opening a file,
 * making a socket, exec, fork, kills the whole actor with SIGSYS, and
 * the supervisor's EXIT says "sandbox violation".  Written by hand, so
 * osactor needs no libseccomp.
 *
 * The list was found by running the whole test suite, the sanitizer
 * build's too, with SECCOMP_RET_LOG for the kill and the kernel log
 * (dmesg, audit type 1326) read for what would have been killed.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "seccomp.h"

#if defined(__x86_64__)
#define SECCOMP_ARCH	AUDIT_ARCH_X86_64
#define SECCOMP_X32_BIT	0x40000000U	/* __X32_SYSCALL_BIT */
#elif defined(__aarch64__)
#define SECCOMP_ARCH	AUDIT_ARCH_AARCH64
#endif

/*
 * A sanitizer's report opens the binary and /proc/self/maps to name the
 * frames of its stack trace: a sanitizer build lets it, read-only, so a
 * memory error in an actor is reported in full, not as a violation.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SECCOMP_SANITIZER	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || \
    __has_feature(undefined_behavior_sanitizer)
#define SECCOMP_SANITIZER	1
#endif
#endif
/* open(2) flags that could write, create or truncate. */
#define SECCOMP_O_WRITE	(O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | \
			 (O_TMPFILE & ~O_DIRECTORY))

#define SECCOMP_MAX	256		/* instructions: room to spare */
#define OFF_NR		offsetof(struct seccomp_data, nr)
#define OFF_ARCH	offsetof(struct seccomp_data, arch)
#define OFF_IP		offsetof(struct seccomp_data, instruction_pointer)
/* The low 32 bits of an argument: all the kernel reads of an int. */
#define OFF_ARG(i)	(offsetof(struct seccomp_data, args) + (i) * 8)

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Allowed whatever their arguments. */
static const int allowed[] = {
	/* descriptors it has: the link, stdin/stdout/stderr, its epoll */
	SYS_read, SYS_write, SYS_close,
	SYS_recvfrom, SYS_recvmsg, SYS_sendto, SYS_sendmsg,
	SYS_epoll_ctl, SYS_epoll_pwait, SYS_ppoll,
#ifdef SYS_poll
	SYS_poll,
#endif
#ifdef SYS_epoll_wait
	SYS_epoll_wait,
#endif
#ifdef SYS_epoll_pwait2
	SYS_epoll_pwait2,
#endif
	/* memory (mmap and mprotect below) */
	SYS_brk, SYS_munmap, SYS_mremap, SYS_madvise,
	/* time */
	SYS_clock_gettime, SYS_clock_getres, SYS_clock_nanosleep,
	SYS_gettimeofday, SYS_nanosleep,
#ifdef SYS_time
	SYS_time,
#endif
	/* signals, identity, the end */
	SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigreturn,
	SYS_sigaltstack, SYS_restart_syscall, SYS_getpid, SYS_getppid,
	SYS_gettid, SYS_exit, SYS_exit_group,
};

/* ioctl requests: isatty(3), nothing that writes to a terminal. */
static const uint32_t ioctl_allowed[] = { TCGETS };
/*
 * A spare (zygote.c) has its filter before it knows its actor; then it
 * puts /dev/null (opened ahead) or the terminal on stdin and stdout, and
 * sets its own limits.  Descriptors it has, onto 0 and 1; limits of this
 * process, which can only go down or up to the hard limit.
 */
static const uint32_t dup3_targets[] = { STDIN_FILENO, STDOUT_FILENO };
static const uint32_t prlimit_self[] = { 0 };

struct prog {
	struct sock_filter	 insn[SECCOMP_MAX];
	size_t			 n;
};

static void
emit(struct prog *p, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	struct sock_filter	 f = { code, jt, jf, k };

	if (p->n < SECCOMP_MAX)
		p->insn[p->n] = f;
	p->n++;			/* one too many is caught at install */
}

static void
emit_ret(struct prog *p, uint32_t action)
{
	emit(p, BPF_RET | BPF_K, 0, 0, action);
}

/* "If the call is nr, skip nothing; else skip the next skip insns." */
static void
emit_nr(struct prog *p, int nr, uint8_t skip)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, skip, (uint32_t)nr);
}

static void
emit_allow(struct prog *p, int nr)
{
	emit_nr(p, nr, 1);
	emit_ret(p, SECCOMP_RET_ALLOW);
}

/* Call nr allowed unless argument arg has a bit of mask set. */
static void
emit_mask(struct prog *p, int nr, int arg, uint32_t mask)
{
	emit_nr(p, nr, 4);
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)OFF_ARG(arg));
	emit(p, BPF_JMP | BPF_JSET | BPF_K, 1, 0, mask);
	emit_ret(p, SECCOMP_RET_ALLOW);
	emit_ret(p, SECCOMP_RET_KILL_PROCESS);
}

/* Call nr allowed only when argument arg is one of the n values v. */
static void
emit_values(struct prog *p, int nr, int arg, const uint32_t *v, size_t n)
{
	size_t	 i;

	emit_nr(p, nr, (uint8_t)(2 + 2 * n));
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)OFF_ARG(arg));
	for (i = 0; i < n; i++) {
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, v[i]);
		emit_ret(p, SECCOMP_RET_ALLOW);
	}
	emit_ret(p, SECCOMP_RET_KILL_PROCESS);
}

/*
 * Only the kernel's native calls: another arch or x32 is killed.
 *
 * First a load the kernel cannot know ahead.  At install it works out
 * which calls the filter always allows by running it for every call
 * number of both arches, with interrupts off; for this list that costs
 * 55 us of the 85 us an install takes, on every spawn.  A filter that
 * reads the instruction pointer first is never run ahead, and running
 * it on each call adds 15-25 ns to the 45 ns any filter costs.
 */
static void
emit_arch(struct prog *p)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)OFF_IP);
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)OFF_ARCH);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, SECCOMP_ARCH);
	emit_ret(p, SECCOMP_RET_KILL_PROCESS);
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)OFF_NR);
#ifdef SECCOMP_X32_BIT
	emit(p, BPF_JMP | BPF_JGE | BPF_K, 0, 1, SECCOMP_X32_BIT);
	emit_ret(p, SECCOMP_RET_KILL_PROCESS);
#endif
}

static void
seccomp_build(struct prog *p)
{
	uint32_t	 self = (uint32_t)getpid();
	size_t		 i;

	emit_arch(p);
	for (i = 0; i < NITEMS(allowed); i++)
		emit_allow(p, allowed[i]);
	/* The accumulator holds nr up to here; each check below returns. */
	emit_mask(p, SYS_mmap, 2, PROT_EXEC);
	emit_mask(p, SYS_mprotect, 2, PROT_EXEC);
	emit_values(p, SYS_ioctl, 1, ioctl_allowed, NITEMS(ioctl_allowed));
	emit_values(p, SYS_dup3, 1, dup3_targets, NITEMS(dup3_targets));
	emit_values(p, SYS_prlimit64, 0, prlimit_self, NITEMS(prlimit_self));
	/* abort(3) and raise(3): a signal to this process only. */
	emit_values(p, SYS_tgkill, 0, &self, 1);
#ifdef SECCOMP_SANITIZER
	emit_mask(p, SYS_openat, 2, SECCOMP_O_WRITE);
#ifdef SYS_open
	emit_mask(p, SYS_open, 1, SECCOMP_O_WRITE);
#endif
	emit_allow(p, SYS_fcntl);
	emit_allow(p, SYS_futex);
	emit_allow(p, SYS_newfstatat);
	emit_allow(p, SYS_readlinkat);
#ifdef SYS_readlink
	emit_allow(p, SYS_readlink);
#endif
#endif
	emit_ret(p, SECCOMP_RET_KILL_PROCESS);
}

/*
 * No new privileges, then the filter, for good: 0, or -1 with errno.
 * Single-threaded, so the filter covers the whole actor.
 */
int
seccomp_sandbox(void)
{
#ifdef SECCOMP_ARCH
	struct prog		 p = { .n = 0 };
	struct sock_fprog	 fp;

	seccomp_build(&p);
	if (p.n > SECCOMP_MAX) {
		errno = E2BIG;
		return -1;
	}
	fp.len = (unsigned short)p.n;
	fp.filter = p.insn;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp);
#else
	errno = ENOSYS;		/* no list of calls for this architecture */
	return -1;
#endif
}
