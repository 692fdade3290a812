/*
 * termfilter.h: what an untrusted actor writes to the operator's
 * terminal, with every escape sequence but colours (SGR) taken out.
 */
#ifndef OSACTOR_TERMFILTER_H
#define OSACTOR_TERMFILTER_H

#include <stddef.h>

#include "frame.h"

#define TERMFILTER_MAX	64	/* longest SGR sequence let through */

/* One per output stream: a sequence may be split across writes. */
struct termfilter {
	int		 state;
	size_t		 npend;
	char		 pend[TERMFILTER_MAX];
};

void	 termfilter_init(struct termfilter *);
void	 termfilter_write(struct termfilter *, struct wbuf *, const char *,
	    size_t);
void	 termfilter_finish(struct termfilter *, struct wbuf *);

#endif /* OSACTOR_TERMFILTER_H */
