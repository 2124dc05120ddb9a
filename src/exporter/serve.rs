//! The exporter's HTTP server: hyper's HTTP/1 on tokio, one task a
//! connection, each GET or HEAD handed to a `Site` that answers with a
//! whole `Page`. Nothing else is served: another method is 405. A client
//! that sends its request head too slowly is cut off, so that idle or
//! stalled connections cannot pile up.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

/// Prometheus's text format, as node_exporter labels it.
pub const METRICS_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";
pub const JSON_TYPE: &str = "application/json";
pub const TEXT_TYPE: &str = "text/plain; charset=utf-8";

/// How long a client has to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// One answer, whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Page {
    pub fn text(status: u16, body: impl Into<String>) -> Page {
        Page {
            status,
            content_type: TEXT_TYPE,
            body: body.into(),
        }
    }
}

/// What answers a path.
pub trait Site: Send + Sync + 'static {
    fn page(self: Arc<Self>, path: String) -> Pin<Box<dyn Future<Output = Page> + Send>>;
}

/// Serve `site` on `listener` until the task is dropped. A failed accept
/// (no file descriptor left, say) is waited out, not fatal.
pub async fn serve<S: Site>(listener: TcpListener, site: Arc<S>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let site = site.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| answer(site.clone(), req));
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT);
            // A client that goes away is its own business.
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer<S: Site>(
    site: Arc<S>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        let mut r = response(Page::text(405, "only GET and HEAD\n"), false);
        r.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Ok(r);
    }
    let page = site.page(req.uri().path().to_string()).await;
    Ok(response(page, head))
}

fn response(page: Page, head: bool) -> Response<Full<Bytes>> {
    let body = if head { String::new() } else { page.body };
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() =
        StatusCode::from_u16(page.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(page.content_type));
    r
}
