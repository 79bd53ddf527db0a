//! What must not be published: credentials (`secret`) and people's
//! contact and payment data (`personal-data`), found in a document's text,
//! front matter and body alike, code blocks included.
//!
//! One pass of a multi-pattern matcher over the text finds the rules'
//! keywords; only the rules whose keyword is there run their regex, so a
//! document that quotes no credential costs one scan.

mod contacts;
mod personal;
pub(crate) mod rules;

use crate::config::{Config, PersonalData};
use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::discover::CONFIG_FILE;
use crate::fsgate::Gated;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashSet;

/// Fingerprints of accepted findings, one a line (`#` starts a comment).
pub(crate) const IGNORE_FILE: &str = ".hindsightignore";

/// The privacy rules of one run: the scanner, the fingerprints the team
/// accepted, and the problems with the files they came from.
#[derive(Debug)]
pub(crate) struct Setup {
    pub(crate) scanner: Scanner,
    pub(crate) ignored: HashSet<String>,
    /// `privacy.personal_data: error`.
    pub(crate) personal_error: bool,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Setup {
    /// From the configuration, the read of `privacy.rules` (when it names
    /// a file) and the read of `.hindsightignore`. A rule file that cannot
    /// be used is reported and the built-in rules are used instead.
    pub(crate) fn new(config: &Config, rules: Option<Gated>, ignore: Gated) -> Setup {
        let privacy = &config.privacy;
        let mut diagnostics = Vec::new();
        let mut team_rules = None;
        if let (Some(path), Some(read)) = (privacy.rules.as_deref(), rules) {
            let fallback = "; the built-in rules are used instead";
            match read {
                Gated::Read(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => match RuleSet::from_team_file(&text) {
                        Ok(set) => team_rules = Some(set),
                        Err(e) => diagnostics.push(
                            Diagnostic::error(
                                path,
                                Pos::new(e.line, e.column),
                                Code::Secret,
                                format!("the rule file cannot be used: {}{fallback}", e.message),
                            )
                            .with_help("fix the file: it is read as a gitleaks configuration"),
                        ),
                    },
                    Err(_) => diagnostics.push(Diagnostic::error(
                        path,
                        Pos::START,
                        Code::Encoding,
                        format!("the rule file is not valid UTF-8{fallback}"),
                    )),
                },
                Gated::Missing => diagnostics.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        privacy.rules_at,
                        Code::Schema,
                        format!("`privacy.rules` names `{path}`, which does not exist{fallback}"),
                    )
                    .with_path("/privacy/rules")
                    .with_help("give a path relative to the repository"),
                ),
                Gated::Refused(why) => {
                    diagnostics.push(crate::discover::unreadable(path, why));
                }
            }
        }
        // `privacy.secrets: false`: no credential rule runs (the rule file
        // is still read, so its mistakes are still reported).
        let set = if privacy.secrets {
            team_rules.unwrap_or_else(RuleSet::built_in)
        } else {
            RuleSet {
                rules: Vec::new(),
                allowlists: Vec::new(),
            }
        };
        let personal = (privacy.personal_data != PersonalData::Off)
            .then(|| Personal::new(&privacy.allow_domains));
        let ignored = match ignore {
            Gated::Read(bytes) => parse_ignore(&String::from_utf8_lossy(&bytes)),
            Gated::Missing => HashSet::new(),
            Gated::Refused(why) => {
                diagnostics.push(crate::discover::unreadable(IGNORE_FILE, why));
                HashSet::new()
            }
        };
        Setup {
            scanner: Scanner::new(set, personal),
            ignored,
            personal_error: privacy.personal_data == PersonalData::Error,
            diagnostics,
        }
    }
}

/// The fingerprints of `.hindsightignore`.
pub(crate) fn parse_ignore(text: &str) -> HashSet<String> {
    // A comment is a line that starts with `#`, or the rest of a line
    // after ` #`: a file name may hold a `#` itself.
    text.lines()
        .map(|line| line.split(" #").next().unwrap_or("").trim())
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

mod finding;
pub(crate) use finding::{fingerprint, Class, Finding};
pub(crate) use personal::Personal;
pub(crate) use rules::RuleSet;

/// A finding where lint reports it: plain data that outlives the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub(crate) class: Class,
    pub(crate) rule: String,
    pub(crate) description: String,
    /// 1-based, columns in characters.
    pub(crate) line: u32,
    pub(crate) column: u32,
    /// Characters of the finding on its first line.
    pub(crate) width: u32,
    /// The first four characters and `…`.
    pub(crate) masked: String,
    pub(crate) fingerprint: String,
}

