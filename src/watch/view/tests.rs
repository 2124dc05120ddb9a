//! Screens of the view, drawn into ratatui's test backend from sequences
//! of listings: new, vanished and reweighted rows, drain states, the
//! sorts, the filter, narrow and wide terminals, and the keys.

use std::time::Duration;

use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use ratatui::Terminal;

use super::*;
use crate::watch::fixture::{dest, svc, tcp, with_conns};
use crate::watch::track::Tracker;
use crate::watch::Table;

fn status() -> Status {
    Status {
        every: Duration::from_secs(2),
        refreshed: "07:20:01".into(),
        took: Duration::from_millis(3),
        error: None,
    }
}

/// The tracker after these listings, 2 s apart.
fn tracked(tables: &[Table]) -> Tracker {
    let mut t = Tracker::new();
    for (i, table) in tables.iter().enumerate() {
        t.update(table.clone(), Duration::from_secs(2 * i as u64));
    }
    t
}

/// The screen as lines of text, trailing blanks cut, and the buffer.
fn screen(
    t: &Tracker,
    state: &ViewState,
    w: u16,
    h: u16,
) -> (Vec<String>, ratatui::buffer::Buffer) {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut state = state.clone();
    term.draw(|f| draw(f, &t.rows, &mut state, &status()))
        .unwrap();
    let buf = term.backend().buffer().clone();
    let lines = (0..h)
        .map(|y| {
            let row: String = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
            row.trim_end().to_string()
        })
        .collect();
    (lines, buf)
}

fn two_services() -> Table {
    let mut a = svc(tcp(1, 80));
    a.stats.conns = 0;
    vec![
        (a, vec![with_conns(dest(2, 3), 4, 1), dest(3, 1)]),
        (svc(tcp(1, 443)), vec![with_conns(dest(4, 1), 9, 0)]),
    ]
}

#[test]
fn a_narrow_screen_shows_the_table() {
    let (lines, _) = screen(&tracked(&[two_services()]), &ViewState::default(), 80, 8);
    let want = [
        "ipvsadm --watch 2s  refreshed 07:20:01 in 3.0 ms  sort: kernel order",
        "  Prot LocalAddress:Port  Fwd    Weight ActiveConn  InActConn   Conn/s State",
        "  TCP 10.96.0.1:80 rr                            4          1      0.0",
        "    -> 10.250.0.2:8080    Masq        3          4          1      0.0",
        "    -> 10.250.0.3:8080    Masq        1          0          0      0.0",
        "  TCP 10.96.0.1:443 rr                           9          0      0.0",
        "    -> 10.250.0.4:8080    Masq        1          9          0      0.0",
        "q quit  p pause  s sort  / filter  arrows PgUp PgDn Home End scroll",
    ];
    assert_eq!(lines, want);
}

