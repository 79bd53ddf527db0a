//! Credential rules in gitleaks' configuration format: the built-in set
//! (`rules.toml` beside this file) and a repository's own file, so that a
//! team reuses the gitleaks configuration its organisation already keeps.
//!
//! What is read: `[extend] useDefault`, `[[rules]]` with `id`,
//! `description`, `regex`, `secretGroup`, `entropy`, `keywords`, `path`
//! and an allowlist (`[rules.allowlist]` or `[[rules.allowlists]]`), and
//! the global `[allowlist]` / `[[allowlists]]` with `regexes`,
//! `regexTarget`, `stopwords` and `paths`. Other keys are accepted and
//! ignored, as gitleaks ignores what it does not know.

use regex::Regex;
use serde::Deserialize;

/// The built-in rules, in the same format a team writes.
pub(crate) const BUILT_IN: &str = include_str!("rules.toml");

/// A rule file that could not be used: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuleFileError {
    /// 1-based line and column in the rule file.
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) message: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawFile {
    #[serde(default)]
    extend: Option<RawExtend>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    allowlist: Option<RawAllowlist>,
    #[serde(default)]
    allowlists: Vec<RawAllowlist>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawExtend {
    #[serde(default)]
    use_default: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRule {
    id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    secret_group: Option<usize>,
    #[serde(default)]
    entropy: Option<f64>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    allowlist: Option<RawAllowlist>,
    #[serde(default)]
    allowlists: Vec<RawAllowlist>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAllowlist {
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    regex_target: Option<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
}

/// What an allowlist regex is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RegexTarget {
    /// The credential itself (gitleaks' default).
    Secret,
    /// The whole text the rule's regex matched.
    Match,
    /// The line the credential is on.
    Line,
}

/// Matches that are not findings.
#[derive(Debug, Clone)]
pub(crate) struct Allowlist {
    pub(crate) regexes: Vec<Regex>,
    pub(crate) target: RegexTarget,
    /// Lowercased; a credential that contains one is allowed.
    pub(crate) stopwords: Vec<String>,
    pub(crate) paths: Vec<Regex>,
}

impl Allowlist {
    /// Whether this allowlist accepts the finding.
    pub(crate) fn allows(&self, file: &str, secret: &str, matched: &str, line: &str) -> bool {
        if self.paths.iter().any(|p| p.is_match(file)) {
            return true;
        }
        let lower = secret.to_ascii_lowercase();
        if self.stopwords.iter().any(|w| lower.contains(w.as_str())) {
            return true;
        }
        let target = match self.target {
            RegexTarget::Secret => secret,
            RegexTarget::Match => matched,
            RegexTarget::Line => line,
        };
        self.regexes.iter().any(|r| r.is_match(target))
    }
}

/// One credential format.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) id: String,
    pub(crate) description: String,
    /// As written (RE2 syntax).
    pattern: String,
    /// Compiled when the rule first runs (a built-in rule: most never run
    /// on a repository's texts), or at once (a team's rule, whose file is
    /// checked when it is read).
    regex: std::sync::OnceLock<Regex>,
    pub(crate) secret_group: Option<usize>,
    pub(crate) entropy: Option<f64>,
    /// Lowercased.
    pub(crate) keywords: Vec<String>,
    /// Only files whose path matches, when given.
    pub(crate) path: Option<Regex>,
    pub(crate) allowlists: Vec<Allowlist>,
}

impl Rule {
    /// The compiled pattern.
    pub(crate) fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            // Only the built-in rules are compiled here, and a unit test
            // compiles every one of them.
            compile(&self.pattern).expect("a built-in rule compiles")
        })
    }
}

/// A rule set: its rules and the allowlists that apply to all of them.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleSet {
    pub(crate) rules: Vec<Rule>,
    pub(crate) allowlists: Vec<Allowlist>,
}

impl RuleSet {
    /// The built-in rules.
    pub(crate) fn built_in() -> RuleSet {
        parse_raw(BUILT_IN)
            .and_then(|raw| build(BUILT_IN, raw, Compile::WhenRun))
            .expect("the built-in rule file is valid")
    }

