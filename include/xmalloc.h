/*
 * xmalloc.h: allocation that never returns NULL, and fatal exits for
 * broken invariants.  Shared by the supervisor and the shim.
 */
#ifndef OSACTOR_XMALLOC_H
#define OSACTOR_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif /* OSACTOR_XMALLOC_H */
