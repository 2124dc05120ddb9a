//! One document of kubectl's JSON, or one item of its list, read in one
//! pass (issue 27): its `kind`, and the fields of the three kinds the
//! check reads, each parsed into `k8s-openapi`'s types as it is met.
//! kubectl sorts keys, so `kind` comes before `metadata`, `spec` and
//! `status`; a field met before the kind is known is kept as text and
//! parsed once it is. Reading the items as text first and then again by
//! kind scanned every byte three times: twice as long as the parse
//! itself. The objects are those `k8s-openapi` would make, its checks
//! kept (an `apiVersion` other than the kind's is an error).

use std::fmt;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMap, Node, NodeSpec, NodeStatus, Service, ServiceSpec, ServiceStatus,
};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointPort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::Resource;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// What the files hold, in the order read.
#[derive(Debug, Default, Clone)]
pub struct Cluster {
    pub services: Vec<Service>,
    pub slices: Vec<EndpointSlice>,
    pub nodes: Vec<Node>,
    /// kube-proxy's ConfigMap (`kube-system/kube-proxy`), when the input
    /// had it or the API server was asked for it (`proxyconfig`).
    pub proxy_config: Option<ProxyConfigMap>,
    /// Items of other kinds (`kubectl get all` writes Pods, Deployments
    /// and more), skipped.
    pub skipped: usize,
}

impl Cluster {
    /// Add `other`'s objects after ours (taking its lists whole where
    /// ours are empty: no copy of the first file's).
    pub fn append(&mut self, other: Cluster) {
        fn join<T>(to: &mut Vec<T>, mut from: Vec<T>) {
            if to.is_empty() {
                *to = from;
            } else {
                to.append(&mut from);
            }
        }
        join(&mut self.services, other.services);
        join(&mut self.slices, other.slices);
        join(&mut self.nodes, other.nodes);
        if other.proxy_config.is_some() {
            self.proxy_config = other.proxy_config;
        }
        self.skipped += other.skipped;
    }
}

/// kube-proxy's ConfigMap as it was found.
#[derive(Debug, Clone, PartialEq)]
pub enum ProxyConfigMap {
    /// The object (the last one read, when the files hold several).
    Found(Box<ConfigMap>),
    /// The API server was asked and did not give it: the reason, in
    /// words (not found, or forbidden).
    Unavailable(String),
}

/// Where kube-proxy's ConfigMap is, as kubeadm and most installers make
/// it.
pub const PROXY_CONFIG_NAMESPACE: &str = "kube-system";
pub const PROXY_CONFIG_NAME: &str = "kube-proxy";

/// A whole document: its kind, the object it is (kept in a cluster of
/// its own, skipped or not), and its `items` when it has them (a list's;
/// read whatever the kind, kept only for a list).
pub struct Doc {
    pub kind: Option<String>,
    pub object: Cluster,
    pub items: Option<Cluster>,
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Doc, D::Error> {
        let mut object = Cluster::default();
        let (kind, items) = d.deserialize_map(DocVisitor {
            top: true,
            into: &mut object,
        })?;
        Ok(Doc {
            kind,
            object,
            items,
        })
    }
}

/// A list's items, each added to the cluster as it is read (`null` is
/// none).
struct Items(Cluster);

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Items, D::Error> {
        d.deserialize_seq(ItemsVisitor)
    }
}

struct ItemsVisitor;

impl<'de> Visitor<'de> for ItemsVisitor {
    type Value = Items;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of Kubernetes objects")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
        let mut cluster = Cluster::default();
        while seq.next_element_seed(Item(&mut cluster))?.is_some() {}
        Ok(Items(cluster))
    }
}

/// A list's item, added to the cluster: a document whose own `items` are
/// ignored.
struct Item<'c>(&'c mut Cluster);

impl<'de> DeserializeSeed<'de> for Item<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(DocVisitor {
            top: false,
            into: self.0,
        })?;
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Service,
    Slice,
    Node,
    ConfigMap,
    Other,
}

impl Kind {
    fn of(kind: Option<&str>) -> Kind {
        match kind {
            Some("Service") => Kind::Service,
            Some("EndpointSlice") => Kind::Slice,
            Some("Node") => Kind::Node,
            Some("ConfigMap") => Kind::ConfigMap,
            _ => Kind::Other,
        }
    }

    /// The `apiVersion` `k8s-openapi` reads this kind at.
    fn api_version(self) -> Option<&'static str> {
        match self {
            Kind::Service => Some(Service::API_VERSION),
            Kind::Slice => Some(EndpointSlice::API_VERSION),
            Kind::Node => Some(Node::API_VERSION),
            Kind::ConfigMap => Some(ConfigMap::API_VERSION),
            Kind::Other => None,
        }
    }
}

/// The fields of the three kinds.
#[derive(Clone, Copy)]
enum Field {
    Metadata,
    Spec,
    Status,
    AddressType,
    Endpoints,
    Ports,
    Data,
}

/// A key of an object, told without copying it.
enum Key {
    Kind,
    ApiVersion,
    Items,
    Field(Field),
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match key {
            "kind" => Key::Kind,
            "apiVersion" => Key::ApiVersion,
            "items" => Key::Items,
            "metadata" => Key::Field(Field::Metadata),
            "spec" => Key::Field(Field::Spec),
            "status" => Key::Field(Field::Status),
            "addressType" => Key::Field(Field::AddressType),
            "endpoints" => Key::Field(Field::Endpoints),
            "ports" => Key::Field(Field::Ports),
            "data" => Key::Field(Field::Data),
            _ => Key::Other,
        })
    }
}

