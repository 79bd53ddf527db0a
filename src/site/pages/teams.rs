//! The team pages (SPEC section 10): `teams/index.html`, which team
//! answers for which service and how ready each is, and
//! `teams/<id>/index.html`, the emergency card in the order `hindsight
//! oncall` prints it (where to meet, whom to call, when to escalate, who
//! tells whom), then the plan's own text.
//!
//! People's phone numbers and e-mail addresses are written only when
//! `site.contacts: true` (and `build --public` turns that off). Without
//! it, a card shows names and roles and points at `hindsight oncall`, and
//! numbers and addresses written into the war room's text are withheld
//! too: the site is read more widely than the repository.

use super::common::{edit_url_of, severity_class};
use crate::model::{Contact, Team};
use crate::present::format;
use crate::site::links::{DrillLink, TeamLink};
use crate::site::model::{Site, TeamEntry};
use regex::Regex;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

/// The teams with a page that claim `service`, by id (more than one is a
/// `duplicate-service` warning, and the page links each).
fn claiming<'a>(site: &'a Site<'_>, service: &str) -> Vec<&'a TeamLink<'a>> {
    site.claiming(service).map(|e| &e.link).collect()
}

/// How ready a team is on the site's day: its plan's review and its call
/// tree's test.
#[derive(Debug, Serialize)]
pub(crate) struct Readiness<'a> {
    pub(crate) reviewed_on: Option<String>,
    pub(crate) review_due: Option<String>,
    pub(crate) review_every_days: i64,
    pub(crate) stale: bool,
    pub(crate) days_stale: Option<i64>,
    pub(crate) last_tested: Option<String>,
    /// The held call-tree test of `last_tested`, when it has a page.
    pub(crate) tested_by: Option<&'a DrillLink<'a>>,
    pub(crate) test_due: Option<String>,
    /// `None`: a test is never due.
    pub(crate) test_every_days: Option<i64>,
    pub(crate) untested: bool,
    pub(crate) days_untested: Option<i64>,
    /// Call-tree names the last test could not reach.
    pub(crate) unreached: Vec<&'a str>,
}

fn readiness<'a>(site: &'a Site<'_>, e: &TeamEntry<'a>) -> Readiness<'a> {
    let t = e.team;
    let s = &e.state;
    let today = site.today;
    let late =
        |due: Option<chrono::NaiveDate>| due.filter(|d| *d < today).map(|d| (today - d).num_days());
    Readiness {
        reviewed_on: t.reviewed_on.map(format::date),
        review_due: t.review_due().map(format::date),
        review_every_days: t.review_every_days,
        stale: s.stale_on(today),
        days_stale: late(t.review_due()),
        last_tested: s.last_tested().map(format::date),
        tested_by: s.tested_by().and_then(|id| site.drill_link(id)),
        test_due: s.test_due().map(format::date),
        test_every_days: t.test_every_days,
        untested: s.untested_on(today),
        days_untested: late(s.test_due()),
        unreached: s.unreached(),
    }
}

/// One team in the index, and the head of its page.
#[derive(Debug, Serialize)]
pub(crate) struct TeamRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) url: &'a str,
    pub(crate) file: &'a str,
    pub(crate) services: &'a [String],
    pub(crate) readiness: Readiness<'a>,
}

pub(crate) fn row<'a>(site: &'a Site<'_>, n: usize) -> TeamRow<'a> {
    let e = &site.teams[n];
    TeamRow {
        id: &e.team.id,
        name: &e.team.name,
        url: &e.link.url,
        file: &e.team.file,
        services: &e.team.services,
        readiness: readiness(site, e),
    }
}

/// A service a team or an incident names, with the teams that answer
/// for it (none: nobody does; two: a `duplicate-service` warning).
#[derive(Debug, Serialize)]
pub(crate) struct ServiceRow<'a> {
    pub(crate) name: &'a str,
    pub(crate) teams: Vec<&'a TeamLink<'a>>,
    /// Incidents on the site that name it (near misses left out).
    pub(crate) incidents: usize,
}

/// The team index.
#[derive(Debug, Serialize)]
pub(crate) struct IndexPage<'a> {
    pub(crate) teams: Vec<TeamRow<'a>>,
    pub(crate) stale: usize,
    pub(crate) untested: usize,
    /// Every service of a team or an incident, by name.
    pub(crate) services: Vec<ServiceRow<'a>>,
    /// Services that incidents name and no team claims.
    pub(crate) unowned: usize,
}

