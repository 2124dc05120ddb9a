//! ipvsadm's rules of which options go with which command, and which
//! tunnel options go with which tunnel type, kept as data: the tables of
//! ipvsadm.c (`commands_v_options`, `tunnel_types_v_options`) with the names
//! its messages use, and the checks that read them (`generic_opt_check`,
//! `tunnel_opt_check`).

/// Commands, in ipvsadm's `CMD_*` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Add,
    Edit,
    Del,
    Flush,
    List,
    AddDest,
    DelDest,
    EditDest,
    Timeout,
    StartDaemon,
    StopDaemon,
    Restore,
    Save,
    Zero,
    /// Ours: `--check`.
    Check,
    /// Ours: `--cleanup-kube-proxy`.
    CleanupKubeProxy,
    /// Ours: `--exporter`.
    Exporter,
}

impl Cmd {
    /// The name ipvsadm's messages give the command.
    pub fn name(self) -> &'static str {
        CMD_NAMES[self as usize]
    }
}

const CMD_NAMES: [&str; 17] = [
    "add-service",
    "edit-service",
    "delete-service",
    "flush",
    "list",
    "add-server",
    "delete-server",
    "edit-server",
    "set",
    "start-daemon",
    "stop-daemon",
    "restore",
    "save",
    "zero",
    "check",
    "cleanup-kube-proxy",
    "exporter",
];

/// Options that the matrix knows, in ipvsadm's `OPTC_*` order (the bit
/// number in its option set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opt {
    Numeric,
    Connection,
    Service,
    Scheduler,
    Persistent,
    Netmask,
    Server,
    Forward,
    Weight,
    UThreshold,
    LThreshold,
    Mcast,
    Timeout,
    Daemon,
    Stats,
    Rate,
    Thresholds,
    PersistentConn,
    NoSort,
    SyncId,
    Exact,
    OnePacket,
    PersistenceEngine,
    SchedFlags,
    McastGroup,
    McastPort,
    McastTtl,
    SyncMaxlen,
    TunInfo,
    TunType,
    TunPort,
    TunNocsum,
    TunCsum,
    TunRemcsum,
    // Ours, after ipvsadm's, so that its messages keep their order.
    Json,
    Netns,
    Validate,
    Reconcile,
    Metrics,
    K8s,
    Node,
    Owner,
    Migrate,
    Apply,
    Backup,
    IncludeLikely,
    NodeportRange,
    NodeportAddresses,
    Watch,
    Changes,
    Listen,
    Grace,
    ReadInterval,
    TableMetrics,
    KubeProxyMetrics,
    TableNamespace,
    TableService,
    TableVirtualService,
}

pub const NUMBER_OF_OPT: usize = 58;

const OPT_NAMES: [&str; NUMBER_OF_OPT] = [
    "numeric",
    "connection",
    "service-address",
    "scheduler",
    "persistent",
    "netmask",
    "real-server",
    "forwarding-method",
    "weight",
    "u-threshold",
    "l-threshold",
    "mcast-interface",
    "timeout",
    "daemon",
    "stats",
    "rate",
    "thresholds",
    "persistent-conn",
    "nosort",
    "syncid",
    "exact",
    "ops",
    "pe",
    "sched-flags",
    "mcast-group",
    "mcast-port",
    "mcast-ttl",
    "sync-maxlen",
    "tun-info",
    "tun-type",
    "tun-port",
    "tun-nocsum",
    "tun-csum",
    "tun-remcsum",
    "json",
    "netns",
    "validate",
    "reconcile",
    "metrics",
    "k8s",
    "node",
    "owner",
    "migrate",
    "apply",
    "backup",
    "include-likely",
    "nodeport-range",
    "nodeport-addresses",
    "watch",
    "changes",
    "listen",
    "grace",
    "read-interval",
    "table-metrics",
    "kube-proxy-metrics",
    "table-namespace",
    "table-service",
    "table-virtual-service",
];

impl Opt {
    pub fn name(self) -> &'static str {
        OPT_NAMES[self as usize]
    }
    pub fn bit(self) -> u64 {
        1u64 << (self as u32)
    }
    fn from_index(i: usize) -> Opt {
        ALL_OPTS[i]
    }
}

const ALL_OPTS: [Opt; NUMBER_OF_OPT] = {
    use Opt::*;
    [
        Numeric,
        Connection,
        Service,
        Scheduler,
        Persistent,
        Netmask,
        Server,
        Forward,
        Weight,
        UThreshold,
        LThreshold,
        Mcast,
        Timeout,
        Daemon,
        Stats,
        Rate,
        Thresholds,
        PersistentConn,
        NoSort,
        SyncId,
        Exact,
        OnePacket,
        PersistenceEngine,
        SchedFlags,
        McastGroup,
        McastPort,
        McastTtl,
        SyncMaxlen,
        TunInfo,
        TunType,
        TunPort,
        TunNocsum,
        TunCsum,
        TunRemcsum,
        Json,
        Netns,
        Validate,
        Reconcile,
        Metrics,
        K8s,
        Node,
        Owner,
        Migrate,
        Apply,
        Backup,
        IncludeLikely,
        NodeportRange,
        NodeportAddresses,
        Watch,
        Changes,
        Listen,
        Grace,
        ReadInterval,
        TableMetrics,
        KubeProxyMetrics,
        TableNamespace,
        TableService,
        TableVirtualService,
    ]
};