#[test]
fn a_wide_screen_adds_bytes_and_the_trend() {
    let mut tables = vec![two_services()];
    for i in 1..4u64 {
        let mut t = two_services();
        t[0].0.stats.conns = i * i * 2;
        t[0].0.stats.inbytes = i * 4000;
        tables.push(t);
    }
    let (lines, _) = screen(&tracked(&tables), &ViewState::default(), 130, 5);
    assert!(
        lines[1].ends_with("State      Bytes/s Trend (conn/s)"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("  TCP 10.96.0.1:80 rr "),
        "{}",
        lines[2]
    );
    // 16 conns and 8000 bytes over the last 4 s; the trend of 1, 2, 4.
    assert!(
        lines[2].ends_with("      4.0               2.0K ▃▅█"),
        "{}",
        lines[2]
    );
}

#[test]
fn new_vanished_and_reweighted_rows_are_marked() {
    let first = two_services();
    let mut second = vec![first[0].clone()];
    second[0].1[1].config.weight = 5;
    second[0].1.push(dest(9, 1));
    second.push((svc(tcp(1, 8080)), vec![]));
    let t = tracked(&[first, second]);
    let (lines, buf) = screen(&t, &ViewState::default(), 80, 10);
    let marks: Vec<&str> = lines[2..8].iter().map(|l| &l[..24]).collect();
    assert_eq!(
        marks,
        [
            "  TCP 10.96.0.1:80 rr",
            "    -> 10.250.0.2:8080",
            "~   -> 10.250.0.3:8080",
            "+   -> 10.250.0.9:8080",
            "+ TCP 10.96.0.1:8080 rr",
            "- TCP 10.96.0.1:443 rr",
        ]
        .map(|m| format!("{m:<24}"))
        .iter()
        .map(|s| &s[..24])
        .collect::<Vec<_>>()
    );
    // The vanished rows are dimmed, their server too.
    assert!(buf[(4, 7)].modifier.contains(Modifier::DIM));
    assert!(buf[(4, 8)].modifier.contains(Modifier::DIM));
    assert!(!buf[(4, 6)].modifier.contains(Modifier::DIM));
}

#[test]
fn drain_states_show_on_weight_zero_servers() {
    let id = tcp(1, 80);
    let table = |w2, a2, w3, a3| {
        vec![(
            svc(id),
            vec![
                with_conns(dest(2, w2), a2, 0),
                with_conns(dest(3, w3), a3, 0),
            ],
        )]
    };
    let mut t = Tracker::new();
    t.update(table(1, 5, 1, 0), Duration::from_secs(0));
    t.update(table(0, 5, 0, 0), Duration::from_secs(2));
    let (lines, _) = screen(&t, &ViewState::default(), 80, 6);
    assert!(
        lines[3].ends_with(" 0          5          0      0.0 draining"),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].ends_with(" 0          0          0      0.0 drained"),
        "{}",
        lines[4]
    );
    t.update(table(0, 5, 0, 0), Duration::from_secs(70));
    let (lines, _) = screen(&t, &ViewState::default(), 80, 6);
    assert!(lines[3].ends_with("0.0 stuck"), "{}", lines[3]);
}

#[test]
fn the_sorts_and_the_filter_choose_the_rows() {
    let mut tables = vec![two_services(), two_services()];
    tables[1][1].0.stats.conns = 100;
    let t = tracked(&tables);
    let names = |state: &ViewState| -> Vec<String> {
        let (lines, _) = screen(&t, state, 80, 9);
        lines[2..lines.len() - 1]
            .iter()
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect()
    };
    let mut state = ViewState::default();
    assert_eq!(names(&state)[0], "TCP 10.96.0.1:80 rr");
    for _ in 0..2 {
        state.key(Key::Char('s'), 5);
    }
    assert_eq!(state.sort, Sort::Conns);
    assert_eq!(names(&state)[0], "TCP 10.96.0.1:443 rr");
    state.key(Key::Char('s'), 5);
    assert_eq!(state.sort, Sort::Active);
    let active = names(&state);
    assert_eq!(active[0], "TCP 10.96.0.1:443 rr");
    // Servers by active connections, most first.
    assert_eq!(
        active[2..4],
        ["TCP 10.96.0.1:80 rr", "-> 10.250.0.2:8080 Masq"]
    );
    state.key(Key::Char('s'), 5);
    assert_eq!(state.sort, Sort::Kernel);
    for k in [Key::Char('/'), Key::Char('.'), Key::Char('3'), Key::Enter] {
        state.key(k, 5);
    }
    assert_eq!(
        names(&state),
        ["TCP 10.96.0.1:80 rr", "-> 10.250.0.3:8080 Masq"]
    );
    let (lines, _) = screen(&t, &state, 80, 9);
    assert!(lines[0].ends_with("filter: .3"), "{}", lines[0]);
    state.key(Key::Esc, 5);
    assert_eq!(names(&state).len(), 5);
}

#[test]
fn keys_quit_pause_type_and_scroll() {
    let mut s = ViewState::default();
    assert_eq!(s.key(Key::Char('p'), 10), Action::Redraw);
    assert!(s.paused);
    s.key(Key::PageDown, 10);
    s.key(Key::Down, 10);
    assert_eq!(s.scroll, 11);
    s.key(Key::PageUp, 10);
    s.key(Key::PageUp, 10);
    assert_eq!(s.scroll, 0);
    // While typing the filter, q is a letter; Ctrl-C still quits.
    s.key(Key::Char('/'), 10);
    assert_eq!(s.key(Key::Char('q'), 10), Action::Redraw);
    s.key(Key::Backspace, 10);
    assert_eq!(s.filter, "");
    assert_eq!(s.key(Key::Interrupt, 10), Action::Quit);
    s.key(Key::Enter, 10);
    assert_eq!(s.key(Key::Char('q'), 10), Action::Quit);
}

