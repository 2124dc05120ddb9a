//! How `ipvsadm -R` cuts standard input into command lines: ipvsadm's
//! `config_stream_read`. Words are split on space, tab, CR and newline; a
//! word `ipvsadm` is dropped; a line of no words is skipped by the caller.
//! Its comment handling never fires (it looks for `#` in the separator), so
//! `#` is an ordinary character; and when the input ends in blanks without
//! a newline, the words of that last line are lost. Both are kept.

use std::io::BufRead;

fn is_sep(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Reads lines of words the way ipvsadm does.
pub struct ConfigStream<R> {
    input: R,
    pending: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: BufRead> ConfigStream<R> {
    pub fn new(input: R) -> Self {
        ConfigStream {
            input,
            pending: Vec::new(),
            pos: 0,
            eof: false,
        }
    }

    fn peek(&mut self) -> std::io::Result<Option<u8>> {
        if self.pos >= self.pending.len() {
            if self.eof {
                return Ok(None);
            }
            self.pending.clear();
            self.pos = 0;
            let n = self.input.read_until(b'\n', &mut self.pending)?;
            if n == 0 {
                self.eof = true;
                return Ok(None);
            }
        }
        Ok(Some(self.pending[self.pos]))
    }

    fn bump(&mut self) {
        self.pos += 1;
    }

    /// The next line's words (without `ipvsadm`), or `None` at the end.
    pub fn next_line(&mut self) -> std::io::Result<Option<Vec<String>>> {
        let mut words: Vec<String> = Vec::new();
        loop {
            match self.peek()? {
                None => {
                    return Ok(if words.is_empty() { None } else { Some(words) });
                }
                Some(b) if is_sep(b) => {
                    // fscanf matched no word: skip blanks up to a newline.
                    loop {
                        match self.peek()? {
                            None => return Ok(None),
                            Some(b'\n') => {
                                self.bump();
                                return Ok(Some(words));
                            }
                            Some(b'\t' | b'\r' | b' ') => self.bump(),
                            Some(_) => break,
                        }
                    }
                }
                Some(_) => {
                    let mut word = Vec::new();
                    while let Some(b) = self.peek()? {
                        if is_sep(b) {
                            break;
                        }
                        word.push(b);
                        self.bump();
                    }
                    let w = String::from_utf8_lossy(&word).into_owned();
                    if w != "ipvsadm" {
                        words.push(w);
                    }
                    // The one separator fscanf reads after the word.
                    match self.peek()? {
                        Some(b'\n') => {
                            self.bump();
                            return Ok(Some(words));
                        }
                        Some(_) => self.bump(),
                        None => {}
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<Vec<String>> {
        let mut c = ConfigStream::new(s.as_bytes());
        let mut out = vec![];
        while let Some(l) = c.next_line().unwrap() {
            out.push(l);
        }
        out
    }

    #[test]
    fn splits_like_ipvsadm() {
        assert_eq!(
            lines("-A -t 1.2.3.4:80\n\n  ipvsadm -C\r\n# x y\n-S"),
            vec![
                vec!["-A", "-t", "1.2.3.4:80"],
                vec![],
                vec!["-C"],
                vec!["#", "x", "y"],
                vec!["-S"],
            ]
        );
        // Trailing blanks without a newline lose the last line.
        assert_eq!(lines("-C\n-L \t"), vec![vec!["-C".to_string()]]);
    }
}