pub(crate) fn index_page<'a>(site: &'a Site<'_>) -> IndexPage<'a> {
    let teams: Vec<TeamRow<'a>> = (0..site.teams.len()).map(|n| row(site, n)).collect();
    let mut incidents: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &site.teams {
        for s in &e.team.services {
            incidents.entry(s).or_default();
        }
    }
    for e in &site.incidents {
        let mut seen: Vec<&str> = e.incident.services.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for s in seen {
            let count = incidents.entry(s).or_default();
            // A near miss names its services but is no incident of
            // theirs (SPEC section 14).
            if !e.incident.is_near_miss() {
                *count += 1;
            }
        }
    }
    let services: Vec<ServiceRow<'a>> = incidents
        .into_iter()
        .map(|(name, incidents)| ServiceRow {
            name,
            teams: claiming(site, name),
            incidents,
        })
        .collect();
    IndexPage {
        stale: teams.iter().filter(|t| t.readiness.stale).count(),
        untested: teams.iter().filter(|t| t.readiness.untested).count(),
        unowned: services.iter().filter(|s| s.teams.is_empty()).count(),
        services,
        teams,
    }
}

/// A person (or a partner) as the card shows them. `phone` and `email`
/// are there only when the site may show contacts.
#[derive(Debug, Serialize)]
pub(crate) struct Person<'a> {
    pub(crate) name: &'a str,
    pub(crate) role: Option<&'a str>,
    /// A partner's kind: `vendor`, `legal`, ...
    pub(crate) kind: Option<&'a str>,
    pub(crate) location: Option<&'a str>,
    pub(crate) phone: Option<&'a str>,
    /// `tel:` and the digits of `phone`.
    pub(crate) tel: Option<String>,
    pub(crate) email: Option<&'a str>,
    /// `mailto:` address, when the link classifier calls it one.
    pub(crate) mailto: Option<String>,
}

/// `tel:+442079460101`: the `+` and the digits, so that nothing else a
/// document wrote can reach the link.
fn tel(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (phone.trim_start().starts_with('+') && (8..=15).contains(&digits.len()))
        .then(|| format!("tel:+{digits}"))
}

fn person(c: &Contact, contacts: bool) -> Person<'_> {
    let phone = c.phone.as_deref().filter(|_| contacts);
    let email = c.email.as_deref().filter(|_| contacts);
    Person {
        name: &c.name,
        role: c.role.as_deref(),
        kind: c.kind.as_deref(),
        location: c.location.as_deref(),
        phone,
        tel: phone.and_then(tel),
        email,
        mailto: email.and_then(|e| {
            crate::document::link::external_url(&format!("mailto:{}", e.trim())).map(str::to_string)
        }),
    }
}

/// One person of the call tree, in the order of a walk from its first
/// entry: the template nests them (`<ul>` in a person's item when
/// `opens`, and `closes` levels closed after a person who calls no one).
#[derive(Debug, Serialize)]
pub(crate) struct TreeLine<'a> {
    pub(crate) person: Person<'a>,
    pub(crate) depth: usize,
    /// Drawn already under an earlier caller: "see above".
    pub(crate) seen: bool,
    pub(crate) unreached: bool,
    pub(crate) opens: bool,
    pub(crate) closes: usize,
}

/// The call tree from its first entry, each person under the one who
/// calls them, drawn once (as `hindsight oncall` draws it); and the names
/// the fan-out never reaches.
fn call_tree<'a>(
    team: &'a Team,
    unreached: &[&str],
    contacts: bool,
) -> (Vec<TreeLine<'a>>, Vec<&'a str>) {
    let mut walk: Vec<(&Contact, usize, bool)> = Vec::new();
    let mut drawn: HashSet<&str> = HashSet::new();
    let mut stack: Vec<(&Contact, usize)> =
        team.call_tree.first().map(|c| (c, 0)).into_iter().collect();
    while let Some((c, depth)) = stack.pop() {
        let seen = !drawn.insert(c.name.as_str());
        walk.push((c, depth, seen));
        if seen {
            continue;
        }
        let called: Vec<&Contact> = c.calls.iter().filter_map(|n| team.contact(n)).collect();
        stack.extend(called.into_iter().rev().map(|child| (child, depth + 1)));
    }
    let lines = walk
        .iter()
        .enumerate()
        .map(|(k, &(c, depth, seen))| {
            let next = walk.get(k + 1).map_or(0, |w| w.1);
            let opens = next > depth;
            TreeLine {
                person: person(c, contacts),
                depth,
                seen,
                unreached: !seen && unreached.contains(&c.name.as_str()),
                opens,
                closes: if opens { 0 } else { depth - next },
            }
        })
        .collect();
    let outside = team
        .call_tree
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| !drawn.contains(n))
        .collect();
    (lines, outside)
}

