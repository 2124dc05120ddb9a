//! A tokenizer that reads an argument vector the way popt 1.19 does for
//! ipvsadm's table: long options matched exactly (`--name`, `--name=value`),
//! short options bundled (`-Ln`, `-w5`, `-w=5`), a value taken from the rest
//! of a bundle or the next word, optional values (`-p`) skipped when the next
//! word starts with `-`, words that are not options kept as leftovers, `--`
//! ending the options, and `POSIXLY_CORRECT` (or `POSIX_ME_HARDER`) making
//! every word after the first leftover a leftover too. It yields options one
//! at a time, because ipvsadm acts on each as it comes and its first failure
//! wins.
//!
//! One more popt rule applies to every option value (`expandNextArg`): each
//! `!#:+` in it is replaced by the next word that does not start with `-`,
//! and that word is then skipped when popt reaches it
//! (`-s 'r!#:+' r` is `-s rr`).

use std::borrow::Cow;

use super::flags::{by_long, by_short, Arg, Flag};

/// popt's error codes, as far as ipvsadm can meet them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoptErrorKind {
    /// POPT_ERROR_NOARG
    NoArg,
    /// POPT_ERROR_UNWANTEDARG
    UnwantedArg,
    /// POPT_ERROR_BADOPT
    BadOpt,
}

impl PoptErrorKind {
    /// `poptStrerror`'s text.
    pub fn text(self) -> &'static str {
        match self {
            PoptErrorKind::NoArg => "missing argument",
            PoptErrorKind::UnwantedArg => "option does not take an argument",
            PoptErrorKind::BadOpt => "unknown option",
        }
    }
}

/// A popt error and `poptBadOption`'s answer: the word last consumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoptError {
    pub kind: PoptErrorKind,
    pub bad: String,
}

/// One option found, with its value when it takes one: borrowed from the
/// argument vector unless a `!#:+` expansion made a new one (`-R` parses
/// a line per request, so the common case allocates nothing).
#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub flag: &'static Flag,
    pub value: Option<Cow<'a, str>>,
}

pub struct Popt<'a> {
    argv: &'a [String],
    next: usize,
    /// Position in a bundle of short options still to read: (word, byte).
    bundle: Option<(usize, usize)>,
    rest_leftover: bool,
    posix: bool,
    leftovers: Vec<&'a str>,
    leftover_pos: usize,
    /// Words taken by a `!#:+` expansion (popt's `argb`): skipped when
    /// reached as options or leftovers. Empty until the first one.
    taken: Vec<bool>,
}

impl<'a> Popt<'a> {
    /// popt's `poptGetContext`: `argv[0]` is the program name and is
    /// skipped; POSIX mode when either variable is set, even to nothing.
    pub fn new(argv: &'a [String]) -> Self {
        // Read once per process: `-R` makes a context per line.
        static POSIX: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let posix = *POSIX.get_or_init(|| {
            std::env::var_os("POSIXLY_CORRECT").is_some()
                || std::env::var_os("POSIX_ME_HARDER").is_some()
        });
        Self::with_posix(argv, posix)
    }

    fn with_posix(argv: &'a [String], posix: bool) -> Self {
        Popt {
            argv,
            next: 1,
            bundle: None,
            rest_leftover: false,
            posix,
            leftovers: Vec::new(),
            leftover_pos: 0,
            taken: Vec::new(),
        }
    }

    fn is_taken(&self, i: usize) -> bool {
        self.taken.get(i).copied().unwrap_or(false)
    }

