//! What ships to run in a cluster (issue 27, packaging/kubernetes and
//! packaging/prometheus): every manifest read into k8s-openapi's types and
//! written back unchanged (a field the types do not know would be lost, so
//! an unknown or misplaced field fails), the DaemonSet's security settings
//! and the exporter's arguments as our own parser reads them, RBAC no
//! wider than the exporter's reads, the ServiceMonitor pointed at the
//! Service; the alert rules through Debian's promtool (`check rules`, and
//! `test rules` with the shipped tests).

use std::process::Command;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Namespace, Service, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::bed::repo;

fn documents(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(repo().join(path)).unwrap();
    serde_saphyr::from_multiple::<Value>(&text).unwrap()
}

/// `doc` as `K`, which must write it back as it was.
fn typed<K: DeserializeOwned + Serialize>(doc: &Value) -> K {
    let k: K =
        serde_json::from_value(doc.clone()).unwrap_or_else(|e| panic!("{}: {e}", doc["kind"]));
    let back = serde_json::to_value(&k).unwrap();
    assert_eq!(
        &back, doc,
        "{} is not all k8s-openapi's fields",
        doc["kind"]
    );
    k
}

#[test]
fn the_manifests_are_kubernetes_objects_and_ask_no_more_than_needed() {
    let docs = documents("packaging/kubernetes/ipvsadm-exporter.yaml");
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "Namespace",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "DaemonSet",
            "Service"
        ]
    );
    let _: Namespace = typed(&docs[0]);
    let account: ServiceAccount = typed(&docs[1]);
    let role: ClusterRole = typed(&docs[2]);
    let binding: ClusterRoleBinding = typed(&docs[3]);
    let config_role: Role = typed(&docs[4]);
    let config_binding: RoleBinding = typed(&docs[5]);
    let ds: DaemonSet = typed(&docs[6]);
    let service: Service = typed(&docs[7]);

    // In kube-system, `get` on kube-proxy's ConfigMap and nothing else.
    assert_eq!(
        config_role.metadata.namespace.as_deref(),
        Some("kube-system")
    );
    let rules = config_role.rules.unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].api_groups.as_deref(), Some(&[String::new()][..]));
    assert_eq!(
        rules[0].resources.as_deref(),
        Some(&["configmaps".to_string()][..])
    );
    assert_eq!(
        rules[0].resource_names.as_deref(),
        Some(&["kube-proxy".to_string()][..])
    );
    assert_eq!(rules[0].verbs, ["get"]);
    assert_eq!(
        config_binding.role_ref.name,
        config_role.metadata.name.unwrap()
    );
    let subject = &config_binding.subjects.unwrap()[0];
    assert_eq!(Some(&subject.name), account.metadata.name.as_ref());
    assert_eq!(subject.namespace, account.metadata.namespace);

    // Reading only: get, list and watch on the three kinds; the two
    // reviews kube-rbac-proxy makes.
    let mut grants: Vec<String> = Vec::new();
    for r in role.rules.unwrap() {
        for g in r.api_groups.unwrap() {
            for res in r.resources.clone().unwrap() {
                grants.push(format!("{g}/{res}: {}", r.verbs.join(",")));
            }
        }
    }
    grants.sort();
    assert_eq!(
        grants,
        [
            "/nodes: get,list,watch",
            "/services: get,list,watch",
            "authentication.k8s.io/tokenreviews: create",
            "authorization.k8s.io/subjectaccessreviews: create",
            "discovery.k8s.io/endpointslices: get,list,watch",
        ]
    );
    let subject = &binding.subjects.unwrap()[0];
    assert_eq!(Some(&subject.name), account.metadata.name.as_ref());
    assert_eq!(subject.namespace, account.metadata.namespace);

    let pod = ds.spec.template.spec.unwrap();
    assert_eq!(pod.host_network, Some(true));
    assert_eq!(pod.service_account_name, account.metadata.name);
    let tolerations = pod.tolerations.unwrap();
    assert_eq!(tolerations[0].operator.as_deref(), Some("Exists"));
    assert!(tolerations[0].key.is_none(), "every taint tolerated");
    let exporter = &pod.containers[0];
    let sc = exporter.security_context.clone().unwrap();
    assert_eq!(sc.allow_privilege_escalation, Some(false));
    assert_eq!(sc.read_only_root_filesystem, Some(true));
    let caps = sc.capabilities.unwrap();
    assert_eq!(caps.drop.unwrap(), ["ALL"]);
    assert_eq!(caps.add.unwrap(), ["NET_ADMIN"]);
    let env = exporter.env.clone().unwrap();
    let node = env.iter().find(|e| e.name == "NODE_NAME").unwrap();
    let field = node.value_from.clone().unwrap().field_ref.unwrap();
    assert_eq!(field.field_path, "spec.nodeName");
    let resources = exporter.resources.clone().unwrap();
    assert!(resources.requests.is_some() && resources.limits.is_some());

    // The exporter's arguments, as our parser reads them: loopback only.
    let mut argv = vec!["ipvsadm".to_string()];
    argv.extend(exporter.args.clone().unwrap());
    let names = ipvsadm::resolve::Table::default();
    let inv = ipvsadm::cli::parse::parse_invocation(&argv, &names).unwrap();
    match inv.command {
        ipvsadm::cli::Command::Exporter(a) => assert!(a.listen.ip().is_loopback()),
        c => panic!("not the exporter: {c:?}"),
    }

    // The Service finds the pods and names the port kube-rbac-proxy serves.
    let labels = ds_labels(&docs[6]);
    let selector = service.spec.clone().unwrap().selector.unwrap();
    assert!(selector.iter().all(|(k, v)| labels.get(k) == Some(v)));
    let port = &service.spec.unwrap().ports.unwrap()[0];
    let proxy = &pod.containers[1];
    let served = proxy.ports.clone().unwrap()[0].name.clone();
    assert_eq!(served.as_deref(), Some("https"));
    assert_eq!(port.name.as_deref(), Some("https"));

    // The ServiceMonitor selects that Service by its labels and port.
    let monitor = &documents("packaging/kubernetes/servicemonitor.yaml")[0];
    assert_eq!(monitor["apiVersion"], "monitoring.coreos.com/v1");
    let want = &monitor["spec"]["selector"]["matchLabels"];
    let have = serde_json::to_value(&service.metadata.labels).unwrap();
    for (k, v) in want.as_object().unwrap() {
        assert_eq!(&have[k], v, "ServiceMonitor selector {k}");
    }
    assert_eq!(monitor["spec"]["endpoints"][0]["port"], "https");
}

fn ds_labels(doc: &Value) -> std::collections::BTreeMap<String, String> {
    serde_json::from_value(doc["spec"]["template"]["metadata"]["labels"].clone()).unwrap()
}

#[test]
fn the_alert_rules_pass_promtool_and_their_tests() {
    let dir = repo().join("packaging/prometheus");
    for args in [
        ["check", "rules", "ipvsadm-alerts.yml"],
        ["test", "rules", "ipvsadm-alerts.test.yml"],
    ] {
        let out = Command::new("promtool")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("promtool (Debian's prometheus package)");
        assert!(
            out.status.success(),
            "promtool {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
