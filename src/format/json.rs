//! `-j`/`--json` (ours): listings as one JSON document, for programs. Pure:
//! model in, serde values out. The shape is documented in
//! docs/ipvsadm.schema.json and is stable: fields may be added, none is
//! renamed or removed without a new `schema_version`. Counters are exact
//! 64-bit integers, addresses are strings, and no names are looked up.

use std::net::IpAddr;

use serde::Serialize;
use serde_json::{json, Value};

use super::conn::ConnEntry;
use crate::ipvs::model::svc_flags;
use crate::ipvs::{
    Daemon, Dest, Family, Forward, Info, Protocol, Service, ServiceId, Stats, Timeouts, TunnelType,
};

/// The version of the document's shape.
pub const SCHEMA_VERSION: u32 = 1;

pub fn family(f: Family) -> &'static str {
    match f {
        Family::Inet => "inet",
        Family::Inet6 => "inet6",
    }
}

/// A protocol by name where it has one, else its number as text.
pub fn protocol(p: Protocol) -> String {
    match p {
        Protocol::Tcp => "tcp".into(),
        Protocol::Udp => "udp".into(),
        Protocol::Sctp => "sctp".into(),
        Protocol::Other(n) => n.to_string(),
    }
}

pub fn forward(f: Forward) -> String {
    match f {
        Forward::Masq => "masq".into(),
        Forward::Local => "local".into(),
        Forward::Tunnel => "tunnel".into(),
        Forward::Route => "route".into(),
        Forward::Bypass => "bypass".into(),
        Forward::Other(n) => n.to_string(),
    }
}

fn tunnel_type(t: TunnelType) -> String {
    match t {
        TunnelType::Ipip => "ipip".into(),
        TunnelType::Gue => "gue".into(),
        TunnelType::Gre => "gre".into(),
        TunnelType::Other(n) => n.to_string(),
    }
}

/// The service flags by name; scheduler flags are named as `-b` takes
/// them for the service's scheduler.
pub fn service_flags(svc: &Service) -> Vec<&'static str> {
    let fl = svc.config.flags;
    let mut v = Vec::new();
    if fl & svc_flags::PERSISTENT != 0 {
        v.push("persistent");
    }
    if fl & svc_flags::HASHED != 0 {
        v.push("hashed");
    }
    if fl & svc_flags::ONEPACKET != 0 {
        v.push("one-packet");
    }
    // Where ipvsadm names no flag (the third of sh and mh), its generic
    // name.
    v.extend(super::sched_flags_set(svc).map(|n| n.unwrap_or("flag-3")));
    v
}

#[derive(Serialize)]
struct Counters {
    conns: u64,
    inpkts: u64,
    outpkts: u64,
    inbytes: u64,
    outbytes: u64,
}

#[derive(Serialize)]
struct Rates {
    cps: u64,
    inpps: u64,
    outpps: u64,
    inbps: u64,
    outbps: u64,
}

fn counters(s: &Stats) -> Counters {
    Counters {
        conns: s.conns,
        inpkts: s.inpkts,
        outpkts: s.outpkts,
        inbytes: s.inbytes,
        outbytes: s.outbytes,
    }
}

fn rates(s: &Stats) -> Rates {
    Rates {
        cps: s.cps,
        inpps: s.inpps,
        outpps: s.outpps,
        inbps: s.inbps,
        outbps: s.outbps,
    }
}

/// A persistence netmask: dotted for IPv4, a prefix length for IPv6 (as
/// `-M` takes it).
pub fn netmask(svc: &Service) -> Value {
    match svc.id.family() {
        Family::Inet => Value::String(svc.config.netmask_v4().to_string()),
        Family::Inet6 => json!(svc.config.netmask),
    }
}

pub fn tunnel(d: &Dest) -> Value {
    if d.config.forward != Forward::Tunnel {
        return Value::Null;
    }
    let checksum = match d.config.tun_flags {
        0 => "nocsum".to_string(),
        1 => "csum".to_string(),
        2 => "remcsum".to_string(),
        n => n.to_string(),
    };
    json!({
        "type": tunnel_type(d.config.tun_type),
        "port": d.config.tun_port,
        "checksum": checksum,
    })
}

