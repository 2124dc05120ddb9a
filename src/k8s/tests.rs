//! Unit tests of the reader and of the rules. The reader: the fixtures'
//! shapes (tests/fixtures/k8s/README.md says where each comes from), the
//! errors' places, and a property test that no truncated or mutated input
//! makes it panic. The rules: the fixture cluster's expected table on
//! each node, and one rule a test on a one-Service cluster.

use super::input::{read_files, read_str, Cluster, ReadError};
use crate::test_util::Rng;

pub(super) const LIST: &str = include_str!("../../tests/fixtures/k8s/cluster-list.json");
pub(super) const SERVICE: &str = include_str!("../../tests/fixtures/k8s/service.json");
pub(super) const NO_CONDITIONS: &str =
    include_str!("../../tests/fixtures/k8s/endpointslices-no-conditions.json");
pub(super) const NODE_LIST: &str = include_str!("../../tests/fixtures/k8s/nodes-list.json");

pub(super) fn read(texts: &[&str]) -> Cluster {
    let mut c = Cluster::default();
    for t in texts {
        read_str("fixture", t, &mut c).unwrap();
    }
    c
}

fn read_err(text: &str) -> ReadError {
    read_str("f.json", text, &mut Cluster::default()).unwrap_err()
}

#[test]
fn a_list_of_several_kinds() {
    let c = read(&[LIST]);
    assert_eq!(
        (c.services.len(), c.slices.len(), c.nodes.len(), c.skipped),
        (8, 8, 2, 0)
    );
    assert_eq!(c.services[0].metadata.name.as_deref(), Some("kubernetes"));
    assert_eq!(c.slices[1].ports.as_ref().unwrap().len(), 3);
}

#[test]
fn a_single_object_a_typed_list_and_a_list_of_one_kind() {
    let c = read(&[SERVICE, NODE_LIST, NO_CONDITIONS]);
    assert_eq!((c.services.len(), c.slices.len(), c.nodes.len()), (1, 1, 2));
    let e = &c.slices[0].endpoints.as_ref().unwrap()[0];
    assert!(e.conditions.is_none());
}

#[test]
fn other_kinds_are_skipped_and_unknown_fields_ignored() {
    let c = read(&[r#"{"apiVersion":"v1","kind":"List","items":[
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}},
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},"shinyNewField":{"a":[1]}}]}"#]);
    assert_eq!((c.nodes.len(), c.skipped), (1, 1));
}

#[test]
fn an_error_names_the_file_and_the_place_in_it() {
    // A syntax error on line 3.
    let e = read_err("{\n \"kind\": \"List\",\n \"items\": [,]\n}");
    assert_eq!((e.file.as_str(), e.line, e.column), ("f.json", 3, 12));
    assert!(
        e.to_string().starts_with("f.json: line 3 column 12: "),
        "{e}"
    );
    // A type error inside the second item: its place in the file, not in
    // the item.
    let text = "{\"kind\": \"List\", \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"Node\"},\n  {\"apiVersion\": \"v1\", \"kind\": \"Service\",\n   \"spec\": {\"ports\": 7}}]}";
    let e = read_err(text);
    assert_eq!(e.line, 4, "{e}");
    assert!(e.message.contains("invalid type"), "{e}");
    // An item of a kind we read, with a version we do not.
    let e = read_err(
        r#"{"kind":"List","items":[{"apiVersion":"discovery.k8s.io/v1beta1","kind":"EndpointSlice"}]}"#,
    );
    assert!(e.message.contains("discovery.k8s.io/v1"), "{e}");
    // Not UTF-8, and empty.
    let e = super::input::read_bytes("b", b"{\"kind\": \"\xff\"}", &mut Cluster::default())
        .unwrap_err();
    assert_eq!((e.line, e.column, e.message.as_str()), (1, 11, "not UTF-8"));
    assert_eq!(read_err("").line, 1);
}

