//! ipvsadm's `parse_options` and the checks of `process_options`: options
//! are acted on one by one, in order, so the first failure is the one
//! ipvsadm would report; then the option matrix, the defaults and the
//! cross-option rules; then a typed `Command`. `parse_command` reads the
//! command (`Reading::command`), hands each later option to the handler
//! of its group (service, real server, listing, daemon, ours), then
//! checks (`Reading::check`) and builds (`Reading::build`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use super::addr::{parse_netmask, parse_service, string_to_number};
use super::flags::Tag;
use super::matrix::{check_command, check_tunnel, Cmd, Opt};
use super::popt::Popt;
use super::{
    ApiSource, CliError, Command, DestArg, ExporterArgs, Format, Invocation, KubeArgs, ListTarget,
    MigrationTarget, NodePortAddresses, OwnerFilter, RestoreMode, SvcArg,
};
use crate::cstd::{atoi, inet_pton4, inet_pton6, strtol10};
use crate::format::WATCH_EVERY;
use crate::ipvs::model::{svc_flags, tun_flags};
use crate::ipvs::{
    Daemon, DestConfig, Family, Forward, Protocol, ServiceConfig, ServiceId, Timeouts, TunnelType,
};
use crate::resolve::Resolver;

const MAX_TIMEOUT: i64 = 86400 * 31;
const DEF_SCHED: &str = "wlc";
const DEF_MCAST_IFN: &str = "eth0";
/// IPVS_SVC_PERSISTENT_TIMEOUT
const DEF_PERSISTENT_TIMEOUT: u32 = 360;
const IP_VS_SCHEDNAME_MAXLEN: usize = 16;
const IP_VS_PENAME_MAXLEN: usize = 16;
const IP_VS_IFNAME_MAXLEN: usize = 16;

const IPPROTO_TCP: u16 = 6;
const IPPROTO_UDP: u16 = 17;
const IPPROTO_SCTP: u16 = 132;

/// ipvsadm's `ipvs_service_t` while options are read: raw, as C keeps it.
#[derive(Debug, Clone)]
struct RawSvc {
    af: u16,
    protocol: u16,
    addr: IpAddr,
    port: u16,
    fwmark: u32,
    sched: String,
    flags: u32,
    timeout: u32,
    netmask: u32,
    pe: String,
}

#[derive(Debug, Clone)]
struct RawDest {
    addr: IpAddr,
    port: u16,
    forward: Forward,
    weight: u32,
    u_threshold: u32,
    l_threshold: u32,
    tun_type: u8,
    tun_port: u16,
    tun_flags: u16,
}

fn fail<T>(msg: impl Into<String>) -> Result<T, CliError> {
    Err(CliError::Fail(msg.into()))
}

/// `strncpy(dst, src, n - 1)` into a zeroed buffer: at most `n - 1` bytes
/// (bytes of the argument as given, see `raw`).
fn truncated(s: &str, max: usize) -> String {
    crate::raw::truncate(s, max).into_owned()
}

fn proto_name(p: u16) -> Option<&'static str> {
    match p {
        IPPROTO_TCP => Some("tcp"),
        IPPROTO_UDP => Some("udp"),
        IPPROTO_SCTP => Some("sctp"),
        _ => None,
    }
}

/// `parse_timeout`: no value means the persistent default.
fn parse_timeout(v: Option<&str>, min: i64, max: i64) -> Result<u32, CliError> {
    match v {
        None => Ok(DEF_PERSISTENT_TIMEOUT),
        Some(s) => match string_to_number(s, min, max) {
            Some(n) => Ok(n as u32),
            None => fail(format!("invalid timeout value `{s}' specified")),
        },
    }
}

/// `parse_fwmark`: 1 to 4294967295.
fn parse_fwmark(s: &str) -> Result<u32, CliError> {
    let (v, end, erange) = strtol10(s);
    // strtol's long goes into an unsigned long: negatives become huge.
    let l = v as u64;
    if end == 0 || end != s.len() || erange || l == 0 || l > u32::MAX as u64 {
        return fail(format!("invalid fwmark value `{s}' specified"));
    }
    Ok(l as u32)
}

/// `parse_sched_flags`: checked against the scheduler given (or wlc), in
/// order, the first bad flag failing. It cuts the text with `strtok`, so
/// empty pieces are skipped; a text of commas only gives `strtok` nothing
/// at all, and ipvsadm then compares a NULL pointer and dies of SIGSEGV.
fn parse_sched_flags(sched: &str, arg: &str) -> Result<u32, CliError> {
    let sched = if sched.is_empty() { DEF_SCHED } else { sched };
    let mut flags = 0;
    let mut pieces = arg.split(',').filter(|f| !f.is_empty()).peekable();
    if pieces.peek().is_none() {
        return Err(CliError::Crash);
    }
    for flag in pieces {
        let (bit, needs) = match flag {
            "flag-1" => (svc_flags::SCHED1, None),
            "flag-2" => (svc_flags::SCHED2, None),
            "flag-3" => (svc_flags::SCHED3, None),
            "sh-fallback" => (svc_flags::SCHED_SH_FALLBACK, Some("sh")),
            "sh-port" => (svc_flags::SCHED_SH_PORT, Some("sh")),
            "mh-fallback" => (svc_flags::SCHED_MH_FALLBACK, Some("mh")),
            "mh-port" => (svc_flags::SCHED_MH_PORT, Some("mh")),
            _ => return fail(format!("invalid scheduler flag `{flag}'")),
        };
        flags |= bit;
        if let Some(s) = needs {
            if sched != s {
                return fail(format!("incompatible scheduler flag `{flag}'"));
            }
        }
    }
    Ok(flags)
}

fn is_ipv4_multicast(a: Ipv4Addr) -> bool {
    a.is_multicast()
}

/// Parse one command line (`argv[0]` included) as ipvsadm would.
pub fn parse(argv: &[String], names: &dyn Resolver) -> Result<Command, CliError> {
    parse_invocation(argv, names).map(|i| i.command)
}

/// `parse`, with the namespace the command runs in (`--netns`, ours).
pub fn parse_invocation(argv: &[String], names: &dyn Resolver) -> Result<Invocation, CliError> {
    let mut netns: Option<String> = None;
    let mut kube: Option<KubeArgs> = None;
    let command = parse_command(argv, names, &mut netns, &mut kube)?;
    Ok(Invocation {
        command,
        netns,
        kube,
    })
}

/// What the options have set so far, as ipvsadm's `parse_options` keeps
/// it in its locals: the option bits, the list format, the raw service,
/// real server and daemon, and ours (`--netns`, `--k8s`, `--node`).
struct Reading<'a> {
    names: &'a dyn Resolver,
    netns: &'a mut Option<String>,
    kube: &'a mut Option<KubeArgs>,
    options: u64,
    format: Format,
    svc: RawSvc,
    dest: RawDest,
    dest_af: u16,
    daemon: Daemon,
    sched_flags_arg: String,
    /// Ours: `--k8s-api` was given (`--kubeconfig` and `--context` need it).
    api_given: bool,
    /// Ours: `--exporter`'s options.
    exporter: ExporterArgs,
}

