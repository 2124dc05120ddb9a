//! The cluster's objects from the API server (`--k8s-api`, issue 27): the
//! Services, EndpointSlices and Nodes `input` reads from kubectl's files,
//! listed instead with kube-rs, into the same `Cluster`. The server and
//! the credentials are found as kubectl finds them (kube's `Config`: a
//! named kubeconfig, else `KUBECONFIG` or `~/.kube/config`, else the pod's
//! service account). The lists are filtered as kube-proxy's informers
//! filter them (a label selector) and paged as kubectl pages (500 a
//! page, a full list when a continue token has expired). Every failure is
//! one line naming what was refused or could not be reached. The rest of
//! the tool is synchronous: a current-thread runtime lives only as long as
//! one `read`.

use std::error::Error as StdError;
use std::fmt::Debug;
use std::time::Duration;

use k8s_openapi::api::core::v1::{ConfigMap, Node, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::api::ListParams;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Api, Client, Config};
use serde::de::DeserializeOwned;

use super::input::{Cluster, ProxyConfigMap, PROXY_CONFIG_NAME, PROXY_CONFIG_NAMESPACE};

/// Where to read from: kubectl's `--kubeconfig` and `--context`, and the
/// Node this host is when `--node` names it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Source<'a> {
    pub kubeconfig: Option<&'a str>,
    pub context: Option<&'a str>,
    pub node: Option<&'a str>,
}

/// Objects a page, as kubectl's default `--chunk-size`.
pub const PAGE: u32 = 500;

/// kube-proxy's selector for Services and EndpointSlices: none handed to
/// another proxy, none of a headless Service.
pub const PROXY_SELECTOR: &str =
    "!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless";

/// How long to wait for a connection, and for each answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// A bound on the objects of one kind: a server paging without end is
/// refused rather than followed until memory runs out.
const MAX_OBJECTS: usize = 2_000_000;

/// The resources listed, as RBAC names them (`resource.group`).
pub(super) const SERVICES: &str = "services";
pub(super) const ENDPOINTSLICES: &str = "endpointslices.discovery.k8s.io";
pub(super) const NODES: &str = "nodes";
pub(super) const CONFIGMAPS: &str = "configmaps";

/// Read the three kinds, or say in one line why not.
pub fn read(source: &Source) -> Result<Cluster, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the API client: {e}"))?;
    runtime.block_on(read_async(source))
}

async fn read_async(source: &Source<'_>) -> Result<Cluster, String> {
    let config = config(source).await?;
    let server = config.cluster_url.to_string();
    let server = server.trim_end_matches('/').to_string();
    let client = Client::try_from(config).map_err(|e| explain(&e, "connect", "", &server))?;
    let proxied = ListParams::default().labels(PROXY_SELECTOR);
    let services = list_all::<Service>(&client, proxied.clone(), SERVICES, &server).await?;
    let slices = list_all::<EndpointSlice>(&client, proxied, ENDPOINTSLICES, &server).await?;
    // As kube-proxy: its own Node only, by name, when the name is known;
    // else all of them, and `this_node` finds it by its addresses.
    let nodes = match source.node {
        Some(name) => ListParams::default().fields(&format!("metadata.name={name}")),
        None => ListParams::default(),
    };
    let nodes = list_all::<Node>(&client, nodes, NODES, &server).await?;
    let proxy_config = Some(proxy_config(&client, &server).await?);
    Ok(Cluster {
        services,
        slices,
        nodes,
        proxy_config,
        skipped: 0,
    })
}

/// The client's configuration, found as kubectl finds it.
pub(super) async fn config(source: &Source<'_>) -> Result<Config, String> {
    let options = KubeConfigOptions {
        context: source.context.map(str::to_string),
        ..KubeConfigOptions::default()
    };
    let mut config = match source.kubeconfig {
        Some(path) => {
            let file = Kubeconfig::read_from(path)
                .map_err(|e| format!("--kubeconfig {path}: {}", innermost(&e)))?;
            Config::from_custom_kubeconfig(file, &options)
                .await
                .map_err(|e| format!("--kubeconfig {path}: {}", chain(&e)))?
        }
        None if source.context.is_some() => Config::from_kubeconfig(&options)
            .await
            .map_err(|e| format!("cannot load the kubeconfig: {}", chain(&e)))?,
        None => Config::infer().await.map_err(|e| {
            format!(
                "cannot find the API server (no kubeconfig, not in a pod): {}",
                chain(&e)
            )
        })?,
    };
    config.connect_timeout = Some(CONNECT_TIMEOUT);
    config.read_timeout = Some(READ_TIMEOUT);
    Ok(config)
}

