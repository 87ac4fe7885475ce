//! `zmq_proxy` and `zmq_proxy_steerable`, as in the `zmq` 0.10 API.

use crate::error::Result;
use crate::raw;
use crate::Socket;

/// Forwards messages between `frontend` and `backend` until the context is
/// terminated (`zmq_proxy`).
#[doc(alias = "zmq_proxy")]
pub fn proxy(frontend: &Socket, backend: &Socket) -> Result<()> {
    raw::proxy(frontend.raw(), backend.raw(), None, None)
}

/// Like [`proxy`], also sending a copy of every message to `capture`.
pub fn proxy_with_capture(
    frontend: &mut Socket,
    backend: &mut Socket,
    capture: &mut Socket,
) -> Result<()> {
    raw::proxy(frontend.raw(), backend.raw(), Some(capture.raw()), None)
}

/// Like [`proxy`], steered by `PAUSE`, `RESUME`, `TERMINATE` and `STATISTICS`
/// commands on `control` (`zmq_proxy_steerable`); returns after `TERMINATE`.
#[doc(alias = "zmq_proxy_steerable")]
pub fn proxy_steerable(
    frontend: &mut Socket,
    backend: &mut Socket,
    control: &mut Socket,
) -> Result<()> {
    raw::proxy(frontend.raw(), backend.raw(), None, Some(control.raw()))
}

/// [`proxy_steerable`] with a capture socket.
pub fn proxy_steerable_with_capture(
    frontend: &mut Socket,
    backend: &mut Socket,
    capture: &mut Socket,
    control: &mut Socket,
) -> Result<()> {
    raw::proxy(
        frontend.raw(),
        backend.raw(),
        Some(capture.raw()),
        Some(control.raw()),
    )
}
