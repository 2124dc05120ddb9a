//! `--k8s-api` (issue 27) against the project's own test API server
//! (tests/apiserver/serve: HTTPS, a bearer token, paged lists) serving the
//! cluster tests/kernel/k8s-cluster generates: the same objects as a
//! kubectl dump of that server read with `--k8s FILE`, the same report,
//! paging, kube-proxy's label selector, and each failure's one line and
//! exit status 2. Also `--k8s`'s bound on its input. Without the `kube`
//! feature, only that `--k8s-api` is refused clearly.

use crate::k8s::ours as ours_with_stdin;

/// Run ours; (stdout, stderr, status).
fn ours(args: &[&str]) -> (String, String, i32) {
    ours_with_stdin(args, "")
}

/// The generous bound of `--k8s`: /dev/zero is an error, not a process
/// the kernel kills, and quickly.
#[test]
fn k8s_endless_input_is_refused_at_the_bound() {
    for cmd in ["--check", "-Ln"] {
        let (out, err, rc) = ours(&[cmd, "--k8s", "/dev/zero"]);
        assert_eq!(
            (out.as_str(), err.as_str(), rc),
            (
                "",
                "ipvsadm: /dev/zero: more than 256 MiB of cluster objects (the limit of \
                 --k8s; an endless input such as kubectl get -w is not a file)\n",
                2
            )
        );
    }
}

#[cfg(not(feature = "kube"))]
#[test]
fn k8s_api_without_the_feature_is_a_clear_error() {
    let (out, err, rc) = ours(&["--check", "--k8s-api"]);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "ipvsadm: --k8s-api: this ipvsadm was built without the API server's client \
         (cargo build --features kube)\n"
    );
    assert_eq!(rc, 2);
}

#[cfg(feature = "kube")]
pub(crate) mod server {
    use std::io::{BufRead, BufReader};
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Stdio};

    use crate::bed::repo;

    /// A fresh folder for one test.
    pub fn scratch(tag: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("kubeapi-{tag}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A test's folder, the server serving the generated cluster (`n`
    /// more Services) with `extra` options, its kubeconfig, and kubectl's
    /// dump of the same objects.
    pub struct Served {
        pub dir: PathBuf,
        pub server: Server,
        pub kubeconfig: String,
        pub dump: String,
    }

    pub fn served(tag: &str, n: usize, extra: &[&str]) -> Served {
        let dir = scratch(tag);
        let objects = cluster(&dir, n);
        let dump = dir.join("dump.json");
        kubectl_dump(&objects, &dump);
        let server = Server::start(&dir, &[&objects[0], &objects[1], &objects[2]], extra);
        Served {
            kubeconfig: server.kubeconfig("kubeconfig"),
            dump: dump.to_str().unwrap().to_string(),
            dir,
            server,
        }
    }

    /// The test API server, stopped when dropped (its standard input
    /// closes).
    pub struct Server {
        pub dir: PathBuf,
        pub port: u16,
        child: Child,
    }

    impl Server {
        pub fn start(dir: &Path, objects: &[&Path], extra: &[&str]) -> Server {
            let mut c = Command::new("python3");
            c.arg(repo().join("tests/apiserver/serve"))
                .arg(dir.join("srv"))
                .args(objects)
                .args(extra)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped());
            let mut child = c.spawn().expect("python3");
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            let port = line
                .strip_prefix("listening ")
                .and_then(|p| p.trim().parse().ok())
                .unwrap_or_else(|| panic!("test API server: {line:?}"));
            Server {
                dir: dir.join("srv"),
                port,
                child,
            }
        }

        pub fn kubeconfig(&self, name: &str) -> String {
            self.dir.join(name).to_str().unwrap().to_string()
        }

        /// A command of the server's (`apply JSON`, `delete JSON`,
        /// `compact`, `drop`).
        pub fn command(&mut self, line: &str) {
            use std::io::Write;
            let stdin = self.child.stdin.as_mut().unwrap();
            writeln!(stdin, "{line}").unwrap();
            stdin.flush().unwrap();
        }

        /// The GET requests served so far.
        pub fn requests(&self) -> Vec<String> {
            let log = std::fs::read_to_string(self.dir.join("requests.log")).unwrap_or_default();
            log.lines().map(str::to_string).collect()
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            drop(self.child.stdin.take());
            let _ = self.child.wait();
        }
    }

    /// The cluster of tests/kernel/k8s-cluster with `n` more Services, a
    /// Service handed to another proxy (with its EndpointSlice) beside
    /// it, and kube-proxy's ConfigMap (the fixture); the paths of the
    /// three files.
    pub fn cluster(dir: &Path, n: usize) -> [PathBuf; 3] {
        let r = Command::new("python3")
            .arg(repo().join("tests/kernel/k8s-cluster"))
            .arg(dir.join("gen"))
            .arg(n.to_string())
            .output()
            .expect("python3");
        assert!(r.status.success(), "k8s-cluster: {r:?}");
        let other = dir.join("other-proxy.json");
        std::fs::write(&other, OTHER_PROXY).unwrap();
        [
            dir.join("gen/cluster.json"),
            other,
            repo().join("tests/fixtures/k8s/kube-proxy-configmap.json"),
        ]
    }

    /// A Service and its EndpointSlice that kube-proxy leaves to another
    /// proxy (`service.kubernetes.io/service-proxy-name`).
    const OTHER_PROXY: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "Service",
   "metadata": {"name": "elsewhere", "namespace": "shop",
                "labels": {"service.kubernetes.io/service-proxy-name": "other"}},
   "spec": {"type": "ClusterIP", "clusterIP": "10.96.250.1", "clusterIPs": ["10.96.250.1"],
            "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}]}},
  {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
   "metadata": {"name": "elsewhere-1", "namespace": "shop",
                "labels": {"kubernetes.io/service-name": "elsewhere",
                           "service.kubernetes.io/service-proxy-name": "other"}},
   "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
   "endpoints": [{"addresses": ["10.244.9.9"], "nodeName": "node-a",
                  "conditions": {"ready": true}}]}
]}"#;

    /// What `kubectl get services,endpointslices,nodes -A -o json` would
    /// print from a server of these objects.
    pub fn kubectl_dump(objects: &[PathBuf], to: &Path) {
        let r = Command::new("python3")
            .arg(repo().join("tests/apiserver/serve"))
            .arg("unused")
            .args(objects)
            .arg("--kubectl-dump")
            .arg(to)
            .output()
            .expect("python3");
        assert!(r.status.success(), "serve --kubectl-dump: {r:?}");
    }
}

