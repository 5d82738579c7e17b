#ifndef CZLIB_H
#define CZLIB_H
#include <zlib.h>

/// deflateInit2/inflateInit2 are macros Swift cannot call. Raw deflate (negative window bits), as
/// permessage-deflate (RFC 7692) carries it.
static inline int czlib_deflate_init(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init(z_stream *stream) {
    return inflateInit2(stream, -15);
}
#endif