/// One real server.
pub fn dest(d: &Dest) -> Value {
    json!({
        "family": family(d.family()),
        "address": d.addr.to_string(),
        "port": d.port,
        "forward": forward(d.config.forward),
        "weight": d.config.weight,
        "u_threshold": d.config.u_threshold,
        "l_threshold": d.config.l_threshold,
        "active_conns": d.conns.active,
        "inactive_conns": d.conns.inactive,
        "persistent_conns": d.conns.persistent,
        "tunnel": tunnel(d),
        "stats": counters(&d.stats),
        "rates": rates(&d.stats),
    })
}

/// A service's identity as a listing writes it: protocol, address, port
/// and mark (null where the kind of service has none).
fn id_fields(id: &ServiceId) -> (Value, Value, Value, Value) {
    match *id {
        ServiceId::Addr {
            protocol: p,
            addr,
            port,
        } => (
            Value::String(protocol(p)),
            Value::String(addr.to_string()),
            json!(port),
            Value::Null,
        ),
        ServiceId::Fwmark { mark, .. } => (Value::Null, Value::Null, Value::Null, json!(mark)),
    }
}

/// A service's identity alone, with the listing's field names.
pub fn service_id(id: &ServiceId) -> Value {
    let (protocol, address, port, fwmark) = id_fields(id);
    json!({
        "family": family(id.family()),
        "protocol": protocol,
        "address": address,
        "port": port,
        "fwmark": fwmark,
    })
}

/// A real server's identity alone, with the listing's field names.
pub fn server_id(addr: &IpAddr, port: u16) -> Value {
    json!({
        "family": family(Family::of(addr)),
        "address": addr.to_string(),
        "port": port,
    })
}

/// One virtual service with its real servers.
pub fn service(svc: &Service, dests: &[Dest]) -> Value {
    let (protocol, address, port, fwmark) = id_fields(&svc.id);
    let persistent = svc.config.flags & svc_flags::PERSISTENT != 0;
    json!({
        "family": family(svc.id.family()),
        "protocol": protocol,
        "address": address,
        "port": port,
        "fwmark": fwmark,
        "scheduler": String::from_utf8_lossy(svc.config.scheduler.as_bytes()),
        "flags": service_flags(svc),
        "flags_value": svc.config.flags,
        "persistence": if persistent {
            json!({ "timeout": svc.config.timeout, "netmask": netmask(svc) })
        } else {
            Value::Null
        },
        "pe": if svc.config.pe_name.is_empty() { Value::Null } else { json!(String::from_utf8_lossy(svc.config.pe_name.as_bytes())) },
        "stats": counters(&svc.stats),
        "rates": rates(&svc.stats),
        "servers": dests.iter().map(dest).collect::<Vec<_>>(),
    })
}

/// What GET_INFO said.
pub fn info(i: &Info) -> Value {
    let (a, b, c) = i.version_triple();
    json!({
        "version": format!("{a}.{b}.{c}"),
        "version_code": i.version,
        "conn_tab_size": i.conn_tab_size,
    })
}

/// The opening of a service listing document, up to the `[` of its
/// services; services follow, comma-separated, then `LIST_CLOSE`. Written
/// this way so that a big table streams out service by service.
pub fn list_open(i: &Info) -> String {
    format!(
        "{{\"schema_version\":{SCHEMA_VERSION},\"ipvs\":{},\"services\":[",
        info(i)
    )
}

pub const LIST_CLOSE: &str = "]}\n";

fn document(key: &str, v: Value) -> String {
    let mut m = serde_json::Map::new();
    m.insert("schema_version".into(), json!(SCHEMA_VERSION));
    m.insert(key.into(), v);
    let mut s = Value::Object(m).to_string();
    s.push('\n');
    s
}

pub fn timeouts(t: &Timeouts) -> String {
    document(
        "timeouts",
        json!({ "tcp": t.tcp, "tcp_fin": t.tcp_fin, "udp": t.udp }),
    )
}

pub fn daemons(ds: &[Daemon]) -> String {
    let v: Vec<Value> = ds
        .iter()
        .filter(|d| d.state != 0)
        .map(|d| {
            let state = match d.state {
                1 => "master".to_string(),
                2 => "backup".to_string(),
                n => n.to_string(),
            };
            json!({
                "state": state,
                "mcast_interface": d.mcast_ifn,
                "syncid": d.syncid,
                "sync_maxlen": d.sync_maxlen,
                "mcast_group": d.mcast_group.map(|a| a.to_string()),
                "mcast_port": d.mcast_port,
                "mcast_ttl": d.mcast_ttl,
            })
        })
        .collect();
    document("daemons", Value::Array(v))
}

