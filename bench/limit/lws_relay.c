/* The benchmark's limit for the gateway's own path: a bare libwebsockets program with the gateway's
 * topology and nothing else in it. It reads JSON-RPC request lines from the MCP host on stdin (adopted
 * into the lws loop as a raw file, as the gateway does), sends each tools/call to the one connected
 * editor as a command over WebSocket, and writes one JSON-RPC result line to stdout per editor answer.
 * So a call here costs the same two pipe hops and two WebSocket hops, and the same process wake-ups, as
 * a routed call through the gateway, with no routing, tables, validation or logging: what libwebsockets
 * and the kernel allow for that path on this machine. Like the gateway, it writes what one turn of the
 * loop produced together: the editor's commands in one send, the host's results in one write.
 * Build: cc -O2 -o lws_relay lws_relay.c -lwebsockets     Run: ./lws_relay PORT   (driven by the
 * generator's mcp scenario: gateway-bench mcp --server ./lws_relay --server-arg PORT --port PORT ...) */
#define _GNU_SOURCE /* memmem */
#include <libwebsockets.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COMMAND_SIZE 256    /* a command is the tool name and the call's id in a few dozen bytes */
#define FRAME_SIZE (4 + COMMAND_SIZE)  /* with its WebSocket header (server frames are not masked) */
#define PENDING_SIZE 65536  /* framed commands waiting for the editor's socket; the benchmark keeps at most 64 in flight */
#define LINE_BUFFER 65536   /* the host's requests are a few hundred bytes a line */
#define MESSAGE_SIZE 262144 /* an editor answer (the benchmark's are under 1 KiB; --result-bytes is not for this row) */
#define NAME_SIZE 64        /* a tool name */
#define ID_SIZE 24          /* a JSON-RPC id: the generator's are integers */
#define LINE_MAX_OUT (7 * MESSAGE_SIZE + 512)  /* one result line: the answer escaped (at most 6 bytes a byte) and again as structuredContent */
#define OUTPUT_SIZE (2 * LINE_MAX_OUT)

static struct {
    struct lws *editor;      /* the one editor; a second is refused, as the benchmark row has one */
    int editor_ready;        /* the editor has identified (its first message), so calls may go to it */
    struct lws *input;       /* stdin, adopted as a raw file */
    int input_paused;        /* stdin is not read while the pending commands fill their buffer */
    unsigned char pending[LWS_PRE + PENDING_SIZE];  /* framed commands for the editor's next writable turn */
    size_t pending_length;
    char line[LINE_BUFFER];  /* bytes read from stdin not yet cut into lines */
    size_t line_length;
    unsigned char message[MESSAGE_SIZE];  /* the editor message being received, which lws may hand over in pieces */
    size_t message_length;
    char output[OUTPUT_SIZE];  /* result lines for the host, written once per turn of the loop */
    size_t output_length;
} relay;

static int interrupted;

/* Writes the collected result lines to stdout. Blocking is fine here: the generator reads stdout on a
 * thread of its own all the time, so the pipe never stays full. Returns -1 when stdout is gone. */
static int flush_output(void) {
    size_t done = 0;
    while (done < relay.output_length) {
        ssize_t written = write(STDOUT_FILENO, relay.output + done, relay.output_length - done);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return -1;
        done += (size_t)written;
    }
    relay.output_length = 0;
    return 0;
}

/* Room for one result line at the end of the output (flushing first when the buffer is too full), or NULL
 * when stdout is gone. */
static char *output_room(void) {
    if (sizeof relay.output - relay.output_length < LINE_MAX_OUT && flush_output()) return NULL;
    return relay.output + relay.output_length;
}

/* The text of `"key":` up to the next delimiter in `set`, copied into `out` (NUL-terminated); 0 when the key
 * is missing or its value does not fit. A field extraction, not a JSON parser: the generator's requests
 * and the fake editor's answers have one fixed shape. */
static size_t field(const char *text, size_t length, const char *key, const char *set, char *out, size_t size) {
    size_t key_length = strlen(key);
    const char *found = memmem(text, length, key, key_length);
    if (!found) return 0;
    const char *value = found + key_length, *end = text + length;
    size_t n = 0;
    while (value + n < end && !strchr(set, value[n])) n++;
    if (n == 0 || n >= size || value + n == end) return 0;
    memcpy(out, value, n);
    out[n] = 0;
    return n;
}

/* Frames one text message for the editor (FIN, text opcode, unmasked as from a server); the whole batch
 * goes out on the next writable callback. */
static int queue_for_editor(const char *text, size_t length) {
    if (length > COMMAND_SIZE || PENDING_SIZE - relay.pending_length < FRAME_SIZE) return -1;
    unsigned char *frame = relay.pending + LWS_PRE + relay.pending_length;
    size_t header = 2;
    frame[0] = 0x81;
    if (length < 126) frame[1] = (unsigned char)length;
    else { frame[1] = 126; frame[2] = (unsigned char)(length >> 8); frame[3] = (unsigned char)length; header = 4; }
    memcpy(frame + header, text, length);
    relay.pending_length += header + length;
    lws_callback_on_writable(relay.editor);
    return 0;
}

