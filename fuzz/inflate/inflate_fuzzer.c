// libFuzzer target: the gateway's small-message inflater (Sources/CLWS/message_inflate.h) against zlib,
// in both its compiled forms.
// Whatever clws_inflate_message takes, zlib, run as lws 4.1 runs it for one message (a fresh raw
// inflater, the payload, then the 00 00 ff ff trailer the sender removed), must take too, with the same
// bytes; what it leaves to zlib is zlib's business. Built and run by fuzz/run.sh, with AddressSanitizer
// and UndefinedBehaviorSanitizer watching every read and write.
#include "../../Sources/CLWS/message_inflate.h"
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#define CAPACITY 16384

static int zlib_inflated(const uint8_t *data, size_t size, uint8_t *output, size_t *produced) {
    static unsigned char trailer[4] = { 0, 0, 0xff, 0xff };
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, -15) != Z_OK) abort();
    stream.next_in = (unsigned char *)data;
    stream.avail_in = (uInt)size;
    stream.next_out = output;
    stream.avail_out = CAPACITY + 1;  // one more: output past the shortcut's capacity shows as a difference
    int status = inflate(&stream, Z_NO_FLUSH);
    if (status == Z_OK || status == Z_BUF_ERROR) {
        stream.next_in = trailer;
        stream.avail_in = sizeof trailer;
        status = inflate(&stream, Z_SYNC_FLUSH);
    }
    *produced = CAPACITY + 1 - stream.avail_out;
    inflateEnd(&stream);
    return status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static uint8_t ours[CAPACITY], generic[CAPACITY], theirs[CAPACITY + 1];
    size_t ours_length = 0, generic_length = 0, theirs_length = 0;
    // Both compiled forms (on x86-64 with BMI2 clws_inflate_message runs the other one) must agree.
    const int status = clws_inflate_message(data, size, ours, CAPACITY, &ours_length);
    const int generic_status = clws_inflate_message_generic(data, size, generic, CAPACITY, &generic_length);
    if (status != generic_status ||
        (status == CLWS_INFLATE_DONE && (ours_length != generic_length || memcmp(ours, generic, ours_length) != 0))) {
        fprintf(stderr, "the generic and the BMI2 forms disagree\n");
        abort();
    }
    if (status != CLWS_INFLATE_DONE) return 0;
    if (!zlib_inflated(data, size, theirs, &theirs_length)) {
        fprintf(stderr, "taken, but zlib refuses it\n");
        abort();
    }
    if (ours_length != theirs_length || memcmp(ours, theirs, ours_length) != 0) {
        fprintf(stderr, "inflated to %zu bytes, zlib to %zu, or to other bytes\n", ours_length, theirs_length);
        abort();
    }
    return 0;
}