/// Where each finding is, with its mask and fingerprint.
pub(crate) fn locate(file: &str, text: &str, findings: &[Finding]) -> Vec<Located> {
    let mut line = 1u32;
    let mut line_start = 0usize;
    let mut scanned = 0usize;
    findings
        .iter()
        .map(|f| {
            // Findings are in order of position: count lines once.
            for (i, b) in text.as_bytes()[scanned..f.start].iter().enumerate() {
                if *b == b'\n' {
                    line += 1;
                    line_start = scanned + i + 1;
                }
            }
            scanned = f.start;
            let value = &text[f.start..f.end];
            let first_line = value.split('\n').next().unwrap_or("");
            Located {
                class: f.class,
                rule: f.rule.clone(),
                description: f.description.clone(),
                line,
                column: text[line_start..f.start].chars().count() as u32 + 1,
                width: first_line.chars().count().max(1) as u32,
                masked: mask(value),
                fingerprint: fingerprint(file, &f.rule, value),
            }
        })
        .collect()
}

/// Every finding's characters after its first four replaced by `*`, one
/// `*` a byte, line breaks kept: each later byte offset, line and column
/// of the text stays where it was, so the stages after this one parse and
/// point at the same places, and none of them can show the credential.
pub(crate) fn redact(text: &str, findings: &[Finding]) -> String {
    rewrite(text, findings, |_, value, out| {
        for (n, c) in value.chars().enumerate() {
            if n < 4 || c == '\n' || c == '\r' {
                out.push(c);
            } else {
                out.extend(std::iter::repeat_n('*', c.len_utf8()));
            }
        }
    })
}

/// `hindsight redact --write`: each finding replaced by
/// `[REDACTED:<rule>]` (a placeholder, so never a finding again).
pub(crate) fn replace_findings(text: &str, findings: &[Finding]) -> String {
    rewrite(text, findings, |f, _, out| {
        out.push_str(&format!("[REDACTED:{}]", f.rule))
    })
}