#[test]
fn files_and_standard_input_read_once() {
    let mut stdin = SERVICE.as_bytes();
    let c = read_files(&["-".into(), "-".into()], &mut stdin).unwrap();
    assert_eq!(c.services.len(), 1);
    let e = read_files(&["/nonexistent/k8s.json".into()], &mut stdin).unwrap_err();
    assert_eq!((e.line, e.file.as_str()), (0, "/nonexistent/k8s.json"));
    assert!(e.to_string().starts_with("/nonexistent/k8s.json: "));
}

/// The one-pass reader makes the objects `k8s-openapi`'s own
/// deserialisers make, whatever the order of the keys: kubectl's (sorted,
/// `kind` before the fields) and reversed (every field before `kind`,
/// kept as text until it is known).
#[test]
fn one_pass_objects_are_k8s_openapis_in_any_key_order() {
    use k8s_openapi::api::core::v1::{Node, Service};
    use k8s_openapi::api::discovery::v1::EndpointSlice;
    use serde_json::Value;
    let list: Value = serde_json::from_str(LIST).unwrap();
    let items = list["items"].as_array().unwrap();
    let reversed = |item: &Value| {
        let fields: Vec<String> = item
            .as_object()
            .unwrap()
            .iter()
            .rev()
            .map(|(k, v)| format!("{}:{v}", Value::from(k.as_str())))
            .collect();
        format!("{{{}}}", fields.join(","))
    };
    for order in [Value::to_string, reversed] {
        let texts: Vec<String> = items.iter().map(order).collect();
        let doc = format!("{{\"kind\":\"List\",\"items\":[{}]}}", texts.join(","));
        let c = read(&[&doc]);
        let want = |kind: &'static str| items.iter().filter(move |i| i["kind"] == kind).cloned();
        let services: Vec<Service> = want("Service")
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        let slices: Vec<EndpointSlice> = want("EndpointSlice")
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        let nodes: Vec<Node> = want("Node")
            .map(|v| serde_json::from_value(v).unwrap())
            .collect();
        assert_eq!(c.services, services);
        assert_eq!(c.slices, slices);
        assert_eq!(c.nodes, nodes);
        assert!(!services.is_empty() && !slices.is_empty() && !nodes.is_empty());
    }
    // A field before the kind that does not parse: an error, not a skip.
    let e = read_err(r#"{"spec": {"ports": 7}, "kind": "Service"}"#);
    assert!(e.message.contains("invalid type"), "{e}");
}

/// The bound on the input is exact whatever the split between a file
/// and standard input: up to `limit` bytes in all are read, one more is
/// refused for its size (naming the input that went over), never read on.
#[test]
fn property_the_input_bound_is_exact() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let file = std::env::temp_dir().join(format!("ipvsadm-bound-{}.json", std::process::id()));
    let padded = |len: usize| {
        let mut t = SERVICE.trim_end().as_bytes().to_vec();
        t.resize(len.max(t.len()), b' ');
        t
    };
    let base = SERVICE.trim_end().len();
    for _ in 0..200 {
        let (a, b) = (base + rng.below(3000), base + rng.below(3000));
        let limit = (base + rng.below(6000)) as u64;
        std::fs::write(&file, padded(a)).unwrap();
        let stdin_text = padded(b);
        let paths = [file.to_str().unwrap().to_string(), "-".to_string()];
        let r = super::input::read_files_bounded(&paths, &mut stdin_text.as_slice(), limit);
        match r {
            Ok(c) => {
                assert!((a + b) as u64 <= limit, "{a}+{b} read within {limit}");
                assert_eq!(c.services.len(), 2);
            }
            Err(e) => {
                assert!((a + b) as u64 > limit, "{a}+{b} within {limit}: {e}");
                let over = if a as u64 > limit {
                    paths[0].as_str()
                } else {
                    "standard input"
                };
                assert_eq!(e.file, over);
                assert!(
                    e.message.starts_with(&format!("more than {limit} bytes")),
                    "{e}"
                );
            }
        }
    }
    let _ = std::fs::remove_file(&file);
}