    /// popt's `findNextArg(con, 1, 1)`: the first word from the current
    /// position on that is not taken yet and does not start with `-`; it is
    /// marked taken. (A value read from the next word later does not look
    /// at the mark, as in popt.)
    fn take_next_arg(&mut self) -> Option<&'a str> {
        let i = (self.next..self.argv.len())
            .find(|&i| !self.is_taken(i) && !self.argv[i].starts_with('-'))?;
        if self.taken.is_empty() {
            self.taken = vec![false; self.argv.len()];
        }
        self.taken[i] = true;
        Some(&self.argv[i])
    }

    /// popt's `expandNextArg`: every `!#:+` becomes the next free word
    /// (the same word for all of them); with no such word it stays as is.
    fn expand(&mut self, value: &'a str) -> Cow<'a, str> {
        const MARK: &str = "!#:+";
        if !value.contains(MARK) {
            return Cow::Borrowed(value);
        }
        let mut out = String::with_capacity(value.len());
        let mut word: Option<&str> = None;
        let mut rest = value;
        while let Some(i) = rest.find(MARK) {
            out.push_str(&rest[..i]);
            if word.is_none() {
                word = self.take_next_arg();
            }
            match &word {
                Some(w) => {
                    out.push_str(w);
                    rest = &rest[i + MARK.len()..];
                }
                None => {
                    // popt copies the `!` and reads on from the `#`.
                    out.push('!');
                    rest = &rest[i + 1..];
                }
            }
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    /// The word `poptBadOption` names: the last one consumed.
    pub fn bad_option(&self) -> String {
        self.argv
            .get(self.next.saturating_sub(1))
            .cloned()
            .unwrap_or_default()
    }

    fn err(&self, kind: PoptErrorKind) -> PoptError {
        PoptError {
            kind,
            bad: self.bad_option(),
        }
    }

    /// `poptGetNextOpt`: the next option, `None` at the end.
    pub fn next_opt(&mut self) -> Result<Option<Found<'a>>, PoptError> {
        loop {
            if self.bundle.is_none() && self.next >= self.argv.len() {
                return Ok(None);
            }
            let mut flag: Option<&'static Flag> = None;
            let mut long_value: Option<&'a str> = None;
            if self.bundle.is_none() {
                if self.is_taken(self.next) {
                    self.next += 1;
                    continue;
                }
                let word: &'a str = &self.argv[self.next];
                self.next += 1;
                if self.rest_leftover || !word.starts_with('-') || word == "-" {
                    if self.posix {
                        self.rest_leftover = true;
                    }
                    self.leftovers.push(word);
                    continue;
                }
                if word == "--" {
                    self.rest_leftover = true;
                    continue;
                }
                if let Some(body) = word.strip_prefix("--") {
                    let (name, value) = match body.find('=') {
                        Some(i) => (&body[..i], Some(&body[i + 1..])),
                        None => (body, None),
                    };
                    match by_long(name) {
                        Some(f) => {
                            flag = Some(f);
                            long_value = value;
                        }
                        None => return Err(self.err(PoptErrorKind::BadOpt)),
                    }
                } else {
                    // A single dash: no option of ours may be spelt that way
                    // long (none has POPT_ARGFLAG_ONEDASH), so read shorts.
                    self.bundle = Some((self.next - 1, 1));
                }
            }
            if let Some((w, off)) = self.bundle.take() {
                let bytes = self.argv[w].as_bytes();
                let c = bytes[off];
                flag = if c.is_ascii() {
                    by_short(c as char)
                } else {
                    None
                };
                if flag.is_none() {
                    return Err(self.err(PoptErrorKind::BadOpt));
                }
                if off + 1 < bytes.len() {
                    self.bundle = Some((w, off + 1));
                }
            }
            let flag = flag.expect("set above");
            let value: Option<Cow<'a, str>> = match flag.arg {
                Arg::None => {
                    let eq_next = self
                        .bundle
                        .map(|(w, off)| self.argv[w].as_bytes()[off] == b'=')
                        .unwrap_or(false);
                    if long_value.is_some() || eq_next {
                        return Err(self.err(PoptErrorKind::UnwantedArg));
                    }
                    None
                }
                Arg::Required | Arg::Optional => {
                    let raw = if let Some(v) = long_value {
                        Some(v)
                    } else if let Some((w, off)) = self.bundle.take() {
                        let rest: &'a str = &self.argv[w][off..];
                        Some(rest.strip_prefix('=').unwrap_or(rest))
                    } else if self.next >= self.argv.len() {
                        if flag.arg == Arg::Required {
                            return Err(self.err(PoptErrorKind::NoArg));
                        }
                        None
                    } else if flag.arg == Arg::Optional && self.argv[self.next].starts_with('-') {
                        None
                    } else {
                        self.next += 1;
                        Some(self.argv[self.next - 1].as_str())
                    };
                    raw.map(|v| self.expand(v))
                }
            };
            return Ok(Some(Found { flag, value }));
        }
    }

    /// `poptGetArg`: the next leftover word.
    pub fn next_arg(&mut self) -> Option<&'a str> {
        let a = self.leftovers.get(self.leftover_pos).copied();
        if a.is_some() {
            self.leftover_pos += 1;
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::flags::Tag;
    use crate::test_util::argv;

    fn all(s: &str) -> Result<Vec<(Tag, Option<String>)>, PoptError> {
        let a = argv(s);
        let mut p = Popt::new(&a);
        let mut out = vec![];
        while let Some(f) = p.next_opt()? {
            out.push((f.flag.tag, f.value.map(String::from)));
        }
        Ok(out)
    }

    #[test]
    fn bundles_and_values() {
        assert_eq!(
            all("-Ln -w5 -w=6 --weight=7 -t 1.2.3.4:80").unwrap(),
            vec![
                (Tag::List, None),
                (Tag::Numeric, None),
                (Tag::Weight, Some("5".into())),
                (Tag::Weight, Some("6".into())),
                (Tag::Weight, Some("7".into())),
                (Tag::TcpService, Some("1.2.3.4:80".into())),
            ]
        );
    }

    #[test]
    fn optional_value() {
        assert_eq!(
            all("-p -s rr -p 30").unwrap(),
            vec![
                (Tag::Persistent, None),
                (Tag::Scheduler, Some("rr".into())),
                (Tag::Persistent, Some("30".into())),
            ]
        );
    }

    #[test]
    fn errors_name_the_word() {
        let e = all("-L --bogus").unwrap_err();
        assert_eq!(e.kind, PoptErrorKind::BadOpt);
        assert_eq!(e.bad, "--bogus");
        let e = all("-A -t").unwrap_err();
        assert_eq!((e.kind, e.bad.as_str()), (PoptErrorKind::NoArg, "-t"));
        let e = all("-L=x").unwrap_err();
        assert_eq!(e.kind, PoptErrorKind::UnwantedArg);
        let e = all("-Lq").unwrap_err();
        assert_eq!((e.kind, e.bad.as_str()), (PoptErrorKind::BadOpt, "-Lq"));
    }

    #[test]
    fn leftovers_and_double_dash() {
        let a = argv("--set 1 2 -- -3");
        let mut p = Popt::new(&a);
        assert_eq!(p.next_opt().unwrap().unwrap().flag.tag, Tag::Set);
        assert!(p.next_opt().unwrap().is_none());
        assert_eq!(p.next_arg(), Some("1"));
        assert_eq!(p.next_arg(), Some("2"));
        assert_eq!(p.next_arg(), Some("-3"));
        assert_eq!(p.next_arg(), None);
    }

    fn run(a: &[String], posix: bool) -> (Vec<(Tag, Option<String>)>, Vec<String>) {
        let mut p = Popt::with_posix(a, posix);
        let mut opts = vec![];
        while let Some(f) = p.next_opt().unwrap() {
            opts.push((f.flag.tag, f.value.map(String::from)));
        }
        let mut rest = vec![];
        while let Some(w) = p.next_arg() {
            rest.push(w.to_string());
        }
        (opts, rest)
    }

    #[test]
    fn posix_mode_stops_at_the_first_leftover() {
        let a = argv("-L foo -n");
        assert_eq!(run(&a, false).1, vec!["foo"]);
        assert_eq!(run(&a, false).0.len(), 2);
        let (opts, rest) = run(&a, true);
        assert_eq!(opts, vec![(Tag::List, None)]);
        assert_eq!(rest, vec!["foo", "-n"]);
    }

    #[test]
    fn bang_hash_colon_plus_takes_the_next_free_word() {
        let a = argv("-A -t 10.0.0.1:80 -s r!#:+ r");
        let (opts, rest) = run(&a, false);
        assert_eq!(opts[2], (Tag::Scheduler, Some("rr".into())));
        assert!(rest.is_empty());
        // Words starting with `-` are passed over; every mark gets the
        // same word.
        let a = argv("-L -t !#:+!#:+ -n x");
        let (opts, rest) = run(&a, false);
        assert_eq!(opts[1], (Tag::TcpService, Some("xx".into())));
        assert_eq!(opts[2], (Tag::Numeric, None));
        assert!(rest.is_empty());
        // No word left: the text stays.
        let a = argv("-A -s r!#:+");
        assert_eq!(run(&a, false).0[1].1.as_deref(), Some("r!#:+"));
        // A taken word can still be read as the next option's value.
        let a = argv("-A -s rr!#:+ -p 60");
        let (opts, rest) = run(&a, false);
        assert_eq!(opts[1].1.as_deref(), Some("rr60"));
        assert_eq!(opts[2], (Tag::Persistent, Some("60".into())));
        assert!(rest.is_empty());
        // In long values and bundles too.
        let a = argv("-A --scheduler=!#:+ rr -s!#:+ lc");
        let (opts, _) = run(&a, false);
        assert_eq!(opts[1].1.as_deref(), Some("rr"));
        assert_eq!(opts[2].1.as_deref(), Some("lc"));
    }

    #[test]
    fn odd_words() {
        // Empty words and a lone dash are leftovers; non-ASCII short
        // options are unknown.
        let mut a = argv("-L");
        a.push(String::new());
        a.push("-".into());
        assert_eq!(run(&a, false).1, vec!["", "-"]);
        let a = argv("-L -\u{e9}");
        let mut p = Popt::with_posix(&a, false);
        p.next_opt().unwrap();
        let e = p.next_opt().unwrap_err();
        assert_eq!((e.kind, e.bad.as_str()), (PoptErrorKind::BadOpt, "-\u{e9}"));
        for w in ["--=x", "---numeric", "-=", "--num", "-?"] {
            let a = argv(&format!("-L {w}"));
            let mut p = Popt::with_posix(&a, false);
            p.next_opt().unwrap();
            assert_eq!(p.next_opt().unwrap_err().kind, PoptErrorKind::BadOpt, "{w}");
        }
        let a = argv("-L --numeric=");
        let mut p = Popt::with_posix(&a, false);
        p.next_opt().unwrap();
        assert_eq!(p.next_opt().unwrap_err().kind, PoptErrorKind::UnwantedArg);
        // A consumed value is what poptBadOption names.
        let a = argv("-L --start-daemon master");
        let mut p = Popt::with_posix(&a, false);
        p.next_opt().unwrap();
        p.next_opt().unwrap();
        assert_eq!(p.bad_option(), "master");
    }
}