/// Whom an escalation step pages or who leads communication: a name or
/// a role of the call tree, with the person it reaches.
#[derive(Debug, Serialize)]
pub(crate) struct Reach<'a> {
    /// As written.
    pub(crate) text: &'a str,
    /// The call-tree person it names, when it names one.
    pub(crate) person: Option<Person<'a>>,
    /// `text` is a role (the person's name is shown beside it).
    pub(crate) by_role: bool,
}

fn reach<'a>(team: &'a Team, name_or_role: &'a str, contacts: bool) -> Reach<'a> {
    let found = team.contact(name_or_role);
    Reach {
        text: name_or_role,
        by_role: found.is_some_and(|c| c.name != name_or_role),
        person: found.map(|c| person(c, contacts)),
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct EscalationStep<'a> {
    pub(crate) after_minutes: u64,
    pub(crate) page: Reach<'a>,
}

/// A severity's escalation, in the configured order of severities.
#[derive(Debug, Serialize)]
pub(crate) struct Escalation<'a> {
    pub(crate) severity: &'a str,
    pub(crate) severity_class: String,
    /// The severity's protocol: page the on-call within this many minutes.
    pub(crate) page_within_minutes: Option<u64>,
    pub(crate) steps: Vec<EscalationStep<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Cadence<'a> {
    pub(crate) severity: &'a str,
    pub(crate) severity_class: String,
    pub(crate) minutes: u64,
}

/// One team's page.
#[derive(Debug, Serialize)]
pub(crate) struct TeamPage<'a> {
    #[serde(flatten)]
    pub(crate) row: TeamRow<'a>,
    /// Whether people's phone numbers and e-mail addresses are shown.
    pub(crate) contacts: bool,
    /// `hindsight oncall <its first service>`: where the contacts are.
    pub(crate) oncall_command: String,
    pub(crate) war_room: Option<Cow<'a, str>>,
    pub(crate) fallback: Option<Cow<'a, str>>,
    /// The on-call rota, linked when it is a web address.
    pub(crate) oncall: Option<Cow<'a, str>>,
    pub(crate) oncall_url: Option<&'a str>,
    pub(crate) call_tree: Vec<TreeLine<'a>>,
    /// Call-tree names nobody calls.
    pub(crate) outside: Vec<&'a str>,
    pub(crate) escalation: Vec<Escalation<'a>>,
    pub(crate) cadence: Vec<Cadence<'a>>,
    pub(crate) lead: Option<Reach<'a>>,
    pub(crate) audiences: &'a [String],
    pub(crate) partners: Vec<Person<'a>>,
    pub(crate) stakeholders: Vec<Person<'a>>,
    pub(crate) body: String,
    pub(crate) edit_url: Option<String>,
}

pub(crate) fn team_page<'a>(site: &'a Site<'_>, n: usize) -> TeamPage<'a> {
    let e = &site.teams[n];
    let t = e.team;
    let config = &site.repo.config;
    let contacts = config.site.contacts;
    let unreached = e.state.unreached();
    let (call_tree, outside) = call_tree(t, &unreached, contacts);
    let mut levels: Vec<&(String, Vec<crate::model::Step>)> = t.escalation.iter().collect();
    levels.sort_by_key(|(sev, _)| config.severity_rank(sev));
    let escalation = levels
        .into_iter()
        .map(|(sev, steps)| Escalation {
            severity: sev,
            severity_class: severity_class(site, sev),
            page_within_minutes: config.protocol_of(sev).page_within_minutes,
            steps: steps
                .iter()
                .map(|s| EscalationStep {
                    after_minutes: s.after_minutes,
                    page: reach(t, &s.page, contacts),
                })
                .collect(),
        })
        .collect();
    let shown = |text: &'a Option<String>| {
        text.as_deref().map(|s| {
            if contacts {
                Cow::Borrowed(s)
            } else {
                withhold(s)
            }
        })
    };
    let oncall = shown(&t.oncall);
    // Linked only when nothing of it was withheld.
    let oncall_url = match &oncall {
        Some(Cow::Borrowed(o)) => crate::document::link::external_url(o),
        _ => None,
    };
    TeamPage {
        row: row(site, n),
        contacts,
        oncall_command: format!(
            "hindsight oncall {}",
            t.services.first().map_or("SERVICE", String::as_str)
        ),
        war_room: shown(&t.war_room_primary),
        fallback: shown(&t.war_room_fallback),
        oncall,
        oncall_url,
        call_tree,
        outside,
        escalation,
        cadence: t
            .updates_every_minutes
            .iter()
            .map(|(sev, minutes)| Cadence {
                severity: sev,
                severity_class: severity_class(site, sev),
                minutes: *minutes,
            })
            .collect(),
        lead: t
            .communication_lead
            .as_deref()
            .map(|lead| reach(t, lead, contacts)),
        audiences: &t.audiences,
        partners: t.partners.iter().map(|c| person(c, contacts)).collect(),
        stakeholders: t.stakeholders.iter().map(|c| person(c, contacts)).collect(),
        body: site.body_html(&t.file),
        edit_url: edit_url_of(site.repo, &t.file),
    }
}