/// Truncated and mutated fixtures never panic; a truncated document is
/// always an error, and every error's place lies inside the input.
#[test]
fn property_truncated_and_mutated_inputs_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let inputs = [LIST, SERVICE, NO_CONDITIONS, NODE_LIST];
    let junk = b"{}[]\",:0-e.tn \n\\\xff\xc3a";
    for _ in 0..600 {
        let text = rng.pick(&inputs).as_bytes();
        let end = text.trim_ascii_end().len();
        let cut = rng.below(end);
        let mut bytes = text[..cut].to_vec();
        let truncated = read(&bytes);
        assert!(truncated.is_err(), "cut at {cut} was accepted");
        check_place(&bytes, &truncated);
        bytes = text.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len());
            match rng.below(3) {
                0 => bytes[at] = rng.pick(junk),
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, rng.pick(junk)),
            }
        }
        let mutated = read(&bytes);
        check_place(&bytes, &mutated);
    }

    fn read(bytes: &[u8]) -> Result<(), ReadError> {
        super::input::read_bytes("p", bytes, &mut Cluster::default())
    }
    fn check_place(bytes: &[u8], r: &Result<(), ReadError>) {
        if let Err(e) = r {
            let lines = 1 + bytes.iter().filter(|&&b| b == b'\n').count();
            assert!(e.line >= 1 && e.line <= lines, "{e} in {lines} lines");
            assert!(e.column >= 1, "{e}");
        }
    }
}

// The rules: the expected table on a node of the fixture cluster.

use super::expect::{expected, node_addresses, this_node, AddressKind, ExpectedService, ThisNode};
use super::nodeport::Host;
use crate::cli::NodePortAddresses;
use crate::ipvs::ServiceId;
use std::net::IpAddr;

/// The named Node, on a host whose addresses are the Node's own (so that
/// its node ports are on them), at an unknown kube-proxy version.
pub(super) fn node(c: &Cluster, name: &str) -> ThisNode {
    let n = c
        .nodes
        .iter()
        .find(|n| n.metadata.name.as_deref() == Some(name));
    let addrs = n.map(node_addresses).unwrap_or_default();
    this_node(c, Some(name), &host(&addrs), &NodePortAddresses::default()).unwrap()
}

fn host(addrs: &[IpAddr]) -> Host<'_> {
    Host {
        addrs,
        kube_ipvs0: &[],
        secondary: &[],
    }
}

fn vs_text(id: &ServiceId) -> String {
    match id {
        ServiceId::Addr {
            protocol,
            addr,
            port,
        } => format!("{protocol:?} {}", sock(addr, *port)).to_uppercase(),
        ServiceId::Fwmark { mark, .. } => format!("FWM {mark}"),
    }
}

fn sock(addr: &IpAddr, port: u16) -> String {
    std::net::SocketAddr::new(*addr, port).to_string()
}

/// One line a virtual service: `TCP 10.96.0.1:443 rr [persistent N]
/// ns/name:port Kind [local] [no-local] -> addr:port wN ...`.
pub(super) fn lines(table: &[ExpectedService]) -> Vec<String> {
    table
        .iter()
        .map(|s| {
            let mut l = format!("{} {}", vs_text(&s.id), s.scheduler);
            if let Some(t) = s.persistence {
                l += &format!(" persistent {t}");
            }
            let r = &s.service;
            l += &format!(" {}/{}:{} {:?}", r.namespace, r.name, r.port_name, s.kind);
            if s.local {
                l += " local";
            }
            if s.no_local_endpoint {
                l += " no-local";
            }
            for d in &s.servers {
                l += &format!(" -> {} w{}", sock(&d.addr, d.port), d.weight);
            }
            l
        })
        .collect()
}

