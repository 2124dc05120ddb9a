//! The full-screen view of `-L --watch` on a terminal, drawn with
//! ratatui: a header (interval, last refresh and how long it took, sort,
//! filter, pause), the services with their real servers (rates, active
//! and inactive connections with their change, weight, forwarding, a
//! trend line per service, marks and drain states), and a line of keys or
//! the error of the last refresh. The keys' meaning (`ViewState::key`) is
//! here too; reading them and the terminal are the executor's. Pure.

use std::cmp::Reverse;
use std::time::Duration;

use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::drain::DrainState;
use super::lines::{endpoint, service_text};
use super::track::{Mark, ServerRow, ServiceRow};
use crate::ipvs::{Dest, Forward, ServiceId};

/// The sorts `s` cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Kernel,
    Address,
    Conns,
    Active,
}

impl Sort {
    fn next(self) -> Sort {
        match self {
            Sort::Kernel => Sort::Address,
            Sort::Address => Sort::Conns,
            Sort::Conns => Sort::Active,
            Sort::Active => Sort::Kernel,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Sort::Kernel => "kernel order",
            Sort::Address => "address",
            Sort::Conns => "conn/s",
            Sort::Active => "active",
        }
    }
}

/// A key, as the view reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Esc,
    Backspace,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    /// Ctrl-C.
    Interrupt,
}

/// What a key asks of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Redraw,
    Quit,
}

/// What the person has chosen: sort, filter, scroll, pause.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewState {
    /// What each service is (`--k8s`), shown under it and matched by the
    /// filter.
    pub labels: super::Labels,
    pub sort: Sort,
    pub filter: String,
    /// Typing the filter (after `/`, until Enter or Escape).
    pub typing: bool,
    pub scroll: usize,
    pub paused: bool,
}

impl ViewState {
    /// One key; `page` is how many rows the body shows.
    pub fn key(&mut self, key: Key, page: usize) -> Action {
        match (self.typing, key) {
            (_, Key::Interrupt) | (false, Key::Char('q')) => return Action::Quit,
            (true, Key::Char(c)) => self.filter.push(c),
            (true, Key::Backspace) => {
                self.filter.pop();
            }
            (true, Key::Enter) => self.typing = false,
            (_, Key::Esc) => {
                self.typing = false;
                self.filter.clear();
            }
            (false, Key::Char('p')) => self.paused = !self.paused,
            (false, Key::Char('s')) => self.sort = self.sort.next(),
            (false, Key::Char('/')) => self.typing = true,
            (_, Key::Up) => self.scroll = self.scroll.saturating_sub(1),
            (_, Key::Down) => self.scroll += 1,
            (_, Key::PageUp) => self.scroll = self.scroll.saturating_sub(page.max(1)),
            (_, Key::PageDown) => self.scroll += page.max(1),
            (_, Key::Home) => self.scroll = 0,
            // As far as it goes: `draw` brings it back to the last page.
            (_, Key::End) => self.scroll = usize::MAX,
            _ => {}
        }
        Action::Redraw
    }
}

/// What the header and footer tell of the refreshes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    pub every: Duration,
    /// When the table was last listed (a time of day).
    pub refreshed: String,
    pub took: Duration,
    /// The last refresh's error, if it failed.
    pub error: Option<String>,
}

/// The name column's width, and whether the wide columns (bytes per
/// second, trend) show.
struct Columns {
    name: usize,
    wide: bool,
}

/// Mark, forwarding, weight, active, inactive, conn/s, state.
const NARROW_FIXED: usize = 2 + 7 + 7 + 11 + 11 + 9 + 10;
const TREND: usize = 24;

impl Columns {
    fn of(width: u16) -> Columns {
        let width = usize::from(width);
        let wide = width >= 110;
        let fixed = NARROW_FIXED + if wide { 9 + 1 + TREND } else { 0 };
        Columns {
            name: width.saturating_sub(fixed).max(12),
            wide,
        }
    }
}

/// The text of one row's columns after its mark.
struct Cells<'a> {
    name: &'a str,
    fwd: &'a str,
    weight: &'a str,
    active: &'a str,
    inactive: &'a str,
    conns: &'a str,
    bytes: &'a str,
    state: &'a str,
    trend: &'a str,
}

impl Cells<'_> {
    fn line(&self, cols: &Columns) -> String {
        let name: String = self.name.chars().take(cols.name).collect();
        let mut t = format!(
            "{name:<w$} {:<6} {:>6} {:>10} {:>10} {:>8} {:<9}",
            self.fwd,
            self.weight,
            self.active,
            self.inactive,
            self.conns,
            self.state,
            w = cols.name
        );
        if cols.wide {
            t += &format!(" {:>8} {}", self.bytes, self.trend);
        }
        t
    }
}