/// kube-proxy's ConfigMap, by a `get` of that one object (all its Role
/// allows). Its absence (another installer, kube-proxy configured by
/// flags) and a 403 are no failure of the read: the check says that the
/// configuration was not checked. Anything else is one.
pub async fn proxy_config(client: &Client, server: &str) -> Result<ProxyConfigMap, String> {
    let api: Api<ConfigMap> = Api::namespaced(client.clone(), PROXY_CONFIG_NAMESPACE);
    let what = format!("{CONFIGMAPS} {PROXY_CONFIG_NAMESPACE}/{PROXY_CONFIG_NAME}");
    let e = match api.get(PROXY_CONFIG_NAME).await {
        Ok(cm) => return Ok(ProxyConfigMap::Found(Box::new(cm))),
        Err(e) => e,
    };
    match &e {
        kube::Error::Api(s) if s.code == 404 => Ok(ProxyConfigMap::Unavailable(format!(
            "the API server has no {what}"
        ))),
        kube::Error::Api(s) if s.code == 403 => Ok(ProxyConfigMap::Unavailable(explain(
            &e, "get", &what, server,
        ))),
        _ => Err(explain(&e, "get", &what, server)),
    }
}

/// Every object of one kind, page by page. A continue token that has
/// expired (410 Gone) restarts the list once, whole, as kubectl does.
async fn list_all<K>(
    client: &Client,
    params: ListParams,
    resource: &str,
    server: &str,
) -> Result<Vec<K>, String>
where
    K: kube::Resource + Clone + DeserializeOwned + Debug,
    K::DynamicType: Default,
{
    let api: Api<K> = Api::all(client.clone());
    let mut params = params.limit(PAGE);
    let mut out = Vec::new();
    let mut restarted = false;
    loop {
        let page = match api.list(&params).await {
            Ok(page) => page,
            Err(kube::Error::Api(s))
                if s.code == 410 && params.continue_token.is_some() && !restarted =>
            {
                restarted = true;
                out.clear();
                params.continue_token = None;
                params.limit = None;
                continue;
            }
            Err(e) => return Err(explain(&e, "list", resource, server)),
        };
        out.extend(page.items);
        if out.len() > MAX_OBJECTS {
            return Err(format!(
                "the API server listed more than {MAX_OBJECTS} {resource}"
            ));
        }
        match page.metadata.continue_ {
            Some(token) if !token.is_empty() => params.continue_token = Some(token),
            _ => return Ok(out),
        }
    }
}

/// An error of the client as one line: what was refused or could not be
/// reached, and why.
pub(super) fn explain(e: &kube::Error, verb: &str, resource: &str, server: &str) -> String {
    match e {
        kube::Error::Api(s) if s.code == 401 => {
            format!("the API server at {server} refused the credentials (401 Unauthorized)")
        }
        kube::Error::Api(s) if s.code == 403 => {
            format!("the API server refused to {verb} {resource} (403 Forbidden)")
        }
        kube::Error::Api(s) => {
            let mut why = format!("the API server answered {verb} {resource} with {}", s.code);
            for part in [&s.reason, &s.message] {
                if !part.is_empty() {
                    why.push_str(&format!(" {part}"));
                }
            }
            why
        }
        kube::Error::SerdeError(d) => {
            format!("the API server's answer to {verb} {resource} is not a list of them: {d}")
        }
        _ if is_tls(e) => format!(
            "TLS failure with the API server at {server}: {}",
            innermost(e)
        ),
        kube::Error::Auth(_) => format!("cannot get credentials for {server}: {}", innermost(e)),
        _ => format!("cannot reach the API server at {server}: {}", innermost(e)),
    }
}

/// Each error in `e`'s chain, the wrapped error of an `io::Error`
/// included (its `source` skips it).
fn causes<'a>(e: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(e);
    while let Some(e) = next {
        out.push(e);
        next = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        };
    }
    out
}

/// Whether the failure was TLS's: the handshake, the certificate, or the
/// client's TLS configuration.
fn is_tls(e: &kube::Error) -> bool {
    matches!(e, kube::Error::RustlsTls(_))
        || causes(e)
            .iter()
            .any(|c| c.downcast_ref::<rustls::Error>().is_some())
}

/// The deepest cause's message, without Rust's " (os error N)".
pub fn innermost(e: &(dyn StdError + 'static)) -> String {
    let last = causes(e).last().map_or_else(String::new, |c| c.to_string());
    match last.find(" (os error ") {
        Some(i) => last[..i].to_string(),
        None => last,
    }
}

/// The messages of the chain, joined; for configuration errors, whose
/// outer messages say which file or step.
fn chain(e: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in causes(e) {
        let s = c.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
    }
    parts.join(": ")
}
