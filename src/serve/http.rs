//! The page's server: tiny_http on 127.0.0.1 only, a thread for each request, and the checks that keep
//! other sites out. A request is answered only when its `Host` is this server's own address (so a
//! name that a hostile site points at 127.0.0.1, DNS rebinding, gets nothing), when any `Origin` it
//! carries is this server's own (so no other site's page can post to it), when it is not marked
//! as sent from another site (`Sec-Fetch-Site: cross-site`) unless it is a visit to the page
//! itself (a link followed, which shows the page to its user alone), when a POST carries JSON (which no
//! plain HTML form can send) and when its body is at most [`MAX_BODY`] bytes.

use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{App, MAX_BODY, Reply};

#[derive(Debug, thiserror::Error)]
#[error("cannot listen on 127.0.0.1:{port}: {message}")]
pub struct ServeError {
    pub port: u16,
    pub message: String,
}

/// A listening server.
pub struct Server {
    inner: Arc<tiny_http::Server>,
    app: Arc<App>,
    port: u16,
}

impl Server {
    /// Listens on 127.0.0.1:`port` (0: a free port the system chooses).
    pub fn bind(app: App, port: u16) -> Result<Server, ServeError> {
        let failed = |message: String| ServeError { port, message };
        let listener = std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
            .map_err(|e| failed(e.to_string()))?;
        // Each connection accepted takes the listening socket's timeouts (Linux copies a
        // socket's options to the connections it accepts): a client that stops sending, or stops
        // reading its answer, is let go after them.
        #[cfg(unix)]
        {
            use rustix::net::sockopt::{Timeout, set_socket_timeout};
            let idle = idle();
            set_socket_timeout(&listener, Timeout::Recv, Some(idle))
                .and_then(|()| set_socket_timeout(&listener, Timeout::Send, Some(idle)))
                .map_err(|e| failed(e.to_string()))?;
        }
        let inner =
            tiny_http::Server::from_listener(listener, None).map_err(|e| failed(e.to_string()))?;
        let port = inner.server_addr().to_ip().map_or(port, |a| a.port());
        Ok(Server {
            inner: Arc::new(inner),
            app: Arc::new(app),
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The page's address.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Answers requests until the process ends, each on a thread of its own: a request whose
    /// body never comes (a client stalled or gone) then holds only its own thread, where with a
    /// few shared workers four such requests left the page unanswered; and the page's questions
    /// about its progress are answered while a run, or a change waiting for it, goes on. Runs
    /// take turns (`App` holds one at a time), so threads do not multiply the work.
    ///
    /// Returns only if the server can no longer take connections, with why.
    pub fn run(self) -> std::io::Result<()> {
        // On Linux the listening socket's receive timeout (set in `bind` for the connections it
        // accepts) bounds its `accept` too: with no new connection for `idle()`, tiny_http's
        // accepting thread ends, and the server with it, while the page sat open. A connection
        // this server makes to itself more often than that keeps it accepting; it sends nothing
        // and is closed at once, so it is never a request.
        let (port, every) = (self.port, idle() / 3);
        let _ = std::thread::Builder::new().spawn(move || {
            let me = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            loop {
                std::thread::sleep(every);
                drop(std::net::TcpStream::connect_timeout(&me, every));
            }
        });
        let busy = Arc::new(AtomicUsize::new(0));
        loop {
            let rq = self.inner.recv()?;
            // A bound on requests answered at once, so that a flood of them cannot exhaust the
            // machine's threads or memory; the page itself has a few at a time.
            if busy.load(Ordering::Relaxed) >= MAX_AT_ONCE {
                // Answered here only without a body to drain, which could hold this loop.
                if rq.body_length().unwrap_or(0) == 0 {
                    let _ = rq.respond(response(Reply::error(
                        503,
                        "busy: too many requests at once; try again",
                    )));
                } else {
                    std::mem::forget(rq);
                }
                continue;
            }
            let (app, port, one) = (self.app.clone(), self.port, InFlight::new(&busy));
            // A thread that cannot be made drops its request (the client sees the connection
            // closed) rather than ending the server; the count is given back however the request
            // ends, a panic included.
            let _ = std::thread::Builder::new().spawn(move || {
                let _one = one;
                answer(rq, &app, port);
            });
        }
    }
}

/// One request being answered, counted in the server's `busy` while it lives.
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn new(busy: &Arc<AtomicUsize>) -> InFlight {
        busy.fetch_add(1, Ordering::Relaxed);
        InFlight(busy.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// How long a connection may wait for the client's next bytes, or for the client to take the
/// answer's, before it is closed: 30 seconds, or in a debug build (the tests')
/// `WFSIM_TEST_SERVE_IDLE_SECS`.
fn idle() -> Duration {
    let secs = if cfg!(debug_assertions) {
        std::env::var("WFSIM_TEST_SERVE_IDLE_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(30)
    } else {
        30
    };
    // At least a second: the keep-alive connection is made every third of it.
    Duration::from_secs(secs.max(1))
}

/// Requests answered at once; more are answered 503 at once.
const MAX_AT_ONCE: usize = 64;

/// What a request says about where it came from.
#[derive(Debug, Default)]
pub struct Headers<'a> {
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    pub fetch_site: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub content_length: Option<usize>,
    /// A browser's visit to the page itself (`GET /`, `Sec-Fetch-Mode: navigate`), such as a
    /// link with inputs in its address followed from an email or another site: it shows the
    /// page, which no other site can read (the page then runs the address's inputs, as a change
    /// typed in would).
    pub visit: bool,
}

/// Why a request is refused, if it is: its status and the reason.
pub fn refuse(method: &str, h: &Headers, port: u16) -> Option<(u16, &'static str)> {
    // A browser leaves out the port when it is HTTP's own, 80.
    let ours = |host: &str| {
        let (name, at) = host.rsplit_once(':').unwrap_or((host, "80"));
        (name == "127.0.0.1" || name == "localhost") && at == port.to_string()
    };
    if !h.host.is_some_and(ours) {
        return Some((403, "refused: the request was not addressed to this server"));
    }
    if let Some(o) = h.origin
        && !o.strip_prefix("http://").is_some_and(ours)
    {
        return Some((403, "refused: the request came from another site"));
    }
    if h.fetch_site == Some("cross-site") && !h.visit {
        return Some((403, "refused: the request came from another site"));
    }
    let json = |t: &str| t.split(';').next().unwrap_or("").trim() == "application/json";
    if method == "POST" && !h.content_type.is_some_and(json) {
        return Some((415, "refused: the page sends JSON"));
    }
    if h.content_length.is_some_and(|n| n > MAX_BODY) {
        return Some((413, "refused: the request is too large"));
    }
    None
}

/// The largest body a request may claim and still be answered: tiny_http drains an unread body
/// when the request is done with, into a buffer of the size claimed, so one claiming terabytes
/// aborted the process.
const MAX_CLAIMED: usize = 64 * MAX_BODY;

/// Whether `rq` claims a body too large to drain: it is then left unanswered and its connection
/// held (the client waits, and nothing else does), rather than dropped.
fn unanswerable(rq: &tiny_http::Request) -> bool {
    rq.body_length().is_some_and(|n| n > MAX_CLAIMED)
}

fn answer(mut rq: tiny_http::Request, app: &App, port: u16) {
    if unanswerable(&rq) {
        std::mem::forget(rq);
        return;
    }
    let header = |name: &'static str| {
        rq.headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    let (host, origin, fetch_site, content_type) = (
        header("Host"),
        header("Origin"),
        header("Sec-Fetch-Site"),
        header("Content-Type"),
    );
    let method = rq.method().as_str().to_string();
    let path = rq.url().split('?').next().unwrap_or("");
    let h = Headers {
        host: host.as_deref(),
        origin: origin.as_deref(),
        fetch_site: fetch_site.as_deref(),
        content_type: content_type.as_deref(),
        content_length: rq.body_length(),
        visit: method == "GET"
            && path == "/"
            && header("Sec-Fetch-Mode").as_deref() == Some("navigate"),
    };
    let reply = match refuse(&method, &h, port) {
        Some((status, why)) => Reply::error(status, why),
        None => {
            let mut body = Vec::new();
            let read = rq
                .as_reader()
                .take(MAX_BODY as u64 + 1)
                .read_to_end(&mut body);
            if read.is_err() {
                Reply::error(400, "the request's body could not be read")
            } else if body.len() > MAX_BODY {
                Reply::error(413, "refused: the request is too large")
            } else {
                let url = rq.url().to_string();
                app.handle(&method, &url, &body)
            }
        }
    };
    let _ = rq.respond(response(reply));
}

fn response(r: Reply) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let head = |k: &str, v: &str| tiny_http::Header::from_bytes(k, v).expect("valid header");
    // Every answer with its length, never in chunks: the page's answers are made whole first.
    let mut out = tiny_http::Response::from_data(r.body)
        .with_chunked_threshold(usize::MAX)
        .with_status_code(r.status)
        .with_header(head("Content-Type", r.content_type))
        .with_header(head("Cache-Control", "no-store"))
        .with_header(head("X-Content-Type-Options", "nosniff"))
        .with_header(head("Referrer-Policy", "no-referrer"))
        .with_header(head("X-Frame-Options", "DENY"))
        .with_header(head(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; \
             frame-ancestors 'none'; base-uri 'none'",
        ));
    if let Some(name) = r.download {
        // Names come from the scenario's name, which the reader limits; anything unsafe in a
        // header is replaced.
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        out.add_header(head(
            "Content-Disposition",
            &format!("attachment; filename=\"{safe}\""),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_servers_own_requests_are_answered() {
        let ok = Headers {
            host: Some("127.0.0.1:8044"),
            ..Headers::default()
        };
        assert_eq!(refuse("GET", &ok, 8044), None);
        let local = Headers {
            host: Some("localhost:8044"),
            origin: Some("http://localhost:8044"),
            fetch_site: Some("same-origin"),
            content_type: Some("application/json"),
            content_length: Some(100),
            visit: false,
        };
        assert_eq!(refuse("POST", &local, 8044), None);
        let with = |f: &dyn Fn(&mut Headers)| {
            let mut h = Headers {
                host: Some("127.0.0.1:8044"),
                content_type: Some("application/json"),
                ..Headers::default()
            };
            f(&mut h);
            refuse("POST", &h, 8044).map(|r| r.0)
        };
        assert_eq!(with(&|h| h.host = Some("evil.example:8044")), Some(403));
        assert_eq!(with(&|h| h.host = Some("127.0.0.1:9000")), Some(403));
        assert_eq!(with(&|h| h.host = None), Some(403));
        assert_eq!(with(&|h| h.origin = Some("http://evil.example")), Some(403));
        assert_eq!(with(&|h| h.origin = Some("null")), Some(403));
        assert_eq!(
            with(&|h| h.origin = Some("https://127.0.0.1:8044")),
            Some(403)
        );
        assert_eq!(with(&|h| h.fetch_site = Some("cross-site")), Some(403));
        // A link to the page followed from another site shows the page; any other request from
        // another site is refused, and a visit must still be addressed to this server.
        let visit = |host: &'static str, visit: bool| Headers {
            host: Some(host),
            fetch_site: Some("cross-site"),
            visit,
            ..Headers::default()
        };
        assert_eq!(refuse("GET", &visit("127.0.0.1:8044", true), 8044), None);
        assert_eq!(
            refuse("GET", &visit("127.0.0.1:8044", false), 8044).map(|r| r.0),
            Some(403)
        );
        assert_eq!(
            refuse("GET", &visit("evil.example:8044", true), 8044).map(|r| r.0),
            Some(403)
        );
        assert_eq!(with(&|h| h.content_type = Some("text/plain")), Some(415));
        assert_eq!(with(&|h| h.content_length = Some(MAX_BODY + 1)), Some(413));
        // On port 80 a browser names the host alone.
        let bare = Headers {
            host: Some("127.0.0.1"),
            origin: Some("http://localhost"),
            ..Headers::default()
        };
        assert_eq!(refuse("GET", &bare, 80), None);
        assert_eq!(refuse("GET", &bare, 8044).map(|r| r.0), Some(403));
        let other = Headers {
            host: Some("127.0.0.1:8044"),
            ..Headers::default()
        };
        assert_eq!(refuse("GET", &other, 80).map(|r| r.0), Some(403));
    }
}