#[cfg(feature = "kube")]
use server::{served, Served};

#[cfg(feature = "kube")]
fn labelled_for_another_proxy(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> bool {
    meta.labels.as_ref().is_some_and(|l| {
        l.contains_key("service.kubernetes.io/service-proxy-name")
            || l.contains_key("service.kubernetes.io/headless")
    })
}

/// The reading itself: the API gives the Cluster the file reader makes
/// of a kubectl dump of the same server, but for the objects kube-proxy's
/// selector leaves out; more objects than one page (500) of each
/// namespaced kind, so the lists are paged; with `--node`, only that
/// Node.
#[cfg(feature = "kube")]
#[test]
fn k8s_api_reads_the_cluster_the_file_holds() {
    use ipvsadm::k8s::api::{read, Source};
    use ipvsadm::k8s::input::read_files;

    let Served {
        server,
        kubeconfig,
        dump,
        ..
    } = served("same-cluster", 600, &[]);
    let source = Source {
        kubeconfig: Some(&kubeconfig),
        ..Source::default()
    };
    let api = read(&source).unwrap();
    let file = read_files(&[dump], &mut std::io::empty()).unwrap();

    let kept = |v: &[k8s_openapi::api::core::v1::Service]| -> Vec<_> {
        v.iter()
            .filter(|o| !labelled_for_another_proxy(&o.metadata))
            .cloned()
            .collect()
    };
    assert!(api.services.len() > 600, "{}", api.services.len());
    assert!(
        file.services.len() > api.services.len(),
        "nothing was left out"
    );
    assert_eq!(api.services, kept(&file.services));
    let slices: Vec<_> = file
        .slices
        .iter()
        .filter(|o| !labelled_for_another_proxy(&o.metadata))
        .cloned()
        .collect();
    assert!(
        file.slices.len() > slices.len() + 1,
        "no headless slice left out"
    );
    assert_eq!(api.slices, slices);
    assert_eq!(api.nodes, file.nodes);
    assert_eq!(api.nodes.len(), 3);
    assert!(api.proxy_config.is_some());
    assert_eq!(api.proxy_config, file.proxy_config);

    // Paged as kubectl pages, with kube-proxy's selector.
    let requests = server.requests();
    let services: Vec<&String> = requests
        .iter()
        .filter(|r| r.starts_with("/api/v1/services?"))
        .collect();
    assert_eq!(services.len(), 2, "{requests:?}");
    for r in &services {
        assert!(r.contains("limit=500"), "{r}");
        assert!(
            r.contains("labelSelector=%21service.kubernetes.io%2Fservice-proxy-name%2C%21service.kubernetes.io%2Fheadless"),
            "{r}"
        );
    }
    assert!(services[1].contains("continue="), "{services:?}");
    let slices = requests
        .iter()
        .filter(|r| r.starts_with("/apis/discovery.k8s.io/v1/endpointslices?"))
        .count();
    assert_eq!(slices, 2, "{requests:?}");

    // Its own Node only, by name, when --node names it.
    let one = read(&Source {
        node: Some("node-b"),
        ..source
    })
    .unwrap();
    let names: Vec<_> = one.nodes.iter().map(|n| n.metadata.name.clone()).collect();
    assert_eq!(names, [Some("node-b".to_string())]);
    assert!(server
        .requests()
        .iter()
        .any(|r| r.starts_with("/api/v1/nodes?")
            && r.contains("fieldSelector=metadata.name%3Dnode-b")));
}

/// The whole command: `--check -j --k8s-api` is, byte for byte and exit
/// status, `--check -j --k8s FILE` of a kubectl dump of the same server
/// (on this host, whatever its IPVS: both judge the same table); also
/// with the context named and through `KUBECONFIG`.
#[cfg(feature = "kube")]
#[test]
fn k8s_api_check_is_the_file_check() {
    // The server lives as long as `_server`.
    let Served {
        kubeconfig,
        dump,
        server: _server,
        ..
    } = served("same-check", 600, &[]);
    let dump = dump.as_str();
    for node in [&["--node", "node-a"][..], &[][..]] {
        let mut file = vec!["--check", "-j", "--k8s", dump];
        file.extend_from_slice(node);
        let mut api = vec!["--check", "-j", "--k8s-api", "--kubeconfig", &kubeconfig];
        api.extend_from_slice(node);
        let (f, a) = (ours(&file), ours(&api));
        assert_eq!(a, f);
        if !node.is_empty() {
            let doc: serde_json::Value = serde_json::from_str(&a.0).unwrap();
            let kube = doc["check"]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["check"] == "kubernetes")
                .count();
            assert!(kube > 600, "{kube} findings of check kubernetes");
        }
    }
    // The same with the context named, and through KUBECONFIG.
    let named = ours(&[
        "--check",
        "-j",
        "--k8s-api",
        "--kubeconfig",
        &kubeconfig,
        "--context",
        "test",
        "--node",
        "node-a",
    ]);
    assert_eq!(
        named,
        ours(&["--check", "-j", "--k8s", dump, "--node", "node-a"])
    );
    let out = assert_cmd::Command::cargo_bin("ipvsadm")
        .unwrap()
        .args(["--check", "-j", "--k8s-api", "--node", "node-a"])
        .env("KUBECONFIG", &kubeconfig)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), named.0);
    let (_, err, rc) = ours(&[
        "--check",
        "--k8s-api",
        "--kubeconfig",
        &kubeconfig,
        "--context",
        "nowhere",
    ]);
    assert_eq!(rc, 2, "{err}");
    assert!(
        err.starts_with("ipvsadm: --kubeconfig ") && err.contains("nowhere"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// `--check -j --k8s-api` of node-a through this kubeconfig.
#[cfg(feature = "kube")]
pub(crate) fn node_a_check(kubeconfig: &str) -> (String, String, i32) {
    ours(&[
        "--check",
        "-j",
        "--k8s-api",
        "--kubeconfig",
        kubeconfig,
        "--node",
        "node-a",
    ])
}

/// kube-proxy's ConfigMap from the API server, by a `get` of that one
/// object: held against the node when it is there; absent, or refused
/// by RBAC, a line of information says it was not checked (no failure:
/// the Role that allows it is the manifests' own).
#[cfg(feature = "kube")]
#[test]
fn k8s_api_proxy_config_got_absent_or_refused() {
    let dir = server::scratch("proxy-config");
    let objects = server::cluster(&dir, 0);
    let config_lines = |tag: &str, objects: &[&std::path::Path], extra: &[&str]| {
        // A folder of its own for each server: its requests' log.
        let own = dir.join(tag);
        let s = server::Server::start(&own, objects, extra);
        let kubeconfig = s.kubeconfig("kubeconfig");
        let (out, err, _) = node_a_check(&kubeconfig);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
        let gets: Vec<String> = s
            .requests()
            .into_iter()
            .filter(|r| r.contains("/configmaps"))
            .collect();
        assert_eq!(
            gets,
            ["/api/v1/namespaces/kube-system/configmaps/kube-proxy"]
        );
        let lines: Vec<(String, String)> = doc["check"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["code"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("KUBE_PROXY_CONFIG"))
            })
            .map(|f| {
                (
                    f["code"].as_str().unwrap().into(),
                    f["detail"].as_str().unwrap().into(),
                )
            })
            .collect();
        lines
    };
    let two = [objects[0].as_path(), objects[1].as_path()];
    let all = [two[0], two[1], objects[2].as_path()];
    assert_eq!(
        config_lines("absent", &two, &[]),
        [(
            "KUBE_PROXY_CONFIG_UNAVAILABLE".to_string(),
            "the API server has no configmaps kube-system/kube-proxy: kube-proxy's \
             configuration was not checked"
                .to_string()
        )]
    );
    assert_eq!(
        config_lines("refused", &all, &["--forbid", "configmaps"]),
        [(
            "KUBE_PROXY_CONFIG_UNAVAILABLE".to_string(),
            "the API server refused to get configmaps kube-system/kube-proxy (403 Forbidden): \
             kube-proxy's configuration was not checked"
                .to_string()
        )]
    );
    // The fixture says strictARP: this host agrees only when its ARP
    // sysctls are kube-proxy's (no IPVS here: no virtual service of
    // kube-proxy's to judge, no timeouts to read).
    let sysctl = |n: &str| {
        std::fs::read_to_string(format!("/proc/sys/net/ipv4/conf/all/{n}"))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let strict = sysctl("arp_ignore") == "1" && sysctl("arp_announce") == "2";
    let lines = config_lines("got", &all, &[]);
    let codes: Vec<&str> = lines.iter().map(|(c, _)| c.as_str()).collect();
    if strict {
        assert_eq!(codes, ["KUBE_PROXY_CONFIG"], "{lines:?}");
    } else {
        assert_eq!(codes, ["KUBE_PROXY_CONFIG_STRICT_ARP"], "{lines:?}");
    }
}

/// An expired continue token (410 Gone) restarts the list whole, as
/// kubectl does: nothing lost.
#[cfg(feature = "kube")]
#[test]
fn k8s_api_expired_continue_lists_again_whole() {
    use ipvsadm::k8s::api::{read, Source};
    let Served {
        server, kubeconfig, ..
    } = served("expired", 600, &["--expire-continue"]);
    let c = read(&Source {
        kubeconfig: Some(&kubeconfig),
        ..Source::default()
    })
    .unwrap();
    assert!(c.services.len() > 600 && c.slices.len() > 600);
    let services: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("/api/v1/services?"))
        .collect();
    assert_eq!(services.len(), 3, "{services:?}");
    assert!(services[1].contains("continue="));
    assert!(!services[2].contains("limit="), "{services:?}");
}

/// Each failure is one line and exit status 2: refused credentials, a
/// refused permission naming the verb and the resource, a certificate of
/// another CA, a server that is not there, a kubeconfig that is not.
#[cfg(feature = "kube")]
#[test]
fn k8s_api_failures_are_one_line_exit_2() {
    let Served { dir, server, .. } = served(
        "failures",
        5,
        &["--forbid", "endpointslices.discovery.k8s.io"],
    );
    let url = format!("https://127.0.0.1:{}", server.port);
    let run = |kubeconfig: &str, cmd: &str| {
        let (out, err, rc) = ours(&[cmd, "--k8s-api", "--kubeconfig", kubeconfig]);
        assert_eq!((out.as_str(), rc), ("", 2), "{err}");
        err
    };
    for cmd in ["--check", "-Ln"] {
        assert_eq!(
            run(&server.kubeconfig("bad-token"), cmd),
            format!(
                "ipvsadm: the API server at {url} refused the credentials (401 Unauthorized)\n"
            )
        );
        assert_eq!(
            run(&server.kubeconfig("kubeconfig"), cmd),
            "ipvsadm: the API server refused to list endpointslices.discovery.k8s.io \
             (403 Forbidden)\n"
        );
        let tls = run(&server.kubeconfig("wrong-ca"), cmd);
        assert!(
            tls.starts_with(&format!(
                "ipvsadm: TLS failure with the API server at {url}: "
            )) && tls.contains("certificate")
                && tls.lines().count() == 1,
            "{tls}"
        );
    }

    // A server that is not there: a port just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let conf = std::fs::read_to_string(server.kubeconfig("kubeconfig"))
        .unwrap()
        .replace(&format!(":{}\"", server.port), &format!(":{port}\""));
    let gone = dir.join("gone");
    std::fs::write(&gone, conf).unwrap();
    assert_eq!(
        run(gone.to_str().unwrap(), "--check"),
        format!("ipvsadm: cannot reach the API server at https://127.0.0.1:{port}: Connection refused\n")
    );
    // No kubeconfig anywhere, and not in a pod.
    let out = assert_cmd::Command::cargo_bin("ipvsadm")
        .unwrap()
        .args(["--check", "--k8s-api"])
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env_remove("KUBERNETES_SERVICE_PORT")
        .env("HOME", &dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("ipvsadm: cannot find the API server (no kubeconfig, not in a pod): ")
            && err.lines().count() == 1,
        "{err}"
    );
    let missing = dir.join("missing");
    let err = run(missing.to_str().unwrap(), "--check");
    assert!(
        err.starts_with(&format!("ipvsadm: --kubeconfig {}: ", missing.display()))
            && err.contains("No such file or directory")
            && err.lines().count() == 1,
        "{err}"
    );
}

/// The test server's watch, which the exporter to come will need, as
/// kube's client sees it: changes made on the server arrive as MODIFIED
/// and DELETED from the list's resourceVersion, BOOKMARKs come when asked
/// for, a cut connection ends the stream, and a version older than the
/// history kept is an ERROR event with 410 Gone.
#[cfg(feature = "kube")]
#[test]
fn test_server_watches_as_the_api_does() {
    use futures::StreamExt;
    use k8s_openapi::api::core::v1::Service;
    use kube::api::{Api, ListParams, WatchEvent, WatchParams};

    let Served {
        mut server,
        kubeconfig,
        ..
    } = served("watch", 5, &["--bookmark-every", "0.2"]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let file = kube::config::Kubeconfig::read_from(&kubeconfig).unwrap();
        let config = kube::Config::from_custom_kubeconfig(file, &Default::default())
            .await
            .unwrap();
        let api: Api<Service> = Api::all(kube::Client::try_from(config).unwrap());
        let list = api.list(&ListParams::default()).await.unwrap();
        let version = list.metadata.resource_version.clone().unwrap();
        let params = WatchParams::default().timeout(30);
        let events = api.watch(&params, &version).await.unwrap().boxed();

        let mut changed = serde_json::to_value(&list.items[0]).unwrap();
        changed["kind"] = "Service".into();
        changed["apiVersion"] = "v1".into();
        changed["metadata"]["labels"] = serde_json::json!({"changed": "yes"});
        server.command(&format!("apply {changed}"));
        server.command(&format!("delete {changed}"));
        let name = list.items[0].metadata.name.clone();
        // A BOOKMARK may come before them (every 0.2 s, and a loaded host
        // may take longer to apply): the changes are the next others.
        let mut events =
            events.filter(|e| std::future::ready(!matches!(e, Ok(WatchEvent::Bookmark(_)))));
        match events.next().await {
            Some(Ok(WatchEvent::Modified(s))) => {
                assert_eq!(s.metadata.name, name);
                assert_eq!(s.metadata.labels.unwrap()["changed"], "yes");
            }
            other => panic!("{other:?}"),
        }
        match events.next().await {
            Some(Ok(WatchEvent::Deleted(s))) => assert_eq!(s.metadata.name, name),
            other => panic!("{other:?}"),
        }
        let last = api.list(&ListParams::default()).await.unwrap();
        assert_eq!(last.items.len(), list.items.len() - 1);
        let last = last.metadata.resource_version.unwrap();
        assert!(last.parse::<u64>().unwrap() > version.parse::<u64>().unwrap());

        // Bookmarks, asked for; then the connection cut mid-stream.
        let mut marked = api.watch(&params, &last).await.unwrap().boxed();
        match marked.next().await {
            Some(Ok(WatchEvent::Bookmark(b))) => assert_eq!(b.metadata.resource_version, last),
            other => panic!("{other:?}"),
        }
        server.command("drop");
        loop {
            match marked.next().await {
                Some(Ok(WatchEvent::Bookmark(_))) => continue,
                Some(Err(_)) | None => break,
                other => panic!("{other:?}"),
            }
        }

        // History compacted: the first version is gone.
        server.command("compact");
        let mut gone = api.watch(&params, &version).await.unwrap().boxed();
        match gone.next().await {
            Some(Ok(WatchEvent::Error(e))) => assert_eq!(e.code, 410, "{e:?}"),
            other => panic!("{other:?}"),
        }
    });
}