fn endpoint(a: &IpAddr, port: u16) -> Value {
    json!({ "address": a.to_string(), "port": port })
}

pub fn connections(entries: &[ConnEntry]) -> String {
    let (head, tail) = connections_frame();
    let items: Vec<String> = entries.iter().map(connection).collect();
    format!("{head}{}{tail}", items.join(","))
}

/// One entry of `connections`' array, as its text.
pub fn connection(c: &ConnEntry) -> String {
    json!({
        "protocol": c.protocol.to_ascii_lowercase(),
        "client": endpoint(&c.caddr, c.cport),
        "virtual": endpoint(&c.vaddr, c.vport),
        "server": endpoint(&c.daddr, c.dport),
        "state": c.state,
        "expires": c.expires,
        "pe_name": c.pe_name,
        "pe_data": c.pe_data,
    })
    .to_string()
}

/// The `connections` document around its array's entries: the text
/// before the first entry and after the last, so that a streamed
/// listing writes entry by entry (joined by `,`) what `connections`
/// writes at once.
pub fn connections_frame() -> (String, String) {
    let whole = document("connections", Value::Array(Vec::new()));
    let at = whole
        .find("\"connections\":[]")
        .map(|i| i + "\"connections\":[".len())
        .unwrap_or(0);
    (whole[..at].to_string(), whole[at..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::model::tun_flags;
    use crate::ipvs::{ConnCounts, DestConfig, ServiceConfig, ServiceId};

    fn fwmark_sh() -> Service {
        Service {
            id: ServiceId::Fwmark {
                family: Family::Inet6,
                mark: u32::MAX,
            },
            config: ServiceConfig {
                scheduler: "sh".into(),
                flags: svc_flags::PERSISTENT | svc_flags::HASHED | svc_flags::SCHED_SH_PORT,
                timeout: 300,
                netmask: 64,
                pe_name: Default::default(),
            },
            stats: Stats {
                inbytes: u64::MAX,
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_fwmark_service_with_a_gue_server() {
        let d = Dest {
            addr: "10.0.0.5".parse().unwrap(),
            port: 0,
            config: DestConfig {
                forward: Forward::Tunnel,
                tun_type: TunnelType::Gue,
                tun_port: 6080,
                tun_flags: tun_flags::REMCSUM,
                ..Default::default()
            },
            conns: ConnCounts {
                active: 3,
                inactive: 1,
                persistent: 2,
            },
            stats: Stats::default(),
        };
        let v = service(&fwmark_sh(), &[d]);
        assert_eq!(v["fwmark"], json!(4294967295u32));
        assert_eq!(v["protocol"], Value::Null);
        assert_eq!(v["address"], Value::Null);
        assert_eq!(v["family"], "inet6");
        assert_eq!(v["flags"], json!(["persistent", "hashed", "sh-port"]));
        assert_eq!(v["persistence"], json!({"timeout": 300, "netmask": 64}));
        assert_eq!(v["stats"]["inbytes"], json!(u64::MAX));
        let s = &v["servers"][0];
        assert_eq!(s["family"], "inet");
        assert_eq!(s["forward"], "tunnel");
        assert_eq!(
            s["tunnel"],
            json!({"type": "gue", "port": 6080, "checksum": "remcsum"})
        );
        assert_eq!(
            (s["active_conns"].clone(), s["persistent_conns"].clone()),
            (json!(3), json!(2))
        );
    }

    #[test]
    fn listing_document_is_whole_json() {
        let info = Info {
            version: 0x010201,
            conn_tab_size: 4096,
        };
        let text = format!("{}{}", list_open(&info), LIST_CLOSE);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["ipvs"]["version"], "1.2.1");
        assert_eq!(v["services"], json!([]));
        let t: Value = serde_json::from_str(&timeouts(&Timeouts {
            tcp: 900,
            tcp_fin: 120,
            udp: 300,
        }))
        .unwrap();
        assert_eq!(
            t,
            json!({"schema_version": 1, "timeouts": {"tcp": 900, "tcp_fin": 120, "udp": 300}})
        );
    }
}