/// Draw the whole screen. The scroll is brought back within the rows, so
/// that the last page stays full and a key up after the end moves at once.
pub fn draw(f: &mut Frame, rows: &[ServiceRow], state: &mut ViewState, status: &Status) {
    let [head, titles, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(f.area());
    let cols = Columns::of(f.area().width);
    f.render_widget(Paragraph::new(header(state, status)), head);
    let bold = Style::default().add_modifier(Modifier::REVERSED);
    f.render_widget(Paragraph::new(title(&cols)).style(bold), titles);
    let lines = body_lines(rows, state, &cols);
    state.scroll = state
        .scroll
        .min(lines.len().saturating_sub(usize::from(body.height)));
    let shown: Vec<Line> = lines.into_iter().skip(state.scroll).collect();
    f.render_widget(Paragraph::new(shown), body);
    f.render_widget(Paragraph::new(footer(state, status)), foot);
}

fn header(state: &ViewState, status: &Status) -> Line<'static> {
    let mut text = format!(
        "ipvsadm --watch {}s  refreshed {} in {:.1} ms  sort: {}",
        status.every.as_secs_f64(),
        status.refreshed,
        status.took.as_secs_f64() * 1000.0,
        state.sort.name()
    );
    if !state.filter.is_empty() {
        text += &format!("  filter: {}", state.filter);
    }
    let mut spans = vec![Span::raw(text)];
    if state.paused {
        spans.push(Span::styled(
            "  PAUSED",
            Style::default().add_modifier(Modifier::BOLD),
        ));
    }
    Line::from(spans)
}

fn footer(state: &ViewState, status: &Status) -> Line<'static> {
    if state.typing {
        return Line::raw(format!("/{}_", state.filter));
    }
    match &status.error {
        Some(e) => Line::styled(
            format!("error: {e} (trying again)"),
            Style::default().fg(Color::Red),
        ),
        None => Line::raw("q quit  p pause  s sort  / filter  arrows PgUp PgDn Home End scroll"),
    }
}

fn title(cols: &Columns) -> String {
    let cells = Cells {
        name: "Prot LocalAddress:Port Sched",
        fwd: "Fwd",
        weight: "Weight",
        active: "ActiveConn",
        inactive: "InActConn",
        conns: "Conn/s",
        bytes: "Bytes/s",
        state: "State",
        trend: "Trend (conn/s)",
    };
    format!("  {}", cells.line(cols))
}

/// A count with its change since the last refresh: `5 (+2)`.
fn with_change(n: u64, change: i64) -> String {
    match change {
        0 => n.to_string(),
        c => format!("{n} ({c:+})"),
    }
}

/// A rate with a unit prefix: `950`, `1.2K`, `3.4M`.
pub fn human(v: f64) -> String {
    let units = [("", 1.0), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)];
    let (u, scale) = units
        .iter()
        .rev()
        .find(|(_, s)| v >= *s)
        .copied()
        .unwrap_or(("", 1.0));
    if u.is_empty() {
        format!("{v:.0}")
    } else {
        format!("{:.1}{u}", v / scale)
    }
}

/// A trend line of at most `width` points, scaled to its largest.
pub fn sparkline(points: &[f64], width: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let shown = &points[points.len().saturating_sub(width)..];
    let max = shown.iter().copied().fold(0.0, f64::max);
    let bar = |v: f64| {
        if max <= 0.0 || v <= 0.0 {
            BARS[0]
        } else {
            BARS[((v / max * 7.0).ceil() as usize).clamp(1, 7)]
        }
    };
    shown.iter().map(|v| bar(*v)).collect()
}

fn forward(f: Forward) -> String {
    match f {
        Forward::Masq => "Masq".into(),
        Forward::Local => "Local".into(),
        Forward::Tunnel => "Tunnel".into(),
        Forward::Route => "Route".into(),
        Forward::Bypass => "Bypass".into(),
        Forward::Other(n) => n.to_string(),
    }
}

fn mark_span(mark: Option<Mark>) -> Span<'static> {
    match mark {
        Some(Mark::New) => Span::styled("+ ", Style::default().fg(Color::Green)),
        Some(Mark::Gone) => Span::styled("- ", Style::default().add_modifier(Modifier::DIM)),
        Some(Mark::Reweighted) => Span::styled("~ ", Style::default().fg(Color::Yellow)),
        None => Span::raw("  "),
    }
}

fn row_style(mark: Option<Mark>, drain: Option<DrainState>) -> Style {
    match (mark, drain) {
        (Some(Mark::Gone), _) => Style::default().add_modifier(Modifier::DIM),
        (_, Some(DrainState::Stuck)) => Style::default().fg(Color::Red),
        (_, Some(DrainState::Draining)) => Style::default().fg(Color::Yellow),
        (_, Some(DrainState::Drained)) => Style::default().add_modifier(Modifier::DIM),
        _ => Style::default(),
    }
}

