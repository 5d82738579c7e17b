#ifndef CLWS_SHIM_H
#define CLWS_SHIM_H

#include <libwebsockets.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <ev.h>
#include <pthread.h>
#include <stdint.h>
#include <zlib.h>
#include "message_inflate.h"

/// The service loop runs on libev's epoll backend through lws' libev event-lib plugin, as a foreign
/// loop the gateway owns and steps one iteration at a time (lws' own poll() backend scans every socket
/// on every wake-up). NULL when libev cannot create an epoll loop.
static inline struct ev_loop *clws_ev_loop_create(void) {
    return ev_loop_new(EVBACKEND_EPOLL | EVFLAG_NOENV);
}

static inline void clws_ev_loop_destroy(struct ev_loop *loop) { ev_loop_destroy(loop); }

/// One iteration: waits for at least one event (or the next timer) and runs its callbacks.
static inline void clws_ev_run_once(struct ev_loop *loop) { ev_run(loop, EVRUN_ONCE); }

static inline uint64_t clws_option_libev(void) { return (uint64_t)LWS_SERVER_OPTION_LIBEV; }

/// A one-shot libev timer carrying a pointer back to its Swift owner. lws' libev glue cannot be used
/// for the gateway's deadlines: it re-arms its timer while the timer is active, which libev ignores, so
/// a deadline earlier than the armed one would fire late.
typedef struct clws_ev_timer {
    ev_timer watcher;
    void (*fired)(void *owner);
    void *owner;
} clws_ev_timer;

static inline void clws_ev_timer_callback(struct ev_loop *loop, ev_timer *watcher, int revents) {
    (void)loop; (void)revents;
    clws_ev_timer *timer = (clws_ev_timer *)watcher;
    timer->fired(timer->owner);
}

static inline void clws_ev_timer_init(clws_ev_timer *timer, void (*fired)(void *), void *owner) {
    ev_timer_init(&timer->watcher, clws_ev_timer_callback, 0., 0.);
    timer->fired = fired;
    timer->owner = owner;
}

/// (Re)arms the timer to fire once, `seconds` from now.
static inline void clws_ev_timer_arm(struct ev_loop *loop, clws_ev_timer *timer, double seconds) {
    ev_timer_stop(loop, &timer->watcher);
    ev_now_update(loop);
    ev_timer_set(&timer->watcher, seconds, 0.);
    ev_timer_start(loop, &timer->watcher);
}

static inline void clws_ev_timer_stop(struct ev_loop *loop, clws_ev_timer *timer) {
    ev_timer_stop(loop, &timer->watcher);
}

/// Watches a descriptor for readability, calling back with its owner. Used on the MCP host's stdout
/// (a pipe or socket the gateway only writes): epoll reports the host closing its end as an error,
/// which libev delivers to a watcher of either kind, while lws watches stdout only when it has output.
typedef struct clws_ev_hangup_watch {
    ev_io watcher;
    void (*fired)(void *owner);
    void *owner;
} clws_ev_hangup_watch;

static inline void clws_ev_hangup_callback(struct ev_loop *loop, ev_io *watcher, int revents) {
    (void)revents;
    clws_ev_hangup_watch *watch = (clws_ev_hangup_watch *)watcher;
    ev_io_stop(loop, watcher);
    watch->fired(watch->owner);
}

static inline void clws_ev_hangup_watch_start(struct ev_loop *loop, clws_ev_hangup_watch *watch, int fd,
                                              void (*fired)(void *), void *owner) {
    ev_io_init(&watch->watcher, clws_ev_hangup_callback, fd, EV_READ);
    watch->fired = fired;
    watch->owner = owner;
    ev_io_start(loop, &watch->watcher);
}

static inline void clws_ev_hangup_watch_stop(struct ev_loop *loop, clws_ev_hangup_watch *watch) {
    ev_io_stop(loop, &watch->watcher);
}

