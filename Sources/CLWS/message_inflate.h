#ifndef CLWS_MESSAGE_INFLATE_H
#define CLWS_MESSAGE_INFLATE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "message_inflate.h reads the input and its counts a word at a time, lowest byte first"
#endif

/// Inflates one whole permessage-deflate message (RFC 7692 7.2.2: raw DEFLATE, RFC 1951, with the sender's
/// trailing 00 00 ff ff removed) from a fresh stream, into at most `capacity` bytes.
///
/// Why not zlib: an editor's answer is a few hundred bytes compressed afresh, one dynamic-Huffman block per
/// message, and zlib spends most of such a message building its decoding tables (stepping through 512 entries
/// for the literal/length code alone in bit-reversed order). Here the code lengths are gathered by length
/// as they are read, so no table needs a pass over all symbols nor a sort; each table is filled code by
/// code in the codes' order and doubled before each longer length; a length's fast entry carries its base
/// and extra bits, so a match needs no other table; and the header and the block are each compiled apart,
/// twice (for any processor, and for one with BMI2, chosen once by CPUID). On the bench editor's 106-byte
/// answer (99 bytes compressed): about 5,080 instructions with BMI2 and 5,470 without, against zlib's 14,900
/// in lws' sequence (docs/design-notes.md, "Deflate: inflating small messages ourselves", "Deflate: the
/// decoder's second pass" and "Deflate: the decoder's third pass").
///
/// It is only ever a shortcut in front of zlib: for anything it does not take it returns
/// CLWS_INFLATE_USE_ZLIB, and the caller lets zlib inflate the message as if this had not run. It takes
/// nothing zlib refuses, and what it takes it inflates to the same bytes
/// (Tests/GatewayServerTests/MessageInflateTests compares the two, on damaged input too). Left to zlib:
/// anything after a final block (BFINAL, RFC 7692 7.2.3.3), a distance reaching before the message, an
/// over-subscribed or incomplete code (zlib takes a single code of length 1; its own deflate never writes
/// one), a code without any codes, a missing end-of-block code, more than 286 literal/length or 30 distance
/// codes, a repeat with nothing to repeat or past the end (inflate.c), symbols 286-287 or distances 30-31 of
/// the fixed code, input that ends anywhere but after a stored-block header (where the removed trailer would
/// give that block its zero length), and output past `capacity`. No byte past `length` is read (the bit
/// reader supplies zeros there) and none past `capacity` written.
enum { CLWS_INFLATE_DONE = 0, CLWS_INFLATE_USE_ZLIB = -1 };

#define CLWS_INFLATE_MAX_BITS 15
#define CLWS_INFLATE_FAST_BITS 9
#define CLWS_INFLATE_LONG 0xffffffffu  // a fast entry for the first bits of a code longer than the table

/// A canonical Huffman code (complete: every sequence of 15 bits begins with one of its codes).
/// `fast`, indexed by the next `fast_bits` bits (`buffer & fast_mask`), gives for a code of at most that
/// many bits its entry (clws_inflate_literal_entries) with the code's length in the low byte, and
/// CLWS_INFLATE_LONG for the first bits of a longer one. Codes are packed from their most significant bit
/// (RFC 1951 3.1.1) and the input is read from its lowest bit, so a code of length L is at the index of its
/// bits reversed, and again every 2^L entries. A longer code, its 15 next bits reversed (the first one
/// highest), is below `limit[L]` and at or above `limit[L - 1]` for its length L, and its symbol is
/// `symbol[base[L] + (aligned >> (15 - L))]`.
typedef struct clws_inflate_code {
    uint32_t fast[1 << CLWS_INFLATE_FAST_BITS];
    uint32_t limit[CLWS_INFLATE_MAX_BITS + 1];
    int32_t base[CLWS_INFLATE_MAX_BITS + 1];
    uint16_t symbol[288];
    unsigned fast_bits;
    uint64_t fast_mask;  // (1 << fast_bits) - 1
} clws_inflate_code;

/// The input read from its first bit, each byte from its lowest bit (RFC 1951 3.1.1), into `buffer` from
/// its lowest bit: the next bit is bit 0, fields packed from their least significant bit are the low bits
/// as they are, and a Huffman code (packed from its most significant bit) is found by its bits reversed.
/// Past the input's end `buffer` is filled with zeros: a code may be looked at there, as long as it is not
/// taken from there, so the hot loops check nothing per symbol. Bits taken past the end are caught
/// where a refill finds them, at each block's end and where the message ends (clws_inflate_left).
typedef struct clws_inflate_bits {
    const uint8_t *input;
    size_t length, position;  // position: the next byte not yet in `buffer` (past `length`: zeros added)
    uint64_t buffer;          // unread bits, the next one lowest
    unsigned count;           // how many bits of `buffer` are unread
} clws_inflate_bits;

/// Bits of input not taken yet; negative once bits past the end have been taken.
static inline int64_t clws_inflate_left(const clws_inflate_bits *bits) {
    return (int64_t)bits->length * 8 - ((int64_t)bits->position * 8 - (int64_t)bits->count);
}

