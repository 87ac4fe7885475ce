//! Binding and connecting, with errors that name the endpoint.

/// Binds (`bind`) or connects `socket` to `endpoint`; returns the endpoint as
/// it now is (a bound `*` port resolved to the real one).
pub fn attach(socket: &zmq::Socket, endpoint: &str, bind: bool) -> Result<String, String> {
    if bind {
        socket
            .bind(endpoint)
            .map_err(|e| format!("bind {endpoint}: {e}"))?;
        let bound = socket
            .get_last_endpoint()
            .ok()
            .and_then(Result::ok)
            .unwrap_or_else(|| endpoint.to_owned());
        Ok(bound)
    } else {
        socket
            .connect(endpoint)
            .map_err(|e| format!("connect {endpoint}: {e}"))?;
        Ok(endpoint.to_owned())
    }
}

/// Binds or connects to every endpoint, telling standard error where it bound
/// (so `tcp://127.0.0.1:*` can be used and its port read back).
pub fn attach_all(socket: &zmq::Socket, endpoints: &[String], bind: bool) -> Result<(), String> {
    for endpoint in endpoints {
        let actual = attach(socket, endpoint, bind)?;
        if bind {
            eprintln!("zmqcat: bound {actual}");
        }
    }
    Ok(())
}

/// Splits the czmq-style prefix off an endpoint: `@` binds, `>` connects,
/// no prefix means `default_bind`.
pub fn split_prefix(endpoint: &str, default_bind: bool) -> (bool, &str) {
    if let Some(rest) = endpoint.strip_prefix('@') {
        (true, rest)
    } else if let Some(rest) = endpoint.strip_prefix('>') {
        (false, rest)
    } else {
        (default_bind, endpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::split_prefix;

    #[test]
    fn prefixes_choose_bind_or_connect() {
        assert_eq!(split_prefix("@tcp://a:1", false), (true, "tcp://a:1"));
        assert_eq!(split_prefix(">tcp://a:1", true), (false, "tcp://a:1"));
        assert_eq!(split_prefix("tcp://a:1", true), (true, "tcp://a:1"));
        assert_eq!(split_prefix("tcp://a:1", false), (false, "tcp://a:1"));
    }
}
