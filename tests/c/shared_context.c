/* The C side of tests/shared_context.rs: uses a context that Rust made, and
 * makes one for Rust, in the same process and the same libzmq. */
#include <string.h>
#include <zmq.h>

void *c_context_new (void)
{
    return zmq_ctx_new ();
}

int c_context_term (void *ctx)
{
    return zmq_ctx_term (ctx);
}

/* Answers one request on a REP socket bound to `endpoint` in `ctx`:
 * the reply is "c:" followed by the request. Returns 0 on success. */
int c_serve_one (void *ctx, const char *endpoint)
{
    char buf[256];
    int linger = 0, rc = -1, n;
    void *s = zmq_socket (ctx, ZMQ_REP);
    if (!s)
        return -1;
    zmq_setsockopt (s, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_bind (s, endpoint) == 0) {
        n = zmq_recv (s, buf + 2, sizeof buf - 2, 0);
        if (n >= 0 && n <= (int) sizeof buf - 2) {
            buf[0] = 'c';
            buf[1] = ':';
            rc = zmq_send (s, buf, (size_t) n + 2, 0) < 0 ? -1 : 0;
        }
    }
    zmq_close (s);
    return rc;
}

/* Sends `text` from a REQ socket connected to `endpoint` in `ctx` and copies
 * the reply into `out`. Returns the reply's length, or -1. */
int c_request (void *ctx, const char *endpoint, const char *text, char *out, int out_len)
{
    int linger = 0, n = -1;
    void *s = zmq_socket (ctx, ZMQ_REQ);
    if (!s)
        return -1;
    zmq_setsockopt (s, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_connect (s, endpoint) == 0 && zmq_send (s, text, strlen (text), 0) >= 0)
        n = zmq_recv (s, out, (size_t) out_len, 0);
    zmq_close (s);
    return n;
}