    /// The rules of a team's file: added to the built-in set when it says
    /// `[extend] useDefault = true`, in its place otherwise (as gitleaks
    /// treats a configuration of its own).
    pub(crate) fn from_team_file(text: &str) -> Result<RuleSet, RuleFileError> {
        let raw = parse_raw(text)?;
        let extend = raw.extend.as_ref().is_some_and(|e| e.use_default);
        let own = build(text, raw, Compile::Now)?;
        if !extend {
            return Ok(own);
        }
        let mut set = RuleSet::built_in();
        // A team rule with the id of a built-in one replaces it.
        set.rules.retain(|r| own.rules.iter().all(|o| o.id != r.id));
        set.rules.extend(own.rules);
        set.allowlists.extend(own.allowlists);
        Ok(set)
    }
}

/// When a rule's pattern is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compile {
    /// While the file is read, so that a mistake is reported at its line.
    Now,
    /// When the rule first runs.
    WhenRun,
}

fn parse_raw(text: &str) -> Result<RawFile, RuleFileError> {
    toml::from_str::<RawFile>(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or((1, 1));
        RuleFileError {
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

fn build(text: &str, raw: RawFile, when: Compile) -> Result<RuleSet, RuleFileError> {
    let mut rules = Vec::with_capacity(raw.rules.len());
    for rule in raw.rules {
        let at = |needle: &str| {
            let offset = text.find(needle).unwrap_or(0);
            line_column(text, offset)
        };
        let compile_at = |pattern: &str, what: &str| {
            compile(pattern).map_err(|why| {
                let (line, column) = at(pattern);
                RuleFileError {
                    line,
                    column,
                    message: format!("rule `{}`: {what} does not compile: {why}", rule.id),
                }
            })
        };
        let Some(pattern) = rule.regex.as_deref() else {
            // gitleaks allows a rule with only `path`; hindsight reads
            // documents, not file names, so such a rule finds nothing here.
            continue;
        };
        let regex = std::sync::OnceLock::new();
        if when == Compile::Now {
            let compiled = compile_at(pattern, "its `regex`")?;
            if let Some(group) = rule.secret_group {
                if group >= compiled.captures_len() {
                    let (line, column) = at(pattern);
                    return Err(RuleFileError {
                        line,
                        column,
                        message: format!(
                            "rule `{}`: `secretGroup = {group}` but the regex has {} group(s)",
                            rule.id,
                            compiled.captures_len() - 1
                        ),
                    });
                }
            }
            let _ = regex.set(compiled);
        }
        let path = rule
            .path
            .as_deref()
            .map(|p| compile_at(p, "its `path`"))
            .transpose()?;
        let mut allowlists = Vec::new();
        for list in rule.allowlist.into_iter().chain(rule.allowlists) {
            allowlists.push(allowlist(list, &compile_at)?);
        }
        rules.push(Rule {
            id: rule.id.clone(),
            description: rule.description,
            pattern: pattern.to_string(),
            regex,
            secret_group: rule.secret_group,
            entropy: rule.entropy,
            keywords: rule.keywords.iter().map(|k| k.to_lowercase()).collect(),
            path,
            allowlists,
        });
    }
    let compile_global = |pattern: &str, what: &str| {
        compile(pattern).map_err(|why| {
            let (line, column) = line_column(text, text.find(pattern).unwrap_or(0));
            RuleFileError {
                line,
                column,
                message: format!("allowlist: {what} does not compile: {why}"),
            }
        })
    };
    let mut allowlists = Vec::new();
    for list in raw.allowlist.into_iter().chain(raw.allowlists) {
        allowlists.push(allowlist(list, &compile_global)?);
    }
    Ok(RuleSet { rules, allowlists })
}

fn allowlist(
    raw: RawAllowlist,
    compile_at: &dyn Fn(&str, &str) -> Result<Regex, RuleFileError>,
) -> Result<Allowlist, RuleFileError> {
    let target = match raw.regex_target.as_deref() {
        None | Some("secret") => RegexTarget::Secret,
        Some("match") => RegexTarget::Match,
        Some("line") => RegexTarget::Line,
        Some(other) => {
            return Err(RuleFileError {
                line: 1,
                column: 1,
                message: format!(
                    "`regexTarget = \"{other}\"`: use \"secret\", \"match\" or \"line\""
                ),
            })
        }
    };
    Ok(Allowlist {
        regexes: raw
            .regexes
            .iter()
            .map(|r| compile_at(r, "an allowlist regex"))
            .collect::<Result<_, _>>()?,
        target,
        stopwords: raw.stopwords.iter().map(|w| w.to_lowercase()).collect(),
        paths: raw
            .paths
            .iter()
            .map(|p| compile_at(p, "an allowlist path"))
            .collect::<Result<_, _>>()?,
    })
}

/// RE2 patterns as gitleaks writes them; bounded so that a hostile rule
/// file cannot make the scan take unbounded memory.
fn compile(pattern: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(&ascii_boundaries(pattern))
        .size_limit(8 << 20)
        .dfa_size_limit(8 << 20)
        .build()
        .map_err(|e| {
            let text = e.to_string();
            let last = text.lines().last().unwrap_or("").trim();
            last.strip_prefix("error: ").unwrap_or(last).to_string()
        })
}

/// `\b` and `\B` as RE2 reads them: at the edge of an ASCII word. (The
/// `regex` crate's are Unicode-aware, so a token after `é` would not be
/// at a boundary, and a Unicode boundary makes the fast engine give up on
/// text that is not ASCII.)
fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[start..].chars().count() + 1;
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_rules_compile_and_each_has_keywords_or_is_cheap() {
        let set = RuleSet::built_in();
        assert!(set.rules.len() >= 17, "{}", set.rules.len());
        for rule in &set.rules {
            assert!(!rule.keywords.is_empty(), "{} has no keyword", rule.id);
            // What the file check does for a team's rule.
            let compiled = compile(&rule.pattern).unwrap_or_else(|e| panic!("{}: {e}", rule.id));
            if let Some(group) = rule.secret_group {
                assert!(group < compiled.captures_len(), "{}", rule.id);
            }
        }
    }

    #[test]
    fn a_team_file_replaces_the_built_in_rules_unless_it_extends_them() {
        let own = r#"
[[rules]]
id = "acme-key"
regex = '''acme_[a-z0-9]{16}'''
keywords = ["acme_"]
"#;
        let set = RuleSet::from_team_file(own).unwrap();
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.rules[0].id, "acme-key");
        let extended = format!("[extend]\nuseDefault = true\n{own}");
        let set = RuleSet::from_team_file(&extended).unwrap();
        assert_eq!(set.rules.len(), RuleSet::built_in().rules.len() + 1);
    }

    #[test]
    fn word_boundaries_are_ascii_as_in_re2() {
        assert_eq!(ascii_boundaries(r"\bab\B\\b\d"), r"(?-u:\b)ab(?-u:\B)\\b\d");
        let set = RuleSet::from_team_file(
            "[[rules]]\nid = \"acme\"\nregex = '''\\b(acme_[a-z0-9]{8})\\b'''\n",
        )
        .unwrap();
        // `é` is not an ASCII word character: the token starts a word.
        assert!(set.rules[0].regex().is_match("cléacme_1234abcd"));
        assert!(!set.rules[0].regex().is_match("xacme_1234abcd"));
    }

    #[test]
    fn a_bad_regex_is_reported_at_its_line() {
        let own = "title = \"x\"\n\n[[rules]]\nid = \"bad\"\nregex = '''(unclosed'''\n";
        let err = RuleSet::from_team_file(own).unwrap_err();
        assert_eq!((err.line, err.column), (5, 12), "{err:?}");
        assert!(err.message.contains("rule `bad`"), "{}", err.message);
    }

    #[test]
    fn a_toml_syntax_error_is_reported_at_its_line() {
        let err = RuleSet::from_team_file("[[rules]]\nid = \"x\nregex = 'a'\n").unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
    }

    #[test]
    fn allowlists_of_both_forms_are_read() {
        let own = r#"
[[rules]]
id = "acme-key"
regex = '''acme_[a-z0-9]{16}'''
[rules.allowlist]
regexes = ['''acme_0{16}''']
[[allowlists]]
regexTarget = "line"
regexes = ['''fixture''']
stopwords = ["DUMMY"]
"#;
        let set = RuleSet::from_team_file(own).unwrap();
        assert_eq!(set.rules[0].allowlists.len(), 1);
        assert_eq!(set.allowlists.len(), 1);
        let list = &set.allowlists[0];
        assert_eq!(list.target, RegexTarget::Line);
        assert!(list.allows("a.md", "acme_dummy123", "", ""));
        assert!(list.allows("a.md", "x", "", "a fixture line"));
        assert!(!list.allows("a.md", "x", "", "a line"));
    }
}
