//! Where `--k8s` and `--k8s-api` take the cluster's objects from: the
//! files kubectl wrote (`k8s::input`) or the API server (`k8s::api`, only
//! in a build with the `kube` feature; elsewhere `--k8s-api` is an
//! error). Either way the same `Cluster`, told apart nowhere after.

use std::io::BufRead;

use crate::cli::KubeArgs;
use crate::k8s::input::{read_files, Cluster};

/// The cluster's objects, or the one-line error to tell.
pub(super) fn read(kube: &KubeArgs, stdin: &mut dyn BufRead) -> Result<Cluster, String> {
    match &kube.api {
        Some(api) => from_api(api, kube.node.as_deref()),
        None => read_files(&kube.files, stdin).map_err(|e| e.to_string()),
    }
}

#[cfg(feature = "kube")]
fn from_api(api: &crate::cli::ApiSource, node: Option<&str>) -> Result<Cluster, String> {
    crate::k8s::api::read(&crate::k8s::api::Source {
        kubeconfig: api.kubeconfig.as_deref(),
        context: api.context.as_deref(),
        node,
    })
}

#[cfg(not(feature = "kube"))]
fn from_api(_: &crate::cli::ApiSource, _: Option<&str>) -> Result<Cluster, String> {
    Err(
        "--k8s-api: this ipvsadm was built without the API server's client \
         (cargo build --features kube)"
            .to_string(),
    )
}