/// Each byte with its bits in reverse order: a Huffman code is packed from its most significant bit, so
/// read from the lowest bit its table index is its bits reversed.
static const uint8_t clws_inflate_reversed_bytes[256] = {
    0x00, 0x80, 0x40, 0xc0, 0x20, 0xa0, 0x60, 0xe0, 0x10, 0x90, 0x50, 0xd0, 0x30, 0xb0, 0x70, 0xf0,
    0x08, 0x88, 0x48, 0xc8, 0x28, 0xa8, 0x68, 0xe8, 0x18, 0x98, 0x58, 0xd8, 0x38, 0xb8, 0x78, 0xf8,
    0x04, 0x84, 0x44, 0xc4, 0x24, 0xa4, 0x64, 0xe4, 0x14, 0x94, 0x54, 0xd4, 0x34, 0xb4, 0x74, 0xf4,
    0x0c, 0x8c, 0x4c, 0xcc, 0x2c, 0xac, 0x6c, 0xec, 0x1c, 0x9c, 0x5c, 0xdc, 0x3c, 0xbc, 0x7c, 0xfc,
    0x02, 0x82, 0x42, 0xc2, 0x22, 0xa2, 0x62, 0xe2, 0x12, 0x92, 0x52, 0xd2, 0x32, 0xb2, 0x72, 0xf2,
    0x0a, 0x8a, 0x4a, 0xca, 0x2a, 0xaa, 0x6a, 0xea, 0x1a, 0x9a, 0x5a, 0xda, 0x3a, 0xba, 0x7a, 0xfa,
    0x06, 0x86, 0x46, 0xc6, 0x26, 0xa6, 0x66, 0xe6, 0x16, 0x96, 0x56, 0xd6, 0x36, 0xb6, 0x76, 0xf6,
    0x0e, 0x8e, 0x4e, 0xce, 0x2e, 0xae, 0x6e, 0xee, 0x1e, 0x9e, 0x5e, 0xde, 0x3e, 0xbe, 0x7e, 0xfe,
    0x01, 0x81, 0x41, 0xc1, 0x21, 0xa1, 0x61, 0xe1, 0x11, 0x91, 0x51, 0xd1, 0x31, 0xb1, 0x71, 0xf1,
    0x09, 0x89, 0x49, 0xc9, 0x29, 0xa9, 0x69, 0xe9, 0x19, 0x99, 0x59, 0xd9, 0x39, 0xb9, 0x79, 0xf9,
    0x05, 0x85, 0x45, 0xc5, 0x25, 0xa5, 0x65, 0xe5, 0x15, 0x95, 0x55, 0xd5, 0x35, 0xb5, 0x75, 0xf5,
    0x0d, 0x8d, 0x4d, 0xcd, 0x2d, 0xad, 0x6d, 0xed, 0x1d, 0x9d, 0x5d, 0xdd, 0x3d, 0xbd, 0x7d, 0xfd,
    0x03, 0x83, 0x43, 0xc3, 0x23, 0xa3, 0x63, 0xe3, 0x13, 0x93, 0x53, 0xd3, 0x33, 0xb3, 0x73, 0xf3,
    0x0b, 0x8b, 0x4b, 0xcb, 0x2b, 0xab, 0x6b, 0xeb, 0x1b, 0x9b, 0x5b, 0xdb, 0x3b, 0xbb, 0x7b, 0xfb,
    0x07, 0x87, 0x47, 0xc7, 0x27, 0xa7, 0x67, 0xe7, 0x17, 0x97, 0x57, 0xd7, 0x37, 0xb7, 0x77, 0xf7,
    0x0f, 0x8f, 0x4f, 0xcf, 0x2f, 0xaf, 0x6f, 0xef, 0x1f, 0x9f, 0x5f, 0xdf, 0x3f, 0xbf, 0x7f, 0xff,
};

/// Adds a word read at `position` (zeros past the input's end) above the unread bits: whole bytes, up to
/// 63 bits. The next byte's low bits may come too, and are ORed in again, the same, by the next refill.
static inline __attribute__((always_inline)) void clws_inflate_add_word(clws_inflate_bits *bits, uint64_t word) {
    bits->buffer |= word << bits->count;
    bits->position += (63 - bits->count) >> 3;
    bits->count |= 56;
}

/// clws_inflate_refill near the input's end, where no whole word is left to read: out of the hot loops' way.
static inline __attribute__((noinline)) int clws_inflate_refill_end(clws_inflate_bits *bits) {
    if (bits->length < 8) {
        while (bits->count <= 56) {
            const uint64_t byte = bits->position < bits->length ? bits->input[bits->position] : 0;
            bits->buffer |= byte << bits->count;
            bits->position++;
            bits->count += 8;
        }
        return clws_inflate_left(bits) >= 0;
    }
    // The input's last 8 bytes, less those already read: what is left of the input, then zeros (past the
    // input's end `position` counts the zero bytes added).
    const size_t read = bits->position - (bits->length - 8);
    uint64_t word;
    memcpy(&word, bits->input + bits->length - 8, 8);
    clws_inflate_add_word(bits, read < 8 ? word >> (8 * read) : 0);
    return clws_inflate_left(bits) >= 0;
}

/// Fills `buffer` to at least 56 bits (at most 63; 64 byte by byte for an input under 8 bytes). Returns 0
/// when bits past the input's end have been taken.
static inline __attribute__((always_inline)) int clws_inflate_refill(clws_inflate_bits *bits) {
    if (__builtin_expect(bits->position + 8 <= bits->length, 1)) {
        uint64_t word;
        memcpy(&word, bits->input + bits->position, 8);  // little-endian hosts only (x86-64, arm64)
        clws_inflate_add_word(bits, word);
        return 1;
    }
    // A copy, so that the caller's reader never has its address taken and stays in registers.
    clws_inflate_bits copy = *bits;
    const int result = clws_inflate_refill_end(&copy);
    *bits = copy;
    return result;
}

/// A field of `need` (1-16) bits, packed from its least significant bit; -1 when bits past the input's
/// end had been taken before.
static inline __attribute__((always_inline)) int32_t clws_inflate_take(clws_inflate_bits *bits, unsigned need) {
    if (bits->count < need && !clws_inflate_refill(bits)) return -1;
    const uint32_t value = (uint32_t)(bits->buffer & ((1u << need) - 1));
    bits->buffer >>= need;
    bits->count -= need;
    return (int32_t)value;
}

/// As clws_inflate_take, for the extra bits of a length or distance: `need` may be 0.
static inline __attribute__((always_inline)) int32_t clws_inflate_take_extra(clws_inflate_bits *bits, unsigned need) {
    return need ? clws_inflate_take(bits, need) : 0;
}

/// A code's lengths as a dynamic block's header gives them: the symbols with a code of each length, in
/// increasing order (the order their codes are given in, RFC 1951 3.2.2), row `length` of `symbols`;
/// `next[length]` is where in `symbols` (as one array) that row's next symbol goes. Row 0 takes the
/// symbols without a code, so adding a symbol needs no branch. Gathered as the header is read, so
/// building the table needs no pass over all symbols, nor a sort.
typedef struct clws_inflate_literal_lengths {
    uint16_t next[CLWS_INFLATE_MAX_BITS + 1];
    uint16_t symbols[CLWS_INFLATE_MAX_BITS + 1][288];
} clws_inflate_literal_lengths;

/// The same for a code of at most 32 symbols: distances, and the code lengths' own code.
typedef struct clws_inflate_short_lengths {
    uint16_t next[CLWS_INFLATE_MAX_BITS + 1];
    uint16_t symbols[CLWS_INFLATE_MAX_BITS + 1][32];
} clws_inflate_short_lengths;

/// Every row empty: `next[length]` at the row's start.
static inline void clws_inflate_lengths_start(uint16_t next[CLWS_INFLATE_MAX_BITS + 1], unsigned stride) {
    for (unsigned length = 0; length <= CLWS_INFLATE_MAX_BITS; length++) next[length] = (uint16_t)(length * stride);
}