/// The common name of the client certificate a connection presented (mutual TLS), into `out`
/// (NUL-terminated). Returns its length, or -1 when there is none. The result union's name field is a
/// placeholder: lws writes up to the length it is given past it, so the union sits in a larger buffer.
static inline int clws_peer_common_name(struct lws *wsi, char *out, size_t size) {
    union { union lws_tls_cert_info_results result; char room[sizeof(union lws_tls_cert_info_results) + 256]; } buffer;
    if (size == 0 || lws_tls_peer_cert_info(wsi, LWS_TLS_CERT_INFO_COMMON_NAME, &buffer.result,
                                            256 + sizeof(buffer.result.ns.name)) != 0)
        return -1;
    size_t length = buffer.result.ns.len < 0 ? 0 : (size_t)buffer.result.ns.len;
    if (length > size - 1) length = size - 1;
    memcpy(out, buffer.result.ns.name, length);
    out[length] = 0;
    return (int)length;
}

/// Headroom lws needs in front of every buffer passed to lws_write; LWS_PRE is a macro Swift cannot see.
static inline size_t clws_pre(void) { return LWS_PRE; }

/// lwsl_* are variadic macros; this gives Swift one non-variadic way to route a line into lws' own log.
static inline void clws_log(int level, const char *line) { _lws_log(level, "%s\n", line); }

/// An lws timer (sorted-usec-list entry), carrying a pointer back to its Swift owner.
/// `sul` must stay the first member so the callback's `lws_sorted_usec_list_t *` is also the timer's address.
typedef struct clws_timer {
    lws_sorted_usec_list_t sul;
    void *owner;
} clws_timer;

/// Recovers the owner from the pointer lws hands to a timer callback.
static inline void *clws_timer_owner(lws_sorted_usec_list_t *sul) {
    return ((clws_timer *)sul)->owner;
}

/// `LWS_SET_TIMER_USEC_CANCEL` is a macro expression; cancelling a scheduled timer needs its value.
static inline lws_usec_t clws_timer_cancel_value(void) { return LWS_SET_TIMER_USEC_CANCEL; }

/// OpenSSL options that refuse everything older than TLS 1.2; SSL_OP_* are function-like macros in OpenSSL 3.
static inline long clws_tls12_minimum_options(void) {
    return (long)(SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1);
}

/// LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT is a compound macro Swift cannot import.
static inline uint64_t clws_option_require_client_certificate(void) {
    return (uint64_t)LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT;
}

/// SHA-256 through OpenSSL's EVP interface (already linked by libwebsockets), for the audit log's
/// argument hashes. Returns 1 on success; `out` receives 32 bytes.
static inline int clws_sha256(const void *data, size_t length, unsigned char *out) {
    unsigned int size = 0;
    return EVP_Digest(data, length, out, &size, EVP_sha256(), NULL) == 1 && size == 32;
}

/// Messages shorter than this are sent uncompressed to clients that negotiated permessage-deflate
/// (RFC 7692 allows it per message): deflating a small JSON message costs more CPU than the bytes it
/// saves. The same threshold as Node's ws.
#define CLWS_DEFLATE_THRESHOLD 1024

/// lws 4.1 hands LWS_EXT_CB_PAYLOAD_TX and LWS_EXT_CB_PAYLOAD_RX this structure, which its public headers
/// do not declare (lib/roles/ws/private-lib-roles-ws.h, struct lws_ext_pm_deflate_rx_ebufs), and the
/// extension answers PAYLOAD_RX with values of its private enum pmd_return (lib/core-net/
/// private-lib-core-net.h). Checked against 4.1 only.
#if LWS_LIBRARY_VERSION_MAJOR != 4 || LWS_LIBRARY_VERSION_MINOR != 1
#error "clws_pm_deflate_small_uncompressed mirrors private declarations of libwebsockets 4.1; check them against this version"
#endif
struct clws_pmd_ebufs {
    struct lws_tokens eb_in;
    struct lws_tokens eb_out;
};
enum { CLWS_PMDR_DID_NOTHING = 1, CLWS_PMDR_HAS_PENDING = 2, CLWS_PMDR_EMPTY_NONFINAL = 3,
       CLWS_PMDR_EMPTY_FINAL = 4, CLWS_PMDR_NOTHING_WE_SHOULD_DO = 5 };