/// Phone numbers written the international way (`+` and 8 to 15 digits)
/// or the North American one, and e-mail addresses: what a card without
/// contacts leaves out of free text. Fictional numbers too: the site does
/// not judge which number is real.
fn contact_like() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(
            r"(?i)(?P<phone>\+[0-9][0-9 ().-]{6,22}[0-9]|\([0-9]{3}\) ?[0-9]{3}[-. ][0-9]{4})|(?P<email>[a-z0-9._%+-]{1,64}@(?:[a-z0-9-]{1,63}\.){1,8}[a-z]{2,24})",
        )
        .expect("a valid pattern")
    })
}

/// `text` with its phone numbers and e-mail addresses withheld.
pub(crate) fn withhold(text: &str) -> Cow<'_, str> {
    contact_like().replace_all(text, |caps: &regex::Captures<'_>| {
        if caps.name("email").is_some() {
            "[address withheld]"
        } else {
            "[number withheld]"
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_addresses_are_withheld_from_free_text() {
        assert_eq!(
            withhold("Phone bridge +1 212 555 0199, PIN 4411; else room 4"),
            "Phone bridge [number withheld], PIN 4411; else room 4"
        );
        assert_eq!(
            withhold("mail war.room@acme.io or call (415) 555-0134"),
            "mail [address withheld] or call [number withheld]"
        );
        // Dates, times and short numbers are not phone numbers.
        assert_eq!(
            withhold("from 2026-03-14 at 07:00, room 3303"),
            "from 2026-03-14 at 07:00, room 3303"
        );
    }

    #[test]
    fn tel_links_hold_only_digits() {
        assert_eq!(
            tel("+44 20 7946 0101").as_deref(),
            Some("tel:+442079460101")
        );
        assert_eq!(tel("+1-415-555-0134").as_deref(), Some("tel:+14155550134"));
        assert_eq!(tel("020 7946 0101"), None);
        assert_eq!(tel("+12"), None);
    }

    fn repo() -> crate::model::Repository {
        crate::load::from_texts(&[(
            "teams/a.md",
            "---\nid: a\nname: A\nservices: [api]\noncall: https://o.example.com\ncall_tree:\n  - {name: Ana, role: incident manager, phone: +44 20 7946 0101, calls: [Ben, Cy]}\n  - {name: Ben, calls: [Dee, Cy]}\n  - {name: Cy, role: scribe}\n  - {name: Dee}\n  - {name: Eve}\nwar_room: {primary: x, fallback: y}\ncommunication: {lead: scribe}\nreviewed_on: 2026-10-01\n---\n",
        )])
    }

    #[test]
    fn the_call_tree_nests_from_its_first_entry() {
        let repo = repo();
        let team = &repo.teams[0];
        let (lines, outside) = call_tree(team, &["Dee"], false);
        let drawn: Vec<(&str, usize, bool, bool, bool, usize)> = lines
            .iter()
            .map(|l| {
                (
                    l.person.name,
                    l.depth,
                    l.seen,
                    l.unreached,
                    l.opens,
                    l.closes,
                )
            })
            .collect();
        assert_eq!(
            drawn,
            [
                ("Ana", 0, false, false, true, 0),
                ("Ben", 1, false, false, true, 0),
                ("Dee", 2, false, true, false, 0),
                // Ben calls Cy before Ana does: drawn under Ben, then "see
                // above" under Ana.
                ("Cy", 2, false, false, false, 1),
                ("Cy", 1, true, false, false, 1),
            ]
        );
        assert_eq!(outside, ["Eve"]);
        // Without contacts, no phone; with them, a tel: link.
        assert_eq!(lines[0].person.phone, None);
        let (lines, _) = call_tree(team, &[], true);
        assert_eq!(lines[0].person.tel.as_deref(), Some("tel:+442079460101"));
        let lead = reach(team, "scribe", false);
        assert!(lead.by_role);
        assert_eq!(lead.person.map(|p| p.name), Some("Cy"));
    }
}