/// What the first option gave: a command whose options follow, or a
/// whole command line already (`-h`, `-v`).
enum First {
    Cmd(Cmd),
    Done(Command),
}

fn parse_command(
    argv: &[String],
    names: &dyn Resolver,
    netns: &mut Option<String>,
    kube: &mut Option<KubeArgs>,
) -> Result<Command, CliError> {
    let mut popt = Popt::new(argv);
    let mut r = Reading::new(names, netns, kube);
    let cmd = match r.command(&mut popt)? {
        First::Cmd(cmd) => cmd,
        First::Done(command) => return Ok(command),
    };

    loop {
        let found = match popt.next_opt() {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return Err(CliError::Popt {
                    bad: e.bad,
                    text: e.kind.text(),
                })
            }
        };
        let (tag, value) = (found.flag.tag, found.value.as_deref());
        // Each option belongs to one group; the first failure is the
        // option's own, as the options are read in order.
        let known = r.service_option(tag, value)?
            || r.server_option(tag, value)?
            || r.list_option(tag)?
            || r.daemon_option(tag, value)?
            || r.our_option(tag, value)?;
        if !known {
            // A command, -h or -v after the first option.
            return fail(format!("invalid option `{}'", popt.bad_option()));
        }
    }

    let mut timeouts = Timeouts::default();
    if cmd == Cmd::Timeout {
        let (a, b, c) = (popt.next_arg(), popt.next_arg(), popt.next_arg());
        match (a, b, c) {
            (Some(a), Some(b), Some(c)) => {
                timeouts.tcp = parse_timeout(Some(a), 0, MAX_TIMEOUT)?;
                timeouts.tcp_fin = parse_timeout(Some(b), 0, MAX_TIMEOUT)?;
                timeouts.udp = parse_timeout(Some(c), 0, MAX_TIMEOUT)?;
            }
            _ => return fail("--set option requires 3 timeout values"),
        }
    }
    if let Some(extra) = popt.next_arg() {
        return fail(format!("unexpected argument {extra}"));
    }
    if !r.sched_flags_arg.is_empty() {
        r.svc.flags &= !svc_flags::SCHED_ANY;
        r.svc.flags |= parse_sched_flags(&r.svc.sched, &r.sched_flags_arg)?;
    }

    r.check(cmd)?;
    Ok(r.build(cmd, timeouts))
}

impl<'a> Reading<'a> {
    /// ipvsadm's defaults before any option.
    fn new(
        names: &'a dyn Resolver,
        netns: &'a mut Option<String>,
        kube: &'a mut Option<KubeArgs>,
    ) -> Self {
        Reading {
            names,
            netns,
            kube,
            options: 0,
            format: Format::default(),
            svc: RawSvc {
                af: 0,
                protocol: 0,
                addr: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                port: 0,
                fwmark: 0,
                sched: String::new(),
                flags: 0,
                timeout: 0,
                netmask: u32::MAX,
                pe: String::new(),
            },
            dest: RawDest {
                addr: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                port: 0,
                forward: Forward::Route,
                weight: 1,
                u_threshold: 0,
                l_threshold: 0,
                tun_type: 0,
                tun_port: 0,
                tun_flags: 0,
            },
            dest_af: 0,
            daemon: Daemon::default(),
            sched_flags_arg: String::new(),
            api_given: false,
            exporter: ExporterArgs::default(),
        }
    }

    /// ipvsadm's `set_option`: each option at most once.
    fn set_option(&mut self, opt: Opt) -> Result<(), CliError> {
        set_bit(&mut self.options, opt)
    }

    /// The first option, which must be a command (`set_command`).
    fn command(&mut self, popt: &mut Popt) -> Result<First, CliError> {
        // The first option must be a command; ours: `--netns` may come
        // before it, as `ip -n` does (ipvsadm knows no such option, so no
        // command line it accepts reads differently).
        let mut first = match popt.next_opt() {
            Ok(Some(f)) => f,
            _ => return Err(CliError::TryHelp),
        };
        if first.flag.tag == Tag::Netns {
            self.set_option(Opt::Netns)?;
            *self.netns = first.value.as_deref().map(str::to_string);
            first = match popt.next_opt() {
                Ok(Some(f)) => f,
                _ => return Err(CliError::TryHelp),
            };
        }
        Ok(First::Cmd(match first.flag.tag {
            Tag::AddService => Cmd::Add,
            Tag::EditService => Cmd::Edit,
            Tag::DeleteService => Cmd::Del,
            Tag::AddServer => Cmd::AddDest,
            Tag::EditServer => Cmd::EditDest,
            Tag::DeleteServer => Cmd::DelDest,
            Tag::Clear => Cmd::Flush,
            Tag::List | Tag::ListLower => Cmd::List,
            Tag::Zero => Cmd::Zero,
            Tag::Set => Cmd::Timeout,
            Tag::Restore => Cmd::Restore,
            Tag::CleanupKubeProxy => Cmd::CleanupKubeProxy,
            Tag::Save => Cmd::Save,
            Tag::Check => Cmd::Check,
            // It reads the cluster from the API server: `--k8s-api` implied.
            Tag::Exporter => {
                self.options |= Opt::K8s.bit();
                self.api_given = true;
                self.kube().api.get_or_insert_with(ApiSource::default);
                Cmd::Exporter
            }
            Tag::StartDaemon | Tag::StopDaemon => {
                let v = first.value.as_deref().unwrap_or("");
                self.daemon.state = match v {
                    "master" => 1,
                    "backup" => 2,
                    _ if first.flag.tag == Tag::StartDaemon => {
                        return fail("illegal start-daemon parameter specified")
                    }
                    _ => return fail("illegal start_daemon specified"),
                };
                if first.flag.tag == Tag::StartDaemon {
                    Cmd::StartDaemon
                } else {
                    Cmd::StopDaemon
                }
            }
            Tag::Help => return Ok(First::Done(Command::Help)),
            Tag::Version => return Ok(First::Done(Command::Version)),
            _ => return Err(CliError::TryHelp),
        }))
    }

