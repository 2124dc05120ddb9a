//! Ours: `-L --watch` and `--changes` (issue 16): the loop that lists the
//! table at each refresh (`list::watch_table`), hands the listing to the
//! pure `watch` feature and prints its event lines, or drives its view on
//! the terminal. A failed refresh is told and the kernel connection
//! opened again at the next one; the terminal is restored however the
//! view ends: `q`, Ctrl-C, an error, a panic.

use std::io::{self, IsTerminal, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use super::kernel::{try_init, Kernel};
use super::list::watch_table;
use super::Flow;
use crate::format::errors::{ipvs_strerror, Op};
use crate::format::{Format, WATCH_EVERY};
use crate::ipvs::{ServiceId, Widen};
use crate::streams::Streams;
use crate::watch::diff::Event;
use crate::watch::lines::{json_line_labelled, text_labelled, timestamp};
use crate::watch::track::Tracker;
use crate::watch::view::{self, Action, Key, Status, ViewState};
use crate::watch::Labels;

/// `-L --watch` or `--changes`, of the table or the one service named:
/// lines unless standard output is a terminal and neither `--changes`
/// nor `-j` is given. Runs until interrupted, or standard output fails.
pub(super) fn watch(
    k: &mut Kernel,
    one: Option<&ServiceId>,
    format: &Format,
    labels: Labels,
    io: &mut Streams,
) -> Flow {
    let every = format.watch.unwrap_or(WATCH_EVERY);
    let mut r = Refresher {
        k,
        broken: false,
        one: one.copied(),
        tracker: Tracker::new(),
        start: Instant::now(),
        memory: Widen::new(),
    };
    if format.changes || format.json || !io::stdout().is_terminal() {
        return lines(&mut r, every, format.json, &labels, io);
    }
    match show(&mut r, every, labels) {
        Ok(()) => Flow::Result(0),
        Err(e) => {
            io.err(&format!("terminal: {e}\n"));
            Flow::Exit(1)
        }
    }
}

/// What the loop keeps: the kernel (opened again after a failure), the
/// service watched, the feature's memory.
struct Refresher<'a> {
    k: &'a mut Kernel,
    broken: bool,
    one: Option<ServiceId>,
    tracker: Tracker,
    start: Instant,
    /// The last listing's counters, whole: what the next one widens the
    /// 32-bit counters of the getsockopt interface from.
    memory: Widen,
}

impl Refresher<'_> {
    /// One listing: its events, how long it took, when it was taken.
    fn refresh(&mut self) -> (Vec<Event>, Duration, SystemTime) {
        let began = Instant::now();
        let listed = self.reopened().and_then(|()| {
            watch_table(self.k, self.one.as_ref(), &mut self.memory)
                .map_err(|e| ipvs_strerror(Op::GetServices, e.errno()))
        });
        let (took, at) = (began.elapsed(), SystemTime::now());
        let events = match listed {
            Ok(table) => self.tracker.update(table, self.start.elapsed()),
            Err(message) => {
                self.broken = true;
                self.tracker.failed(message)
            }
        };
        (events, took, at)
    }

    /// After a failure, a new connection (IPVS may have been unloaded and
    /// loaded again: the family then has another id).
    fn reopened(&mut self) -> Result<(), String> {
        if self.broken {
            *self.k = try_init().map_err(|e| {
                format!(
                    "Can't initialize ipvs: {}",
                    ipvs_strerror(Op::Init, e.errno())
                )
            })?;
            self.broken = false;
        }
        Ok(())
    }
}

fn since_epoch(t: SystemTime) -> Duration {
    t.duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// `--changes`: each refresh's events as lines, flushed at once.
fn lines(
    r: &mut Refresher,
    every: Duration,
    json: bool,
    labels: &Labels,
    io: &mut Streams,
) -> Flow {
    let mut next = Instant::now();
    loop {
        let (events, _, at) = r.refresh();
        let time = timestamp(since_epoch(at));
        for e in &events {
            io.out(&if json {
                json_line_labelled(e, &time, labels)
            } else {
                text_labelled(e, &time, labels)
            });
        }
        io.flush();
        if io.write_failed() {
            return Flow::Result(0);
        }
        next = wait_until(next + every);
    }
}

/// Sleep until `t` (at once when it is past); the next tick's base.
fn wait_until(t: Instant) -> Instant {
    let now = Instant::now();
    if t > now {
        std::thread::sleep(t - now);
        t
    } else {
        now
    }
}

/// Tests only (debug builds): `IPVSADM_TEST_WATCH_PANIC=1` panics once
/// the view is drawn, so that a test can see the panic hook give the
/// terminal back.
fn panic_for_tests() {
    #[cfg(debug_assertions)]
    if std::env::var_os("IPVSADM_TEST_WATCH_PANIC").is_some() {
        panic!("IPVSADM_TEST_WATCH_PANIC");
    }
}

/// The terminal in raw mode on the alternate screen, given back as it was
/// when dropped.
struct Screen {
    term: Terminal<CrosstermBackend<Stdout>>,
}

impl Screen {
    fn enter() -> io::Result<Screen> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        terminal::enable_raw_mode()?;
        TAKEN.store(true, Ordering::SeqCst);
        let screen = execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)
            .and_then(|()| Terminal::new(CrosstermBackend::new(io::stdout())));
        screen
            .map(|term| Screen { term })
            .inspect_err(|_| restore())
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore();
    }
}

/// Whether the view holds the terminal (raw mode, alternate screen).
static TAKEN: AtomicBool = AtomicBool::new(false);

/// The terminal as it was: cooked mode, main screen, cursor shown. Once
/// only: after a panic the hook restores, prints the message, and the
/// unwinding drops the screen; leaving the alternate screen a second time
/// puts the cursor back where it was saved, and the shell's next lines
/// would be written over the message.
fn restore() {
    if TAKEN.swap(false, Ordering::SeqCst) {
        let _ = terminal::disable_raw_mode();
        let _ = execute!(io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
    }
}

/// A key the view knows, from the terminal's.
fn key_of(k: event::KeyEvent) -> Option<Key> {
    if k.kind != KeyEventKind::Press {
        return None;
    }
    Some(match k.code {
        KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => Key::Interrupt,
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        _ => return None,
    })
}

/// The view: refresh when due (unless paused), draw, wait for a key until
/// the next refresh.
fn show(r: &mut Refresher, every: Duration, labels: Labels) -> io::Result<()> {
    let mut screen = Screen::enter()?;
    let mut state = ViewState {
        labels,
        ..ViewState::default()
    };
    let mut status = Status {
        every,
        ..Status::default()
    };
    let mut next = Instant::now();
    loop {
        if Instant::now() >= next {
            if !state.paused {
                let (_, took, at) = r.refresh();
                status.refreshed = format!("{} UTC", &timestamp(since_epoch(at))[11..19]);
                status.took = took;
                status.error = r.tracker.failing().map(str::to_string);
            }
            next = Instant::now() + every;
        }
        let mut page = 0;
        screen.term.draw(|f| {
            page = usize::from(f.area().height.saturating_sub(3));
            view::draw(f, &r.tracker.rows, &mut state, &status);
        })?;
        panic_for_tests();
        let wait = next.saturating_duration_since(Instant::now());
        if !event::poll(wait)? {
            continue;
        }
        if let TermEvent::Key(k) = event::read()? {
            if key_of(k).is_some_and(|key| state.key(key, page) == Action::Quit) {
                return Ok(());
            }
        }
    }
}