#[test]
fn the_fixture_cluster_on_node_a() {
    let c = read(&[LIST]);
    let got = lines(&expected(&c, &node(&c, "node-a")));
    let want = [
        // ClusterIP, a port named `https` whose endpoint has no node.
        "TCP 10.96.0.1:443 rr default/kubernetes:https ClusterIp -> 192.168.50.10:6443 w1",
        // Multi-port, named target ports: the slice's ports by name and
        // protocol (kube-proxy never reads targetPort).
        "UDP 10.96.0.10:53 rr kube-system/kube-dns:dns ClusterIp -> 10.244.1.5:53 w1 -> 10.244.2.7:53 w1",
        "TCP 10.96.0.10:53 rr kube-system/kube-dns:dns-tcp ClusterIp -> 10.244.1.5:53 w1 -> 10.244.2.7:53 w1",
        "TCP 10.96.0.10:9153 rr kube-system/kube-dns:metrics ClusterIp -> 10.244.1.5:9153 w1 -> 10.244.2.7:9153 w1",
        // Dual-stack NodePort with an external IP and affinity: the ready
        // endpoint at 1, the terminating one drained at 0, the not-ready
        // one absent; each family its own addresses and slices.
        "TCP 10.96.10.20:80 rr persistent 600 shop/web:http ClusterIp -> 10.244.1.8:8080 w1 -> 10.244.2.9:8080 w0",
        "TCP 198.51.100.7:80 rr persistent 600 shop/web:http ExternalIp -> 10.244.1.8:8080 w1 -> 10.244.2.9:8080 w0",
        "TCP 192.168.50.10:30080 rr persistent 600 shop/web:http NodePort -> 10.244.1.8:8080 w1 -> 10.244.2.9:8080 w0",
        "TCP 203.0.113.10:30080 rr persistent 600 shop/web:http NodePort -> 10.244.1.8:8080 w1 -> 10.244.2.9:8080 w0",
        "TCP [FD00:96::14]:80 rr persistent 600 shop/web:http ClusterIp -> [fd00:244:1::8]:8080 w1",
        "TCP [FD00::A]:30080 rr persistent 600 shop/web:http NodePort -> [fd00:244:1::8]:8080 w1",
        // LoadBalancer, externalTrafficPolicy Local, its only endpoint on
        // node-b: the cluster IP keeps it; the ingress (the `Proxy` one
        // gets nothing) and node ports fall back to the cluster's.
        "TCP 10.96.10.30:443 rr shop/lb: ClusterIp -> 10.244.2.11:8443 w1",
        "TCP 203.0.113.50:443 rr shop/lb: LoadBalancer local no-local -> 10.244.2.11:8443 w1",
        "TCP 192.168.50.10:31443 rr shop/lb: NodePort local no-local -> 10.244.2.11:8443 w1",
        "TCP 203.0.113.10:31443 rr shop/lb: NodePort local no-local -> 10.244.2.11:8443 w1",
        // internalTrafficPolicy Local: the local endpoint only.
        "TCP 10.96.10.40:8080 rr persistent 10800 shop/internal: ClusterIp local -> 10.244.1.12:8080 w1",
        // Headless `db` and ExternalName `ext`: nothing. No ready
        // endpoint: the serving terminating one is used.
        "TCP 10.96.10.50:80 rr shop/rolling: ClusterIp -> 10.244.1.20:8080 w1",
    ];
    assert_eq!(got, want);
}

#[test]
fn local_policies_use_this_nodes_endpoints() {
    let c = read(&[LIST]);
    let got = lines(&expected(&c, &node(&c, "node-b")));
    let find = |p: &str| got.iter().find(|l| l.starts_with(p)).unwrap().clone();
    assert_eq!(
        find("TCP 203.0.113.50:443"),
        "TCP 203.0.113.50:443 rr shop/lb: LoadBalancer local -> 10.244.2.11:8443 w1"
    );
    assert_eq!(
        find("TCP 10.96.10.40:8080"),
        "TCP 10.96.10.40:8080 rr persistent 10800 shop/internal: ClusterIp local -> 10.244.2.12:8080 w1"
    );
    // Node ports on node-b's own address; node-b has no IPv6 address.
    assert!(got
        .iter()
        .any(|l| l.starts_with("TCP 192.168.50.11:30080 ")));
    assert!(!got.iter().any(|l| l.contains("192.168.50.10:30080")));
    assert!(!got.iter().any(|l| l.starts_with("TCP [FD00::A]")));
}

#[test]
fn this_node_by_name_or_by_a_host_address() {
    let c = read(&[LIST]);
    let all = &NodePortAddresses::default();
    let by_addr = this_node(&c, None, &host(&["fd00::a".parse().unwrap()]), all).unwrap();
    assert_eq!(by_addr.name, "node-a");
    assert_eq!(by_addr.addresses.len(), 3, "InternalIP and ExternalIP");
    let elsewhere = ["10.0.0.1".parse().unwrap()];
    assert!(this_node(&c, None, &host(&elsewhere), all).is_none());
    assert!(this_node(&c, Some("node-c"), &host(&[]), all).is_none());
}

