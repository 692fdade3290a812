/*
 * prefault.c: what a spare does while it waits, so that the actor it
 * becomes does not stop on page faults to copy the heap it shares with
 * the zygote: a copy-on-write fault costs 3-4 us in a VM, and an actor
 * starting writes to most of a small zygote's heap (17 of its 28 pages
 * in the tutorial's).  Copying all of it ahead, and the stack an actor's
 * start uses, took 30-40 us off the spawn to the actor's first
 * instruction (of 0.3 ms).  Only the pages in memory are copied: about
 * half of a zygote's heap lies in free chunks that malloc_trim gave
 * back, and writing those too cost 30 faults an actor and 56 KiB of its
 * private memory (184 KiB for a tutorial worker, now 128).  Not done:
 * mapping the libraries' code ahead (MADV_POPULATE_READ), which saved
 * less than it cost in CPU time, and copying their data and bss, of
 * which an actor writes few pages.
 */
#include <sys/mman.h>

#include <malloc.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

#define STACK_AHEAD	(16 * 1024)	/* what an actor's start uses */

static uintptr_t	 heap_lo;	/* where the main arena starts */

/*
 * Write each page of [lo, hi) that is in memory with what it holds, so
 * it is ours.  A page not in memory holds nothing (malloc_trim gave it
 * back from inside a free chunk): writing it would only add a page of
 * zeros, one more fault and 4 KiB to every actor.
 */
static void
prefault_write(uintptr_t lo, uintptr_t hi, uintptr_t page)
{
	unsigned char		 in[128];
	volatile uint8_t	*p;
	size_t			 n, i;

	for (lo &= ~(page - 1); lo < hi; lo += n * page) {
		n = (hi - lo + page - 1) / page;
		if (n > sizeof(in))
			n = sizeof(in);
		if (mincore((void *)lo, n * page, in) == -1)
			memset(in, 1, n);	/* cannot tell: write them all */
		for (i = 0; i < n; i++)
			if (in[i] & 1) {
				p = (volatile uint8_t *)(lo + i * page);
				*p = *p;
			}
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