fn service_line(row: &ServiceRow, cols: &Columns) -> Line<'static> {
    let sum = |f: fn(&ServerRow) -> (u64, i64)| {
        let live = row.servers.iter().filter(|s| s.mark != Some(Mark::Gone));
        live.map(f).fold((0, 0), |(n, c), (a, b)| (n + a, c + b))
    };
    let (active, da) = sum(|s| (u64::from(s.dest.conns.active), s.active_change));
    let (inactive, di) = sum(|s| (u64::from(s.dest.conns.inactive), s.inactive_change));
    let name = format!("{} {}", service_text(&row.svc.id), row.svc.config.scheduler);
    let cells = Cells {
        name: &name,
        fwd: "",
        weight: "",
        active: &with_change(active, da),
        inactive: &with_change(inactive, di),
        conns: &format!("{:.1}", row.rates.conns),
        bytes: &human(row.rates.bytes),
        state: "",
        trend: &sparkline(&row.trend, TREND),
    };
    let style = row_style(row.mark, None).add_modifier(Modifier::BOLD);
    Line::from(vec![
        mark_span(row.mark),
        Span::styled(cells.line(cols), style),
    ])
}

fn server_line(s: &ServerRow, cols: &Columns) -> Line<'static> {
    let d = &s.dest;
    let cells = Cells {
        name: &format!("  -> {}", endpoint(&d.addr, d.port)),
        fwd: &forward(d.config.forward),
        weight: &d.config.weight.to_string(),
        active: &with_change(d.conns.active.into(), s.active_change),
        inactive: &with_change(d.conns.inactive.into(), s.inactive_change),
        conns: &format!("{:.1}", s.rates.conns),
        bytes: &human(s.rates.bytes),
        state: s.drain.map_or("", DrainState::name),
        trend: "",
    };
    let style = row_style(s.mark, s.drain);
    Line::from(vec![
        mark_span(s.mark),
        Span::styled(cells.line(cols), style),
    ])
}

/// The rows as the sort and filter leave them, one line each.
fn body_lines(rows: &[ServiceRow], state: &ViewState, cols: &Columns) -> Vec<Line<'static>> {
    let mut shown: Vec<(&ServiceRow, Vec<&ServerRow>)> = rows
        .iter()
        .filter_map(|r| filtered(r, &state.filter, state.labels.text_of(&r.svc.id)))
        .collect();
    sort_rows(&mut shown, state.sort);
    let mut lines = Vec::new();
    for (row, servers) in shown {
        lines.push(service_line(row, cols));
        if let Some(l) = state.labels.text_of(&row.svc.id) {
            let dim = Style::default().add_modifier(Modifier::DIM);
            lines.push(Line::styled(format!("     {l}"), dim));
        }
        lines.extend(servers.into_iter().map(|s| server_line(s, cols)));
    }
    lines
}

/// A service and the servers the filter keeps: all of them when the
/// service's own text (or its label) matches; none shown when nothing
/// matches.
fn filtered<'a>(
    row: &'a ServiceRow,
    filter: &str,
    label: Option<&str>,
) -> Option<(&'a ServiceRow, Vec<&'a ServerRow>)> {
    let all: Vec<&ServerRow> = row.servers.iter().collect();
    if filter.is_empty()
        || service_text(&row.svc.id).contains(filter)
        || label.is_some_and(|l| l.contains(filter))
    {
        return Some((row, all));
    }
    let some: Vec<&ServerRow> = all
        .into_iter()
        .filter(|s| endpoint(&s.dest.addr, s.dest.port).contains(filter))
        .collect();
    (!some.is_empty()).then_some((row, some))
}

/// An address-ordered key for a service.
fn service_key(id: &ServiceId) -> (u8, std::net::IpAddr, u16, u32) {
    match id {
        ServiceId::Addr {
            protocol,
            addr,
            port,
        } => (protocol.raw() as u8, *addr, *port, 0),
        ServiceId::Fwmark { family, mark } => (255, crate::ipvs::unspecified(*family), 0, *mark),
    }
}

fn active(d: &Dest) -> u32 {
    d.conns.active
}

fn sort_rows(rows: &mut [(&ServiceRow, Vec<&ServerRow>)], sort: Sort) {
    let conns = |r: &ServiceRow| Reverse((r.rates.conns * 1000.0) as u64);
    let total = |r: &ServiceRow| Reverse(r.servers.iter().map(|s| active(&s.dest)).sum::<u32>());
    match sort {
        Sort::Kernel => return,
        Sort::Address => rows.sort_by_key(|(r, _)| service_key(&r.svc.id)),
        Sort::Conns => rows.sort_by_key(|(r, _)| conns(r)),
        Sort::Active => rows.sort_by_key(|(r, _)| total(r)),
    }
    for (_, servers) in rows {
        match sort {
            Sort::Kernel => {}
            Sort::Address => servers.sort_by_key(|s| (s.dest.addr, s.dest.port)),
            Sort::Conns => servers.sort_by_key(|s| Reverse((s.rates.conns * 1000.0) as u64)),
            Sort::Active => servers.sort_by_key(|s| Reverse(active(&s.dest))),
        }
    }
}

#[cfg(test)]
mod tests;
