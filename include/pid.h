/*
 * pid.h: actor pid strings, "{HOST|0xNNNNN}" (API.md section 8).
 */
#ifndef OSACTOR_PID_H
#define OSACTOR_PID_H

#include <stddef.h>
#include <stdint.h>

char	*pid_format(const char *, uint32_t);
int	 pid_parse(const char *, size_t, uint32_t *);

#endif /* OSACTOR_PID_H */