#[test]
fn primary_is_the_first_internal_ip_though_an_external_one_comes_first() {
    let c = read(
        &[r#"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},
        "status":{"addresses":[{"type":"ExternalIP","address":"203.0.113.9"},
            {"type":"Hostname","address":"n"},{"type":"InternalIP","address":"10.0.0.9"}]}}"#],
    );
    let want = NodePortAddresses::parse_flag("primary").unwrap();
    let addrs: Vec<IpAddr> = ["203.0.113.9", "10.0.0.9", "fd00::9"]
        .iter()
        .map(|a| a.parse().unwrap())
        .collect();
    let n = this_node(&c, None, &host(&addrs), &want).unwrap();
    assert_eq!(
        n.addresses,
        addrs[..2].iter().rev().copied().collect::<Vec<_>>()
    );
    let on: Vec<IpAddr> = n.node_ports.iter().map(|a| a.addr).collect();
    assert_eq!(on, [addrs[1], addrs[2]], "10.0.0.9, and IPv6 matching all");
}

/// A cluster from one Service (JSON of its `spec`) and one EndpointSlice's
/// endpoints, seen from node-a.
fn one(spec: &str, endpoints: &str) -> Vec<String> {
    let text = format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[
        {{"apiVersion":"v1","kind":"Service","metadata":{{"namespace":"t","name":"s"}},
          "spec":{spec}}},
        {{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","addressType":"IPv4",
          "metadata":{{"namespace":"t","name":"s-1","labels":{{"kubernetes.io/service-name":"s"}}}},
          "ports":[{{"port":8080}}],"endpoints":{endpoints}}}]}}"#
    );
    let c = read(&[&text, NODE_LIST]);
    lines(&expected(&c, &node(&c, "node-a")))
}

const REMOTE_READY: &str =
    r#"[{"addresses":["10.244.2.5"],"nodeName":"node-b","conditions":{"ready":true}}]"#;

/// One rule a case: the Service's spec, its endpoints, the table on node-a.
#[test]
fn one_service_rules() {
    let local_eps = r#"[{"addresses":["10.244.1.5"],"nodeName":"node-a","conditions":{"ready":true}},
        {"addresses":["10.244.1.6"],"nodeName":"node-a","conditions":{"ready":false,"serving":true,"terminating":true}},
        {"addresses":["10.244.2.5"],"nodeName":"node-b"}]"#;
    let plain: &[&str] = &["TCP 10.96.1.1:80 rr t/s: ClusterIp -> 10.244.2.5:8080 w1"];
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "affinity without a timeout has the default",
            r#"{"clusterIP":"10.96.1.1","sessionAffinity":"ClientIP","ports":[{"port":80}]}"#,
            REMOTE_READY,
            &["TCP 10.96.1.1:80 rr persistent 10800 t/s: ClusterIp -> 10.244.2.5:8080 w1"],
        ),
        (
            "both policies Local: no cluster-wide endpoints to fall back on",
            r#"{"type":"NodePort","clusterIP":"10.96.1.1","internalTrafficPolicy":"Local",
                "externalTrafficPolicy":"Local","ports":[{"port":80,"nodePort":30001}]}"#,
            REMOTE_READY,
            &[
                "TCP 10.96.1.1:80 rr t/s: ClusterIp local no-local",
                "TCP 192.168.50.10:30001 rr t/s: NodePort local no-local",
                "TCP 203.0.113.10:30001 rr t/s: NodePort local no-local",
            ],
        ),
        (
            "externalTrafficPolicy of a ClusterIP Service without external IPs does not apply",
            r#"{"clusterIP":"10.96.1.1","externalTrafficPolicy":"Local","ports":[{"port":80}]}"#,
            REMOTE_READY,
            plain,
        ),
        (
            "a numeric targetPort: the slice's port number is what counts",
            r#"{"clusterIP":"10.96.1.1","ports":[{"port":80,"targetPort":9999,"protocol":"TCP"}]}"#,
            REMOTE_READY,
            plain,
        ),
        (
            "a local ready endpoint wins over a local terminating one, drained",
            r#"{"clusterIP":"10.96.1.1","internalTrafficPolicy":"Local","ports":[{"port":80}]}"#,
            local_eps,
            &["TCP 10.96.1.1:80 rr t/s: ClusterIp local -> 10.244.1.5:8080 w1 -> 10.244.1.6:8080 w0"],
        ),
    ];
    for (what, spec, eps, want) in cases {
        assert_eq!(one(spec, eps), *want, "{what}");
    }
}