/* Room for one more framed command. */
static int pending_has_room(void) { return PENDING_SIZE - relay.pending_length >= FRAME_SIZE; }

/* One request line from the host. tools/call goes to the editor with the JSON-RPC id as the command id;
 * initialize and any other request with an id gets an immediate empty-but-valid result; notifications are
 * dropped. Returns -1 when stdout is gone. */
static int handle_line(const char *text, size_t length) {
    char id[ID_SIZE], name[NAME_SIZE], command[COMMAND_SIZE];
    /* Integer ids only (the generator's), so the id can be carried as the command's id string unquoted. */
    if (!memmem(text, length, "\"method\"", 8) || !field(text, length, "\"id\":", ",}", id, sizeof id)) return 0;
    if (strspn(id, "-0123456789") != strlen(id)) return 0;
    char *out = output_room();
    if (!out) return -1;
    int n;
    if (memmem(text, length, "\"method\":\"tools/call\"", 21)) {
        if (!relay.editor_ready) {  /* as the gateway answers before an editor has identified: the generator retries */
            n = snprintf(out, LINE_MAX_OUT,
                         "{\"jsonrpc\":\"2.0\",\"id\":%s,\"error\":{\"code\":-32000,\"message\":\"no editor connected\"}}\n", id);
            if (n <= 0 || n >= LINE_MAX_OUT) return -1;
            relay.output_length += (size_t)n;
            return 0;
        }
        if (!field(text, length, "\"name\":\"", "\"", name, sizeof name)) strcpy(name, "tool");
        /* The smallest command the fake editor answers: the gateway's also carries the arguments and a
         * timestamp, a few dozen bytes more on loopback. */
        n = snprintf(command, sizeof command, "{\"command\":\"%s\",\"id\":\"%s\",\"params\":{}}", name, id);
        if (n <= 0 || (size_t)n >= sizeof command) return 0;
        return queue_for_editor(command, (size_t)n) ? -1 : 0;
    }
    if (memmem(text, length, "\"method\":\"initialize\"", 21))
        n = snprintf(out, LINE_MAX_OUT,
                     "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
                     "\"serverInfo\":{\"name\":\"lws-relay\",\"version\":\"1\"}}}\n", id);
    else
        n = snprintf(out, LINE_MAX_OUT, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{}}\n", id);
    if (n <= 0 || n >= LINE_MAX_OUT) return -1;
    relay.output_length += (size_t)n;
    return 0;
}

/* Cuts the complete lines read so far and handles them, stopping while the pending commands fill their
 * buffer (stdin is then not read until the editor's socket takes them, so nothing is dropped). */
static int pump_input(void) {
    size_t start = 0;
    while (pending_has_room()) {
        char *newline = memchr(relay.line + start, '\n', relay.line_length - start);
        if (!newline) break;
        size_t length = (size_t)(newline - (relay.line + start));
        if (handle_line(relay.line + start, length)) return -1;
        start += length + 1;
    }
    memmove(relay.line, relay.line + start, relay.line_length - start);
    relay.line_length -= start;
    int full = !pending_has_room();
    if (full != relay.input_paused && relay.input) {
        relay.input_paused = full;
        if (lws_rx_flow_control(relay.input, !full)) return -1;
    }
    return 0;
}

/* One JSON string's content for `bytes` (quotes, backslashes and control characters escaped). */
static size_t escape(const unsigned char *bytes, size_t length, char *out) {
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = bytes[i];
        if (c == '"' || c == '\\') { out[n++] = '\\'; out[n++] = (char)c; }
        else if (c < 0x20) { memcpy(out + n, "\\u00", 4); out[n + 4] = hex[c >> 4]; out[n + 5] = hex[c & 15]; n += 6; }
        else out[n++] = (char)c;
    }
    return n;
}

/* One complete editor message: the first is its identify; after that, answers become result lines with
 * the editor's result as the text (escaped) and as structuredContent, as the gateway returns them. */
