//! Problems found in a scenario, each pointing at the file, line, column and key.
//!
//! Validation collects every problem before giving up (as cargo-deny does), so a user fixes a
//! scenario in one pass instead of one error at a time.

use std::fmt;
use std::ops::Range;

/// One problem in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The key path, e.g. `grades[ASYE].leaving[1]`; empty for syntax errors.
    pub key: String,
    /// What was found and what is allowed.
    pub message: String,
}

/// Text from a file as a message shows it: control characters (which could rewrite what a
/// terminal shows) escaped, as `\u{1b}`; line breaks kept.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", shown(&self.file), self.line, self.column)?;
        if !self.key.is_empty() {
            write!(f, "`{}`: ", shown(&self.key))?;
        }
        write!(f, "{}", shown(&self.message))
    }
}

/// Every problem found in one input file: a scenario, or the census file `wfsim census` reads.
#[derive(Clone, Debug, thiserror::Error)]
pub struct ScenarioErrors {
    pub file: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Checks that could not run until these problems are fixed, in words; empty when every
    /// check ran.
    pub not_run: String,
}

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.diagnostics.len();
        write!(
            f,
            "{} has {} problem{}:",
            self.file,
            n,
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.diagnostics {
            write!(f, "\n  {d}")?;
        }
        if !self.not_run.is_empty() {
            write!(f, "\nFix these first; {} were not run.", self.not_run)?;
        }
        Ok(())
    }
}

/// The text of a scenario file and its name, for turning byte offsets into lines and columns.
#[derive(Clone, Debug)]
pub struct Source {
    pub file: String,
    pub text: String,
}

impl Source {
    pub fn new(file: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            file: file.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    pub fn diagnostic(
        &self,
        span: &Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.line_col(span.start);
        Diagnostic {
            file: self.file.clone(),
            line,
            column,
            key: key.to_string(),
            message: message.into(),
        }
    }
}

/// The SHA-256 of some bytes in hexadecimal, as `sha256sum` prints it: the hash recorded with
/// results so that the input they came from can be identified.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let s = Source::new("x.toml", "a = 1\nbé = 2\n");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(6), (2, 1));
        // `=` after a two-byte character is the fourth character of line 2.
        assert_eq!(s.line_col(10), (2, 4));
    }
}