#[test]
fn skipped_services() {
    // Another proxy's Service; an unset clusterIP; ExternalName.
    let spec = r#"{"clusterIP":"10.96.1.1","ports":[{"port":80}]}"#;
    let text = format!(
        r#"{{"kind":"List","items":[
        {{"apiVersion":"v1","kind":"Service","metadata":{{"namespace":"t","name":"a",
          "labels":{{"service.kubernetes.io/service-proxy-name":"other"}}}},"spec":{spec}}},
        {{"apiVersion":"v1","kind":"Service","metadata":{{"namespace":"t","name":"b"}},"spec":{{"ports":[{{"port":80}}]}}}},
        {{"apiVersion":"v1","kind":"Service","metadata":{{"namespace":"t","name":"c"}},"spec":{{"type":"ExternalName","externalName":"x.example"}}}}]}}"#
    );
    let c = read(&[&text, NODE_LIST]);
    assert!(expected(&c, &node(&c, "node-a")).is_empty());
}

#[test]
fn slices_without_conditions_are_ready() {
    let svc = r#"{"apiVersion":"v1","kind":"Service","metadata":{"namespace":"shop","name":"legacy"},
        "spec":{"clusterIP":"10.96.20.1","ports":[{"name":"http","port":80,"targetPort":"http"}]}}"#;
    let c = read(&[svc, NO_CONDITIONS, NODE_LIST]);
    assert_eq!(
        lines(&expected(&c, &node(&c, "node-a"))),
        ["TCP 10.96.20.1:80 rr shop/legacy:http ClusterIp -> 10.244.1.30:8080 w1 -> 10.244.2.30:8080 w1"]
    );
}

#[test]
fn the_kinds_of_address() {
    let c = read(&[LIST]);
    let t = expected(&c, &node(&c, "node-a"));
    for k in [
        AddressKind::ClusterIp,
        AddressKind::ExternalIp,
        AddressKind::LoadBalancer,
        AddressKind::NodePort,
    ] {
        assert!(t.iter().any(|s| s.kind == k), "{k:?}");
    }
}

/// `one`, with node-a in zone-1 (its `topology.kubernetes.io/zone`).
fn zoned(endpoints: &str) -> Vec<String> {
    let spec =
        r#"{"clusterIP":"10.96.1.1","ports":[{"port":80}],"trafficDistribution":"PreferClose"}"#;
    let text = format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[
        {{"apiVersion":"v1","kind":"Node","metadata":{{"name":"node-a",
          "labels":{{"topology.kubernetes.io/zone":"zone-1"}}}},
          "status":{{"addresses":[{{"type":"InternalIP","address":"192.168.50.10"}}]}}}},
        {{"apiVersion":"v1","kind":"Service","metadata":{{"namespace":"t","name":"s"}},
          "spec":{spec}}},
        {{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","addressType":"IPv4",
          "metadata":{{"namespace":"t","name":"s-1","labels":{{"kubernetes.io/service-name":"s"}}}},
          "ports":[{{"port":8080}}],"endpoints":{endpoints}}}]}}"#
    );
    let c = read(&[&text]);
    lines(&expected(&c, &node(&c, "node-a")))
}

