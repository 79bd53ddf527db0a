//! Scaffold stage: what `hindsight init` and `hindsight new` write. The
//! only stage that creates files in the repository; it never replaces one.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::document::DocKind;
use crate::model::Timestamp;
use anyhow::{bail, Context, Result};
use regex::Regex;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) mod drill;
pub(crate) mod runbook;
pub(crate) mod team;
mod template;
pub(crate) use template::{finish, render_template, TEMPLATE_FILE};

pub(crate) const POSTMORTEM_TEMPLATE: &str = include_str!("../templates/postmortem.md");

/// The files `hindsight init` writes, relative to the repository.
pub(crate) const INIT_FILES: [(&str, &str); 10] = [
    ("hindsight.yaml", include_str!("../scaffold/hindsight.yaml")),
    (
        "incidents/README.md",
        include_str!("../scaffold/incidents-README.md"),
    ),
    ("incidents/_template.md", POSTMORTEM_TEMPLATE),
    (
        "drills/README.md",
        include_str!("../scaffold/drills-README.md"),
    ),
    ("drills/_template.md", drill::DRILL_TEMPLATE),
    (
        "runbooks/README.md",
        include_str!("../scaffold/runbooks-README.md"),
    ),
    ("runbooks/_template.md", runbook::RUNBOOK_TEMPLATE),
    (
        "teams/README.md",
        include_str!("../scaffold/teams-README.md"),
    ),
    ("teams/_template.md", team::TEAM_TEMPLATE),
    (
        ".github/workflows/hindsight.yml",
        include_str!("../scaffold/github-workflow.yml"),
    ),
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Year,
    /// `{seq}` or `{seq:0N}` (zero-padded to N digits).
    Seq {
        width: usize,
    },
}

/// `id_format` from hindsight.yaml, e.g. `INC-{year}-{seq:03}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdFormat {
    pieces: Vec<Piece>,
}

impl IdFormat {
    pub(crate) fn parse(format: &str) -> Result<IdFormat> {
        let placeholder = Regex::new(r"\{([^{}]*)\}").expect("valid regex");
        let seq_width = Regex::new(r"^seq(?::0?([0-9]{1,2}))?$").expect("valid regex");
        let mut pieces = Vec::new();
        let mut rest = 0;
        for m in placeholder.captures_iter(format) {
            let whole = m.get(0).expect("match");
            if whole.start() > rest {
                pieces.push(Piece::Text(format[rest..whole.start()].to_string()));
            }
            let name = &m[1];
            if name == "year" {
                pieces.push(Piece::Year);
            } else if let Some(c) = seq_width.captures(name) {
                let width = c.get(1).map_or(Ok(0), |w| w.as_str().parse())?;
                pieces.push(Piece::Seq { width });
            } else {
                bail!("id_format `{format}`: unknown placeholder `{{{name}}}` (use {{year}}, {{seq}} or {{seq:03}})");
            }
            rest = whole.end();
        }
        if rest < format.len() {
            pieces.push(Piece::Text(format[rest..].to_string()));
        }
        if pieces
            .iter()
            .any(|p| matches!(p, Piece::Text(t) if t.contains(['{', '}'])))
        {
            bail!("id_format `{format}` has an unmatched brace");
        }
        Ok(IdFormat { pieces })
    }