/// Adds `symbol`, with a code of `length` (0: none), to its row.
static inline void clws_inflate_lengths_add(uint16_t *next, uint16_t *symbols, unsigned length, uint16_t symbol) {
    symbols[next[length]++] = symbol;
}

/// The next code after `codeword`, both with their bits reversed in a table of `end` entries: one added to
/// the code is a carry from the top down. `codeword` must not be the last code (all ones).
static inline unsigned clws_inflate_next_codeword(unsigned codeword, unsigned end) {
    const unsigned bit = 1u << (31 - __builtin_clz(codeword ^ (end - 1)));
    return (codeword & (bit - 1)) | bit;
}

/// The part of clws_inflate_build for codes longer than the table: rare in small messages, so kept out
/// of the way of the common case. `codeword` is the index (bits reversed) of the first long code's first
/// `fast_bits` bits.
static inline __attribute__((noinline)) void clws_inflate_build_long(
    clws_inflate_code *code, const uint16_t count[CLWS_INFLATE_MAX_BITS + 1], const uint16_t *symbols,
    size_t stride, unsigned longest, unsigned codeword) {
    const unsigned fast_bits = code->fast_bits, end = 1u << fast_bits;
    // The long codes' first bits are every index from here on, in the order their codes count up.
    for (;;) {
        code->fast[codeword] = CLWS_INFLATE_LONG;
        if (codeword == end - 1) break;
        codeword = clws_inflate_next_codeword(codeword, end);
    }
    uint32_t first = 0;
    int32_t index = 0;
    for (unsigned length = 1; length <= longest; length++) {
        const unsigned codes = count[length];
        if (length > fast_bits) {
            code->base[length] = index - (int32_t)first;
            code->limit[length] = (first + codes) << (CLWS_INFLATE_MAX_BITS - length);
            memcpy(code->symbol + index, symbols + length * stride, codes * sizeof(uint16_t));
            index += (int32_t)codes;
        }
        first = (first + codes) << 1;
    }
}

/// Copies the first `end` entries (at least 2) of a table after themselves.
static inline __attribute__((always_inline)) void clws_inflate_double(uint32_t *table, unsigned end) {
    memcpy(table + end, table, end * sizeof *table);
}

/// Builds `code` from its lengths, gathered in `symbols` (rows `stride` apart) up to `next`, as in
/// clws_inflate_literal_lengths; `entries` gives each symbol's entry. Returns 0, or -1 for a set zlib
/// refuses, an incomplete one, or one with no codes.
static inline __attribute__((always_inline)) int clws_inflate_build_body(
    clws_inflate_code *code, const uint16_t next[CLWS_INFLATE_MAX_BITS + 1], const uint16_t *symbols, size_t stride,
    const uint32_t *entries) {
    // Each row's length, four to a word: `next` less where each row starts, lane by lane (no lane borrows:
    // a row never ends before it starts). Row 0, the symbols without a code, is left out.
    uint64_t words[4];
    uint16_t count[CLWS_INFLATE_MAX_BITS + 1];
    memcpy(words, next, sizeof words);
    const uint64_t starts = (uint64_t)stride * 0x0003000200010000ull, step = (uint64_t)stride * 0x0004000400040004ull;
    for (unsigned word = 0; word < 4; word++) words[word] -= starts + word * step;
    words[0] &= ~0xffffull;
    memcpy(count, words, sizeof count);
    // The longest length with a code: the highest nonzero count.
    unsigned word = words[3] ? 3 : words[2] ? 2 : words[1] ? 1 : 0;
    if (words[word] == 0) return -1;  // no codes
    const unsigned longest = word * 4 + (unsigned)((63 - __builtin_clzll(words[word])) >> 4);
    // How many codes of each length are still free, as zlib's inflate_table counts them: below zero the
    // set is over-subscribed, above zero at the end, incomplete. zlib takes a single code of length 1
    // (not for the code-length code), and its own deflate never writes an incomplete code; left to zlib.
    // So every code here is complete: every 15 bits are a code, and the last code is all ones.
    int left = 1;
    for (unsigned length = 1; length <= longest; length++) {
        left = (left << 1) - (int)count[length];
        if (left < 0) return -1;
    }
    if (left != 0) return -1;
    const unsigned fast_bits = longest < CLWS_INFLATE_FAST_BITS ? longest : CLWS_INFLATE_FAST_BITS;
    code->fast_bits = fast_bits;
    code->fast_mask = (1ull << fast_bits) - 1;
    // The codes in order (by length, then symbol: RFC 1951 3.2.2), each at its bits reversed in a table as
    // wide as its length; before the next length the table is doubled, its copy standing for the same
    // codes followed by a 1 bit. (A complete code of at most 288 symbols has one of at most 8 bits.)
    uint32_t *const fast = code->fast;
    unsigned length = 1;
    while (count[length] == 0) length++;
    unsigned end = 1u << length, codeword = 0;  // codeword: the next code, its bits reversed
    for (;;) {
        const uint16_t *from = symbols + length * stride;
        const unsigned codes = count[length];
        if (length == longest) {  // then the table is as wide as the code, and its last code all ones
            for (unsigned index = 0; index + 1 < codes; index++) {
                fast[codeword] = entries[from[index]] | length;
                codeword = clws_inflate_next_codeword(codeword, end);
            }
            fast[end - 1] = entries[from[codes - 1]] | length;
            return 0;
        }
        for (unsigned index = 0; index < codes; index++) {
            fast[codeword] = entries[from[index]] | length;
            codeword = clws_inflate_next_codeword(codeword, end);
        }
        do {
            if (++length > fast_bits) {
                clws_inflate_build_long(code, count, symbols, stride, longest, codeword);
                return 0;
            }
            clws_inflate_double(fast, end);
            end <<= 1;
        } while (count[length] == 0);
    }
}

#if defined(__x86_64__)
#define CLWS_INFLATE_BMI2_TARGET __attribute__((target("bmi2")))
#else
#define CLWS_INFLATE_BMI2_TARGET
#endif

/// clws_inflate_build compiled on its own, for any processor and for one with BMI2.
static inline __attribute__((noinline)) int clws_inflate_build_generic(
    clws_inflate_code *code, const uint16_t next[CLWS_INFLATE_MAX_BITS + 1], const uint16_t *symbols, size_t stride,
    const uint32_t *entries) {
    return clws_inflate_build_body(code, next, symbols, stride, entries);
}
static inline __attribute__((noinline)) CLWS_INFLATE_BMI2_TARGET int clws_inflate_build_bmi2(
    clws_inflate_code *code, const uint16_t next[CLWS_INFLATE_MAX_BITS + 1], const uint16_t *symbols, size_t stride,
    const uint32_t *entries) {
    return clws_inflate_build_body(code, next, symbols, stride, entries);
}