#[test]
fn the_footer_tells_the_error_and_the_prompt() {
    let t = tracked(&[two_services()]);
    let mut term = Terminal::new(TestBackend::new(60, 4)).unwrap();
    let st = Status {
        error: Some("Protocol not available".into()),
        ..status()
    };
    term.draw(|f| draw(f, &t.rows, &mut ViewState::default(), &st))
        .unwrap();
    let buf = term.backend().buffer();
    let last: String = (0..60).map(|x| buf[(x, 3)].symbol().to_string()).collect();
    assert_eq!(
        last.trim_end(),
        "error: Protocol not available (trying again)"
    );
    let typing = ViewState {
        typing: true,
        filter: "10.2".into(),
        ..ViewState::default()
    };
    let (lines, _) = screen(&t, &typing, 60, 4);
    assert_eq!(lines[3], "/10.2_");
}

#[test]
fn rates_and_trends_are_written_short() {
    assert_eq!(human(0.0), "0");
    assert_eq!(human(950.0), "950");
    assert_eq!(human(1234.0), "1.2K");
    assert_eq!(human(3.4e6), "3.4M");
    assert_eq!(sparkline(&[0.0, 1.0, 2.0, 4.0], 10), "▁▃▅█");
    assert_eq!(sparkline(&[0.0, 0.0], 10), "▁▁");
    assert_eq!(sparkline(&[1.0, 2.0, 3.0], 2), "▆█");
}

/// With labels (`--k8s`): a dim line under each service saying what it
/// is, and the filter matches it.
#[test]
fn labels_go_under_their_services_and_the_filter_reads_them() {
    let mut labels = crate::watch::Labels {
        key: "kubernetes",
        unknown: Some(("no Service".into(), serde_json::Value::Null)),
        ..Default::default()
    };
    labels
        .text
        .insert(tcp(1, 80), "shop/web:http (ClusterIP, cluster IP)".into());
    let mut state = ViewState {
        labels,
        ..ViewState::default()
    };
    let t = tracked(&[two_services()]);
    let (lines, buf) = screen(&t, &state, 80, 10);
    assert_eq!(lines[3], "     shop/web:http (ClusterIP, cluster IP)");
    assert_eq!(lines[7], "     no Service");
    assert!(buf[(5, 3)].modifier.contains(Modifier::DIM));
    state.filter = "shop/web".into();
    let (lines, _) = screen(&t, &state, 80, 10);
    assert!(lines[2].starts_with("  TCP 10.96.0.1:80 rr"), "{lines:?}");
    assert!(lines.iter().all(|l| !l.contains(":443")), "{lines:?}");
}

/// Home and End go to the first and the last page; the scroll stays
/// within the rows, so that a key up after End moves at once.
#[test]
fn home_and_end_go_to_the_first_and_last_page() {
    let table: Table = (1..=30).map(|n| (svc(tcp(n, 80)), Vec::new())).collect();
    let t = tracked(&[table]);
    let mut term = Terminal::new(TestBackend::new(80, 9)).unwrap();
    let mut state = ViewState::default();
    let mut shown = |state: &mut ViewState| -> Vec<String> {
        term.draw(|f| draw(f, &t.rows, state, &status())).unwrap();
        let buf = term.backend().buffer();
        (2..8)
            .map(|y| (0..80).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .map(|l| l.split_whitespace().nth(1).unwrap_or("").to_string())
            .collect()
    };
    // Six body rows: services 1 to 6, then 25 to 30.
    assert_eq!(shown(&mut state)[0], "10.96.0.1:80");
    state.key(Key::End, 6);
    let last = shown(&mut state);
    assert_eq!(last[0], "10.96.0.25:80");
    assert_eq!(last[5], "10.96.0.30:80");
    assert_eq!(state.scroll, 24);
    state.key(Key::Down, 6);
    shown(&mut state);
    assert_eq!(state.scroll, 24);
    state.key(Key::Up, 6);
    assert_eq!(shown(&mut state)[0], "10.96.0.24:80");
    state.key(Key::Home, 6);
    assert_eq!(shown(&mut state)[0], "10.96.0.1:80");
}