    /// The options of a virtual service; false for any other option.
    fn service_option(&mut self, tag: Tag, value: Option<&str>) -> Result<bool, CliError> {
        let val = || value.unwrap_or("");
        let svc = &mut self.svc;
        match tag {
            Tag::TcpService | Tag::UdpService | Tag::SctpService => {
                set_bit(&mut self.options, Opt::Service)?;
                svc.protocol = match tag {
                    Tag::TcpService => IPPROTO_TCP,
                    Tag::UdpService => IPPROTO_UDP,
                    _ => IPPROTO_SCTP,
                };
                match parse_service(val(), proto_name(svc.protocol), self.names) {
                    Some(p) => {
                        svc.addr = p.addr;
                        if p.addr.is_ipv6() {
                            svc.af = Family::AF_INET6;
                            svc.netmask = 128;
                        } else {
                            svc.af = Family::AF_INET;
                        }
                        if let Some(port) = p.port {
                            svc.port = port;
                        }
                    }
                    None => return fail("illegal virtual server address[:port] specified"),
                }
            }
            Tag::FwmarkService => {
                set_bit(&mut self.options, Opt::Service)?;
                svc.af = Family::AF_INET;
                svc.protocol = IPPROTO_TCP;
                svc.fwmark = parse_fwmark(val())?;
            }
            Tag::Scheduler => {
                set_bit(&mut self.options, Opt::Scheduler)?;
                svc.sched = truncated(val(), IP_VS_SCHEDNAME_MAXLEN - 1);
            }
            Tag::Persistent => {
                set_bit(&mut self.options, Opt::Persistent)?;
                svc.flags |= svc_flags::PERSISTENT;
                svc.timeout = parse_timeout(value, 1, MAX_TIMEOUT)?;
            }
            Tag::Netmask => {
                set_bit(&mut self.options, Opt::Netmask)?;
                if svc.af != Family::AF_INET6 {
                    match parse_netmask(val(), self.names) {
                        Some(m) => svc.netmask = ServiceConfig::raw_netmask_v4(m),
                        None => return fail("illegal virtual server persistent mask specified"),
                    }
                } else {
                    let n = atoi(val());
                    if !(1..=128).contains(&n) {
                        return fail("illegal ipv6 netmask specified");
                    }
                    svc.netmask = n as u32;
                }
            }
            Tag::Ipv6 => {
                if svc.fwmark != 0 {
                    svc.af = Family::AF_INET6;
                    svc.netmask = 128;
                } else {
                    // ipvsadm's message carries its own newline.
                    return fail("-6 used before -f\n");
                }
            }
            Tag::Ops => {
                set_bit(&mut self.options, Opt::OnePacket)?;
                svc.flags |= svc_flags::ONEPACKET;
            }
            Tag::Pe => {
                set_bit(&mut self.options, Opt::PersistenceEngine)?;
                svc.pe = truncated(val(), IP_VS_PENAME_MAXLEN);
            }
            Tag::SchedFlags => {
                set_bit(&mut self.options, Opt::SchedFlags)?;
                self.sched_flags_arg = truncated(val(), 127);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The options of a real server, its tunnel's included; false for
    /// any other option.
    fn server_option(&mut self, tag: Tag, value: Option<&str>) -> Result<bool, CliError> {
        let val = || value.unwrap_or("");
        let dest = &mut self.dest;
        match tag {
            Tag::RealServer => {
                set_bit(&mut self.options, Opt::Server)?;
                match parse_service(val(), proto_name(self.svc.protocol), self.names) {
                    Some(p) => {
                        dest.addr = p.addr;
                        self.dest_af = if p.addr.is_ipv6() {
                            Family::AF_INET6
                        } else {
                            Family::AF_INET
                        };
                        // Without a port of its own the server takes the
                        // service's port as known at this point.
                        dest.port = p.port.unwrap_or(self.svc.port);
                    }
                    None => return fail("illegal real server address[:port] specified"),
                }
            }
            Tag::Ipip => {
                set_bit(&mut self.options, Opt::Forward)?;
                dest.forward = Forward::Tunnel;
            }
            Tag::Gatewaying => {
                set_bit(&mut self.options, Opt::Forward)?;
                dest.forward = Forward::Route;
            }
            Tag::Masquerading => {
                set_bit(&mut self.options, Opt::Forward)?;
                dest.forward = Forward::Masq;
            }
            Tag::Weight => {
                set_bit(&mut self.options, Opt::Weight)?;
                // Debian's 1.31 takes weights up to INT_MAX (its source
                // tag says 65535; the packaged binary is the reference).
                match string_to_number(val(), 0, i32::MAX as i64) {
                    Some(n) => dest.weight = n as u32,
                    None => return fail("illegal weight specified"),
                }
            }
            Tag::UThreshold => {
                set_bit(&mut self.options, Opt::UThreshold)?;
                match string_to_number(val(), 0, i32::MAX as i64) {
                    Some(n) => dest.u_threshold = n as u32,
                    None => return fail("illegal u_threshold specified"),
                }
            }
            Tag::LThreshold => {
                set_bit(&mut self.options, Opt::LThreshold)?;
                match string_to_number(val(), 0, i32::MAX as i64) {
                    Some(n) => dest.l_threshold = n as u32,
                    None => return fail("illegal l_threshold specified"),
                }
            }
            Tag::TunType => {
                set_bit(&mut self.options, Opt::TunType)?;
                dest.tun_type = match val() {
                    "ipip" => 0,
                    "gue" => 1,
                    "gre" => 2,
                    _ => return fail("illegal tunnel type specified"),
                };
            }
            Tag::TunPort => {
                set_bit(&mut self.options, Opt::TunPort)?;
                match string_to_number(val(), 1, 65535) {
                    Some(n) => dest.tun_port = n as u16,
                    None => return fail("illegal tunnel port specified"),
                }
            }
            Tag::TunNocsum => {
                set_bit(&mut self.options, Opt::TunNocsum)?;
                dest.tun_flags |= tun_flags::NOCSUM;
            }
            Tag::TunCsum => {
                set_bit(&mut self.options, Opt::TunCsum)?;
                dest.tun_flags |= tun_flags::CSUM;
            }
            Tag::TunRemcsum => {
                set_bit(&mut self.options, Opt::TunRemcsum)?;
                dest.tun_flags |= tun_flags::REMCSUM;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The options of a listing (what `-L` shows, and how); false for
    /// any other option.
    fn list_option(&mut self, tag: Tag) -> Result<bool, CliError> {
        let (opt, field) = match tag {
            Tag::Connection => (Opt::Connection, None),
            Tag::Timeout => (Opt::Timeout, None),
            Tag::Daemon => (Opt::Daemon, None),
            Tag::Numeric => (Opt::Numeric, Some(&mut self.format.numeric)),
            Tag::Stats => (Opt::Stats, Some(&mut self.format.stats)),
            Tag::Rate => (Opt::Rate, Some(&mut self.format.rate)),
            Tag::Thresholds => (Opt::Thresholds, Some(&mut self.format.thresholds)),
            Tag::PersistentConn => (Opt::PersistentConn, Some(&mut self.format.persistent_conn)),
            Tag::NoSort => (Opt::NoSort, Some(&mut self.format.nosort)),
            Tag::Exact => (Opt::Exact, Some(&mut self.format.exact)),
            Tag::TunInfo => (Opt::TunInfo, Some(&mut self.format.tun_info)),
            // `--sort` is ipvsadm's default, and no option bit.
            Tag::Sort => return Ok(true),
            _ => return Ok(false),
        };
        set_bit(&mut self.options, opt)?;
        if let Some(field) = field {
            *field = true;
        }
        Ok(true)
    }

    /// The options of the connection-sync daemon; false for any other
    /// option.
    fn daemon_option(&mut self, tag: Tag, value: Option<&str>) -> Result<bool, CliError> {
        let val = || value.unwrap_or("");
        let daemon = &mut self.daemon;
        match tag {
            Tag::McastInterface => {
                set_bit(&mut self.options, Opt::Mcast)?;
                daemon.mcast_ifn = truncated(val(), IP_VS_IFNAME_MAXLEN - 1);
            }
            Tag::SyncId => {
                set_bit(&mut self.options, Opt::SyncId)?;
                match string_to_number(val(), 0, 255) {
                    Some(n) => daemon.syncid = n as u32,
                    None => return fail("illegal syncid specified"),
                }
            }
            Tag::McastGroup => {
                set_bit(&mut self.options, Opt::McastGroup)?;
                let v = val();
                if v.contains(':') {
                    match inet_pton6(v) {
                        Some(a) if a.is_multicast() => daemon.mcast_group = Some(IpAddr::V6(a)),
                        _ => return fail(format!("invalid IPv6 mcast-group `{v}'")),
                    }
                } else {
                    match inet_pton4(v) {
                        Some(a) if is_ipv4_multicast(a) => daemon.mcast_group = Some(IpAddr::V4(a)),
                        _ => return fail(format!("invalid IPv4 mcast-group `{v}'")),
                    }
                }
            }
            Tag::McastPort => {
                set_bit(&mut self.options, Opt::McastPort)?;
                match string_to_number(val(), 1, 65535) {
                    Some(n) => daemon.mcast_port = n as u16,
                    None => return fail("illegal mcast-port specified"),
                }
            }
            Tag::McastTtl => {
                set_bit(&mut self.options, Opt::McastTtl)?;
                match string_to_number(val(), 1, 255) {
                    Some(n) => daemon.mcast_ttl = n as u8,
                    None => return fail("illegal mcast-ttl specified"),
                }
            }
            Tag::SyncMaxlen => {
                set_bit(&mut self.options, Opt::SyncMaxlen)?;
                match string_to_number(val(), 1, 65535 - 20 - 8) {
                    Some(n) => daemon.sync_maxlen = n as u16,
                    None => return fail("illegal sync-maxlen specified"),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Our options, which ipvsadm lacks; false for any other option.
    fn our_option(&mut self, tag: Tag, value: Option<&str>) -> Result<bool, CliError> {
        match tag {
            Tag::Json => {
                self.set_option(Opt::Json)?;
                self.format.json = true;
            }
            Tag::Netns => {
                self.set_option(Opt::Netns)?;
                *self.netns = Some(value.unwrap_or("").to_string());
            }
            Tag::Validate => self.set_option(Opt::Validate)?,
            Tag::Reconcile => self.set_option(Opt::Reconcile)?,
            Tag::Metrics => {
                self.set_option(Opt::Metrics)?;
                self.format.metrics = true;
            }
            // Repeatable: each names one more file of the cluster.
            Tag::K8s => {
                self.options |= Opt::K8s.bit();
                self.kube().files.push(value.unwrap_or("").to_string());
            }
            // `--k8s-api` is a `--k8s` as the rules between options go.
            Tag::K8sApi | Tag::Kubeconfig | Tag::Context => self.api_option(tag, value)?,
            Tag::Node => {
                self.set_option(Opt::Node)?;
                self.kube().node = Some(value.unwrap_or("").to_string());
            }
            _ => return self.migration_option(tag, value),
        }
        Ok(true)
    }

    /// `--k8s-api`, `--kubeconfig` and `--context`, each at most once.
    fn api_option(&mut self, tag: Tag, value: Option<&str>) -> Result<(), CliError> {
        if tag == Tag::K8sApi {
            if self.api_given {
                return fail("--k8s-api given twice");
            }
            self.api_given = true;
            self.options |= Opt::K8s.bit();
            self.kube().api.get_or_insert_with(ApiSource::default);
            return Ok(());
        }
        let api = self.kube().api.get_or_insert_with(ApiSource::default);
        let (name, slot) = match tag {
            Tag::Kubeconfig => ("--kubeconfig", &mut api.kubeconfig),
            _ => ("--context", &mut api.context),
        };
        if slot.is_some() {
            return fail(format!("{name} given twice"));
        }
        *slot = Some(value.unwrap_or("").to_string());
        Ok(())
    }

    /// Ours: the options about kube-proxy's part of the node.
    fn kube(&mut self) -> &mut KubeArgs {
        self.kube.get_or_insert_with(KubeArgs::default)
    }

    /// `--owner`, `--migrate`, `--nodeport-range` and the options of
    /// `--cleanup-kube-proxy`; false for any other option.
    fn migration_option(&mut self, tag: Tag, value: Option<&str>) -> Result<bool, CliError> {
        match tag {
            Tag::Owner => {
                self.set_option(Opt::Owner)?;
                let filter = match value {
                    None => None,
                    Some("kube-proxy") => Some(OwnerFilter::KubeProxy),
                    Some("other") => Some(OwnerFilter::Other),
                    Some(v) => {
                        return fail(format!("--owner takes kube-proxy or other, not `{v}'"))
                    }
                };
                self.kube().owner = Some(filter);
            }
            Tag::Migrate => {
                self.set_option(Opt::Migrate)?;
                self.kube().migrate = Some(match value.unwrap_or("") {
                    "nftables" => MigrationTarget::Nftables,
                    "iptables" => MigrationTarget::Iptables,
                    v => return fail(format!("--migrate takes nftables or iptables, not `{v}'")),
                });
            }
            Tag::Apply => {
                self.set_option(Opt::Apply)?;
                self.kube().apply = true;
            }
            Tag::Backup => {
                self.set_option(Opt::Backup)?;
                self.kube().backup = Some(value.unwrap_or("").to_string());
            }
            Tag::IncludeLikely => {
                self.set_option(Opt::IncludeLikely)?;
                self.kube().include_likely = true;
            }
            Tag::NodeportRange => {
                self.set_option(Opt::NodeportRange)?;
                let v = value.unwrap_or("");
                match parse_port_range(v) {
                    Some(r) => self.kube().nodeport_range = Some(r),
                    None => return fail(format!("invalid node port range `{v}'")),
                }
            }
            Tag::NodeportAddresses => {
                self.set_option(Opt::NodeportAddresses)?;
                self.kube().nodeport_addresses =
                    NodePortAddresses::parse_flag(value.unwrap_or("")).map_err(CliError::Fail)?;
            }
            Tag::Watch => {
                self.set_option(Opt::Watch)?;
                match watch_interval(value) {
                    Some(d) => self.format.watch = Some(d),
                    None => return fail("illegal watch interval specified"),
                }
            }
            Tag::Changes => {
                self.set_option(Opt::Changes)?;
                self.format.changes = true;
                self.format.watch = self.format.watch.or(Some(WATCH_EVERY));
            }
            _ => return self.exporter_option(tag, value),
        }
        Ok(true)
    }

    /// `--exporter`'s own options; false for any other option.
    fn exporter_option(&mut self, tag: Tag, value: Option<&str>) -> Result<bool, CliError> {
        let v = value.unwrap_or("");
        match tag {
            Tag::Listen => {
                self.set_option(Opt::Listen)?;
                match v.parse::<SocketAddr>() {
                    Ok(a) => self.exporter.listen = a,
                    Err(_) => return fail(format!("--listen takes address:port, not `{v}'")),
                }
            }
            Tag::Grace => {
                self.set_option(Opt::Grace)?;
                match v.parse::<u32>() {
                    Ok(s) => self.exporter.grace = Duration::from_secs(s.into()),
                    Err(_) => return fail(format!("--grace takes whole seconds, not `{v}'")),
                }
            }
            Tag::ReadInterval => {
                self.set_option(Opt::ReadInterval)?;
                match watch_interval(Some(v)) {
                    Some(d) => self.exporter.read_interval = d,
                    None => return fail(format!("illegal read interval `{v}'")),
                }
            }
            Tag::TableMetrics => {
                self.set_option(Opt::TableMetrics)?;
                self.exporter.table_metrics = true;
            }
            Tag::TableNamespace | Tag::TableService | Tag::TableVirtualService => {
                self.table_filter(tag, v)?;
            }
            Tag::KubeProxyMetrics => {
                self.set_option(Opt::KubeProxyMetrics)?;
                match v.parse::<SocketAddr>() {
                    Ok(a) => self.kube().kube_proxy_metrics = a,
                    Err(_) => {
                        return fail(format!(
                            "--kube-proxy-metrics takes address:port, not `{v}'"
                        ))
                    }
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A filter of `--table-metrics`, which it implies; each may be given
    /// again, its lists adding up.
    fn table_filter(&mut self, tag: Tag, v: &str) -> Result<(), CliError> {
        let (opt, added) = match tag {
            Tag::TableNamespace => (
                Opt::TableNamespace,
                self.exporter.table_select.add_namespaces(v),
            ),
            Tag::TableService => (
                Opt::TableService,
                self.exporter.table_select.add_services(v),
            ),
            _ => (
                Opt::TableVirtualService,
                self.exporter.table_select.add_virtual_services(v),
            ),
        };
        added.map_err(CliError::Fail)?;
        self.options |= opt.bit();
        self.exporter.table_metrics = true;
        Ok(())
    }

    /// `process_options`: the matrix, then the rules between options and
    /// the defaults they leave.
    fn check(&mut self, cmd: Cmd) -> Result<(), CliError> {
        check_command(cmd, self.options).map_err(CliError::Fail)?;
        self.check_api(cmd)?;
        let (options, svc, dest) = (self.options, &mut self.svc, &mut self.dest);
        if options & Opt::Node.bit() != 0 && options & Opt::K8s.bit() == 0 {
            return fail("--node needs --k8s");
        }
        if options & Opt::NodeportAddresses.bit() != 0 && options & Opt::K8s.bit() == 0 {
            return fail("--nodeport-addresses needs --k8s");
        }
        if options & Opt::KubeProxyMetrics.bit() != 0 && options & Opt::K8s.bit() == 0 {
            return fail("--kube-proxy-metrics needs --k8s");
        }
        if options & Opt::Backup.bit() != 0 && options & Opt::Apply.bit() == 0 {
            return fail("--backup needs --apply");
        }
        let owner = self.kube.as_ref().and_then(|k| k.owner);
        if cmd == Cmd::Save && owner == Some(None) {
            return fail("-S --owner needs =kube-proxy or =other");
        }

        if cmd == Cmd::Add || cmd == Cmd::Edit {
            if svc.fwmark == 0 && svc.port == 0 && svc.flags & svc_flags::PERSISTENT == 0 {
                return fail("Zero port specified for non-persistent service");
            }
            if svc.flags & svc_flags::ONEPACKET != 0
                && svc.fwmark == 0
                && svc.protocol != IPPROTO_UDP
            {
                return fail("One-Packet Scheduling is only for UDP virtual services");
            }
            if svc.sched.is_empty() {
                svc.sched = DEF_SCHED.to_string();
            }
        }
        if cmd == Cmd::StartDaemon && self.daemon.mcast_ifn.is_empty() {
            self.daemon.mcast_ifn = DEF_MCAST_IFN.to_string();
        }
        if cmd == Cmd::AddDest || cmd == Cmd::EditDest {
            let fwd = dest.forward;
            if svc.fwmark == 0 && (fwd == Forward::Tunnel || fwd == Forward::Route) {
                dest.port = svc.port;
            }
            if self.dest_af != svc.af && fwd != Forward::Tunnel {
                return fail("Different address family is allowed only for tunneling servers");
            }
            let tun_opts = Opt::TunType.bit()
                | Opt::TunPort.bit()
                | Opt::TunNocsum.bit()
                | Opt::TunCsum.bit()
                | Opt::TunRemcsum.bit();
            if options & tun_opts != 0 && fwd != Forward::Tunnel {
                return fail("Tunnel options conflict with forward method");
            }
            check_tunnel(dest.tun_type as usize, options).map_err(CliError::Fail)?;
        }
        if cmd == Cmd::List {
            let conn_like = Opt::Connection.bit() | Opt::Timeout.bit() | Opt::Daemon.bit();
            let detail = Opt::Stats.bit() | Opt::Rate.bit() | Opt::Thresholds.bit();
            let td = Opt::Timeout.bit() | Opt::Daemon.bit();
            // Ours: --metrics is the table (or one service) in full; it has
            // no form for the other listings, nor for -j's.
            let not_metrics = conn_like | Opt::Json.bit() | Opt::K8s.bit() | Opt::Owner.bit();
            // Ours: --watch and --changes list the table again and again;
            // not the connections, timeouts, daemons or metrics, and not
            // yet with owners (--k8s names the services).
            let live = Opt::Watch.bit() | Opt::Changes.bit();
            let not_live = conn_like | Opt::Metrics.bit() | Opt::Owner.bit();
            if (options & conn_like != 0 && options & detail != 0)
                || (options & td != 0 && options & Opt::PersistentConn.bit() != 0)
                || (options & Opt::Metrics.bit() != 0 && options & not_metrics != 0)
                || (options & (Opt::K8s.bit() | Opt::Owner.bit()) != 0 && options & conn_like != 0)
                || (options & live != 0 && options & not_live != 0)
            {
                return fail("options conflicts in the list command");
            }
        }
        Ok(())
    }

    /// Ours: `--k8s-api` instead of `--k8s FILE`, never with it; its
    /// options only with it.
    fn check_api(&mut self, cmd: Cmd) -> Result<(), CliError> {
        let Some(kube) = self.kube.as_mut() else {
            return Ok(());
        };
        if cmd == Cmd::Exporter && !kube.files.is_empty() {
            return fail("--exporter watches the API server, not --k8s FILE");
        }
        if self.api_given && !kube.files.is_empty() {
            return fail("--k8s-api reads the cluster instead of --k8s FILE, not with it");
        }
        if !self.api_given && kube.api.is_some() {
            return fail("--kubeconfig and --context need --k8s-api");
        }
        Ok(())
    }

    /// The typed command, from what was read and checked.
    fn build(self, cmd: Cmd, timeouts: Timeouts) -> Command {
        let (options, svc, dest) = (self.options, &self.svc, &self.dest);
        let mut format = self.format;
        let has_service = options & Opt::Service.bit() != 0;
        let svc_arg = || build_svc(svc);
        let dest_arg = || DestArg {
            addr: dest.addr,
            port: dest.port,
            config: DestConfig {
                forward: dest.forward,
                weight: dest.weight,
                u_threshold: dest.u_threshold,
                l_threshold: dest.l_threshold,
                tun_type: TunnelType::from_raw(dest.tun_type),
                tun_port: dest.tun_port,
                tun_flags: dest.tun_flags,
            },
        };

        match cmd {
            Cmd::Add => Command::AddService(svc_arg()),
            Cmd::Edit => Command::EditService(svc_arg()),
            Cmd::Del => Command::DelService(svc_arg()),
            Cmd::Flush => Command::Flush,
            Cmd::List => {
                let target = if options & Opt::Connection.bit() != 0 {
                    ListTarget::Connections
                } else if has_service {
                    ListTarget::Service(svc_arg().id)
                } else if options & Opt::Timeout.bit() != 0 {
                    ListTarget::Timeout
                } else if options & Opt::Daemon.bit() != 0 {
                    ListTarget::Daemon
                } else {
                    ListTarget::All
                };
                Command::List { target, format }
            }
            Cmd::Save => {
                format.rule = true;
                Command::Save { format }
            }
            Cmd::Restore => Command::Restore(RestoreMode {
                validate: options & Opt::Validate.bit() != 0,
                reconcile: options & Opt::Reconcile.bit() != 0,
            }),
            Cmd::Check => Command::Check { format },
            Cmd::CleanupKubeProxy => Command::CleanupKubeProxy,
            Cmd::Exporter => Command::Exporter(self.exporter.clone()),
            Cmd::AddDest => Command::AddDest(svc_arg(), dest_arg()),
            Cmd::EditDest => Command::EditDest(svc_arg(), dest_arg()),
            Cmd::DelDest => Command::DelDest(svc_arg(), dest_arg()),
            Cmd::Zero => {
                // libipvs names a service only when one was given with a
                // mark, an address or a port.
                let named = svc.fwmark != 0 || !svc.addr.is_unspecified() || svc.port != 0;
                Command::Zero(if has_service && named {
                    Some(svc_arg())
                } else {
                    None
                })
            }
            Cmd::Timeout => Command::SetTimeout(timeouts),
            Cmd::StartDaemon => Command::StartDaemon(self.daemon),
            Cmd::StopDaemon => Command::StopDaemon(self.daemon),
        }
    }
}

/// Ours: `--watch`'s interval: none given is `WATCH_EVERY`; else a
/// decimal number of seconds (fractions allowed, no sign or exponent) from
/// 0.1 to 86400.
fn watch_interval(value: Option<&str>) -> Option<std::time::Duration> {
    let Some(v) = value else {
        return Some(WATCH_EVERY);
    };
    let digits = v.bytes().filter(u8::is_ascii_digit).count();
    let dots = v.bytes().filter(|b| *b == b'.').count();
    if digits == 0 || dots > 1 || digits + dots != v.len() {
        return None;
    }
    let secs: f64 = v.parse().ok()?;
    (0.1..=86400.0)
        .contains(&secs)
        .then(|| std::time::Duration::from_secs_f64(secs))
}

/// `set_option` on the option bits alone, for a handler that holds a
/// field of the reading at the same time.
fn set_bit(options: &mut u64, opt: Opt) -> Result<(), CliError> {
    if *options & opt.bit() != 0 {
        return fail(format!("multiple '{}' options specified", opt.name()));
    }
    *options |= opt.bit();
    Ok(())
}

fn build_svc(svc: &RawSvc) -> SvcArg {
    let family = if svc.af == Family::AF_INET6 {
        Family::Inet6
    } else {
        Family::Inet
    };
    let id = if svc.fwmark != 0 {
        ServiceId::Fwmark {
            family,
            mark: svc.fwmark,
        }
    } else {
        // The address was parsed with its family; a service without one
        // (never the case where the matrix demands a service) is 0.0.0.0.
        let addr = match (family, svc.addr) {
            (Family::Inet6, IpAddr::V4(_)) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            (_, a) => a,
        };
        ServiceId::Addr {
            protocol: Protocol::from_raw(svc.protocol),
            addr,
            port: svc.port,
        }
    };
    SvcArg {
        id,
        config: ServiceConfig {
            scheduler: svc.sched.as_str().into(),
            flags: svc.flags,
            timeout: svc.timeout,
            netmask: svc.netmask,
            pe_name: svc.pe.as_str().into(),
        },
    }
}

/// `--nodeport-range`: `first-last`, as the API server's
/// `--service-node-port-range` takes it (`30000-32767`).
fn parse_port_range(v: &str) -> Option<(u16, u16)> {
    let (a, b) = v.split_once('-')?;
    let (a, b): (u16, u16) = (a.parse().ok()?, b.parse().ok()?);
    (a >= 1 && a <= b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::Table;

    fn names() -> Table {
        let mut t = Table::default();
        t.hosts.insert("pod-a".into(), Ipv4Addr::new(10, 244, 1, 5));
        t.services.insert(("http".into(), "tcp".into()), 80);
        t
    }

    fn p(line: &str) -> Result<Command, CliError> {
        parse(&crate::test_util::argv(line), &names())
    }

    fn failure(line: &str) -> String {
        match p(line) {
            Err(CliError::Fail(m)) => m,
            other => panic!("{line}: {other:?}"),
        }
    }

    fn added(line: &str) -> SvcArg {
        match p(line) {
            Ok(Command::AddService(s)) => s,
            other => panic!("{line}: {other:?}"),
        }
    }

    fn listed(line: &str) -> (ListTarget, Format) {
        match p(line) {
            Ok(Command::List { target, format }) => (target, format),
            other => panic!("{line}: {other:?}"),
        }
    }

    /// `--k8s-api` is a `--k8s` as the rules between options go; its
    /// options need it, and it reads instead of files, never with them.
    #[test]
    fn k8s_api_goes_where_k8s_goes() {
        let kube = |line: &str| {
            parse_invocation(&crate::test_util::argv(line), &names())
                .unwrap()
                .kube
                .unwrap()
        };
        let k = kube("--check --k8s-api --kubeconfig /k --context c --node n");
        assert!(k.files.is_empty() && k.has_cluster());
        assert_eq!(
            k.api,
            Some(ApiSource {
                kubeconfig: Some("/k".into()),
                context: Some("c".into()),
            })
        );
        assert_eq!(k.node.as_deref(), Some("n"));
        assert_eq!(kube("-Ln --k8s-api").api, Some(ApiSource::default()));
        for (line, why) in [
            (
                "--check --kubeconfig /k",
                "--kubeconfig and --context need --k8s-api",
            ),
            (
                "-Ln --context c",
                "--kubeconfig and --context need --k8s-api",
            ),
            (
                "--check --k8s-api --k8s f.json",
                "--k8s-api reads the cluster instead of --k8s FILE, not with it",
            ),
            ("--check --k8s-api --k8s-api", "--k8s-api given twice"),
            (
                "--check --k8s-api --context a --context b",
                "--context given twice",
            ),
            (
                "-A -t 1.2.3.4:80 --k8s-api",
                "Illegal 'k8s' option with the 'add-service' command",
            ),
            ("-Lc --k8s-api", "options conflicts in the list command"),
        ] {
            assert_eq!(failure(line), why, "{line}");
        }
    }

    /// `--table-metrics`' filters: each implies it, may come again (the
    /// lists add up), goes with `--exporter` only; a bad value is told.
    #[test]
    fn table_filters_add_up_and_imply_table_metrics() {
        let words = |w: &[&str]| {
            let argv: Vec<String> = std::iter::once("ipvsadm")
                .chain(w.iter().copied())
                .map(String::from)
                .collect();
            parse_invocation(&argv, &names())
        };
        let inv = words(&[
            "--exporter",
            "--table-namespace",
            "kube-system,shop",
            "--table-service",
            "default/kubernetes",
            "--table-namespace",
            "load",
            "--table-virtual-service",
            "UDP [fd00::10]:53,FWM 7",
        ])
        .unwrap();
        let Command::Exporter(args) = inv.command else {
            panic!("{:?}", inv.command)
        };
        assert!(args.table_metrics);
        let s = &args.table_select;
        assert_eq!(s.namespaces, ["kube-system", "shop", "load"]);
        assert_eq!(
            s.services,
            [("default".to_string(), "kubernetes".to_string())]
        );
        let vs: Vec<String> = s
            .virtual_services
            .iter()
            .map(crate::format::service_text)
            .collect();
        assert_eq!(vs, ["UDP [fd00::10]:53", "FWM 7"]);
        for (w, why) in [
            (
                &["-Ln", "--table-namespace", "a"][..],
                "Illegal 'table-namespace' option with the 'list' command",
            ),
            (
                &["--check", "--table-service", "a/b"][..],
                "Illegal 'table-service' option with the 'check' command",
            ),
            (
                &["--exporter", "--table-service", "kube-dns"][..],
                "--table-service takes namespace/name, not `kube-dns'",
            ),
            (
                &["--exporter", "--table-virtual-service", "10.96.0.1:443"][..],
                "--table-virtual-service takes PROTOCOL ADDRESS:PORT or FWM MARK, not `10.96.0.1:443'",
            ),
        ] {
            match words(w) {
                Err(CliError::Fail(m)) => assert_eq!(m, why, "{w:?}"),
                other => panic!("{w:?}: {other:?}"),
            }
        }
    }

    /// `--exporter` reads the API server; its options go with it only.
    #[test]
    fn exporter_takes_its_options_and_the_api_server() {
        use crate::cli::ExporterArgs;
        use std::time::Duration;
        let inv = parse_invocation(
            &crate::test_util::argv(
                "--exporter --kubeconfig /k --node n --listen [::1]:9 --grace 30 \
                 --read-interval 0.5 --table-metrics",
            ),
            &names(),
        )
        .unwrap();
        assert_eq!(
            inv.command,
            Command::Exporter(ExporterArgs {
                listen: "[::1]:9".parse().unwrap(),
                grace: Duration::from_secs(30),
                read_interval: Duration::from_millis(500),
                table_metrics: true,
                table_select: Default::default(),
            })
        );
        let kube = inv.kube.unwrap();
        assert_eq!(kube.api.unwrap().kubeconfig.as_deref(), Some("/k"));
        assert_eq!(kube.node.as_deref(), Some("n"));
        let plain = parse_invocation(&crate::test_util::argv("--exporter"), &names()).unwrap();
        assert_eq!(plain.command, Command::Exporter(ExporterArgs::default()));
        assert_eq!(ExporterArgs::default().listen.to_string(), "127.0.0.1:9893");
        for (line, why) in [
            (
                "--check --grace 5",
                "Illegal 'grace' option with the 'check' command",
            ),
            (
                "-Ln --table-metrics",
                "Illegal 'table-metrics' option with the 'list' command",
            ),
            (
                "--exporter --changes",
                "Illegal 'changes' option with the 'exporter' command",
            ),
            (
                "--exporter --k8s f.json",
                "--exporter watches the API server, not --k8s FILE",
            ),
            (
                "--exporter --listen nowhere",
                "--listen takes address:port, not `nowhere'",
            ),
            (
                "--exporter --grace -1",
                "--grace takes whole seconds, not `-1'",
            ),
            ("--exporter --read-interval 0", "illegal read interval `0'"),
            (
                "--exporter --grace 1 --grace 2",
                "multiple 'grace' options specified",
            ),
            (
                "-Ln --kube-proxy-metrics 127.0.0.1:1",
                "Illegal 'kube-proxy-metrics' option with the 'list' command",
            ),
            (
                "--check --kube-proxy-metrics 127.0.0.1:1",
                "--kube-proxy-metrics needs --k8s",
            ),
            (
                "--exporter --kube-proxy-metrics x",
                "--kube-proxy-metrics takes address:port, not `x'",
            ),
        ] {
            assert_eq!(failure(line), why, "{line}");
        }
    }

    #[test]
    fn watch_takes_an_optional_interval_in_seconds() {
        use std::time::Duration;
        let every = |line: &str| listed(line).1.watch;
        assert_eq!(every("-Ln --watch"), Some(Duration::from_secs(2)));
        assert_eq!(every("-L --watch -n"), Some(Duration::from_secs(2)));
        assert_eq!(every("-Ln --watch=0.5"), Some(Duration::from_millis(500)));
        assert_eq!(every("-Ln --watch 10"), Some(Duration::from_secs(10)));
        assert_eq!(every("-Ln"), None);
        let (target, f) = listed("-Ln --changes -j -t 10.0.0.1:80");
        assert!(matches!(target, ListTarget::Service(_)));
        assert_eq!(
            (f.changes, f.json, f.watch),
            (true, true, Some(Duration::from_secs(2)))
        );
        assert_eq!(
            every("-Ln --changes --watch=1"),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            every("-Ln --watch=1 --changes"),
            Some(Duration::from_secs(1))
        );
        for bad in [
            "0", "0.05", "-1", "1e3", "inf", "nan", "1..2", ".", "86401", "2s", "",
        ] {
            let line = format!("-Ln --watch={bad}");
            assert_eq!(failure(&line), "illegal watch interval specified", "{line}");
        }
    }

    #[test]
    fn nodeport_addresses_go_where_k8s_goes_and_need_it() {
        let kube = |line: &str| match p(line) {
            Ok(Command::Check { .. }) | Ok(Command::List { .. }) => {}
            Ok(Command::CleanupKubeProxy) | Ok(Command::Save { .. }) => {}
            other => panic!("{line}: {other:?}"),
        };
        for line in [
            "--check --k8s c.json --nodeport-addresses 10.0.0.0/8,::/0",
            "-Ln --k8s c.json --nodeport-addresses=primary",
            "-S --owner=other --k8s c.json --nodeport-addresses 10.0.0.0/8",
            "--cleanup-kube-proxy --k8s c.json --nodeport-addresses 10.0.0.0/8",
        ] {
            kube(line);
        }
        assert_eq!(
            failure("-Ln --nodeport-addresses 10.0.0.0/8"),
            "--nodeport-addresses needs --k8s"
        );
        assert_eq!(
            failure("-Ln --k8s c.json --nodeport-addresses primary,10.0.0.0"),
            "invalid CIDR `10.0.0.0' in --nodeport-addresses"
        );
        assert_eq!(
            failure("-A -t 10.0.0.1:80 --nodeport-addresses 10.0.0.0/8"),
            "Illegal 'nodeport-addresses' option with the 'add-service' command"
        );
        assert_eq!(
            failure("-R --nodeport-addresses 10.0.0.0/8"),
            "Illegal 'nodeport-addresses' option with the 'restore' command"
        );
    }

    #[test]
    fn watch_and_changes_go_with_listings_of_the_table_only() {
        for line in [
            "-Lnc --watch",
            "-L --timeout --changes",
            "-L --daemon --watch",
            "-L --metrics --watch",
        ] {
            assert_eq!(
                failure(line),
                "options conflicts in the list command",
                "{line}"
            );
        }
        assert_eq!(
            failure("-A -t 10.0.0.1:80 --watch"),
            "Illegal 'watch' option with the 'add-service' command"
        );
        assert_eq!(
            failure("-S --changes"),
            "Illegal 'changes' option with the 'save' command"
        );
        assert_eq!(
            failure("-Ln --watch --watch"),
            "multiple 'watch' options specified"
        );
    }

    #[test]
    fn sched_flags_of_commas_only_crash_like_ipvsadm() {
        assert_eq!(p("-A -t 10.0.0.1:80 -b ,"), Err(CliError::Crash));
        assert_eq!(p("-L -b ,,,"), Err(CliError::Crash));
        assert_eq!(CliError::Crash.exit_code(), 139);
        assert_eq!(CliError::Crash.message("ipvsadm"), "");
        // An empty -b is no flags at all; empty pieces are skipped.
        let argv: Vec<String> = ["ipvsadm", "-A", "-t", "10.0.0.1:80", "-b", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        match parse(&argv, &names()) {
            Ok(Command::AddService(s)) => assert_eq!(s.config.flags, 0),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            added("-A -t 10.0.0.1:80 -s sh -b ,sh-port,,").config.flags,
            svc_flags::SCHED_SH_PORT
        );
        assert_eq!(
            failure("-A -t 10.0.0.1:80 -s rr -b sh-port,bogus"),
            "incompatible scheduler flag `sh-port'"
        );
    }

    #[test]
    fn bracketed_ipv4_loses_its_port() {
        assert_eq!(
            failure("-A -t [10.0.0.1]:84"),
            "Zero port specified for non-persistent service"
        );
        let s = added("-A -t [pod-a]:85 -p");
        assert_eq!(s.id.port(), 0);
    }

    #[test]
    fn expansion_reaches_ipvsadm() {
        assert_eq!(added("-A -t 10.0.0.1:80 -s r!#:+ r").config.scheduler, "rr");
        assert_eq!(added("-A -t pod-a!#:+ :80").id.port(), 80);
    }

    #[test]
    fn later_commands_and_values_are_invalid_options() {
        assert_eq!(
            failure("-L --start-daemon master"),
            "invalid option `master'"
        );
        assert_eq!(failure("-L -Z"), "invalid option `-Z'");
        assert_eq!(failure("-Lh"), "invalid option `-Lh'");
        assert_eq!(failure("-L -6"), "-6 used before -f\n");
    }

    #[test]
    fn leftovers_and_set() {
        assert_eq!(failure("--set 1 2 3 4"), "unexpected argument 4");
        assert_eq!(
            failure("--set 1 2"),
            "--set option requires 3 timeout values"
        );
        assert_eq!(failure("-L foo bar"), "unexpected argument foo");
        assert!(matches!(p("7 --set 8 9"), Ok(Command::SetTimeout(_))));
        assert_eq!(
            failure("--set 1 2 3 -n"),
            "Illegal 'numeric' option with the 'set' command"
        );
    }

    #[test]
    fn real_server_port_name_needs_the_protocol_first() {
        assert_eq!(
            failure("-a -r 10.0.0.7:http -t 10.0.0.1:80 -m"),
            "illegal real server address[:port] specified"
        );
        match p("-a -t 10.0.0.1:80 -r 10.0.0.7:http -m") {
            Ok(Command::AddDest(_, d)) => assert_eq!(d.port, 80),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn first_word_decides() {
        assert_eq!(p("-n -L"), Err(CliError::TryHelp));
        assert_eq!(p("--sort -L"), Err(CliError::TryHelp));
        assert_eq!(p("--start-daemon"), Err(CliError::TryHelp));
        assert_eq!(p("-hx --bogus"), Ok(Command::Help));
        assert_eq!(
            p("-Ln=1"),
            Err(CliError::Popt {
                bad: "-Ln=1".into(),
                text: "option does not take an argument"
            })
        );
    }

    /// Every pair and triple of awkward words: no panic, whatever comes.
    #[test]
    fn no_panic_on_odd_words() {
        let words = [
            "-A",
            "-a",
            "-L",
            "-R",
            "--set",
            "--start-daemon",
            "-t",
            "-f",
            "-6",
            "-M",
            "-p",
            "-b",
            "-r",
            "-w",
            "--tun-type",
            "--mcast-group",
            "",
            "-",
            "--",
            "=",
            ",",
            "[",
            "]:",
            "[::1]:",
            "!#:+",
            "\u{e9}",
            "-\u{e9}",
            "0",
            "4294967296",
            ":",
            "gue",
            "master",
        ];
        let table = names();
        for a in words {
            for b in words {
                for c in words {
                    let argv: Vec<String> =
                        ["ipvsadm", a, b, c].iter().map(|s| s.to_string()).collect();
                    let _ = parse(&argv, &table);
                }
            }
        }
    }
}
