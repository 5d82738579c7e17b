/* The benchmark's limit: a bare libwebsockets echo server on 127.0.0.1 with nothing else in it, so the
 * gateway can be reported as a fraction of what libwebsockets itself does on this machine.
 * Build: cc -O2 -o lws_echo lws_echo.c -lwebsockets     Run: ./lws_echo PORT */
#include <libwebsockets.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 256          /* messages a connection may have waiting for their echo */
#define SLOT_SIZE 4096     /* benchmark messages are a few hundred bytes */

struct session {
    unsigned char slots[SLOTS][LWS_PRE + SLOT_SIZE];
    size_t lengths[SLOTS];
    unsigned head, count;
    size_t partial;        /* bytes of the message being received, which lws may hand over in pieces */
};

static int interrupted;

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len) {
    struct session *session = user;
    switch (reason) {
    case LWS_CALLBACK_RECEIVE: {
        unsigned slot = (session->head + session->count) % SLOTS;
        if (session->partial + len > SLOT_SIZE) return -1;
        memcpy(session->slots[slot] + LWS_PRE + session->partial, in, len);
        session->partial += len;
        if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi)) return 0;
        session->lengths[slot] = session->partial;
        session->partial = 0;
        session->count++;
        if (session->count == SLOTS) lws_rx_flow_control(wsi, 0);  /* full: stop reading until echoed */
        lws_callback_on_writable(wsi);
        return 0;
    }
    case LWS_CALLBACK_SERVER_WRITEABLE:
        if (session->count) {
            unsigned slot = session->head;
            if (lws_write(wsi, session->slots[slot] + LWS_PRE, session->lengths[slot], LWS_WRITE_TEXT) < (int)session->lengths[slot])
                return -1;
            session->head = (session->head + 1) % SLOTS;
            if (session->count-- == SLOTS) lws_rx_flow_control(wsi, 1);
            if (session->count) lws_callback_on_writable(wsi);
        }
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static void stop(int signal_number) { (void)signal_number; interrupted = 1; }

int main(int argc, char **argv) {
    struct lws_protocols protocols[] = {
        { "echo", callback, sizeof(struct session), 65536, 0, NULL, 0 },
        { NULL, NULL, 0, 0, 0, NULL, 0 },
    };
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = argc > 1 ? atoi(argv[1]) : 7681;
    info.iface = "127.0.0.1";
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
    info.protocols = protocols;
    lws_set_log_level(LLL_ERR, NULL);
    signal(SIGINT, stop);
    signal(SIGTERM, stop);
    struct lws_context *context = lws_create_context(&info);
    if (!context) return 1;
    while (!interrupted && lws_service(context, 0) >= 0) {}
    lws_context_destroy(context);
    return 0;
}
