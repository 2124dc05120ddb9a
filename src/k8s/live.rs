//! The cluster's objects kept current for `--exporter` (issue 27): the
//! three kinds `api` lists once, here listed and then watched by kube-rs's
//! watcher, each into a reflector's store (bookmarks on, a new list after
//! `410 Gone`, kube-runtime's default back-off after an error). What the
//! watches have done is kept beside the stores (`Health`): whether each
//! kind has been listed, its restarts and errors, when the API server last
//! answered it, and a generation that moves with every change, so that a
//! reader recomputes what follows from the objects only when they moved.
//! The stores are read (`Live::cluster`) apart from the watching, which a
//! future drives on the caller's runtime.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

use futures::StreamExt;
use http::{Request, Response};
use k8s_openapi::api::core::v1::{Node, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::client::ClientBuilder;
use kube::runtime::reflector::{self, Store};
use kube::runtime::{watcher, WatchStreamExt};
use kube::{Api, Client};
use serde::de::DeserializeOwned;

use super::api::{
    config, explain, proxy_config, Source, ENDPOINTSLICES, NODES, PROXY_SELECTOR, SERVICES,
};
use super::input::{Cluster, ProxyConfigMap};

/// The kinds watched, in the order of `Health::kinds` and of the metrics.
pub const KINDS: [&str; 3] = ["services", "endpointslices", "nodes"];

/// How long one watch request lasts before it is made again (the server
/// ends it; kube-runtime adds 5 s before it calls a silent connection
/// dead). kube-proxy's informers take 5 to 10 minutes; shorter, a cut the
/// network never reported is noticed sooner, at one request a kind a
/// minute from each node.
const WATCH_SECONDS: u32 = 60;

/// How often kube-proxy's ConfigMap is asked for again. Its Role allows a
/// `get` of that one object, not a watch; kube-proxy itself reads it only
/// when it starts.
const CONFIG_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// What one kind's watch has done.
#[derive(Debug, Default)]
pub struct KindHealth {
    /// The first list is in the store.
    pub listed: AtomicBool,
    /// Lists made again after the first (after `410 Gone`, say).
    pub restarts: AtomicU64,
    /// Errors the watch met (each followed by a back-off and a retry).
    pub errors: AtomicU64,
    inits: AtomicU64,
    /// The last error, in words; empty when the watch works.
    pub last_error: Mutex<String>,
    /// The last sign of a working watch: an event, or an answer of 2xx.
    last_ok: Mutex<Option<Instant>>,
    /// No error since `last_ok`.
    current: AtomicBool,
}

impl KindHealth {
    fn ok(&self) {
        *lock(&self.last_ok) = Some(Instant::now());
        self.current.store(true, Ordering::Relaxed);
        lock(&self.last_error).clear();
    }

    /// How old this kind's data may be: none while the watch works;
    /// after an error, the time since it last did (since `start` when it
    /// never did).
    pub fn age(&self, start: Instant) -> f64 {
        if self.current.load(Ordering::Relaxed) {
            return 0.0;
        }
        let since = lock(&self.last_ok).unwrap_or(start);
        since.elapsed().as_secs_f64()
    }
}

/// The three kinds' watches, and a generation bumped by every change.
#[derive(Debug, Default)]
pub struct Health {
    pub kinds: [KindHealth; 3],
    pub generation: AtomicU64,
}

impl Health {
    /// Every kind has been listed once.
    pub fn ready(&self) -> bool {
        self.kinds.iter().all(|k| k.listed.load(Ordering::Relaxed))
    }
}

/// The stores, read while the watches fill them.
#[derive(Clone)]
pub struct Live {
    services: Store<Service>,
    slices: Store<EndpointSlice>,
    nodes: Store<Node>,
    /// kube-proxy's ConfigMap as last got (none before the first answer).
    proxy_config: Arc<Mutex<Option<ProxyConfigMap>>>,
    pub health: Arc<Health>,
}

impl Live {
    /// How many objects of each kind the stores hold, in `KINDS`' order.
    pub fn counts(&self) -> [usize; 3] {
        [self.services.len(), self.slices.len(), self.nodes.len()]
    }

    /// kube-proxy's ConfigMap as last got.
    pub fn proxy_config(&self) -> Option<ProxyConfigMap> {
        lock(&self.proxy_config).clone()
    }

    /// The objects as they are now, in the shape `input` reads from
    /// files (each kind in the order of its keys, as a list gives it).
    pub fn cluster(&self) -> Cluster {
        Cluster {
            services: sorted(&self.services),
            slices: sorted(&self.slices),
            nodes: sorted(&self.nodes),
            proxy_config: self.proxy_config(),
            skipped: 0,
        }
    }
}

fn sorted<K>(store: &Store<K>) -> Vec<K>
where
    K: kube::Resource<DynamicType = ()> + Clone,
{
    let mut v: Vec<K> = store.state().iter().map(|k| (**k).clone()).collect();
    fn key<K: kube::Resource>(k: &K) -> (Option<&str>, Option<&str>) {
        (k.meta().namespace.as_deref(), k.meta().name.as_deref())
    }
    v.sort_by(|a, b| key(a).cmp(&key(b)));
    v
}

/// Connect as `api::read` does, then start the three watches: the stores
/// to read, and the future that drives the watches (it never ends).
pub async fn start(
    source: &Source<'_>,
) -> Result<(Live, impl Future<Output = ()> + Send + 'static), String> {
    let config = config(source).await?;
    let server = config.cluster_url.to_string();
    let server = server.trim_end_matches('/').to_string();
    let health = Arc::new(Health::default());
    let builder =
        ClientBuilder::try_from(config).map_err(|e| explain(&e, "connect", "", &server))?;
    let client = builder.with_layer(&Answers(health.clone())).build();
    let proxied = watcher::Config::default()
        .labels(PROXY_SELECTOR)
        .timeout(WATCH_SECONDS);
    // As kube-proxy: its own Node only, by name, when the name is known.
    let nodes = match source.node {
        Some(name) => watcher::Config::default().fields(&format!("metadata.name={name}")),
        None => watcher::Config::default(),
    }
    .timeout(WATCH_SECONDS);
    let (services, w0) = reflector::store();
    let (slices, w1) = reflector::store();
    let (node_store, w2) = reflector::store();
    let h = health.clone();
    let kept = Arc::new(Mutex::new(None));
    let slot = kept.clone();
    let run = async move {
        futures::join!(
            watch::<Service>(&client, proxied.clone(), w0, &h, 0, SERVICES, &server),
            watch::<EndpointSlice>(&client, proxied, w1, &h, 1, ENDPOINTSLICES, &server),
            watch::<Node>(&client, nodes, w2, &h, 2, NODES, &server),
            keep_proxy_config(&client, &slot, &h, &server),
        );
    };
    let live = Live {
        services,
        slices,
        nodes: node_store,
        proxy_config: kept,
        health,
    };
    Ok((live, run))
}

/// One kind's watch into its store, its events counted in `health`.
async fn watch<K>(
    client: &Client,
    config: watcher::Config,
    writer: reflector::store::Writer<K>,
    health: &Health,
    i: usize,
    resource: &str,
    server: &str,
) where
    K: kube::Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
{
    let api: Api<K> = Api::all(client.clone());
    let kind = &health.kinds[i];
    let events = watcher(api, config).default_backoff().reflect(writer);
    futures::pin_mut!(events);
    while let Some(event) = events.next().await {
        match event {
            Ok(watcher::Event::Init) => {
                if kind.inits.fetch_add(1, Ordering::Relaxed) > 0 {
                    kind.restarts.fetch_add(1, Ordering::Relaxed);
                }
            }
            Ok(e) => {
                if matches!(e, watcher::Event::InitDone) {
                    kind.listed.store(true, Ordering::Relaxed);
                }
                if !matches!(e, watcher::Event::InitApply(_)) {
                    health.generation.fetch_add(1, Ordering::Relaxed);
                }
                kind.ok();
            }
            Err(e) => {
                kind.errors.fetch_add(1, Ordering::Relaxed);
                kind.current.store(false, Ordering::Relaxed);
                *lock(&kind.last_error) = describe(&e, resource, server);
            }
        }
    }
}

/// kube-proxy's ConfigMap got now and every `CONFIG_EVERY`; a change
/// moves the generation, as an object's does. A failed get keeps what
/// was got before (the watches' health tells an unreachable server).
async fn keep_proxy_config(
    client: &Client,
    slot: &Mutex<Option<ProxyConfigMap>>,
    health: &Health,
    server: &str,
) {
    loop {
        if let Ok(map) = proxy_config(client, server).await {
            let mut kept = lock(slot);
            if kept.as_ref() != Some(&map) {
                *kept = Some(map);
                health.generation.fetch_add(1, Ordering::Relaxed);
            }
        }
        tokio::time::sleep(CONFIG_EVERY).await;
    }
}

/// A watcher's error as `--k8s-api` words the client's.
fn describe(e: &watcher::Error, resource: &str, server: &str) -> String {
    match e {
        watcher::Error::InitialListFailed(k) => explain(k, "list", resource, server),
        watcher::Error::WatchStartFailed(k) | watcher::Error::WatchFailed(k) => {
            explain(k, "watch", resource, server)
        }
        watcher::Error::WatchError(s) => format!(
            "the API server ended the watch of {resource} with {} {}",
            s.code, s.message
        ),
        e => format!("watch of {resource}: {e}"),
    }
}

/// The kind a request's path is about, by its last segment.
fn kind_of(path: &str) -> Option<usize> {
    let last = path.rsplit('/').next()?;
    KINDS.iter().position(|k| *k == last)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A layer of the client that tells each kind's health when the API
/// server answered a request about it with 2xx: a watch made again after
/// an error says nothing more until an object changes, so without this a
/// recovered watch of a quiet kind would look stale.
#[derive(Clone)]
struct Answers(Arc<Health>);

impl<S> tower_layer::Layer<S> for Answers {
    type Service = AnswersService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        AnswersService {
            inner,
            health: self.0.clone(),
        }
    }
}

#[derive(Clone)]
struct AnswersService<S> {
    inner: S,
    health: Arc<Health>,
}

type Answer<R, E> = Pin<Box<dyn Future<Output = Result<R, E>> + Send>>;

impl<S, B, RB> tower_service::Service<Request<B>> for AnswersService<S>
where
    S: tower_service::Service<Request<B>, Response = Response<RB>>,
    S::Future: Send + 'static,
{
    type Response = Response<RB>;
    type Error = S::Error;
    type Future = Answer<Response<RB>, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let kind = kind_of(req.uri().path());
        let health = self.health.clone();
        let answer = self.inner.call(req);
        Box::pin(async move {
            let r = answer.await;
            if let (Some(i), Ok(resp)) = (kind, &r) {
                if resp.status().is_success() {
                    health.kinds[i].ok();
                }
            }
            r
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_name_their_kind() {
        assert_eq!(kind_of("/api/v1/services"), Some(0));
        assert_eq!(kind_of("/apis/discovery.k8s.io/v1/endpointslices"), Some(1));
        assert_eq!(kind_of("/api/v1/nodes"), Some(2));
        assert_eq!(kind_of("/version"), None);
    }

    #[test]
    fn age_is_none_while_current_and_grows_after_an_error() {
        let start = Instant::now();
        let k = KindHealth::default();
        assert!(k.age(start) >= 0.0);
        k.ok();
        assert_eq!(k.age(start), 0.0);
        k.current.store(false, Ordering::Relaxed);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(k.age(start) >= 0.02);
        k.ok();
        assert_eq!(k.age(start), 0.0);
    }
}
