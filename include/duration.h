/*
 * duration.h: Go's time.ParseDuration syntax ("1h30m", "1.5s", "250ms")
 * and Go's Duration.String() form, so durations read and print the same
 * in the YAML, in Lua (time.sleep) and in logs.  Shared by the supervisor
 * and the shim.
 */
#ifndef OSACTOR_DURATION_H
#define OSACTOR_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* Longest duration_format() output is "-2562047h47m16.854775808s". */
#define DURATION_STRLEN		32

int	 duration_parse(const char *, size_t, int64_t *, const char **);
void	 duration_format(int64_t, char *, size_t);

#endif /* OSACTOR_DURATION_H */
