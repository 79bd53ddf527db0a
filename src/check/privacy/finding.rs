//! A finding of the privacy rules and its fingerprint.

use sha2::{Digest, Sha256};

/// Which lint code a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Class {
    Secret,
    PersonalData,
}

impl Class {
    /// The lint code's name, as `hindsight-allow` comments may say it.
    pub(crate) fn code_name(self) -> &'static str {
        match self {
            Class::Secret => "secret",
            Class::PersonalData => "personal-data",
        }
    }
}

/// One credential or piece of personal data in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) class: Class,
    /// The rule's id (`github-pat`, `email`).
    pub(crate) rule: String,
    /// What it is, for the message: "GitHub personal access token".
    pub(crate) description: String,
    /// Byte range of the credential (not of its key or prefix text).
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Finding {
    /// `<file>:<rule>:<first 12 hex of the sha256 of the match>`: stable
    /// across runs and edits elsewhere in the file, and says nothing of the
    /// credential.
    pub(crate) fn fingerprint(&self, file: &str, text: &str) -> String {
        fingerprint(file, &self.rule, &text[self.start..self.end])
    }
}

pub(crate) fn fingerprint(file: &str, rule: &str, matched: &str) -> String {
    let digest = Sha256::digest(matched.as_bytes());
    let mut hex = String::with_capacity(12);
    for byte in &digest[..6] {
        hex.push_str(&format!("{byte:02x}"));
    }
    format!("{file}:{rule}:{hex}")
}