/// serde_json's message without the " at line L column C" it appends:
/// the place is told once, in the file's own numbers.
pub fn message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// What has been read of one object so far.
#[derive(Default)]
struct Parts {
    metadata: Option<ObjectMeta>,
    service_spec: Option<ServiceSpec>,
    service_status: Option<ServiceStatus>,
    node_spec: Option<NodeSpec>,
    node_status: Option<NodeStatus>,
    address_type: Option<String>,
    endpoints: Option<Vec<Endpoint>>,
    ports: Option<Vec<EndpointPort>>,
    data: Option<BTreeMap<String, String>>,
}

/// One field's value parsed into its slot of `Parts` by the object's
/// kind, or skipped when that kind has no such field.
struct Slot<'p> {
    parts: &'p mut Parts,
    kind: Kind,
    field: Field,
}

impl<'de> DeserializeSeed<'de> for Slot<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let p = self.parts;
        match (self.kind, self.field) {
            (Kind::Other, _) => {
                IgnoredAny::deserialize(d)?;
            }
            (_, Field::Metadata) => p.metadata = Deserialize::deserialize(d)?,
            (Kind::Service, Field::Spec) => p.service_spec = Deserialize::deserialize(d)?,
            (Kind::Service, Field::Status) => p.service_status = Deserialize::deserialize(d)?,
            (Kind::Node, Field::Spec) => p.node_spec = Deserialize::deserialize(d)?,
            (Kind::Node, Field::Status) => p.node_status = Deserialize::deserialize(d)?,
            (Kind::Slice, Field::AddressType) => p.address_type = Deserialize::deserialize(d)?,
            (Kind::Slice, Field::Endpoints) => p.endpoints = Deserialize::deserialize(d)?,
            (Kind::Slice, Field::Ports) => p.ports = Deserialize::deserialize(d)?,
            (Kind::ConfigMap, Field::Data) => p.data = Deserialize::deserialize(d)?,
            _ => {
                IgnoredAny::deserialize(d)?;
            }
        }
        Ok(())
    }
}

struct DocVisitor<'c> {
    /// The document itself, whose `items` are read; not a list's item.
    top: bool,
    /// Where the object goes.
    into: &'c mut Cluster,
}

impl<'de> Visitor<'de> for DocVisitor<'_> {
    /// The kind, and the items when read.
    type Value = (Option<String>, Option<Cluster>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Kubernetes object or list")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut kind: Option<Option<String>> = None;
        let mut api_version: Option<String> = None;
        let mut items: Option<Option<Items>> = None;
        let mut parts = Parts::default();
        // Fields met before the kind, as text.
        let mut early: Vec<(Field, &'de RawValue)> = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Kind if kind.is_some() => return Err(de::Error::duplicate_field("kind")),
                Key::Kind => kind = Some(map.next_value()?),
                Key::ApiVersion => api_version = map.next_value()?,
                Key::Items if self.top && items.is_some() => {
                    return Err(de::Error::duplicate_field("items"))
                }
                Key::Items if self.top => items = Some(map.next_value()?),
                Key::Field(field) => match &kind {
                    Some(k) => map.next_value_seed(Slot {
                        parts: &mut parts,
                        kind: Kind::of(k.as_deref()),
                        field,
                    })?,
                    None => early.push((field, map.next_value()?)),
                },
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = kind.flatten();
        let k = Kind::of(kind.as_deref());
        if let (Some(want), Some(v)) = (k.api_version(), &api_version) {
            if v != want {
                return Err(de::Error::invalid_value(de::Unexpected::Str(v), &want));
            }
        }
        for (field, raw) in early {
            let slot = Slot {
                parts: &mut parts,
                kind: k,
                field,
            };
            let mut d = serde_json::Deserializer::from_str(raw.get());
            slot.deserialize(&mut d)
                .map_err(|e| de::Error::custom(message(&e)))?;
        }
        add(k, parts, self.into);
        Ok((kind, items.flatten().map(|Items(c)| c)))
    }
}

/// The object the parts make, as `k8s-openapi` makes it, added to the
/// cluster (or counted skipped: every ConfigMap but kube-proxy's).
fn add(kind: Kind, p: Parts, c: &mut Cluster) {
    let metadata = p.metadata.unwrap_or_default();
    match kind {
        Kind::Service => c.services.push(Service {
            metadata,
            spec: p.service_spec,
            status: p.service_status,
        }),
        Kind::Slice => c.slices.push(EndpointSlice {
            address_type: p.address_type.unwrap_or_default(),
            endpoints: p.endpoints,
            metadata,
            ports: p.ports,
        }),
        Kind::Node => c.nodes.push(Node {
            metadata,
            spec: p.node_spec,
            status: p.node_status,
        }),
        Kind::ConfigMap if is_proxy_config(&metadata) => {
            c.proxy_config = Some(ProxyConfigMap::Found(Box::new(ConfigMap {
                data: p.data,
                metadata,
                ..ConfigMap::default()
            })))
        }
        Kind::ConfigMap | Kind::Other => c.skipped += 1,
    }
}

/// Whether an object is kube-proxy's ConfigMap, by its place.
fn is_proxy_config(m: &ObjectMeta) -> bool {
    m.name.as_deref() == Some(PROXY_CONFIG_NAME)
        && m.namespace.as_deref() == Some(PROXY_CONFIG_NAMESPACE)
}