/// `text` with each finding (in order of position; one that overlaps an
/// earlier one is skipped) written by `write`, and the rest copied.
fn rewrite(
    text: &str,
    findings: &[Finding],
    write: impl Fn(&Finding, &str, &mut String),
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for f in findings {
        if f.start < copied {
            continue;
        }
        out.push_str(&text[copied..f.start]);
        write(f, &text[f.start..f.end], &mut out);
        copied = f.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// The first four characters of `value` and `…`.
pub(crate) fn mask(value: &str) -> String {
    let mut shown: String = value.chars().take(4).collect();
    shown.push('…');
    shown
}

/// The rules of one run, compiled once.
#[derive(Debug)]
pub(crate) struct Scanner {
    set: RuleSet,
    /// Every rule's keywords; pattern `i` stands for the rules in
    /// `keyword_rules[i]`: its own, and those of every keyword that is a
    /// prefix of it (found wherever it is).
    keywords: Option<AhoCorasick>,
    keyword_rules: Vec<Vec<usize>>,
    /// Rules without keywords: they always run.
    unconditional: Vec<usize>,
    personal: Option<Personal>,
}

impl Scanner {
    /// `personal`: `None` when `privacy.personal_data` is `off`.
    pub(crate) fn new(set: RuleSet, personal: Option<Personal>) -> Scanner {
        let mut patterns = Vec::new();
        let mut keyword_rule = Vec::new();
        let mut unconditional = Vec::new();
        for (index, rule) in set.rules.iter().enumerate() {
            if rule.keywords.is_empty() {
                unconditional.push(index);
            }
            for keyword in &rule.keywords {
                patterns.push(keyword.to_ascii_lowercase());
                keyword_rule.push(index);
            }
        }
        // The search finds, at each place a keyword starts, the longest
        // one: it stands for the shorter ones it begins with too.
        let keyword_rules = patterns
            .iter()
            .map(|long: &String| {
                let mut rules: Vec<usize> = patterns
                    .iter()
                    .zip(&keyword_rule)
                    .filter(|(short, _)| {
                        long.len() >= short.len()
                            && long.as_bytes()[..short.len()].eq_ignore_ascii_case(short.as_bytes())
                    })
                    .map(|(_, &rule)| rule)
                    .collect();
                rules.sort_unstable();
                rules.dedup();
                rules
            })
            .collect();
        let keywords = (!patterns.is_empty()).then(|| {
            // Case-sensitive, over a lowercased copy of the text: a few
            // dozen such patterns are searched with SIMD (Teddy), many
            // times faster than an automaton that folds case byte by byte.
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("keywords are plain strings")
        });
        Scanner {
            set,
            keywords,
            keyword_rules,
            unconditional,
            personal,
        }
    }

    /// Every finding in `text` (the whole file, front matter and body),
    /// in order of position; `file` is the repository-relative path that
    /// allowlists' `paths` and rules' `path` match.
    pub(crate) fn scan(&self, file: &str, text: &str) -> Vec<Finding> {
        let mut findings = Vec::new();
        for index in self.rules_to_run(text) {
            let rule = &self.set.rules[index];
            if rule.path.as_ref().is_some_and(|p| !p.is_match(file)) {
                continue;
            }
            for caps in rule.regex().captures_iter(text) {
                let whole = caps.get(0).expect("group 0 always matches");
                let secret = match rule.secret_group {
                    Some(group) => caps.get(group),
                    None => (1..caps.len())
                        .filter_map(|g| caps.get(g))
                        .find(|m| !m.is_empty()),
                }
                .unwrap_or(whole);
                let value = secret.as_str();
                if value.is_empty() || is_placeholder(value) {
                    continue;
                }
                if rule.entropy.is_some_and(|min| shannon_entropy(value) < min) {
                    continue;
                }
                let line = line_of(text, secret.start());
                if self
                    .set
                    .allowlists
                    .iter()
                    .chain(&rule.allowlists)
                    .any(|list| list.allows(file, value, whole.as_str(), line))
                {
                    continue;
                }
                findings.push(Finding {
                    class: Class::Secret,
                    rule: rule.id.clone(),
                    description: rule.description.clone(),
                    start: secret.start(),
                    end: secret.end(),
                });
            }
        }
        if let Some(personal) = &self.personal {
            let secrets: Vec<(usize, usize)> = findings.iter().map(|f| (f.start, f.end)).collect();
            for finding in personal.scan(text) {
                // A password URL's host or a token's digits are the
                // credential's finding, not a second one.
                let inside_secret = secrets
                    .iter()
                    .any(|&(s, e)| finding.start < e && s < finding.end);
                if !inside_secret {
                    findings.push(finding);
                }
            }
        }
        findings.sort_by(|a, b| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule)));
        // Two rules on one credential report it once (the first rule).
        findings.dedup_by(|later, kept| later.start < kept.end && kept.class == later.class);
        findings.retain(|f| !allowed_by_comment(text, f));
        findings
    }

    fn rules_to_run(&self, text: &str) -> Vec<usize> {
        let mut run = vec![false; self.set.rules.len()];
        for &index in &self.unconditional {
            run[index] = true;
        }
        if let Some(keywords) = &self.keywords {
            // Not an overlapping search, which steps through every byte:
            // a leftmost search skips to the next candidate with its
            // prefilter, and starting the next one a byte after each
            // match's start finds every keyword that begins later, even
            // inside this one.
            thread_local! {
                static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
            }
            LOWER.with(|lower| {
                let mut lower = lower.borrow_mut();
                lower.clear();
                lower.extend_from_slice(text.as_bytes());
                lower.make_ascii_lowercase();
                let mut at = 0;
                while let Some(m) = keywords.find(aho_corasick::Input::new(&lower[..]).range(at..))
                {
                    for &rule in &self.keyword_rules[m.pattern().as_usize()] {
                        run[rule] = true;
                    }
                    at = m.start() + 1;
                }
            });
        }
        run.iter()
            .enumerate()
            .filter_map(|(i, &r)| r.then_some(i))
            .collect()
    }
}

/// The line around byte `at`.
fn line_of(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// `<!-- hindsight-allow: RULE -->` on the line before the finding's line
/// (RULE: the lint code, `secret` or `personal-data`, or the rule's id;
/// several separated by commas or spaces).
fn allowed_by_comment(text: &str, finding: &Finding) -> bool {
    let line_start = text[..finding.start].rfind('\n').map_or(0, |i| i + 1);
    if line_start == 0 {
        return false;
    }
    let previous = line_of(text, line_start - 1).trim();
    let Some(inner) = previous
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
    else {
        return false;
    };
    let Some(names) = inner.trim().strip_prefix("hindsight-allow:") else {
        return false;
    };
    names
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|n| !n.is_empty())
        .any(|n| n == finding.rule || n == finding.class.code_name())
}

/// Documented example credentials: vendors' documentation prints these,
/// and postmortems quote the documentation.
const DOCUMENTED_EXAMPLES: &[&str] = &[
    // jwt.io's example token's signature and payload.
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
];

/// SPEC section 11: a value made of `x`/`X`/`*`/`0`, or one that contains
/// `EXAMPLE`, `REDACTED`, `<...>` or `${...}`, or a documented example key.
pub(crate) fn is_placeholder(value: &str) -> bool {
    if value.contains("EXAMPLE") || value.contains("REDACTED") {
        return true;
    }
    if DOCUMENTED_EXAMPLES.iter().any(|e| value.contains(e)) {
        return true;
    }
    let enclosed = |open: &str, close: char| {
        value
            .find(open)
            .is_some_and(|i| value[i + open.len()..].contains(close))
    };
    if enclosed("<", '>') || enclosed("${", '}') || enclosed("{{", '}') {
        return true;
    }
    // The part after a format's prefix (`ghp_`, `sk_live_`, `xoxb-`): the
    // last separator within the first 12 characters ends the prefix.
    let head = value
        .char_indices()
        .take(12)
        .filter(|(_, c)| *c == '_' || *c == '-')
        .last()
        .map_or(0, |(i, _)| i + 1);
    let body = &value[head..];
    !body.is_empty()
        && body
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | '.' | '/' | ' '))
            .all(|c| matches!(c, 'x' | 'X' | '*' | '0'))
}