/// What the wrapper keeps per connection, in the slot lws gives the extension: lws' own state, and the
/// compressed input its inflater is reading. lws 4.1 hands the inflater a pointer into the buffer it
/// read the frame into, usually the read buffer every connection of the thread shares (pt->serv_buf);
/// when one inflate call cannot put all of its output in the 1 KiB output buffer, the inflater keeps
/// that pointer and lws finishes the message from its idle callback, after any other connection that
/// was readable in the same wake-up has read into that buffer. The rest of the message is then inflated
/// from another connection's bytes: "invalid distance too far back", and the message is lost.
typedef struct clws_pmd_connection {
    void *lws_state;            // lws' struct lws_ext_pm_deflate_priv
    const struct lws_ext_options *options;  // lws' table of the extension's parameters, by option index
    int server;                 // the connection came in through a listener
    unsigned char *input;       // the compressed bytes the inflater was last given, copied
    size_t input_capacity;
    int inflater_holds_input;   // the inflater has not consumed all of `input` yet
    int messages_stand_alone;   // the peer compresses each message afresh (no context takeover)
    int message_inflated_here;  // the last message went through clws_pmd_inflate_whole_message
} clws_pmd_connection;

/// lws 4.1's per-connection state (struct lws_ext_pm_deflate_priv, lib/roles/ws/ext/
/// extension-permessage-deflate.h) begins with its inflater's z_stream; that is all the wrapper reads of it.
struct clws_pmd_priv_head {
    z_stream rx;
};

/// lws' inflater of `connection`.
static inline z_stream *clws_pmd_inflater(const clws_pmd_connection *connection) {
    return &((struct clws_pmd_priv_head *)connection->lws_state)->rx;
}

/// Memory for lws' inflaters, kept for the next one instead of returned to malloc. Under
/// no-context-takeover lws ends its inflater after every message and starts a new one on the next
/// (inflateEnd, inflateInit2): a 7 KB state and, at the first output, a 32 KB window. Requests that
/// large make glibc's malloc merge its fast bins first (malloc_consolidate), every message, and leave the
/// gateway's own small allocations on malloc's slow path afterwards. A few blocks in one list of the
/// process (the service thread is the only user in practice; the lock is uncontended) keep the same
/// memory cycling; beyond them blocks go back to malloc.
#define CLWS_INFLATER_SPARE_BLOCKS 4
#define CLWS_INFLATER_BLOCK_HEADER 16  /* the block's size, in front of it; keeps malloc's alignment */
typedef struct clws_inflater_spares {
    pthread_mutex_t lock;
    unsigned char *blocks[CLWS_INFLATER_SPARE_BLOCKS];
} clws_inflater_spares;

static inline clws_inflater_spares *clws_inflater_spare_list(void) {
    static clws_inflater_spares spares = { PTHREAD_MUTEX_INITIALIZER, { NULL } };
    return &spares;
}

static inline voidpf clws_inflater_alloc(voidpf opaque, uInt items, uInt size) {
    (void)opaque;
    if (size && items > (SIZE_MAX - CLWS_INFLATER_BLOCK_HEADER) / size) return Z_NULL;
    size_t bytes = (size_t)items * size;
    clws_inflater_spares *spares = clws_inflater_spare_list();
    unsigned char *block = NULL;
    pthread_mutex_lock(&spares->lock);
    for (int index = 0; index < CLWS_INFLATER_SPARE_BLOCKS; index++) {
        unsigned char *spare = spares->blocks[index];
        if (spare && *(size_t *)spare == bytes) {
            block = spare;
            spares->blocks[index] = NULL;
            break;
        }
    }
    pthread_mutex_unlock(&spares->lock);
    if (!block) {
        block = (unsigned char *)malloc(CLWS_INFLATER_BLOCK_HEADER + bytes);
        if (!block) return Z_NULL;
        *(size_t *)block = bytes;
    }
    return block + CLWS_INFLATER_BLOCK_HEADER;
}

static inline void clws_inflater_free(voidpf opaque, voidpf address) {
    (void)opaque;
    if (!address) return;
    unsigned char *block = (unsigned char *)address - CLWS_INFLATER_BLOCK_HEADER;
    clws_inflater_spares *spares = clws_inflater_spare_list();
    pthread_mutex_lock(&spares->lock);
    for (int index = 0; index < CLWS_INFLATER_SPARE_BLOCKS; index++) {
        if (!spares->blocks[index]) {
            spares->blocks[index] = block;
            block = NULL;
            break;
        }
    }
    pthread_mutex_unlock(&spares->lock);
    free(block);
}