/// Topology hints, as kube-proxy's `topologyModeFromHints` reads them.
#[test]
fn topology_hints_narrow_the_clusters_endpoints() {
    let e = |last: u8, node: &str, ready: bool, zones: &str, nodes: &str| {
        format!(
            r#"{{"addresses":["10.244.0.{last}"],"nodeName":"{node}","conditions":{{"ready":{ready}}},
               "hints":{{"forZones":[{zones}],"forNodes":[{nodes}]}}}}"#
        )
    };
    let z = |name: &str| format!(r#"{{"name":"{name}"}}"#);
    let list = |eps: &[String]| format!("[{}]", eps.join(","));
    let rule = |lasts: &[u8]| {
        let servers: Vec<String> = lasts
            .iter()
            .map(|l| format!("-> 10.244.0.{l}:8080 w1"))
            .collect();
        vec![format!(
            "TCP 10.96.1.1:80 rr t/s: ClusterIp {}",
            servers.join(" ")
        )]
    };
    let cases: &[(&str, Vec<String>, Vec<String>)] = &[
        (
            "zone hints that cover this zone: that zone's only",
            vec![
                e(1, "node-a", true, &z("zone-1"), ""),
                e(2, "node-b", true, &z("zone-2"), ""),
                e(3, "node-c", true, &z("zone-1"), ""),
            ],
            rule(&[1, 3]),
        ),
        (
            "no hint for this zone: all of them",
            vec![
                e(1, "node-b", true, &z("zone-2"), ""),
                e(2, "node-b", true, &z("zone-3"), ""),
            ],
            rule(&[1, 2]),
        ),
        (
            "a ready endpoint without a hint: all of them",
            vec![
                e(1, "node-a", true, &z("zone-1"), ""),
                e(2, "node-b", true, "", ""),
            ],
            rule(&[1, 2]),
        ),
        (
            "the only hint for this zone on an endpoint not ready: all ready ones",
            vec![
                e(1, "node-a", false, &z("zone-1"), ""),
                e(2, "node-b", true, &z("zone-2"), ""),
            ],
            rule(&[2]),
        ),
        (
            "node hints before zone hints",
            vec![
                e(1, "node-a", true, &z("zone-1"), &z("node-a")),
                e(2, "node-c", true, &z("zone-1"), &z("node-c")),
            ],
            rule(&[1]),
        ),
        (
            "node hints for other nodes only: the zone's",
            vec![
                e(1, "node-b", true, &z("zone-1"), &z("node-b")),
                e(2, "node-c", true, &z("zone-2"), &z("node-c")),
            ],
            rule(&[1]),
        ),
    ];
    for (what, eps, want) in cases {
        assert_eq!(zoned(&list(eps)), *want, "{what}");
    }
}

pub(super) const PROXY_CONFIG: &str =
    include_str!("../../tests/fixtures/k8s/kube-proxy-configmap.json");

#[test]
fn kube_proxys_configmap_is_kept_and_other_configmaps_skipped() {
    use super::input::ProxyConfigMap;
    use super::proxyconfig::of_map;
    let other = r#"{"apiVersion":"v1","kind":"List","items":[
        {"apiVersion":"v1","data":{"config.conf":"mode: ipvs"},"kind":"ConfigMap",
         "metadata":{"name":"kube-proxy","namespace":"default"}},
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"coredns","namespace":"kube-system"}}]}"#;
    let c = read(&[LIST, other]);
    assert_eq!((c.proxy_config.is_none(), c.skipped), (true, 2));
    let c = read(&[LIST, PROXY_CONFIG, other]);
    let Some(ProxyConfigMap::Found(map)) = &c.proxy_config else {
        panic!("no ConfigMap: {:?}", c.proxy_config);
    };
    let config = of_map(&ProxyConfigMap::Found(map.clone())).unwrap();
    assert_eq!(
        (
            config.mode.as_str(),
            config.scheduler.as_str(),
            config.strict_arp
        ),
        ("ipvs", "rr", true)
    );
    assert_eq!(config.timeouts, [0, 0, 0]);
    // A ConfigMap of another apiVersion is refused as the other kinds are.
    let bad = PROXY_CONFIG.replace("\"apiVersion\": \"v1\"", "\"apiVersion\": \"v2\"");
    assert!(read_str("f.json", &bad, &mut Cluster::default()).is_err());
}
