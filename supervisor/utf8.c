/*
 * utf8.c: UTF-8 sequence lengths, strictly per RFC 3629.
 */
#include "utf8.h"

/*
 * Length of the well-formed UTF-8 sequence at s (n bytes left): 1 for
 * ASCII, 2 to 4, or 0 when there is none (overlongs, surrogates and code
 * points past U+10FFFF are not well-formed).
 */
size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char	 c = s[0], lo = 0x80, hi = 0xbf;
	size_t		 need, i;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	need = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < need || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return need;
}