/// Hands lws' inflater a copy of new compressed input that lives as long as the connection, so the
/// input it keeps between calls cannot be overwritten. Returns -1 when no copy could be made.
static inline int clws_pmd_copy_input(clws_pmd_connection *connection, struct clws_pmd_ebufs *buffers) {
    unsigned char *token = buffers->eb_in.token;
    size_t length = buffers->eb_in.len > 0 ? (size_t)buffers->eb_in.len : 0;
    // While the inflater still reads `input` lws passes no new input (it drains first), only `input` again.
    if (!token || length == 0 || connection->inflater_holds_input ||
        (connection->input && token >= connection->input && token < connection->input + connection->input_capacity))
        return 0;
    if (length > connection->input_capacity) {
        unsigned char *grown = (unsigned char *)realloc(connection->input, length);
        if (!grown) return -1;
        connection->input = grown;
        connection->input_capacity = length;
    }
    memcpy(connection->input, token, length);
    buffers->eb_in.token = connection->input;
    return 1;
}

/// Compressed messages up to this size are inflated by clws_inflate_message when they arrive whole, into
/// at most CLWS_INFLATE_OUTPUT bytes; the rest go to lws' zlib inflater. Small ones are what the shortcut
/// is for (zlib's table building is most of their cost); on long ones zlib's decoding loop is faster.
#define CLWS_INFLATE_INPUT 2048
#define CLWS_INFLATE_OUTPUT 16384

/// Whether `text` ends before the last of its multi-byte UTF-8 character's bytes.
static inline int clws_utf8_ends_inside_a_character(const unsigned char *text, size_t length) {
    size_t start = length, continuation = 0;
    while (start > 0 && continuation < 4 && (text[start - 1] & 0xC0) == 0x80) {
        start--;
        continuation++;
    }
    if (start == 0) return continuation > 0;
    unsigned char lead = text[start - 1];
    size_t needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    return continuation < needed;
}

/// Inflates a message that is all in this PAYLOAD_RX call, instead of lws' zlib inflater: a single frame
/// with RSV1 (compressed), whole in `eb_in`, from a peer that compresses each message afresh, while lws'
/// inflater is not started (it starts at a message's first compressed bytes and, under no context
/// takeover, ends with the message). lws then hands the output to the RECEIVE callback and, as for a
/// message it inflated, calls the extension no more for it. Only on the server: lws opens a client's
/// inflater with the window the server's reply may narrow. Returns 1 when it did, 0 to let lws do it.
static inline int clws_pmd_inflate_whole_message(clws_pmd_connection *connection, struct lws *wsi,
                                                 struct clws_pmd_ebufs *buffers) {
    static __thread unsigned char output[CLWS_INFLATE_OUTPUT + 1];  // +1: lws may end the message with a NUL
    const z_stream *inflater = clws_pmd_inflater(connection);
    if (!connection->server || !connection->messages_stand_alone || inflater->state != Z_NULL || !buffers->eb_in.token ||
        buffers->eb_in.len <= 0 || buffers->eb_in.len > CLWS_INFLATE_INPUT ||
        !(lws_get_reserved_bits(wsi) & 0x40) || !lws_is_first_fragment(wsi) || !lws_is_final_fragment(wsi))
        return 0;
    size_t produced = 0;
    if (clws_inflate_message(buffers->eb_in.token, (size_t)buffers->eb_in.len, output, CLWS_INFLATE_OUTPUT,
                             &produced) != CLWS_INFLATE_DONE || produced == 0)
        return 0;
    // lws checks a text message's UTF-8 as it passes, but a character cut off at the end only when the
    // message's last piece comes from its drain path (output past its 4 KiB buffer), never after the one
    // call this makes. Such a message goes to zlib as before: lws closes with 1007 at once when the
    // message inflates past that buffer, otherwise at the connection's next text message (lws 4.1 keeps
    // the cut character's state), and the gateway refuses the message itself as malformed JSON.
    if (!lws_frame_is_binary(wsi) && clws_utf8_ends_inside_a_character(output, produced)) return 0;
    buffers->eb_in.token += buffers->eb_in.len;
    buffers->eb_in.len = 0;
    buffers->eb_out.token = output;
    buffers->eb_out.len = (int)produced;
    return 1;
}