    fn render(&self, year: i32, seq: u64) -> String {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Year => year.to_string(),
                Piece::Seq { width } => format!("{seq:0width$}"),
            })
            .collect()
    }

    /// The sequence number of `id` when it has this format and `year`.
    fn seq_of(&self, matcher: &Regex, id: &str) -> Option<u64> {
        let caps = matcher.captures(id)?;
        Some(caps.get(1).map_or(0, |m| m.as_str().parse().unwrap_or(0)))
    }

    fn matcher(&self, year: i32) -> Regex {
        let mut pattern = String::from("^");
        let mut seq_seen = false;
        for p in &self.pieces {
            match p {
                Piece::Text(t) => pattern.push_str(&regex::escape(t)),
                Piece::Year => pattern.push_str(&year.to_string()),
                // A second `{seq}` must repeat the first number's digits;
                // it is rare enough to match loosely.
                Piece::Seq { .. } if seq_seen => pattern.push_str("[0-9]+"),
                Piece::Seq { .. } => {
                    pattern.push_str("([0-9]+)");
                    seq_seen = true;
                }
            }
        }
        pattern.push('$');
        Regex::new(&pattern).expect("escaped pattern is valid")
    }

    /// The next free id in `year`: one more than the highest sequence
    /// number taken that year (gaps are not reused, so an id never comes
    /// back after its postmortem was deleted in another branch).
    pub(crate) fn next_id<'a>(
        &self,
        year: i32,
        taken: impl Iterator<Item = &'a str> + Clone,
    ) -> Result<String> {
        if !self.pieces.iter().any(|p| matches!(p, Piece::Seq { .. })) {
            let id = self.render(year, 0);
            if taken.clone().any(|t| t == id) {
                bail!("the id `{id}` is taken and id_format has no {{seq}} to make another");
            }
            return Ok(id);
        }
        let matcher = self.matcher(year);
        let highest = taken.filter_map(|id| self.seq_of(&matcher, id)).max();
        Ok(self.render(year, highest.map_or(1, |n| n + 1)))
    }
}

/// A file-name slug: lowercase ASCII letters and digits joined by single
/// hyphens, at most [`SLUG_MAX`] characters. Accented Latin letters lose
/// their accents (`Über` gives `uber`); other scripts are left out, and an
/// empty slug means the caller names the file by its id. A title too
/// long is cut after its last whole clause that fits (a clause ends at
/// `:`, `;`, `,`, a bracket or a dash between spaces), else after its last
/// whole word that fits, so the name never stops in the middle of a phrase
/// when a shorter whole one exists.
pub(crate) fn slug(title: &str) -> String {
    let mut clauses: Vec<Vec<String>> = vec![Vec::new()];
    for raw in title.split_whitespace() {
        let lone_dash = raw
            .chars()
            .all(|c| matches!(c, '-' | '\u{2013}' | '\u{2014}'));
        let mut word = String::new();
        for c in raw.chars() {
            if matches!(
                c,
                ':' | ';' | ',' | '(' | ')' | '[' | ']' | '\u{2013}' | '\u{2014}'
            ) {
                push_word(&mut clauses, &mut word);
                clauses.push(Vec::new());
            } else if let Some(folded) = ascii_fold(c) {
                word.push_str(folded);
            } else if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
            } else {
                // Other punctuation splits words; other scripts are left out.
                push_word(&mut clauses, &mut word);
            }
        }
        push_word(&mut clauses, &mut word);
        if lone_dash {
            clauses.push(Vec::new());
        }
    }
    let words: Vec<&String> = clauses.iter().flatten().collect();
    let joined = |words: &[&String]| -> String {
        words
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join("-")
    };
    let all = joined(&words);
    if all.len() <= SLUG_MAX {
        return all;
    }
    // The longest run of whole clauses from the start that fits.
    let mut best = String::new();
    let mut taken: Vec<&String> = Vec::new();
    for clause in clauses.iter().filter(|c| !c.is_empty()) {
        taken.extend(clause.iter());
        let s = joined(&taken);
        if s.len() > SLUG_MAX {
            break;
        }
        best = s;
    }
    if !best.is_empty() {
        return best;
    }
    // The first clause alone is too long: whole words of it.
    let mut out = String::new();
    for word in words {
        let sep = usize::from(!out.is_empty());
        if out.len() + sep + word.len() > SLUG_MAX {
            break;
        }
        if sep == 1 {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        // One word longer than the limit.
        out = all[..SLUG_MAX].to_string();
    }
    out
}