/// The symbol of a code longer than `code`'s table, whose bits are the low bits of `buffer`; `*length` is
/// set to its length.
static inline int clws_inflate_long_symbol(const clws_inflate_code *code, uint64_t buffer, unsigned *length) {
    // The next 15 bits, the first one highest.
    const uint32_t aligned = ((uint32_t)clws_inflate_reversed_bytes[buffer & 0xff] << 8 |
                              clws_inflate_reversed_bytes[buffer >> 8 & 0xff]) >> 1;
    unsigned found = code->fast_bits + 1;
    while (aligned >= code->limit[found]) found++;  // ends by the longest: limit[longest] is 1 << 15
    *length = found;
    return code->symbol[code->base[found] + (int32_t)(aligned >> (CLWS_INFLATE_MAX_BITS - found))];
}

/// Lengths and distances: base values and extra bits (RFC 1951 3.2.5).
static const uint16_t clws_inflate_length_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t clws_inflate_length_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t clws_inflate_distance_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
    4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t clws_inflate_distance_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/// What a fast entry holds besides the code's length (its low byte), by symbol. Literal/length code: a
/// literal or the end of the block, its symbol above the length (so a literal is any entry below 256 << 8);
/// a length, bit 31 set, its base length (bits 16-24) and extra bits (bits 8-15), so that a match needs no
/// other table; 286 and 287 as symbols (no length: left to zlib where met). Distance code: the base
/// distance (bits 16-30) and extra bits (bits 8-15); 30 and 31 with bit 31 set (no distance). Generated
/// from the four tables above.
static const uint32_t clws_inflate_literal_entries[288] = {
    0x00000000, 0x00000100, 0x00000200, 0x00000300, 0x00000400, 0x00000500, 0x00000600, 0x00000700,
    0x00000800, 0x00000900, 0x00000a00, 0x00000b00, 0x00000c00, 0x00000d00, 0x00000e00, 0x00000f00,
    0x00001000, 0x00001100, 0x00001200, 0x00001300, 0x00001400, 0x00001500, 0x00001600, 0x00001700,
    0x00001800, 0x00001900, 0x00001a00, 0x00001b00, 0x00001c00, 0x00001d00, 0x00001e00, 0x00001f00,
    0x00002000, 0x00002100, 0x00002200, 0x00002300, 0x00002400, 0x00002500, 0x00002600, 0x00002700,
    0x00002800, 0x00002900, 0x00002a00, 0x00002b00, 0x00002c00, 0x00002d00, 0x00002e00, 0x00002f00,
    0x00003000, 0x00003100, 0x00003200, 0x00003300, 0x00003400, 0x00003500, 0x00003600, 0x00003700,
    0x00003800, 0x00003900, 0x00003a00, 0x00003b00, 0x00003c00, 0x00003d00, 0x00003e00, 0x00003f00,
    0x00004000, 0x00004100, 0x00004200, 0x00004300, 0x00004400, 0x00004500, 0x00004600, 0x00004700,
    0x00004800, 0x00004900, 0x00004a00, 0x00004b00, 0x00004c00, 0x00004d00, 0x00004e00, 0x00004f00,
    0x00005000, 0x00005100, 0x00005200, 0x00005300, 0x00005400, 0x00005500, 0x00005600, 0x00005700,
    0x00005800, 0x00005900, 0x00005a00, 0x00005b00, 0x00005c00, 0x00005d00, 0x00005e00, 0x00005f00,
    0x00006000, 0x00006100, 0x00006200, 0x00006300, 0x00006400, 0x00006500, 0x00006600, 0x00006700,
    0x00006800, 0x00006900, 0x00006a00, 0x00006b00, 0x00006c00, 0x00006d00, 0x00006e00, 0x00006f00,
    0x00007000, 0x00007100, 0x00007200, 0x00007300, 0x00007400, 0x00007500, 0x00007600, 0x00007700,
    0x00007800, 0x00007900, 0x00007a00, 0x00007b00, 0x00007c00, 0x00007d00, 0x00007e00, 0x00007f00,
    0x00008000, 0x00008100, 0x00008200, 0x00008300, 0x00008400, 0x00008500, 0x00008600, 0x00008700,
    0x00008800, 0x00008900, 0x00008a00, 0x00008b00, 0x00008c00, 0x00008d00, 0x00008e00, 0x00008f00,
    0x00009000, 0x00009100, 0x00009200, 0x00009300, 0x00009400, 0x00009500, 0x00009600, 0x00009700,
    0x00009800, 0x00009900, 0x00009a00, 0x00009b00, 0x00009c00, 0x00009d00, 0x00009e00, 0x00009f00,
    0x0000a000, 0x0000a100, 0x0000a200, 0x0000a300, 0x0000a400, 0x0000a500, 0x0000a600, 0x0000a700,
    0x0000a800, 0x0000a900, 0x0000aa00, 0x0000ab00, 0x0000ac00, 0x0000ad00, 0x0000ae00, 0x0000af00,
    0x0000b000, 0x0000b100, 0x0000b200, 0x0000b300, 0x0000b400, 0x0000b500, 0x0000b600, 0x0000b700,
    0x0000b800, 0x0000b900, 0x0000ba00, 0x0000bb00, 0x0000bc00, 0x0000bd00, 0x0000be00, 0x0000bf00,
    0x0000c000, 0x0000c100, 0x0000c200, 0x0000c300, 0x0000c400, 0x0000c500, 0x0000c600, 0x0000c700,
    0x0000c800, 0x0000c900, 0x0000ca00, 0x0000cb00, 0x0000cc00, 0x0000cd00, 0x0000ce00, 0x0000cf00,
    0x0000d000, 0x0000d100, 0x0000d200, 0x0000d300, 0x0000d400, 0x0000d500, 0x0000d600, 0x0000d700,
    0x0000d800, 0x0000d900, 0x0000da00, 0x0000db00, 0x0000dc00, 0x0000dd00, 0x0000de00, 0x0000df00,
    0x0000e000, 0x0000e100, 0x0000e200, 0x0000e300, 0x0000e400, 0x0000e500, 0x0000e600, 0x0000e700,
    0x0000e800, 0x0000e900, 0x0000ea00, 0x0000eb00, 0x0000ec00, 0x0000ed00, 0x0000ee00, 0x0000ef00,
    0x0000f000, 0x0000f100, 0x0000f200, 0x0000f300, 0x0000f400, 0x0000f500, 0x0000f600, 0x0000f700,
    0x0000f800, 0x0000f900, 0x0000fa00, 0x0000fb00, 0x0000fc00, 0x0000fd00, 0x0000fe00, 0x0000ff00,
    0x00010000, 0x80030000, 0x80040000, 0x80050000, 0x80060000, 0x80070000, 0x80080000, 0x80090000,
    0x800a0000, 0x800b0100, 0x800d0100, 0x800f0100, 0x80110100, 0x80130200, 0x80170200, 0x801b0200,
    0x801f0200, 0x80230300, 0x802b0300, 0x80330300, 0x803b0300, 0x80430400, 0x80530400, 0x80630400,
    0x80730400, 0x80830500, 0x80a30500, 0x80c30500, 0x80e30500, 0x81020000, 0x00011e00, 0x00011f00,
};
static const uint32_t clws_inflate_distance_entries[32] = {
    0x00010000, 0x00020000, 0x00030000, 0x00040000, 0x00050100, 0x00070100, 0x00090200, 0x000d0200,
    0x00110300, 0x00190300, 0x00210400, 0x00310400, 0x00410500, 0x00610500, 0x00810600, 0x00c10600,
    0x01010700, 0x01810700, 0x02010800, 0x03010800, 0x04010900, 0x06010900, 0x08010a00, 0x0c010a00,
    0x10010b00, 0x18010b00, 0x20010c00, 0x30010c00, 0x40010d00, 0x60010d00, 0x80000000, 0x80000000,
};

