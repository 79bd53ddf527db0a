//! Team response plans on the site (SPEC section 10): the team index, each
//! team's emergency card, the links from incidents, drills and quarterly
//! reviews, the report's `teams` block, and that nobody's phone number or
//! e-mail address reaches a file of the site unless `site.contacts: true`
//! (and never with `--public`). On examples/ and tests/fixtures/site-teams,
//! whose figures were worked out by hand below.

use crate::prelude::*;
use std::collections::BTreeMap;

const FIXTURE: &str = "site-teams";

/// Build `repo` with `args` into a fresh folder; the guard keeps it.
fn build(repo: &Path, args: &[&str]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("site");
    hindsight(repo)
        .args(["build", "--today", TODAY, "--out"])
        .arg(&out)
        .args(args)
        .assert()
        .success();
    (dir, out)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file of a site by path, with the text of its search chunks
/// inflated: what any reader of the site could get at.
fn everything(out: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let bytes = crate::privacy::readable(&std::fs::read(&path).unwrap());
                found.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    found
}

/// The files of `site` that contain `needle`.
fn holding(site: &BTreeMap<String, String>, needle: &str) -> Vec<String> {
    site.iter()
        .filter(|(_, text)| text.contains(needle))
        .map(|(path, _)| path.clone())
        .collect()
}

/// The phone numbers and e-mail addresses of the contact fields of every
/// team document of `repo`, as written.
fn contacts_of(repo: &Path) -> Vec<String> {
    let field = regex::Regex::new(r#"(?:phone|email): *"?([^,}"\n]+)"?"#).unwrap();
    let mut found = Vec::new();
    for entry in std::fs::read_dir(repo.join("teams")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        found.extend(field.captures_iter(&text).map(|c| c[1].trim().to_string()));
    }
    found.sort();
    found
}

/// Anything on the site written like a phone number (a `+` and 8 to 15
/// digits, or the North American form) or an e-mail address, by file.
fn contact_like(site: &BTreeMap<String, String>) -> Vec<String> {
    let phone =
        regex::Regex::new(r"\+[0-9][0-9 ().-]{6,22}[0-9]|\([0-9]{3}\) ?[0-9]{3}[-. ][0-9]{4}")
            .unwrap();
    let email = regex::Regex::new(r"(?i)[a-z0-9._%+-]{1,64}@(?:[a-z0-9-]{1,63}\.){1,8}[a-z]{2,24}")
        .unwrap();
    let mut found = Vec::new();
    for (path, text) in site {
        for m in phone.find_iter(text) {
            let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
            if (8..=15).contains(&digits) {
                found.push(format!("{path}: {}", m.as_str()));
            }
        }
        for m in email.find_iter(text) {
            found.push(format!("{path}: {}", m.as_str()));
        }
    }
    found
}

/// `hindsight.yaml` of `repo` without its `base_url` line, with `more`
/// appended.
fn configure(repo: &Repo, more: &str) {
    let path = repo.path().join("hindsight.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut text: String = text
        .lines()
        .filter(|l| !(more.contains("base_url:") && l.starts_with("base_url:")))
        .map(|l| format!("{l}\n"))
        .collect();
    text.push_str(more);
    std::fs::write(path, text).unwrap();
}

fn examples_copy() -> Repo {
    let repo = Repo::empty();
    copy_dir(&fixture("examples"), repo.path());
    repo
}

#[test]
fn the_team_index_tells_who_answers_for_what_and_how_ready_each_is() {
    let (_guard, out) = build(&fixture("examples"), &[]);
    let html = read(&out, "teams/index.html");
    insta::assert_snapshot!("teams_index", html);
    // One row per team, by id, each linking its card.
    let rows: Vec<&str> = html.split("<tr>").skip(2).take(3).collect();
    assert!(
        rows[0].contains(r#"<a href="../teams/edge/index.html">Edge</a>"#),
        "{}",
        rows[0]
    );
    assert!(rows[1].contains(r#"<a href="../teams/payments/index.html">Payments</a>"#));
    assert!(rows[2].contains(r#"<a href="../teams/platform/index.html">Platform</a>"#));
    // edge: reviewed 2026-11-02 + team_review_days 90 = 2027-01-31; its
    // 90-day test interval applies and it was never tested.
    assert!(rows[0].contains("due 2027-01-31") && rows[0].contains("never tested"));
    // payments: reviewed 2026-09-14 + 90 = 2026-12-13; tested 2026-10-06
    // by CTT-2026-001 + 180 = 2027-04-04; Dana Whitfield not reached.
    assert!(rows[1].contains("due 2026-12-13"), "{}", rows[1]);
    assert!(rows[1].contains(
        r#"<a href="../drills/CTT-2026-001/index.html" title="Call-tree test: Payments, chat and e-mail down">2026-10-06</a>"#
    ), "{}", rows[1]);
    assert!(rows[1].contains("due 2027-04-04") && rows[1].contains("Dana Whitfield"));
    // platform: reviewed 2026-03-02 + its 120 days = 2026-06-30, 145 days
    // before 2026-11-22; no test interval: never due.
    assert!(rows[2].contains("stale 145 d") && rows[2].contains("never due"));
    assert!(html.contains("3 team response plans, 1 stale, 1 with an untested call tree."));
    // The nav links the page from every page, as the current one here.
    assert!(html.contains(r#"<a href="../teams/index.html" aria-current="page">Teams</a>"#));
    assert!(read(&out, "index.html").contains(r#"<a href="teams/index.html">Teams</a>"#));
    assert!(read(&out, "incidents/INC-2026-002/index.html")
        .contains(r#"<a href="../../teams/index.html">Teams</a>"#));
}

#[test]
fn a_team_page_is_the_emergency_card_in_the_order_oncall_prints_it() {
    let (_guard, out) = build(&fixture("examples"), &[]);
    let html = read(&out, "teams/payments/index.html");
    insta::assert_snapshot!("payments_card", html);
    // War room and fallback first, then the rota, the call tree,
    // escalation, updates, partners, stakeholders and the state, as
    // `hindsight oncall checkout` prints them.
    let order = [
        ">War room<",
        ">Fallback ",
        ">On-call rota<",
        ">Call tree ",
        ">Escalation<",
        ">Updates<",
        ">Partners<",
        ">Stakeholders<",
        "Plan reviewed 2026-09-14",
        "Before you call",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|s| html.find(s).unwrap_or_else(|| panic!("no {s}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?} at {at:?}");
    // The tree from the first entry: Priya calls Tomás and Dana, Tomás
    // calls Lena; Dana was not reached at the last test.
    let tree = &html[html.find(r#"<ul class="call-tree">"#).unwrap()..];
    let tree = &tree[..tree.find("</section>").unwrap()];
    let nested = regex::Regex::new(
        r"^<ul class=.call-tree.><li>.*Priya Nair.*<ul><li>.*Tomás Ortega.*<ul><li>.*Lena Vogel.*</li></ul></li><li class=.unreached.>.*Dana Whitfield.*not reached at the last call-tree test.*</li></ul></li></ul>$",
    )
    .unwrap();
    assert!(nested.is_match(tree), "{tree}");
    // Severities in the configured order, with SEV1's protocol.
    let sev1 = html.find(
        r#"<span class="badge sev-1">SEV1</span> <span class="small">page within 5 min</span>"#,
    );
    let sev2 = html.find(r#"<span class="badge sev-2">SEV2</span></dt>"#);
    assert!(sev1.is_some() && sev1 < sev2, "escalation order");
    assert!(html.contains("engineering manager (<b>Lena Vogel</b>)"));
    assert!(html.contains("communications lead (<b>Tomás Ortega</b>)"));
    assert!(html.contains("customer support, status page, finance"));
    // Without `site.contacts`, names and roles and where the numbers are.
    assert!(html.contains("<code>hindsight oncall checkout</code> prints this card with them"));
    assert!(html.contains("Phone bridge [number withheld], PIN 4411"));
    assert!(!html.contains("tel:"));
    // The body, rendered as any document's, its link to a runbook made a
    // link to the runbook's page.
    assert!(html.contains(
        r#"<a href="../../runbooks/postgres-failover/index.html">Postgres fail-over</a>"#
    ));
    // Never tested: the card says so.
    let edge = read(&out, "teams/edge/index.html");
    assert!(edge.contains("call tree never tested</span>"), "{edge}");
    assert!(edge.contains("Call tree never tested (a test is due every 90 days): <strong>the call tree is untested</strong>."));
    let platform = read(&out, "teams/platform/index.html");
    assert!(platform.contains("plan stale 145 d"));
    // A lead named, not by role: the name alone.
    assert!(platform.contains("<dt>Led by</dt><dd><b>Jun Park</b></dd>"));
}

#[test]
fn incident_and_drill_pages_link_the_teams() {
    let (_guard, out) = build(&fixture("examples"), &[]);
    // INC-2026-002: checkout and payments are Payments', postgres is
    // Platform's.
    let html = read(&out, "incidents/INC-2026-002/index.html");
    for (service, team, name) in [
        ("checkout", "payments", "Payments"),
        ("payments", "payments", "Payments"),
        ("postgres", "platform", "Platform"),
    ] {
        let chip = format!(
            r#"<a class="chip service" href="../../teams/{team}/index.html" title="Answered by {name}: its emergency card">{service} <span class="chip-team">· {name}</span></a>"#
        );
        assert!(html.contains(&chip), "{chip}");
    }
    let drill = read(&out, "drills/CTT-2026-001/index.html");
    assert!(drill.contains(r#"<a href="../../teams/payments/index.html">Payments</a>"#));
    assert!(drill.contains(r#"Not reached: <span class="chip warn">Dana Whitfield</span>"#));

    // The fixture: api is Alpha's, queue Alpha's and Beta's (a
    // duplicate-service warning), billing nobody's.
    let (_guard, out) = build(&fixture(FIXTURE), &[]);
    let html = read(&out, "incidents/INC-1/index.html");
    assert!(html.contains(
        r#"href="../../teams/alpha/index.html" title="Answered by Alpha: its emergency card">api "#
    ));
    assert!(html.contains(r#"href="../../teams/alpha/index.html" title="Answered by Alpha: its emergency card">queue "#));
    assert!(html.contains(
        r#"href="../../teams/beta/index.html" title="Answered by Beta: its emergency card">queue "#
    ));
    assert!(html.contains(r#"<span class="chip service">billing</span>"#));
    // The body's link to the team's file goes to its page.
    assert!(html.contains(r#"<a href="../../teams/alpha/index.html">Alpha plan</a>"#));
    let index = read(&out, "teams/index.html");
    assert!(index.contains("claimed by 2 teams"));
    assert!(index.contains(r#"<span class="chip service">billing</span></th><td><span class="badge stale">no team</span></td><td class="num">1</td>"#), "{index}");
    assert!(index.contains("1 service that incidents name has no team"));
}

#[test]
fn the_card_draws_the_fan_out_once_and_names_who_it_never_reaches() {
    let (_guard, out) = build(&fixture(FIXTURE), &[]);
    let html = read(&out, "teams/alpha/index.html");
    // Ada calls Ben and Cyd; Ben calls Cyd and Ada: each drawn once, the
    // second time "see above". Nobody calls Dov.
    let names = regex::Regex::new(r#"<li(?: class="(\w+)")?>(?:<span class="person"><b>([^<]+)</b>|<span class="muted">([^<]+) \(see above\))"#).unwrap();
    let drawn: Vec<String> = names
        .captures_iter(&html[html.find("call-tree").unwrap()..html.find("hs-escalation").unwrap()])
        .map(|c| match (c.get(2), c.get(3)) {
            (Some(n), _) => n.as_str().to_string(),
            (_, Some(n)) => format!("({})", n.as_str()),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(
        drawn,
        [
            "Ada Quill",
            "Ben Ortiz",
            "Cyd Lamb",
            "(Ada Quill)",
            "(Cyd Lamb)"
        ]
    );
    assert!(html.contains("Not in the fan-out (nobody calls them): Dov Hale"));
    assert!(html.contains(r#"<li class="unreached"><span class="person"><b>Cyd Lamb</b>"#));
    // SEV1 before SEV2 (the configured order, not the written one), a
    // step by name and one by role.
    let sev1 = html
        .find(">SEV1</span> <span class=\"small\">page within 5 min")
        .unwrap();
    assert!(sev1 < html.find(">SEV2</span></dt>").unwrap());
    assert!(html.contains("<span class=\"after\">after 0 min</span> <b>Ada Quill</b></li>"));
    assert!(
        html.contains("<span class=\"after\">after 10 min</span> scribe (<b>Cyd Lamb</b>)</li>")
    );
    // The cadence as written, as `hindsight oncall` prints it.
    assert!(html.contains("<span class=\"nowrap\">60 min at <span class=\"badge sev-2\">SEV2</span></span>, <span class=\"nowrap\">15 min at"));
    // The war room's text keeps no number or address either.
    assert!(
        html.contains("bridge [number withheld], or mail [address withheld]"),
        "{html}"
    );
    // Beta: reviewed 2026-11-01 + 60 = 2026-12-31; its 90-day interval,
    // never tested. Alpha: reviewed 2026-09-01 + 60 = 2026-10-31, stale
    // 22 days; tested by CTT-1 on 2026-10-20 + 30 = 2026-11-19, untested 3.
    assert!(html.contains("plan stale 22 d") && html.contains("call tree untested 3 d"));
    let beta = read(&out, "teams/beta/index.html");
    assert!(beta.contains("(next review by 2026-12-31, every 60 days)."));
    assert!(beta.contains("Call tree never tested (a test is due every 90 days)"));
}

#[test]
fn no_contact_reaches_the_site_unless_it_may() {
    for (repo, extra) in [
        ("examples", "base_url: https://incidents.example.net/\n"),
        (FIXTURE, ""),
    ] {
        let copy = Repo::empty();
        copy_dir(&fixture(repo), copy.path());
        // An absolute base_url: the sitemap is written too.
        configure(&copy, extra);
        let contacts = contacts_of(copy.path());
        assert!(contacts.len() >= 8, "{contacts:?}");
        let (_guard, out) = build(copy.path(), &[]);
        let site = everything(&out);
        assert!(site.contains_key("sitemap.xml") && site.contains_key("feed.xml"));
        assert!(site.keys().any(|k| k.starts_with("assets/search/d-")));
        for c in &contacts {
            assert_eq!(holding(&site, c), Vec::<String>::new(), "{repo}: {c}");
        }
        assert_eq!(contact_like(&site), Vec::<String>::new(), "{repo}");

        // With `site.contacts: true` the cards show them, linked.
        configure(&copy, "site:\n  contacts: true\n");
        let (_guard, out) = build(copy.path(), &[]);
        let site = everything(&out);
        // The scan finds them when they are there.
        assert!(contact_like(&site).len() >= 8, "{repo}");
        for c in &contacts {
            let shown = holding(&site, c);
            assert!(
                shown.iter().all(|f| f.starts_with("teams/")),
                "{repo}: {c} on {shown:?}"
            );
            // Dov Hale is outside the fan-out: the card names him only.
            let drawn = !["+49 30 1234 5678", "dov@acme.test"].contains(&c.as_str());
            assert_eq!(!shown.is_empty(), drawn, "{repo}: {c} on {shown:?}");
        }

        // `--public` never, whatever the configuration says.
        let (_guard, out) = build(copy.path(), &["--public"]);
        let site = everything(&out);
        for c in &contacts {
            assert_eq!(
                holding(&site, c),
                Vec::<String>::new(),
                "{repo} --public: {c}"
            );
        }
        assert_eq!(contact_like(&site), Vec::<String>::new(), "{repo} --public");
    }
}

#[test]
fn with_site_contacts_the_card_links_phones_and_addresses() {
    let repo = examples_copy();
    configure(&repo, "site:\n  contacts: true\n");
    let (_guard, out) = build(repo.path(), &[]);
    let html = read(&out, "teams/payments/index.html");
    assert!(html.contains(
        r#"<b>Priya Nair</b> <span class="role">· incident manager</span> · <a class="tel" href="tel:+442079460101">+44 20 7946 0101</a> · <a href="mailto:priya.nair@example.com">priya.nair@example.com</a> <span class="muted">· London (GMT)</span>"#
    ), "{html}");
    assert!(html.contains(r#"engineering manager (<b>Lena Vogel</b> <a class="tel" href="tel:+4930901820">+49 30 901820</a>)"#));
    assert!(html.contains(
        r#"<b>Stripe support</b> · <a class="tel" href="tel:+18889262289">+1 888 926 2289</a>"#
    ));
    assert!(html.contains("Phone bridge +1 212 555 0199, PIN 4411"));
    assert!(!html.contains("contacts-note"));
}

#[test]
fn public_and_pseudonymized_the_cards_name_nobody() {
    let (_guard, out) = build(&fixture("examples"), &["--public", "--pseudonymize"]);
    let site = everything(&out);
    for person in [
        "Priya Nair",
        "Tomás Ortega",
        "Dana Whitfield",
        "Lena Vogel",
        "Marta Ilves",
        "Sam Okafor",
        "Jun Park",
        "Ines Duarte",
        "Noor Haddad",
        "Ola Nordmann",
        "Kai Müller",
    ] {
        assert_eq!(holding(&site, person), Vec::<String>::new(), "{person}");
    }
    // The person the last test did not reach is the same label in the
    // tree, the state line, the index and the drill.
    let card = &site["teams/payments/index.html"];
    let unreached =
        regex::Regex::new(r#"<li class="unreached"><span class="person"><b>([^<]+)</b>"#)
            .unwrap()
            .captures(card)
            .unwrap()[1]
            .to_string();
    assert!(
        unreached.starts_with("Responder ") || unreached.starts_with("Owner "),
        "{unreached}"
    );
    assert!(card.contains(&format!("not reached: {unreached}.")));
    assert!(site["teams/index.html"]
        .contains(&format!(r#"<span class="chip warn">{unreached}</span>"#)));
    assert!(site["drills/CTT-2026-001/index.html"]
        .contains(&format!(r#"<span class="chip warn">{unreached}</span>"#)));
    // Partners are organisations, not people.
    assert!(card.contains("<b>Stripe support</b>"));

    // An internal team is left out, and so is the drill's link to it.
    let (_guard, out) = build(&fixture(FIXTURE), &["--public"]);
    let site = everything(&out);
    assert!(site.contains_key("teams/alpha/index.html"));
    assert!(!site.contains_key("teams/gamma/index.html"));
    assert_eq!(holding(&site, "Gamma"), Vec::<String>::new());
    assert_eq!(holding(&site, "teams/gamma"), Vec::<String>::new());
}

#[test]
fn a_repository_without_teams_has_no_team_pages() {
    let (_guard, out) = build(&fixture("site-search"), &[]);
    assert!(!out.join("teams").exists());
    assert!(!read(&out, "index.html").contains("teams/index.html"));
    let report = quarter_json(fixture("site-search"), "2026-Q4");
    assert_eq!(
        report["teams"],
        json!({"stale_at_end": [], "untested_at_end": [], "tested_in_period": 0})
    );
    let md = quarter_report(fixture("site-search"), "2026-Q4", "md");
    assert!(!md.contains("Team readiness"), "{md}");
}

/// `report --format json`'s `teams` on `today`.
fn report_teams(repo: &str, quarter: &str, today: &str) -> Value {
    let report = json_of(hindsight(fixture(repo)).args([
        "report",
        "--quarter",
        quarter,
        "--format",
        "json",
        "--today",
        today,
    ]));
    report["teams"].clone()
}

#[test]
fn the_report_counts_stale_untested_and_tested_teams() {
    // 2026-Q4 on 2026-11-22: the end day E is today, before the quarter's
    // end. payments: review due 2026-12-13 >= E; tested 2026-10-06, next
    // by 2027-04-04. platform: due 2026-06-30 < E, stale; no test
    // interval. edge: due 2027-01-31; a 90-day interval and never tested:
    // untested. One team, payments, held a call-tree test in the quarter.
    assert_eq!(
        report_teams("examples", "2026-Q4", TODAY),
        json!({"stale_at_end": ["platform"], "untested_at_end": ["edge"], "tested_in_period": 1})
    );
    // 2026-Q3: E = 2026-10-01. The same states (computed from the
    // documents as they are), and no test in July to September.
    assert_eq!(
        report_teams("examples", "2026-Q3", TODAY),
        json!({"stale_at_end": ["platform"], "untested_at_end": ["edge"], "tested_in_period": 0})
    );
    // After the quarter: E = 2027-01-01, the day after it. payments' review
    // (due 2026-12-13) is overdue by then.
    assert_eq!(
        report_teams("examples", "2026-Q4", "2027-02-01"),
        json!({"stale_at_end": ["payments", "platform"], "untested_at_end": ["edge"], "tested_in_period": 1})
    );
    // teams-state, 2026-Q4 on 2026-11-22: north reviewed 2026-09-01 + 60 =
    // 2026-10-31, stale; tested 2026-10-20 (CTT-1) + 30 = 2026-11-19,
    // untested. south never tested with the configured 30 days: untested.
    // west: due 2026-12-14, tested 2026-09-01 + 90 = 2026-11-30. CTT-1 is
    // the quarter's one held test; CTT-4 is only planned.
    assert_eq!(
        report_teams("teams-state", "2026-Q4", TODAY),
        json!({"stale_at_end": ["north"], "untested_at_end": ["north", "south"], "tested_in_period": 1})
    );
    let md = quarter_report(fixture("examples"), "2026-Q4", "md");
    assert!(
        md.contains("## Team readiness\n\nTeam response plans on 2026-11-22.\n"),
        "{md}"
    );
    assert!(md.contains("| Stale plans | platform |\n| Untested call trees | edge |\n| Teams with a call-tree test in the period | 1 |\n"), "{md}");
    let html = quarter_report(fixture("examples"), "2026-Q4", "html");
    assert!(html.contains(r#"<h2 id="teams">Team readiness</h2>"#));
    assert!(html.contains(r#"<tr><th scope="row">Stale plans</th><td>platform</td></tr>"#));
}

#[test]
fn quarterly_reviews_list_stale_and_untested_teams_on_their_end_day() {
    let (_guard, out) = build(&fixture("examples"), &[]);
    let html = read(&out, "reviews/2026-Q4/index.html");
    let section = &html[html.find(r#"id="hs-teams""#).expect("a readiness section")..];
    let section = &section[..section.find("Overdue carry-over").unwrap()];
    assert!(
        section.contains(
            "Response plans and call trees on 2026-11-22; 1 team held a call-tree test in 2026-Q4."
        ),
        "{section}"
    );
    let stale = &section
        [section.find("hs-stale-teams").unwrap()..section.find("hs-untested-teams").unwrap()];
    assert!(stale.contains(r#"<a href="../../teams/platform/index.html">Platform</a>"#));
    assert!(!stale.contains("Edge") && !stale.contains("Payments"));
    let untested = &section[section.find("hs-untested-teams").unwrap()..];
    assert!(untested.contains(r#"<a href="../../teams/edge/index.html">Edge</a>"#));
    assert!(!untested.contains("Platform") && !untested.contains("Payments"));
    // Monthly agendas leave it to the quarter.
    assert!(!read(&out, "reviews/2026-10/index.html").contains(r#"id="hs-teams""#));
}