/// The longest slug [`slug`] makes, in (ASCII) characters.
pub(crate) const SLUG_MAX: usize = 60;

fn push_word(clauses: &mut [Vec<String>], word: &mut String) {
    if !word.is_empty() {
        clauses
            .last_mut()
            .expect("there is always a clause")
            .push(std::mem::take(word));
    }
}

/// The lowercase ASCII spelling of an accented Latin letter (`None` for
/// anything else, ASCII included).
fn ascii_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'À'..='Å' | 'à'..='å' | 'Ā' | 'ā' | 'Ă' | 'ă' | 'Ą' | 'ą' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' | 'Ć' | 'ć' | 'Ĉ' | 'ĉ' | 'Ċ' | 'ċ' | 'Č' | 'č' => "c",
        'Ð' | 'ð' | 'Ď' | 'ď' | 'Đ' | 'đ' => "d",
        'È'..='Ë' | 'è'..='ë' | 'Ē' | 'ē' | 'Ĕ' | 'ĕ' | 'Ė' | 'ė' | 'Ę' | 'ę' | 'Ě' | 'ě' => {
            "e"
        }
        'Ĝ' | 'ĝ' | 'Ğ' | 'ğ' | 'Ġ' | 'ġ' | 'Ģ' | 'ģ' => "g",
        'Ĥ' | 'ĥ' | 'Ħ' | 'ħ' => "h",
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ' | 'ĩ' | 'Ī' | 'ī' | 'Ĭ' | 'ĭ' | 'Į' | 'į' | 'İ' | 'ı' => {
            "i"
        }
        'Ĵ' | 'ĵ' => "j",
        'Ķ' | 'ķ' => "k",
        'Ĺ' | 'ĺ' | 'Ļ' | 'ļ' | 'Ľ' | 'ľ' | 'Ŀ' | 'ŀ' | 'Ł' | 'ł' => "l",
        'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ņ' | 'ņ' | 'Ň' | 'ň' => "n",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō' | 'ō' | 'Ŏ' | 'ŏ' | 'Ő' | 'ő' => "o",
        'Œ' | 'œ' => "oe",
        'Ŕ' | 'ŕ' | 'Ŗ' | 'ŗ' | 'Ř' | 'ř' => "r",
        'Ś' | 'ś' | 'Ŝ' | 'ŝ' | 'Ş' | 'ş' | 'Š' | 'š' => "s",
        'ß' => "ss",
        'Ţ' | 'ţ' | 'Ť' | 'ť' | 'Ŧ' | 'ŧ' => "t",
        'Þ' | 'þ' => "th",
        'Ù'..='Ü'
        | 'ù'..='ü'
        | 'Ũ'
        | 'ũ'
        | 'Ū'
        | 'ū'
        | 'Ŭ'
        | 'ŭ'
        | 'Ů'
        | 'ů'
        | 'Ű'
        | 'ű'
        | 'Ų'
        | 'ų' => "u",
        'Ŵ' | 'ŵ' => "w",
        'Ý' | 'ý' | 'ÿ' | 'Ŷ' | 'ŷ' | 'Ÿ' => "y",
        'Ź' | 'ź' | 'Ż' | 'ż' | 'Ž' | 'ž' => "z",
        _ => return None,
    })
}

#[derive(serde::Serialize)]
struct LevelContext<'a> {
    name: &'a str,
    description: &'a str,
}

/// What a new postmortem starts with, besides the configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewPostmortem<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) severity: &'a str,
    pub(crate) started_at: Timestamp,
    /// `None` when nobody is known: the template leaves the key empty.
    pub(crate) owner: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct PostmortemContext<'a> {
    id: &'a str,
    title: &'a str,
    severity: &'a str,
    started_at: String,
    owner: Option<&'a str>,
    severities: Vec<LevelContext<'a>>,
}

