/*
 * prefault.c: what a spare does while it waits, so that the actor it
 * becomes does not stop on page faults to copy the heap it shares with
 * the zygote: a copy-on-write fault costs 3-4 us in a VM, and an actor
 * starting writes to most of a small zygote's heap (17 of its 28 pages
 * in the tutorial's).  Copying all of it ahead, and the stack an actor's
 * start uses, took 30-40 us off the spawn to the actor's first
 * instruction (of 0.3 ms) for 70 KiB more private memory an actor.  Not
 * done: mapping the libraries' code ahead (MADV_POPULATE_READ), which
 * saved less than it cost in CPU time, and copying their data and bss,
 * of which an actor writes few pages.
 */
#include <malloc.h>
#include <stdint.h>
#include <unistd.h>

#include "shim.h"

#define STACK_AHEAD	(16 * 1024)	/* what an actor's start uses */

static uintptr_t	 heap_lo;	/* where the main arena starts */

/* Write each page of [lo, hi) with what it holds, so it is ours. */
static void
prefault_write(uintptr_t lo, uintptr_t hi, uintptr_t page)
{
	volatile uint8_t	*p;

	for (lo &= ~(page - 1); lo < hi; lo += page) {
		p = (volatile uint8_t *)lo;
		*p = *p;
	}
}

/* The stack below us, as deep as an actor's start goes. */
static void __attribute__((noinline))
prefault_stack(uintptr_t page)
{
	volatile uint8_t	 ahead[STACK_AHEAD];
	size_t			 i;

	for (i = 0; i < sizeof(ahead); i += page)
		ahead[i] = 0;
}

/*
 * In the zygote, once: where the heap starts.  The main arena is the
 * heap from the break down, and its start never moves; mallinfo2 walks
 * every free list to say how big it is, too slow to ask in each spare.
 */
void
prefault_init(void)
{
	struct mallinfo2 mi = mallinfo2();
	uintptr_t	 brk_end = (uintptr_t)sbrk(0);

	if (brk_end != (uintptr_t)-1 && mi.arena <= brk_end)
		heap_lo = brk_end - mi.arena;
}

void
prefault(void)
{
	uintptr_t	 brk_end = (uintptr_t)sbrk(0);
	long		 page = sysconf(_SC_PAGESIZE);

	if (page <= 0)
		return;
	if (heap_lo != 0 && brk_end != (uintptr_t)-1 && heap_lo <= brk_end)
		prefault_write(heap_lo, brk_end, (uintptr_t)page);
	prefault_stack((uintptr_t)page);
}