typedef struct clws_inflate_fixed_codes {
    clws_inflate_code literal, distance;
} clws_inflate_fixed_codes;

static inline void clws_inflate_build_fixed(clws_inflate_fixed_codes *codes) {
    static clws_inflate_literal_lengths lengths;  // 9 KB: built once, under the caller's lock
    clws_inflate_lengths_start(lengths.next, 288);
    for (uint16_t symbol = 0; symbol < 288; symbol++) {
        unsigned length = symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8;
        clws_inflate_lengths_add(lengths.next, &lengths.symbols[0][0], length, symbol);
    }
    (void)clws_inflate_build_generic(&codes->literal, lengths.next, &lengths.symbols[0][0], 288, clws_inflate_literal_entries);
    // 32 codes of 5 bits: 30 and 31 are in the code but are not distances (checked at use).
    clws_inflate_short_lengths distances;
    clws_inflate_lengths_start(distances.next, 32);
    for (uint16_t symbol = 0; symbol < 32; symbol++) clws_inflate_lengths_add(distances.next, &distances.symbols[0][0], 5, symbol);
    (void)clws_inflate_build_generic(&codes->distance, distances.next, &distances.symbols[0][0], 32, clws_inflate_distance_entries);
}

/// The fixed codes (RFC 1951 3.2.6), built at their first use. (A function's statics: a header's
/// file-scope ones are not emitted when Swift imports it.)
static inline const clws_inflate_fixed_codes *clws_inflate_fixed(void) {
    static clws_inflate_fixed_codes codes;
    static int built;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    if (!__atomic_load_n(&built, __ATOMIC_ACQUIRE)) {
        pthread_mutex_lock(&lock);
        if (!built) {
            clws_inflate_build_fixed(&codes);
            __atomic_store_n(&built, 1, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&lock);
    }
    return &codes;
}

/// A distance and its extra bits, into `*back`. Returns 0, or -1 for input that ends first or for
/// distance codes 30 and 31.
static inline int clws_inflate_read_distance(clws_inflate_bits *bits, const clws_inflate_code *distance, size_t *back) {
    if (bits->count < CLWS_INFLATE_MAX_BITS && !clws_inflate_refill(bits)) return -1;
    const uint32_t entry = distance->fast[bits->buffer & distance->fast_mask];
    unsigned length = entry & 0xff, extra = entry >> 8 & 0xff;
    uint32_t base = entry >> 16;
    if (entry == CLWS_INFLATE_LONG) {
        const int symbol = clws_inflate_long_symbol(distance, bits->buffer, &length);
        if (symbol >= 30) return -1;
        base = clws_inflate_distance_base[symbol];
        extra = clws_inflate_distance_extra[symbol];
    } else if (entry >> 31) {
        return -1;
    }
    bits->buffer >>= length;
    bits->count -= length;
    const int32_t value = clws_inflate_take_extra(bits, extra);
    if (value < 0) return -1;
    *back = base + (size_t)value;
    return 0;
}

/// Adds the symbols from `first` to `first + repeat` (exclusive) with `length` (nothing for length 0: those
/// are never read).
static inline void clws_inflate_add_run(uint16_t *next, uint16_t *symbols, int length, unsigned first,
                                        unsigned repeat) {
    if (length > 0)
        for (unsigned index = 0; index < repeat; index++)
            clws_inflate_lengths_add(next, symbols, (unsigned)length, (uint16_t)(first + index));
}

/// The code lengths' own code (RFC 1951 3.2.7): at most 19 symbols, with codes of at most 7 bits. Each
/// entry of `fast` (indexed by the next bits, `buffer & mask`, as many as the longest code has) is one
/// byte: the symbol above its code's length (3 bits).
typedef struct clws_inflate_length_code {
    uint8_t fast[128];
    uint64_t mask;
} clws_inflate_length_code;

/// Builds the code lengths' code from its lengths, by symbol. Returns 0, or -1 for a set without codes,
/// an over-subscribed or an incomplete one (zlib refuses the last for this code too).
static inline __attribute__((always_inline)) int clws_inflate_build_length_code(clws_inflate_length_code *code,
                                                                                const uint8_t lengths[19]) {
    unsigned count[8] = { 0 };
    for (unsigned symbol = 0; symbol < 19; symbol++) count[lengths[symbol]]++;
    unsigned longest = 7;
    while (count[longest] == 0)
        if (--longest == 0) return -1;
    // Kraft, as in clws_inflate_build, and each length's first code (RFC 1951 3.2.2).
    unsigned first[8];
    int left = 1;
    unsigned next = 0;
    for (unsigned length = 1; length <= longest; length++) {
        left = (left << 1) - (int)count[length];
        if (left < 0) return -1;
        first[length] = next;
        next = (next + count[length]) << 1;
    }
    if (left != 0) return -1;
    // Each code at its bits reversed, and again every 2^length entries.
    const unsigned end = 1u << longest;
    for (unsigned symbol = 0; symbol < 19; symbol++) {
        const unsigned length = lengths[symbol];
        if (length == 0) continue;
        const uint8_t entry = (uint8_t)(symbol << 3 | length);
        for (unsigned index = clws_inflate_reversed_bytes[first[length]++] >> (8 - length); index < end;
             index += 1u << length)
            code->fast[index] = entry;
    }
    code->mask = end - 1;
    return 0;
}

/// Reads the code lengths of one code's `symbol_count` symbols, coded with `length_code`, into `next` and
/// `symbols` (as in clws_inflate_literal_lengths). `*previous` is the last length read (-1: none yet), which
/// code 16 repeats. A repeat that runs past the last symbol leaves what is left of it in `*carry`, for the
/// next code to begin with. Returns 0, or -1. (Always inlined: the loop keeps the reader's state in
/// registers.)
static inline __attribute__((always_inline)) int clws_inflate_read_lengths(
    clws_inflate_bits *stream, const clws_inflate_length_code *length_code, uint16_t *next, uint16_t *symbols,
    unsigned symbol_count, int *previous, unsigned *carry) {
    clws_inflate_bits local = *stream, *bits = &local;  // in registers: `symbols` may alias `*stream`
    // Complete, of at most 7 bits: every entry is a code.
    const uint8_t *fast = length_code->fast;
    const uint64_t mask = length_code->mask;
    int value = *previous;
    unsigned repeat = *carry < symbol_count ? *carry : symbol_count;
    clws_inflate_add_run(next, symbols, value, 0, repeat);  // the rest of the last code's repeat
    unsigned symbol = repeat;
    repeat = *carry - repeat;
    while (symbol < symbol_count) {
        // A code of at most 7 bits and at most 7 extra bits.
        if (bits->count < 14 && !clws_inflate_refill(bits)) return -1;
        const unsigned entry = fast[bits->buffer & mask], code = entry >> 3;
        bits->buffer >>= entry & 7;
        bits->count -= entry & 7;
        if (code < 16) {  // one length, the common case
            value = (int)code;
            clws_inflate_lengths_add(next, symbols, code, (uint16_t)symbol);
            symbol++;
            continue;
        }
        // A repeat, and its count.
        unsigned extra = code == 16 ? 2 : code == 17 ? 3 : 7;
        repeat = (unsigned)(bits->buffer & ((1u << extra) - 1)) + (code == 18 ? 11 : 3);
        bits->buffer >>= extra;
        bits->count -= extra;
        if (code == 16) {
            if (value < 0) return -1;  // nothing to repeat
        } else {
            value = 0;
        }
        unsigned here = repeat < symbol_count - symbol ? repeat : symbol_count - symbol;
        clws_inflate_add_run(next, symbols, value, symbol, here);
        symbol += here;
        repeat -= here;
    }
    *stream = local;
    *previous = value;
    *carry = repeat;
    return 0;
}

/// A dynamic block's codes (RFC 1951 3.2.7). Returns 0, or -1 for zlib.
static inline __attribute__((always_inline)) int clws_inflate_read_codes(clws_inflate_bits *stream, clws_inflate_code *literal,
                                          clws_inflate_code *distance, const int bmi2) {
    // A copy the compiler can keep in registers: the caller's may alias the output.
    clws_inflate_bits local = *stream, *bits = &local;
    static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
    // HLIT, HDIST and HCLEN in one field of 14 bits, packed from HLIT's lowest bit.
    const int32_t counts = clws_inflate_take(bits, 14);
    if (counts < 0) return -1;
    const int32_t literals = (counts & 31) + 257, distances = (counts >> 5 & 31) + 1, code_lengths = (counts >> 10) + 4;
    if (literals > 286 || distances > 30) return -1;

    // The code lengths' lengths, 3 bits each: up to 18 of them (54 bits) from one refill.
    uint8_t by_symbol[19] = { 0 };
    if (bits->count < 56 && !clws_inflate_refill(bits)) return -1;
    const int first = code_lengths < 18 ? code_lengths : 18;
    const uint64_t fields = bits->buffer;
    for (int index = 0; index < first; index++) by_symbol[order[index]] = (uint8_t)(fields >> (3 * index) & 7);
    bits->buffer >>= 3 * first;
    bits->count -= 3 * (unsigned)first;
    if (code_lengths == 19) {
        const int32_t length = clws_inflate_take(bits, 3);
        if (length < 0) return -1;
        by_symbol[15] = (uint8_t)length;
    }
    clws_inflate_length_code length_code;
    if (clws_inflate_build_length_code(&length_code, by_symbol)) return -1;

    // Both codes' lengths are one sequence, split at `literals`: a repeat may run from one into the other.
    clws_inflate_literal_lengths literal_lengths;
    clws_inflate_short_lengths distance_lengths;
    clws_inflate_lengths_start(literal_lengths.next, 288);
    clws_inflate_lengths_start(distance_lengths.next, 32);
    int previous = -1;
    unsigned carry = 0;
    if (clws_inflate_read_lengths(bits, &length_code, literal_lengths.next, &literal_lengths.symbols[0][0],
                                  (unsigned)literals, &previous, &carry) ||
        clws_inflate_read_lengths(bits, &length_code, distance_lengths.next, &distance_lengths.symbols[0][0],
                                  (unsigned)distances, &previous, &carry) ||
        carry)  // a repeat past the end
        return -1;
    // No end-of-block code needs no check here: its block can then never end, and is left to zlib.
    int (*const build)(clws_inflate_code *, const uint16_t *, const uint16_t *, size_t, const uint32_t *) =
        bmi2 ? clws_inflate_build_bmi2 : clws_inflate_build_generic;
    if (build(literal, literal_lengths.next, &literal_lengths.symbols[0][0], 288, clws_inflate_literal_entries) ||
        build(distance, distance_lengths.next, &distance_lengths.symbols[0][0], 32,
                           clws_inflate_distance_entries))
        return -1;
    *stream = local;
    return 0;
}

/// Copies a match of `length` bytes from `back` bytes before `out` (checked by the caller); returns its end.
static inline uint8_t *clws_inflate_copy_match(uint8_t *out, size_t back, size_t length) {
    const uint8_t *from = out - back;
    for (size_t offset = 0; offset < length; offset++) out[offset] = from[offset];  // may overlap forward
    return out + length;
}

/// The symbols clws_inflate_block's loop leaves to this, `entry` being the symbol's fast entry: a code
/// longer than the table, a match whose distance code is longer than its table (or is 30 or 31), and
/// symbols 286 and 287. Out of the loop's way, so the loop keeps its state in registers. Returns 1 to go
/// on, 0 at the end of the block, or -1.
static inline __attribute__((noinline)) int clws_inflate_other_symbol(
    clws_inflate_bits *bits, uint32_t entry, const clws_inflate_code *literal, const clws_inflate_code *distance,
    const uint8_t *output, uint8_t **next, const uint8_t *end) {
    unsigned length_bits = entry & 0xff, extra = entry >> 8 & 0xff;
    uint32_t base = entry >> 16 & 0x1ff;
    uint8_t *out = *next;
    if (entry == CLWS_INFLATE_LONG) {
        const int symbol = clws_inflate_long_symbol(literal, bits->buffer, &length_bits);
        bits->buffer >>= length_bits;
        bits->count -= length_bits;
        if (symbol < 256) {
            if (out == end) return -1;
            *out = (uint8_t)symbol;
            *next = out + 1;
            return 1;
        }
        if (symbol == 256) return clws_inflate_left(bits) < 0 ? -1 : 0;  // -1: the block ran past the input
        if (symbol >= 286) return -1;
        base = clws_inflate_length_base[symbol - 257];
        extra = clws_inflate_length_extra[symbol - 257];
    } else if (entry >> 31) {  // a length
        bits->buffer >>= length_bits;
        bits->count -= length_bits;
    } else {
        return -1;  // 286 and 287
    }
    const int32_t value = clws_inflate_take_extra(bits, extra);
    if (value < 0) return -1;
    const size_t length = base + (size_t)value;
    size_t back;
    if (clws_inflate_read_distance(bits, distance, &back)) return -1;
    if (back > (size_t)(out - output) || length > (size_t)(end - out)) return -1;
    *next = clws_inflate_copy_match(out, back, length);
    return 1;
}

/// clws_inflate_block's loop, from `*next` on. With `check_each` 0 it checks no room per literal and
/// returns 1 once fewer than 64 bytes are left at a refill: a refill leaves at most 64 bits (63 from a
/// whole word, 64 byte by byte near the input's end) and every literal takes at least one, so at most 50
/// literals come between two refills. With `check_each` 1 it
/// checks each one. Returns 0 at the end of the block, or -1. (Always inlined, with `check_each` a
/// constant: one loop each way from one text.)
static inline __attribute__((always_inline)) int clws_inflate_symbols(
    clws_inflate_bits *bits, const clws_inflate_code *literal, const clws_inflate_code *distance,
    const uint8_t *output, uint8_t **next, const uint8_t *end, const int check_each) {
    const uint32_t *fast = literal->fast;
    const uint64_t mask = literal->fast_mask;
    uint8_t *out = *next;
    for (;;) {
        if (bits->count < CLWS_INFLATE_MAX_BITS) {
            if (!check_each && end - out < 64) break;
            if (!clws_inflate_refill(bits)) return -1;
        }
        uint32_t entry = fast[bits->buffer & mask];
        if (entry < 256u << 8) {  // a literal: most symbols
            unsigned length_bits = entry & 0xff;
            bits->buffer >>= length_bits;
            bits->count -= length_bits;
            if (check_each && out == end) return -1;
            *out++ = (uint8_t)(entry >> 8);
            continue;
        }
        if (entry >> 31 && entry != CLWS_INFLATE_LONG) {  // a length, then a distance, from their tables
            // At most 36 bits: the length's code and extra bits (9 + 5), the distance's (9 + 13); codes longer
            // than their tables go to clws_inflate_other_symbol.
            if (bits->count < 36 && !clws_inflate_refill(bits)) return -1;
            uint64_t buffer = bits->buffer >> (entry & 0xff);
            const unsigned length_extra = entry >> 8 & 0xff;
            const size_t length = (entry >> 16 & 0x1ff) + (buffer & ((1u << length_extra) - 1));
            buffer >>= length_extra;
            const uint32_t far = distance->fast[buffer & distance->fast_mask];
            if (!(far >> 31)) {
                buffer >>= far & 0xff;
                const unsigned distance_extra = far >> 8 & 0xff;
                const size_t back = (far >> 16) + (buffer & ((1u << distance_extra) - 1));
                buffer >>= distance_extra;
                if (back > (size_t)(out - output) || length > (size_t)(end - out)) return -1;
                bits->buffer = buffer;
                bits->count -= (entry & 0xff) + length_extra + (far & 0xff) + distance_extra;
                out = clws_inflate_copy_match(out, back, length);
                if (!check_each && end - out < 64) break;
                continue;
            }
        }
        if (entry >> 8 == 256) {  // the end of the block: once a block, and not worth a call
            bits->buffer >>= entry & 0xff;
            bits->count -= entry & 0xff;
            *next = out;
            return clws_inflate_left(bits) < 0 ? -1 : 0;  // -1: the block ran past the input
        }
        // Copies, so that the caller's reader and `out` never have their address taken and stay in
        // registers.
        clws_inflate_bits state = *bits;
        uint8_t *moved = out;
        const int going_on = clws_inflate_other_symbol(&state, entry, literal, distance, output, &moved, end);
        if (going_on < 0) return -1;
        *bits = state;
        out = moved;
        if (!going_on) {  // the end of the block, by a code longer than the table
            *next = out;
            return 0;
        }
        if (!check_each && end - out < 64) break;
    }
    *next = out;
    return 1;
}

/// clws_inflate_symbols checking room for each symbol: only for a message's last 64 bytes of room, so
/// compiled apart, out of the unchecked loop's way.
static inline __attribute__((noinline)) int clws_inflate_symbols_checked(
    clws_inflate_bits *stream, const clws_inflate_code *literal, const clws_inflate_code *distance,
    uint8_t *output, size_t *produced, const uint8_t *end) {
    clws_inflate_bits local = *stream;
    uint8_t *out = output + *produced;
    if (clws_inflate_symbols(&local, literal, distance, output, &out, end, 1) < 0) return -1;
    *produced = (size_t)(out - output);
    *stream = local;
    return 0;
}

/// One Huffman-coded block's symbols, appended at `*produced`. Returns 0 at its end-of-block code, or -1.
static inline __attribute__((always_inline)) int clws_inflate_block(clws_inflate_bits *stream, const clws_inflate_code *literal,
                                     const clws_inflate_code *distance, uint8_t *output, size_t capacity,
                                     size_t *produced) {
    // Copies the compiler can keep in registers: a byte written to `output` could alias `*stream` or
    // `*literal`.
    clws_inflate_bits local = *stream;
    uint8_t *out = output + *produced;
    const uint8_t *const end = output + capacity;
    int result = 1;
    if (end - out >= 64) result = clws_inflate_symbols(&local, literal, distance, output, &out, end, 0);
    if (result < 0) return -1;
    *produced = (size_t)(out - output);
    *stream = local;
    return result == 1 ? clws_inflate_symbols_checked(stream, literal, distance, output, produced, end) : 0;
}

/// The two parts of a message's work, each compiled on its own (so that each has the registers to
/// itself) and twice: for any processor, and for one with BMI2 (shifts by any register, not only CL).
static inline __attribute__((noinline)) int clws_inflate_read_codes_generic(
    clws_inflate_bits *stream, clws_inflate_code *literal, clws_inflate_code *distance) {
    return clws_inflate_read_codes(stream, literal, distance, 0);
}
static inline __attribute__((noinline)) CLWS_INFLATE_BMI2_TARGET int clws_inflate_read_codes_bmi2(
    clws_inflate_bits *stream, clws_inflate_code *literal, clws_inflate_code *distance) {
    return clws_inflate_read_codes(stream, literal, distance, 1);
}
static inline __attribute__((noinline)) int clws_inflate_block_generic(
    clws_inflate_bits *stream, const clws_inflate_code *literal, const clws_inflate_code *distance, uint8_t *output,
    size_t capacity, size_t *produced) {
    return clws_inflate_block(stream, literal, distance, output, capacity, produced);
}
static inline __attribute__((noinline)) CLWS_INFLATE_BMI2_TARGET int clws_inflate_block_bmi2(
    clws_inflate_bits *stream, const clws_inflate_code *literal, const clws_inflate_code *distance, uint8_t *output,
    size_t capacity, size_t *produced) {
    return clws_inflate_block(stream, literal, distance, output, capacity, produced);
}

/// clws_inflate_message's work, `bmi2` (a constant) choosing which compiled parts it calls.
static inline __attribute__((always_inline)) int clws_inflate_message_body(
    const uint8_t *input, size_t length, uint8_t *output, size_t capacity, size_t *produced, const int bmi2) {
    clws_inflate_bits bits = { input, length, 0, 0, 0 };
    size_t written = 0;
    for (;;) {
        if (clws_inflate_left(&bits) < 3) return CLWS_INFLATE_USE_ZLIB;
        int32_t header = clws_inflate_take(&bits, 3);
        if (header < 0) return CLWS_INFLATE_USE_ZLIB;
        int final = header & 1, type = (int)(header >> 1);
        if (type == 0) {
            // Stored: to the byte boundary, then LEN and NLEN, unless the input ends here, where the
            // trailer the sender removed (00 00 ff ff) is this block's LEN and NLEN: the message's end.
            unsigned padding = bits.count & 7;
            bits.buffer >>= padding;
            bits.count -= padding;
            if (clws_inflate_left(&bits) == 0) break;
            if (clws_inflate_left(&bits) < 32) return CLWS_INFLATE_USE_ZLIB;
            int32_t size = clws_inflate_take(&bits, 16), check = clws_inflate_take(&bits, 16);
            if (size < 0 || check < 0 || (size ^ 0xffff) != check) return CLWS_INFLATE_USE_ZLIB;
            if ((size_t)size > capacity - written || clws_inflate_left(&bits) < (int64_t)size * 8)
                return CLWS_INFLATE_USE_ZLIB;
            for (int32_t copied = 0; copied < size; copied++) {
                int32_t byte = clws_inflate_take(&bits, 8);
                if (byte < 0) return CLWS_INFLATE_USE_ZLIB;
                output[written++] = (uint8_t)byte;
            }
        } else if (type == 1) {
            const clws_inflate_fixed_codes *fixed = clws_inflate_fixed();
            if ((bmi2 ? clws_inflate_block_bmi2 : clws_inflate_block_generic)(&bits, &fixed->literal, &fixed->distance,
                                                                              output, capacity, &written))
                return CLWS_INFLATE_USE_ZLIB;
        } else if (type == 2) {
            clws_inflate_code literal, distance;
            if ((bmi2 ? clws_inflate_read_codes_bmi2 : clws_inflate_read_codes_generic)(&bits, &literal, &distance) ||
                (bmi2 ? clws_inflate_block_bmi2 : clws_inflate_block_generic)(&bits, &literal, &distance, output,
                                                                              capacity, &written))
                return CLWS_INFLATE_USE_ZLIB;
        } else {
            return CLWS_INFLATE_USE_ZLIB;
        }
        if (final) {
            // A final block ends the message (RFC 7692 7.2.3.3); only the rest of its last byte may follow.
            // (zlib ignores whatever follows; lws 4.1 then keeps it as input for the next message.)
            unsigned padding = bits.count & 7;
            bits.buffer >>= padding;
            bits.count -= padding;
            if (clws_inflate_left(&bits) == 0) break;
            return CLWS_INFLATE_USE_ZLIB;
        }
    }
    *produced = written;
    return CLWS_INFLATE_DONE;
}

#if defined(__x86_64__)
#include <cpuid.h>
/// The decoder with its parts compiled for BMI2: about 7 % fewer instructions a message. Most x86-64
/// processors since 2013 have it (Intel's cores from Haswell, AMD's from Excavator and every Zen), but not
/// all (AMD Jaguar, some Atom, Pentium and Celeron parts): CPUID decides, and those run the generic parts.
static inline int clws_inflate_message_bmi2(
    const uint8_t *input, size_t length, uint8_t *output, size_t capacity, size_t *produced) {
    return clws_inflate_message_body(input, length, output, capacity, produced, 1);
}

/// Whether this processor has BMI2, asked once (CPUID leaf 7, EBX bit 8).
static inline int clws_inflate_has_bmi2(void) {
    static int known;  // 0: not asked yet, 1: no, 2: yes
    int value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value == 0) {
        unsigned eax, ebx, ecx, edx;
        value = __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ebx & bit_BMI2) ? 2 : 1;
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value == 2;
}
#endif

/// clws_inflate_message with the generic parts, whatever the processor: the tests check both forms.
static inline int clws_inflate_message_generic(const uint8_t *input, size_t length, uint8_t *output, size_t capacity,
                                               size_t *produced) {
    return clws_inflate_message_body(input, length, output, capacity, produced, 0);
}

/// Inflates the message in `input` into `output`; on CLWS_INFLATE_DONE `*produced` is its length.
static inline int clws_inflate_message(const uint8_t *input, size_t length, uint8_t *output, size_t capacity,
                                       size_t *produced) {
#if defined(__x86_64__)
    if (clws_inflate_has_bmi2()) return clws_inflate_message_bmi2(input, length, output, capacity, produced);
#endif
    return clws_inflate_message_body(input, length, output, capacity, produced, 0);
}

#endif
