/*
 * utf8.h: the one check of UTF-8 sequences, for the JSON codec, log
 * field formatting and the control client's escaping.
 */
#ifndef OSACTOR_UTF8_H
#define OSACTOR_UTF8_H

#include <stddef.h>

size_t	 utf8_len(const unsigned char *, size_t);

#endif /* OSACTOR_UTF8_H */