/// '+' compulsory, 'x' illegal, '1' at most one of the '1's, ' ' optional.
/// Rows are commands, columns options, both in ipvsadm's order:
/// -n -c svc -s -p -M -r fwd -w -x -y -mc tot dmn -st -rt thr -pc srt sid -ex ops -pe -b grp port ttl size tinf type tprt nocs csum remc json netns vali reco metr k8s node ownr migr appl bkup likl nprg npad wat chg lstn grac rint tblm kpm tns tsvc tvs
/// (the last twenty-four are ours: `--netns` goes with every command; `--k8s`,
/// `--node` and `--nodeport-addresses` with `-L`, `-S`, `--check` and `--cleanup-kube-proxy`;
/// `--watch` and `--changes` with `-L`; `--listen`, `--grace`,
/// `--read-interval`, `--table-metrics` and its filters `--table-namespace`,
/// `--table-service`, `--table-virtual-service` with `--exporter` only;
/// `--kube-proxy-metrics` with `--check` and `--exporter`).
const MATRIX: [&[u8; NUMBER_OF_OPT]; 17] = [
    b"xx+   xxxxxxxxxxxxxxx   xxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxx", // add-service
    b"xx+   xxxxxxxxxxxxxxx   xxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxx", // edit-service
    b"xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxx", // delete-service
    b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxx", // flush
    b" 11xxxxxxxxx11       xxxxxxx xxxxx  xx    xxxx    xxxxxxxx", // list
    b"xx+xxx+    xxxxxxxxxxxxxxxxxx     x xxxxxxxxxxxxxxxxxxxxxx", // add-server
    b"xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxx", // delete-server
    b"xx+xxx+    xxxxxxxxxxxxxxxxxx     x xxxxxxxxxxxxxxxxxxxxxx", // edit-server
    b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxx", // set
    b"xxxxxxxxxxx xxxxxxx xxxx    xxxxxxx xxxxxxxxxxxxxxxxxxxxxx", // start-daemon
    b"xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxx", // stop-daemon
    b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx   xxxxxxxxxxxxxxxxxxxx", // restore
    b" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx xxx   xxxx  xxxxxxxxxx", // save
    b"xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxx", // zero
    b" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  xxx  x xxx  xxxxxx xxx", // check
    b" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx xxx  xx     xxxxxxxxxx", // cleanup-kube-proxy
    b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx xxx  xxxxx  xx        ", // exporter
];

/// Tunnel types, in `IP_VS_CONN_F_TUNNEL_TYPE_*` order.
pub const TUN_NAMES: [&str; 3] = ["ipip", "gue", "gre"];

/// The options the tunnel table has columns for.
const TUN_OPTS: [Opt; 4] = [Opt::TunPort, Opt::TunNocsum, Opt::TunCsum, Opt::TunRemcsum];

/// Rows ipip, gue, gre; columns tun-port, tun-nocsum, tun-csum, tun-remcsum.
const TUN_MATRIX: [&[u8; 4]; 3] = [b"xxxx", b"+111", b"x11x"];

/// One row of `MATRIX` as option sets: compulsory, illegal, at most one.
#[derive(Clone, Copy)]
struct RowSets {
    required: u64,
    illegal: u64,
    one: u64,
}

/// `MATRIX` as bit sets, made from it at compile time: a command that
/// breaks no rule passes in a few instructions (`-R` checks every line);
/// only a broken rule walks the row to word the message.
const ROW_SETS: [RowSets; 17] = {
    let mut sets = [RowSets {
        required: 0,
        illegal: 0,
        one: 0,
    }; 17];
    let mut r = 0;
    while r < MATRIX.len() {
        let mut j = 0;
        while j < NUMBER_OF_OPT {
            let bit = 1u64 << (ALL_OPTS[j] as u32);
            match MATRIX[r][j] {
                b'+' => sets[r].required |= bit,
                b'x' => sets[r].illegal |= bit,
                b'1' => sets[r].one |= bit,
                _ => {}
            }
            j += 1;
        }
        r += 1;
    }
    sets
};

/// `generic_opt_check`: the first rule broken, as ipvsadm words it.
pub fn check_command(cmd: Cmd, options: u64) -> Result<(), String> {
    if breaks_no_rule(cmd as usize, options) {
        return Ok(());
    }
    walk_row(MATRIX[cmd as usize], cmd.name(), options)
}