/// `user.name` from git's configuration, the default owner of a new
/// postmortem: the repository's configuration (which falls back to the
/// global and system files) when `root` is inside a repository, else the
/// global and system files. `None` when no file sets a name.
pub(crate) fn git_user_name(root: &Path) -> Result<Option<String>, git2::Error> {
    let config = match git2::Repository::discover(root) {
        Ok(repo) => repo.config()?,
        Err(_) => git2::Config::open_default()?,
    };
    match config.get_string("user.name") {
        Ok(name) => Ok(Some(name.trim().to_string()).filter(|n| !n.is_empty())),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Render the postmortem template (`source`, named `name` in errors).
pub(crate) fn render_postmortem(
    name: &str,
    source: &str,
    config: &Config,
    new: NewPostmortem<'_>,
) -> Result<String> {
    let context = PostmortemContext {
        id: new.id,
        title: new.title,
        severity: new.severity,
        started_at: new
            .started_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        owner: new.owner,
        severities: config
            .severities
            .iter()
            .map(|s| LevelContext {
                name: &s.name,
                description: &s.description,
            })
            .collect(),
    };
    render_template(name, source, context)
}

/// Check a rendered postmortem before it is written, and complete it.
///
/// A team's template must give a document that parses and carries a valid
/// new id: that is an error, and nothing is written. Headings that
/// `required_sections` asks for and the template lacks are appended, so a
/// template never falls behind the configuration. Other schema problems
/// (a field the team's schema requires of drafts too) are returned, to be
/// shown as warnings once the file exists.
pub(crate) fn finish_postmortem(
    config: &Config,
    template_name: &str,
    text: String,
    id: &str,
) -> Result<(String, Vec<Diagnostic>)> {
    finish(
        config,
        template_name,
        text,
        id,
        DocKind::Incident,
        &format!("id_format `{}`", config.id_format),
    )
}

/// Write `text` to `path`, which must not exist yet; creates its folders.
pub(crate) fn create_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create folder {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `<dir>/<YYYY>/<YYYY-MM-DD>-<slug>.md`, with `-2`, `-3`... when taken.
pub(crate) fn postmortem_path(
    root: &Path,
    dir: &str,
    day: chrono::NaiveDate,
    slug: &str,
) -> PathBuf {
    let folder = root.join(dir).join(day.format("%Y").to_string());
    let stem = format!("{}-{slug}", day.format("%Y-%m-%d"));
    let mut path = folder.join(format!("{stem}.md"));
    let mut n = 2;
    while path.exists() {
        path = folder.join(format!("{stem}-{n}.md"));
        n += 1;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_in_any_script() {
        assert_eq!(slug(&"𓀀".repeat(300)), "");
        assert_eq!(slug("Ünïcode only — 障害"), "unicode-only");
        assert_eq!(slug("Straße zum Łódź-Server"), "strasse-zum-lodz-server");
        assert_eq!(slug("Database failover, again"), "database-failover-again");
        let s = slug(&"Größe ".repeat(40));
        assert!(s.is_ascii() && s.len() <= SLUG_MAX, "{s}");
    }

    #[test]
    fn long_titles_are_cut_after_a_whole_clause() {
        assert_eq!(
            slug("Checkout outage: DB failover in eu-west-1 after the maintenance window ran past midnight"),
            "checkout-outage"
        );
        assert_eq!(
            slug("Payments down (card authorisations timed out) - the retry storm that followed the deploy of the new gateway"),
            "payments-down-card-authorisations-timed-out"
        );
        // One clause too long: whole words of it.
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= SLUG_MAX && !long.ends_with('-'), "{long}");
        assert_eq!(long.len(), 59);
        assert_eq!(slug(&"x".repeat(100)).len(), SLUG_MAX);
    }

    fn next(format: &str, year: i32, taken: &[&str]) -> String {
        IdFormat::parse(format)
            .unwrap()
            .next_id(year, taken.iter().copied())
            .unwrap()
    }

    #[test]
    fn sequence_continues_within_the_year() {
        let taken = [
            "INC-2026-001",
            "INC-2026-009",
            "INC-2025-044",
            "OTHER-2026-100",
            "INC-2026-x",
        ];
        assert_eq!(next("INC-{year}-{seq:03}", 2026, &taken), "INC-2026-010");
        assert_eq!(next("INC-{year}-{seq:03}", 2025, &taken), "INC-2025-045");
        assert_eq!(next("INC-{year}-{seq:03}", 2027, &taken), "INC-2027-001");
        // Wider numbers than the padding still count.
        assert_eq!(
            next("INC-{year}-{seq:03}", 2026, &["INC-2026-1234"]),
            "INC-2026-1235"
        );
        assert_eq!(next("{year}.{seq}", 2026, &["2026.7"]), "2026.8");
        assert_eq!(next("PM-{seq:4}", 2026, &["PM-0041"]), "PM-0042");
    }

    #[test]
    fn formats_without_a_sequence_refuse_a_taken_id() {
        assert_eq!(next("INC-{year}", 2026, &[]), "INC-2026");
        let err = IdFormat::parse("INC-{year}")
            .unwrap()
            .next_id(2026, ["INC-2026"].iter().copied())
            .unwrap_err();
        assert!(err.to_string().contains("no {seq}"), "{err}");
    }

    #[test]
    fn unknown_placeholders_are_named() {
        let err = IdFormat::parse("INC-{month}-{seq}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown placeholder `{month}`"), "{err}");
        assert!(IdFormat::parse("INC-{year").is_err());
    }

    #[test]
    fn slugs_are_short_and_safe() {
        assert_eq!(
            slug("Checkout outage: DB failover (EU)"),
            "checkout-outage-db-failover-eu"
        );
        assert_eq!(slug("?!"), "");
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }
}
#[cfg(test)]
mod render_tests {
    use super::*;

    fn built_in(owner: Option<&str>) -> String {
        let new = NewPostmortem {
            id: "INC-2026-001",
            title: "A \"quoted\" title: with colon",
            severity: "SEV2",
            started_at: crate::model::parse_timestamp("2026-03-14T09:12:00+01:00").unwrap(),
            owner,
        };
        render_postmortem("built-in", POSTMORTEM_TEMPLATE, &Config::default(), new).unwrap()
    }

    #[test]
    fn built_in_template_starts_with_front_matter() {
        let text = built_in(None);
        assert!(text.starts_with("---\nid: \"INC-2026-001\"\n"), "{text}");
        // Nobody known: the key stays empty, which counts as absent.
        assert!(text.contains("\nowner:\n"), "{text}");
    }

    #[test]
    fn built_in_template_quotes_the_owner() {
        let text = built_in(Some("O'Brien: on call"));
        assert!(text.contains("\nowner: \"O'Brien: on call\"\n"), "{text}");
    }
}

#[cfg(test)]
mod workflow_tests {
    use super::INIT_FILES;
    use serde_json::{json, Value};

    fn workflow() -> Value {
        let (_, text) = INIT_FILES
            .iter()
            .find(|(path, _)| *path == ".github/workflows/hindsight.yml")
            .expect("init writes the workflow");
        crate::document::yaml::parse(text, 0)
            .expect("the workflow is valid YAML")
            .value
    }

    /// This project's action, pinned to the release of this version.
    fn action() -> String {
        format!("hindsight-dev/hindsight@v{}", env!("CARGO_PKG_VERSION"))
    }

    #[test]
    fn every_job_installs_this_release_through_the_action() {
        let w = workflow();
        for (name, job) in w["jobs"].as_object().unwrap() {
            // The deploy job runs nothing of the repository's.
            if name == "deploy" {
                continue;
            }
            assert!(
                steps_using(job).contains(&action().as_str()),
                "job {name} does not use {}",
                action()
            );
            let runs: Vec<&str> = job["steps"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|s| s["run"].as_str())
                .collect();
            assert!(
                runs.iter().all(|r| !r.contains("cargo install")),
                "job {name} builds hindsight itself: {runs:?}"
            );
        }
        // Pushes to any branch start the workflow; the jobs read the
        // default branch from the event.
        assert_eq!(w["on"]["push"], Value::Null);
        assert_eq!(w["jobs"]["lint"]["steps"][0]["with"]["fetch-depth"], 0);
    }

    fn steps_using(job: &Value) -> Vec<&str> {
        job["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["uses"].as_str())
            .collect()
    }

    #[test]
    fn pages_job_builds_and_deploys_from_the_default_branch() {
        let w = workflow();
        let pages = &w["jobs"]["pages"];
        assert_eq!(
            pages["if"],
            "github.event_name == 'push' && github.ref_name == github.event.repository.default_branch"
        );
        assert_eq!(pages["needs"], "lint");
        // The build holds no right to deploy: a later job deploys what it
        // uploaded.
        assert_eq!(pages["permissions"], json!({"contents": "read"}));
        assert_eq!(
            steps_using(pages),
            [
                "actions/checkout@v6",
                "actions/configure-pages@v6",
                &action(),
                "actions/upload-pages-artifact@v5",
            ]
        );
        let deploy = &w["jobs"]["deploy"];
        assert_eq!(deploy["needs"], "pages");
        assert_eq!(
            deploy["permissions"],
            json!({"pages": "write", "id-token": "write"})
        );
        assert_eq!(deploy["concurrency"]["group"], "pages");
        assert_eq!(deploy["environment"]["name"], "github-pages");
        assert_eq!(steps_using(deploy), ["actions/deploy-pages@v5"]);
        assert!(deploy["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["run"].is_null()));
        let steps = pages["steps"].as_array().unwrap();
        let build = steps
            .iter()
            .position(|s| s["run"] == "hindsight build --out public")
            .expect("a step builds the site");
        let upload = steps
            .iter()
            .position(|s| s["uses"] == "actions/upload-pages-artifact@v5")
            .unwrap();
        assert!(build < upload, "the site is built before it is uploaded");
        assert_eq!(steps[upload]["with"]["path"], "public");
        // The deploy step's id is what the environment's url reads.
        assert_eq!(deploy["steps"][0]["id"], "deployment");
        assert_eq!(
            deploy["environment"]["url"],
            "${{ steps.deployment.outputs.page_url }}"
        );
    }

    #[test]
    fn the_workflow_pins_by_tag_and_says_how_to_pin_by_sha() {
        let (_, text) = INIT_FILES
            .iter()
            .find(|(path, _)| *path == ".github/workflows/hindsight.yml")
            .unwrap();
        let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
        for line in [
            "# To pin by commit instead of tag (a tag can be moved; a commit cannot),".to_string(),
            format!("#   - uses: hindsight-dev/hindsight@<40-character commit SHA> # {tag}"),
            format!("#       version: {tag}"),
            "#       sarif_file: ${{ steps.hindsight.outputs.sarif-file }}".to_string(),
        ] {
            assert!(text.contains(&line), "{line} missing");
        }
    }

    #[test]
    fn lint_and_weekly_jobs_stay() {
        let w = workflow();
        let jobs: Vec<&String> = w["jobs"].as_object().unwrap().keys().collect();
        assert_eq!(jobs, ["lint", "pages", "deploy", "follow-through"]);
        assert_eq!(
            w["jobs"]["lint"]["if"],
            "github.event_name == 'pull_request' || (github.event_name == 'push' && github.ref_name == github.event.repository.default_branch)"
        );
        assert_eq!(
            w["jobs"]["follow-through"]["if"],
            "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'"
        );
        assert_eq!(w["on"]["schedule"][0]["cron"], "0 8 * * 1");
        assert_eq!(w["permissions"], json!({"contents": "read"}));
    }
}
