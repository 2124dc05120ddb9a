//! The list options: how a listing is printed, ipvsadm's `FMT_*` bits
//! and ours (`-j`, `--metrics`, `--watch`, `--changes`). The formatter's own type, so that `format` needs
//! nothing of the command line; `cli` builds it from the options.

/// How a listing is printed (ipvsadm's `FMT_*` bits).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Format {
    pub numeric: bool,
    /// `-S`: print as rules.
    pub rule: bool,
    pub stats: bool,
    pub rate: bool,
    pub thresholds: bool,
    pub persistent_conn: bool,
    pub nosort: bool,
    pub exact: bool,
    pub tun_info: bool,
    /// Ours (`-j`): one JSON document instead of ipvsadm's text.
    pub json: bool,
    /// Ours (`--metrics`): Prometheus's text format instead of ipvsadm's.
    pub metrics: bool,
    /// Ours (`--watch[=SECONDS]`, or `--changes` alone: 2 s): the table
    /// listed again at this interval, as a live view or change lines.
    pub watch: Option<std::time::Duration>,
    /// Ours (`--changes`): change lines even on a terminal.
    pub changes: bool,
}

/// `--watch`'s interval when none is given, and `--changes`'.
pub const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// `-S -n`'s format: rules, numeric; what a file for `-R` is written in.
pub const RULES_NUMERIC: Format = Format {
    numeric: true,
    rule: true,
    stats: false,
    rate: false,
    thresholds: false,
    persistent_conn: false,
    nosort: false,
    exact: false,
    tun_info: false,
    json: false,
    metrics: false,
    watch: None,
    changes: false,
};