fn breaks_no_rule(row: usize, options: u64) -> bool {
    let sets = ROW_SETS[row];
    options & sets.illegal == 0
        && options & sets.required == sets.required
        && (options & sets.one).count_ones() <= 1
}

/// The row walked in ipvsadm's order, for the message of the first broken
/// rule.
fn walk_row(row: &[u8; NUMBER_OF_OPT], cmd: &str, options: u64) -> Result<(), String> {
    let mut first_one: Option<Opt> = None;
    for (j, rule) in row.iter().enumerate() {
        let opt = Opt::from_index(j);
        if options & opt.bit() == 0 {
            if *rule == b'+' {
                return Err(format!(
                    "You need to supply the '{}' option for the '{}' command",
                    opt.name(),
                    cmd
                ));
            }
        } else {
            if *rule == b'x' {
                return Err(format!(
                    "Illegal '{}' option with the '{}' command",
                    opt.name(),
                    cmd
                ));
            }
            if *rule == b'1' {
                match first_one {
                    None => first_one = Some(opt),
                    Some(last) => {
                        return Err(format!(
                            "The option '{}' conflicts with the '{}' option in the '{}' command",
                            opt.name(),
                            last.name(),
                            cmd
                        ))
                    }
                }
            }
        }
    }
    Ok(())
}

/// `tunnel_opt_check` for tunnel type `tun_type` (an index into
/// `TUN_NAMES`).
pub fn check_tunnel(tun_type: usize, options: u64) -> Result<(), String> {
    let Some(row) = TUN_MATRIX.get(tun_type) else {
        return Ok(());
    };
    let name = TUN_NAMES[tun_type];
    let mut first_one: Option<Opt> = None;
    for (j, rule) in row.iter().enumerate() {
        let opt = TUN_OPTS[j];
        if options & opt.bit() == 0 {
            if *rule == b'+' {
                return Err(format!(
                    "You need to supply the '{}' option for the '{}' tunnel type",
                    opt.name(),
                    name
                ));
            }
        } else {
            if *rule == b'x' {
                return Err(format!(
                    "Illegal '{}' option with the '{}' tunnel type",
                    opt.name(),
                    name
                ));
            }
            if *rule == b'1' {
                match first_one {
                    None => first_one = Some(opt),
                    Some(last) => {
                        return Err(format!(
                        "The option '{}' conflicts with the '{}' option in the '{}' tunnel type",
                        opt.name(),
                        last.name(),
                        name
                    ))
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_sets_agree_with_the_walk() {
        // Every single option and pair, then pseudo-random sets.
        let mut sets: Vec<u64> = vec![0];
        for i in 0..NUMBER_OF_OPT {
            for j in i..NUMBER_OF_OPT {
                sets.push(1 << i | 1 << j);
            }
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Sparse sets, as command lines are.
            sets.push(x & (x >> 17) & (x >> 31) & ((1 << NUMBER_OF_OPT) - 1));
        }
        for (r, row) in MATRIX.iter().enumerate() {
            for &o in &sets {
                let walked = walk_row(row, "any", o).is_ok();
                assert_eq!(breaks_no_rule(r, o), walked, "row {r} {o:#x}");
            }
        }
    }

    #[test]
    fn matrix_rows_match_ipvsadm_columns() {
        // Spot checks against ipvsadm.c's table.
        assert_eq!(MATRIX[Cmd::List as usize][Opt::Connection as usize], b'1');
        assert_eq!(MATRIX[Cmd::List as usize][Opt::TunInfo as usize], b' ');
        assert_eq!(MATRIX[Cmd::AddDest as usize][Opt::TunType as usize], b' ');
        assert_eq!(
            MATRIX[Cmd::StartDaemon as usize][Opt::SyncMaxlen as usize],
            b' '
        );
        assert_eq!(MATRIX[Cmd::Save as usize][Opt::Numeric as usize], b' ');
        assert_eq!(MATRIX[Cmd::Zero as usize][Opt::Service as usize], b' ');
    }

    #[test]
    fn messages() {
        assert_eq!(
            check_command(Cmd::AddDest, Opt::Service.bit()).unwrap_err(),
            "You need to supply the 'real-server' option for the 'add-server' command"
        );
        assert_eq!(
            check_command(Cmd::Add, Opt::Service.bit() | Opt::Weight.bit()).unwrap_err(),
            "Illegal 'weight' option with the 'add-service' command"
        );
        assert_eq!(
            check_command(Cmd::List, Opt::Connection.bit() | Opt::Service.bit()).unwrap_err(),
            "The option 'service-address' conflicts with the 'connection' option in the 'list' command"
        );
        assert_eq!(
            check_tunnel(1, 0).unwrap_err(),
            "You need to supply the 'tun-port' option for the 'gue' tunnel type"
        );
    }
}