/// The index of parameter `name` in lws' table, -1 when absent.
static inline int clws_pmd_option_index(const struct lws_ext_options *options, const char *name) {
    for (int index = 0; options && options[index].name; index++)
        if (!strcmp(options[index].name, name)) return index;
    return -1;
}

/// The parameter lws 4.1 must record for a context-takeover parameter a client offered. lws applies
/// both as a client would on either side: it resets its inflater after each message under
/// server_no_context_takeover and its deflater under client_no_context_takeover. On a server that is
/// backwards (RFC 7692 7.1.1): it kept compressing against earlier messages after agreeing not to, and
/// forgot the client's earlier messages while the client still referred to them ("invalid distance
/// too far back" from the second compressed message). Other parameters keep their index.
static inline int clws_pmd_server_option_index(const clws_pmd_connection *connection, int index) {
    const struct lws_ext_options *options = connection->options;
    int server_side = clws_pmd_option_index(options, "server_no_context_takeover");
    int client_side = clws_pmd_option_index(options, "client_no_context_takeover");
    if (!connection->server || server_side < 0 || client_side < 0) return index;
    if (index == server_side) return client_side;
    if (index == client_side) return server_side;
    return index;
}

/// permessage-deflate with a size threshold. lws has no per-message switch; but when its deflater is
/// not called for a message, lws sends the payload as it is and sets no RSV1 bit (the PRESEND step only
/// marks messages it compressed), which is a valid uncompressed message: the deflate stream simply
/// does not include it. Only whole single-frame messages are skipped; fragments always go through.
/// On the receiving side it gives lws' inflater input of its own (clws_pmd_connection).
static inline int clws_pm_deflate_small_uncompressed(
    struct lws_context *context, const struct lws_extension *ext, struct lws *wsi,
    enum lws_extension_callback_reasons reason, void *user, void *in, size_t len) {
    if (reason == LWS_EXT_CB_CONSTRUCT || reason == LWS_EXT_CB_CLIENT_CONSTRUCT) {
        // `user` is the slot to fill; lws fills the one inside ours.
        clws_pmd_connection *connection = (clws_pmd_connection *)calloc(1, sizeof(*connection));
        if (!connection) return -1;
        int result = lws_extension_callback_pm_deflate(context, ext, wsi, reason, &connection->lws_state, in, len);
        if (result) {
            free(connection);
            return result;
        }
        // lws hands back the table of its parameters through `in`; the server handshake names them by index.
        connection->options = in ? *(const struct lws_ext_options **)in : NULL;
        connection->server = lws_get_vhost_listen_port(lws_get_vhost(wsi)) > 0;
        // lws zeroed its state and starts the inflater at the first compressed message; zlib uses a
        // stream's allocator when one is set before inflateInit2, and inflateEnd keeps it for the next.
        z_stream *inflater = clws_pmd_inflater(connection);
        inflater->zalloc = clws_inflater_alloc;
        inflater->zfree = clws_inflater_free;
        inflater->opaque = Z_NULL;
        *(void **)user = connection;
        return 0;
    }
    clws_pmd_connection *connection = (clws_pmd_connection *)user;
    if (!connection) return lws_extension_callback_pm_deflate(context, ext, wsi, reason, user, in, len);
    if (reason == LWS_EXT_CB_DESTROY) {
        int result = lws_extension_callback_pm_deflate(context, ext, wsi, reason, connection->lws_state, in, len);
        free(connection->input);
        free(connection);
        return result;
    }
    if (reason == LWS_EXT_CB_OPTION_SET && in) {
        // The response lws writes names the parameter the client offered; only what lws records moves.
        struct lws_ext_option_arg option = *(const struct lws_ext_option_arg *)in;
        if (!option.option_name) option.option_index = clws_pmd_server_option_index(connection, option.option_index);
        // What lws records as server_no_context_takeover makes it restart its inflater after every message.
        if (!option.option_name &&
            option.option_index == clws_pmd_option_index(connection->options, "server_no_context_takeover"))
            connection->messages_stand_alone = 1;
        return lws_extension_callback_pm_deflate(context, ext, wsi, reason, connection->lws_state, &option, len);
    }
    if (reason == LWS_EXT_CB_PAYLOAD_RX && in) {
        struct clws_pmd_ebufs *buffers = (struct clws_pmd_ebufs *)in;
        if (connection->message_inflated_here) {
            // lws ends every frame with one more call, without input (the spill of its parser). For a
            // message its inflater took, that call finds the trailer applied and does nothing; for one
            // inflated here lws still owes the trailer, and would start an inflater only to inflate it.
            if (buffers->eb_in.len <= 0 && !lws_is_first_fragment(wsi)) return CLWS_PMDR_DID_NOTHING;
            connection->message_inflated_here = 0;  // a new frame
        }
        if (clws_pmd_inflate_whole_message(connection, wsi, buffers)) {
            connection->message_inflated_here = 1;
            return CLWS_PMDR_EMPTY_FINAL;
        }
        // A message ending in a final block (RFC 7692 7.2.3.3) leaves lws 4.1's trailer (00 00 ff ff)
        // unread in its inflater's input when zlib reports the stream's end; under no context takeover lws
        // then ends the inflater but keeps that input, and the next message inflates the stale trailer
        // in place of its own bytes ("bad utf8", 1007). An ended inflater has no input of its own.
        z_stream *inflater = clws_pmd_inflater(connection);
        if (inflater->state == Z_NULL) {
            inflater->avail_in = 0;
            connection->inflater_holds_input = 0;
        }
        unsigned char *given = buffers->eb_in.token;
        int copied = clws_pmd_copy_input(connection, buffers);
        if (copied < 0) return -1;
        int result = lws_extension_callback_pm_deflate(context, ext, wsi, reason, connection->lws_state, in, len);
        // Bad deflate data. When this call was lws finishing a message (the drain path of
        // rops_handle_POLLIN_ws), lws ignores the failure: it neither reads the socket again nor closes
        // it, so the loop spins at full CPU on the unread rest of the frame and on the drain list. Stop
        // reading (the spin on the socket keeps lws' idle callback, which runs its timers, from running)
        // and close from the next service; lws' own failure path closes it at once anyway.
        if (result < 0) {
            lws_rx_flow_control(wsi, 0);
            lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
        }
        if (result == CLWS_PMDR_HAS_PENDING || result == CLWS_PMDR_EMPTY_NONFINAL || result == CLWS_PMDR_EMPTY_FINAL) {
            // lws left eb_in as what the inflater has not consumed yet.
            connection->inflater_holds_input = buffers->eb_in.len > 0;
        } else if (copied && (result == CLWS_PMDR_DID_NOTHING || result == CLWS_PMDR_NOTHING_WE_SHOULD_DO)) {
            // Not for the inflater (an uncompressed message or a control frame): lws passes it on as it was.
            buffers->eb_in.token = given;
        }
        return result;
    }
    if (reason == LWS_EXT_CB_PAYLOAD_TX && in) {
        const struct clws_pmd_ebufs *buffers = (const struct clws_pmd_ebufs *)in;
        int opcode = (int)(len & 0xf);
        int whole = !(len & LWS_WRITE_NO_FIN);
        if ((opcode == LWS_WRITE_TEXT || opcode == LWS_WRITE_BINARY) && whole &&
            buffers->eb_in.len < CLWS_DEFLATE_THRESHOLD)
            return 0;
    }
    return lws_extension_callback_pm_deflate(context, ext, wsi, reason, connection->lws_state, in, len);
}

/// The extensions the gateway offers: permessage-deflate (RFC 7692) and the terminator lws expects.
/// A static array is simplest in C; lws reads it for the life of every vhost that names it.
static inline const struct lws_extension *clws_permessage_deflate_extensions(void) {
    static const struct lws_extension extensions[] = {
        { "permessage-deflate", clws_pm_deflate_small_uncompressed,
          "permessage-deflate; client_no_context_takeover; client_max_window_bits" },
        { NULL, NULL, NULL },
    };
    return extensions;
}

#endif