static int handle_answer(const unsigned char *bytes, size_t length) {
    if (!relay.editor_ready) { relay.editor_ready = 1; return 0; }
    char id[ID_SIZE];
    const char *text = (const char *)bytes;
    if (!field(text, length, "\"id\":\"", "\"", id, sizeof id)) return 0;  /* not an answer (a heartbeat response) */
    int success = memmem(text, length, "\"success\":true", 14) != NULL;
    const char *result = memmem(text, length, "\"result\":", 9);
    size_t result_length = 0;
    if (result) {
        result += 9;
        result_length = length - (size_t)(result - text);
        /* The fake editor's answer ends `,"error":null}`; otherwise the result runs to the closing brace. */
        if (result_length >= 14 && !memcmp(result + result_length - 14, ",\"error\":null}", 14)) result_length -= 14;
        else if (result_length) result_length--;
    }
    if (length > MESSAGE_SIZE) return -1;
    char *out = output_room();
    if (!out) return -1;
    int n = snprintf(out, 128, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"", id);
    if (n <= 0 || n >= 128) return -1;
    size_t used = (size_t)n;
    used += escape((const unsigned char *)(result ? result : text), result ? result_length : length, out + used);
    n = snprintf(out + used, 64, "\"}],\"isError\":%s%s", success ? "false" : "true", result ? ",\"structuredContent\":" : "");
    if (n <= 0 || n >= 64) return -1;
    used += (size_t)n;
    if (result) { memcpy(out + used, result, result_length); used += result_length; }
    memcpy(out + used, "}}\n", 3);
    relay.output_length += used + 3;
    return 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len) {
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE: {  /* stdin is readable: one read, then the complete lines */
        ssize_t count = read(STDIN_FILENO, relay.line + relay.line_length, sizeof relay.line - relay.line_length);
        if (count < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
        if (count <= 0) { interrupted = 1; return -1; }  /* the host closed stdin: the run is over */
        relay.line_length += (size_t)count;
        if (pump_input()) { interrupted = 1; return -1; }
        if (relay.line_length == sizeof relay.line) { fputs("lws_relay: request line too long\n", stderr); interrupted = 1; return -1; }
        return 0;
    }
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        relay.input = NULL;
        interrupted = 1;
        return 0;
    case LWS_CALLBACK_ESTABLISHED: {
        if (relay.editor) return -1;
        relay.editor = wsi;
        /* The fake editor (like Godot's addon) waits for the gateway's handshake before it identifies. */
        static const char handshake[] = "{\"type\":\"handshake\",\"clientId\":\"relay\",\"serverVersion\":\"1.0.0\"}";
        return queue_for_editor(handshake, sizeof handshake - 1);
    }
    case LWS_CALLBACK_RECEIVE:
        if (relay.message_length + len > MESSAGE_SIZE) return -1;
        memcpy(relay.message + relay.message_length, in, len);
        relay.message_length += len;
        if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi)) return 0;
        len = relay.message_length;
        relay.message_length = 0;
        if (handle_answer(relay.message, len)) { interrupted = 1; return -1; }
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        /* Every command queued since the last send, already framed, in one send: lws passes a
         * LWS_WRITE_RAW write on a WebSocket connection through unframed. */
        if (wsi != relay.editor || !relay.pending_length) return 0;
        if (lws_write(wsi, relay.pending + LWS_PRE, relay.pending_length, LWS_WRITE_RAW) < (int)relay.pending_length) return -1;
        relay.pending_length = 0;
        /* Room again: lines held back while the buffer was full go now. */
        if (relay.input_paused && pump_input()) { interrupted = 1; return -1; }
        return 0;
    case LWS_CALLBACK_CLOSED:
        /* Calls already sent to a departing editor go unanswered: the benchmark closes its editor only
         * after its last call. */
        if (wsi == relay.editor) { relay.editor = NULL; relay.editor_ready = 0; relay.pending_length = 0; relay.message_length = 0; }
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static void stop(int signal_number) { (void)signal_number; interrupted = 1; }

int main(int argc, char **argv) {
    struct lws_protocols protocols[] = {
        /* Editors name no subprotocol and are bound to the first; stdin is adopted onto it by name. */
        { "relay", callback, 0, 65536, 0, NULL, 0 },
        { NULL, NULL, 0, 0, 0, NULL, 0 },
    };
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = argc > 1 ? atoi(argv[1]) : 7681;
    info.iface = "127.0.0.1";
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
    info.protocols = protocols;
    lws_set_log_level(LLL_ERR, NULL);
    if (signal(SIGINT, stop) == SIG_ERR || signal(SIGTERM, stop) == SIG_ERR || signal(SIGPIPE, SIG_IGN) == SIG_ERR) return 1;
    struct lws_context *context = lws_create_context(&info);
    if (!context) return 1;
    struct lws_vhost *vhost = lws_get_vhost_by_name(context, "default");
    lws_sock_file_fd_type fd;
    fd.filefd = STDIN_FILENO;
    relay.input = vhost ? lws_adopt_descriptor_vhost(vhost, LWS_ADOPT_RAW_FILE_DESC, fd, "relay", NULL) : NULL;
    if (!relay.input) { fputs("lws_relay: cannot adopt stdin\n", stderr); lws_context_destroy(context); return 1; }
    /* What a turn of the loop produced for the host leaves in one write after it. */
    int failed = 0;
    while (!interrupted && lws_service(context, 0) >= 0)
        if (flush_output()) { failed = 1; break; }
    if (!failed && flush_output()) failed = 1;
    lws_context_destroy(context);
    return failed;
}