/// Shannon entropy of the characters of `value`, in bits per character.
pub(crate) fn shannon_entropy(value: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut total = 0u32;
    for byte in value.bytes() {
        counts[byte as usize] += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = f64::from(total);
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / total;
            -p * p.log2()
        })
        .sum()
}

/// `lint --changed-since`: each credential that a commit of the change
/// added and that the documents no longer hold (`present`: the
/// fingerprints lint reports in the work tree). It stays in the history
/// the change merges, so it is a `secret` at the file and line where that
/// commit put it; the first commit that added it is named.
pub(crate) fn history_diagnostics(
    setup: &Setup,
    added: &[crate::discover::Added],
    present: &HashSet<String>,
) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for change in added {
        let findings = setup.scanner.scan(&change.file, &change.text);
        for (found, at) in findings
            .iter()
            .zip(locate(&change.file, &change.text, &findings))
        {
            if found.class != Class::Secret
                || setup.ignored.contains(&at.fingerprint)
                || present.contains(&at.fingerprint)
                || !seen.insert(at.fingerprint.clone())
            {
                continue;
            }
            let line = change.lines.get(at.line as usize - 1).copied().unwrap_or(1);
            out.push(
                Diagnostic::error(
                    &change.file,
                    Pos::new(line, at.column),
                    Code::Secret,
                    format!(
                        "{} \"{}\" was added in commit {} and removed later; it stays in the git history",
                        at.description, at.masked, change.commit
                    ),
                )
                .with_width(at.width)
                .with_fingerprint(at.fingerprint.clone())
                .with_help("revoke it: deleting it from the file leaves it in every clone of the history"),
            );
        }
    }
    out
}

/// Before a document is parsed: the diagnostics of its findings, and its
/// bytes with every finding redacted in place (see [`redact`]), so that
/// no later stage, output or page holds what was found.
pub(crate) fn screen(setup: &Setup, source: &mut crate::document::SourceFile) -> Vec<Diagnostic> {
    const BOM: &str = "\u{feff}";
    let Ok(text) = std::str::from_utf8(&source.bytes) else {
        // Not UTF-8: an `encoding` error, and nothing is parsed or shown.
        return Vec::new();
    };
    let skip = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let text = &text[skip..];
    let mut findings = setup.scanner.scan(&source.file, text);
    if source.kind == crate::document::DocKind::Team && !findings.is_empty() {
        // A team's contacts are its plan (SPEC section 10, 11).
        let fields = contacts::contact_fields(text);
        findings.retain(|f| {
            f.class != Class::PersonalData || !fields.iter().any(|r| r.contains(&f.start))
        });
    }
    if findings.is_empty() {
        return Vec::new();
    }
    let found = diagnostics_of(setup, &source.file, text, &findings);
    let redacted = redact(text, &findings);
    source.bytes.truncate(skip);
    source.bytes.extend_from_slice(redacted.as_bytes());
    found
}

/// The diagnostics of one document's findings (those not accepted in
/// `.hindsightignore`).
fn diagnostics_of(setup: &Setup, file: &str, text: &str, findings: &[Finding]) -> Vec<Diagnostic> {
    locate(file, text, findings)
        .into_iter()
        .filter(|at| !setup.ignored.contains(&at.fingerprint))
        .map(|at| {
            let message = format!("{} \"{}\"", at.description, at.masked);
            let d = match at.class {
                Class::Secret => Diagnostic::error(file, Pos::new(at.line, at.column), Code::Secret, message)
                    .with_help(format!(
                        "revoke it, then remove it (`hindsight redact --write`); if it is not a credential, add `{}` to {IGNORE_FILE}",
                        at.fingerprint
                    )),
                Class::PersonalData => {
                    let pos = Pos::new(at.line, at.column);
                    let d = if setup.personal_error {
                        Diagnostic::error(file, pos, Code::PersonalData, message)
                    } else {
                        Diagnostic::warning(file, pos, Code::PersonalData, message)
                    };
                    d.with_help(format!(
                        "describe the person by their role, or accept it: add `{}` to {IGNORE_FILE}",
                        at.fingerprint
                    ))
                }
            };
            d.with_width(at.width).with_fingerprint(at.fingerprint)
        })
        .collect()
}

#[cfg(test)]
mod tests;
