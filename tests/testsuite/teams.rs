//! Team response plans (SPEC section 10): the lint rules on teams, on the
//! incidents and call-tree tests that name them, and the severity
//! protocols, on a fixture whose expected positions were counted by hand.

use crate::prelude::*;

#[test]
fn every_readiness_rule_is_reported_at_its_place() {
    let report = lint_json(&fixture("teams-lint"), &[]);
    assert_rows(
        &report,
        &[
            // `teams: [alpha, gamma]`: `gamma` starts at column 16.
            "drills/ctt.md:11:16 error unknown-team /teams/1",
            // `unreached: [John, Jane]`: Jane is in no tested call tree.
            "drills/ctt.md:12:19 error unknown-contact /unreached/1",
            // A call-tree test names the teams it tested.
            "drills/no-teams.md:1:1 error schema /teams",
            // SEV1's protocol asks for both roles; the incident has no
            // `roles:` (reported at the front matter, as a missing field is).
            "incidents/inc-1.md:1:1 error schema /roles",
            // `services: [checkout, billing]`: no team claims billing.
            "incidents/inc-1.md:10:22 warning unowned-service /services/1",
            // `roles: {incident_manager: Ana}` lacks the communications lead.
            "incidents/inc-4.md:10:1 error schema /roles/communications_lead",
            // alpha and beta both claim checkout.
            "teams/alpha.md:4:12 warning duplicate-service /services/0",
            // `calls: [Jon, Cleo]`: the call tree has John, not Jon.
            "teams/alpha.md:10:13 error unknown-contact /call_tree/0/calls/0",
            // `phone: 020 7946 0102` has no `+` and country code.
            "teams/alpha.md:13:12 error schema /call_tree/1/phone",
            // Nobody calls John (Ana calls "Jon").
            "teams/alpha.md:14:11 error unreached-contact /call_tree/2/name",
            // `page: duty manager`: no one holds that role.
            "teams/alpha.md:18:33 error unknown-contact /escalation/SEV1/1/page",
            // Only SEV1 and SEV2 are configured.
            "teams/alpha.md:19:3 error schema /escalation/SEV3",
            "teams/beta.md:4:20 warning duplicate-service /services/1",
        ],
    );
    let messages = report.messages_of("teams/alpha.md");
    assert_eq!(
        messages[0],
        "the service `checkout` is also claimed by team `beta` (teams/beta.md)"
    );
    assert_eq!(
        messages[3],
        "nobody calls `John`: the fan-out from `Ana` never reaches them"
    );
    let human = hindsight(fixture("teams-lint"))
        .arg("lint")
        .output()
        .unwrap();
    let human = String::from_utf8(human.stderr).unwrap();
    assert!(
        human.contains(
            "10 |     calls: [Jon, Cleo]\n   |             ^^^\n   = help: did you mean `John`?"
        ),
        "{human}"
    );
    // The draft on an unclaimed service and the incident that names its
    // roles get nothing.
    assert!(report.of("incidents/inc-2.md").is_empty());
    assert!(report.of("incidents/inc-3.md").is_empty());
}

#[test]
fn a_repository_without_teams_or_protocols_sees_no_new_rule() {
    let repo = Repo::copy("teams-lint");
    for team in ["teams/alpha.md", "teams/beta.md"] {
        std::fs::remove_file(repo.path().join(team)).unwrap();
    }
    repo.write(
        "hindsight.yaml",
        "severities: [{name: SEV1}, {name: SEV2}]\n",
    );
    let report = repo.lint();
    let codes: Vec<&str> = report
        .diagnostics()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // Only the call-tree tests, which name teams, are left to report.
    assert_eq!(
        codes,
        ["unknown-team", "unknown-team", "schema"],
        "{codes:?}"
    );
    // Without protocols the schema asks for no roles.
    let schema = json_of(repo.hindsight().args(["schema", "incident"]));
    assert!(schema.get("allOf").is_none(), "{schema:#}");
}

#[test]
fn contact_fields_of_a_team_are_not_personal_data_elsewhere_they_are() {
    let repo = Repo::copy("teams-lint").file(
        "teams/gamma.md",
        "---\nid: gamma\nname: Gamma\nservices: [billing]\noncall: https://oncall.example.com/g\ncall_tree:\n  - {name: Gus, phone: +44 20 7946 0101, email: gus@acme.io}\nwar_room: {primary: x, fallback: call +44 20 7946 0999}\ncommunication: {lead: Gus}\nreviewed_on: 2026-10-01\n---\nGus is on gus@acme.io.\n",
    );
    let report = repo.lint();
    let found: Vec<(u64, u64, &str, Option<&str>)> = report
        .of("teams/gamma.md")
        .into_iter()
        .filter(|d| d.2 == "personal-data")
        .collect();
    // The war room's number (line 8, after `fallback: call `) and the
    // body's address (line 12).
    assert_eq!(
        found.iter().map(|d| (d.0, d.1)).collect::<Vec<_>>(),
        [(8, 39), (12, 11)],
        "{found:?}"
    );
}

#[test]
fn explain_has_a_page_for_each_readiness_code() {
    for code in [
        "unknown-team",
        "unknown-contact",
        "unreached-contact",
        "duplicate-service",
        "unowned-service",
    ] {
        let page = stdout_of(bin().args(["lint", "--explain", code]));
        assert!(page.starts_with(&format!("# {code} (")), "{page}");
        assert!(page.contains("## Fix"), "{page}");
    }
}

#[test]
fn schema_team_prints_the_configured_severities() {
    let schema = json_of(hindsight(fixture("teams-lint")).args(["schema", "team"]));
    assert_eq!(
        schema["properties"]["escalation"]["propertyNames"]["enum"],
        json!(["SEV1", "SEV2"])
    );
    assert_eq!(
        schema["required"],
        json!([
            "id",
            "name",
            "services",
            "oncall",
            "call_tree",
            "war_room",
            "communication",
            "reviewed_on"
        ])
    );
}

/// `hindsight teams --format json` on `day`, as (id, review_due, stale,
/// last_tested, test_due, untested, unreached) rows.
fn states(day: &str) -> Vec<Value> {
    let out = json_of(
        hindsight(fixture("teams-state")).args(["teams", "--format", "json", "--today", day]),
    );
    assert_eq!(out["today"], day);
    out["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            json!([
                t["id"],
                t["review_due"],
                t["stale"],
                t["last_tested"],
                t["test_due"],
                t["untested"],
                t["unreached_at_last_test"]
            ])
        })
        .collect()
}

#[test]
fn teams_json_on_two_days() {
    // north: reviewed 2026-09-01 + team_review_days 60 = 2026-10-31;
    //   tested by CTT-1 on 2026-10-20 (Ines unreached) + call_tree_test_days
    //   30 = 2026-11-19.
    // south: reviewed 2026-11-01 + its 30 days = 2026-12-01; never tested,
    //   and the configured interval applies: untested from the start.
    // west: reviewed 2026-10-15 + 60 = 2026-12-14; last tested by CTT-2 on
    //   2026-09-01 (CTT-3 in August is older, CTT-4 is only planned) + its
    //   90 days = 2026-11-30.
    assert_eq!(
        states("2026-11-10"),
        [
            json!([
                "north",
                "2026-10-31",
                true,
                "2026-10-20",
                "2026-11-19",
                false,
                ["Ines"]
            ]),
            json!(["south", "2026-12-01", false, null, null, true, []]),
            json!([
                "west",
                "2026-12-14",
                false,
                "2026-09-01",
                "2026-11-30",
                false,
                []
            ]),
        ]
    );
    assert_eq!(
        states("2026-12-05"),
        [
            json!([
                "north",
                "2026-10-31",
                true,
                "2026-10-20",
                "2026-11-19",
                true,
                ["Ines"]
            ]),
            json!(["south", "2026-12-01", true, null, null, true, []]),
            json!([
                "west",
                "2026-12-14",
                false,
                "2026-09-01",
                "2026-11-30",
                true,
                []
            ]),
        ]
    );
    let full = json_of(hindsight(fixture("teams-state")).args([
        "teams",
        "--format",
        "json",
        "--today",
        "2026-11-10",
    ]));
    assert_eq!(full["teams"][2]["services"], json!(["web", "queue"]));
    assert_eq!(full["teams"][2]["file"], "teams/west.md");
    assert_eq!(full["teams"][0]["reviewed_on"], "2026-09-01");
}

#[test]
fn teams_filters_and_fails_on_stale_or_untested() {
    let repo = fixture("teams-state");
    let stale = stdout_of(hindsight(&repo).args(["teams", "--stale", "--today", "2026-11-10"]));
    let rows: Vec<&str> = stale
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), 1, "{stale}");
    assert!(rows[0].starts_with("north "), "{stale}");
    assert!(
        stale.ends_with("1 team: 1 stale, 0 untested on 2026-11-10\n"),
        "{stale}"
    );
    hindsight(&repo)
        .args(["teams", "--fail-on-untested", "--today", "2026-11-10"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error: 1 team is untested on 2026-11-10",
        ));
    hindsight(&repo)
        .args([
            "teams",
            "--stale",
            "--fail-on-untested",
            "--today",
            "2026-11-10",
        ])
        .assert()
        .success();
    let all = stdout_of(hindsight(&repo).args(["teams", "--today", "2026-12-05"]));
    assert!(
        all.ends_with("3 teams: 2 stale, 3 untested on 2026-12-05\n"),
        "{all}"
    );
}

#[test]
fn oncall_prints_the_card_war_room_first() {
    let card = stdout_of(hindsight(fixture("teams-state")).args([
        "oncall",
        "api",
        "--today",
        "2026-11-10",
    ]));
    let expected = [
        "api is answered by North (north)",
        "WAR ROOM   #inc-north",
        "FALLBACK   bridge +1 212 555 0150, PIN 1234  (when chat is down)",
        "ON-CALL    https://oncall.example.com/north",
        "CALL TREE  start at the top; each person calls the people under them",
        "Ada · incident manager · +44 20 7946 0101",
        "├── Bea · communications lead · +44 20 7946 0102",
        "│   └── Cy · +44 20 7946 0103 · Leeds",
        "└── Ines · +44 20 7946 0104  ! not reached at the last call-tree test",
        "    └── Cy (see above)",
        "ESCALATION",
        // Configured order (SEV1 first), with SEV1's page_within_minutes.
        "SEV1       page within 5 min · after 0 min: incident manager (Ada +44 20 7946 0101) · after 10 min: Cy +44 20 7946 0103",
        "SEV2       after 0 min: incident manager (Ada +44 20 7946 0101)",
        "UPDATES    every 15 min at SEV1; led by communications lead (Bea +44 20 7946 0102); to support",
        "PARTNERS",
        "vendor: Cloud support · +1 206 555 0100",
        "plan reviewed 2026-09-01 (due 2026-10-31); call tree tested 2026-10-20 (CTT-1); the plan is STALE; teams/north.md",
    ];
    let lines: Vec<&str> = card.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines, expected, "{card}");
}

#[test]
fn oncall_for_a_service_no_team_claims_fails_with_a_suggestion() {
    hindsight(fixture("teams-state"))
        .args(["oncall", "apii"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: no team claims the service `apii`; did you mean `api`?",
        ));
}

#[test]
fn oncall_for_a_service_claimed_twice_prints_both_cards_and_warns() {
    let out = hindsight(fixture("teams-state"))
        .args(["oncall", "queue", "--today", "2026-11-10"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("warning: 2 teams claim the service `queue` (south, west)"),
        "{stderr}"
    );
    let heads: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("is answered by"))
        .collect();
    assert_eq!(
        heads,
        [
            "queue is answered by South (south)",
            "queue is answered by West (west)"
        ]
    );
    assert!(stdout.contains("call tree never tested; the call tree is UNTESTED; teams/south.md"));
}

#[test]
fn new_team_writes_a_plan_that_lints_clean_and_asks_for_what_it_cannot_fill() {
    let repo = Repo::empty();
    repo.hindsight().arg("init").assert().success();
    let out = stdout_of(repo.hindsight().args([
        "new",
        "--team",
        "Payments Core",
        "--service",
        "checkout",
        "--service",
        "ledger",
        "--oncall",
        "https://oncall.example.com/payments",
        "--fallback",
        "bridge +1 212 555 0199, PIN 1234",
        "--owner",
        "Ana",
        "--today",
        "2026-11-22",
    ]));
    assert!(out.ends_with("teams/payments-core.md\n"), "{out}");
    let text = std::fs::read_to_string(repo.path().join("teams/payments-core.md")).unwrap();
    for line in [
        "services: [\"checkout\", \"ledger\"]",
        "  - name: \"Ana\"",
        "  primary: \"#inc-payments-core\"",
        "reviewed_on: 2026-11-22",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
    repo.hindsight()
        .arg("lint")
        .assert()
        .success()
        .stderr("ok: 1 file checked, no problems\n");
    let json =
        json_of(
            repo.hindsight()
                .args(["teams", "--format", "json", "--today", "2026-11-22"]),
        );
    assert_eq!(json["teams"][0]["review_due"], "2027-02-20");
    // A second team of the same name gets its own id.
    stdout_of(repo.hindsight().args([
        "new",
        "--team",
        "Payments Core",
        "--service",
        "cards",
        "--oncall",
        "https://oncall.example.com/cards",
        "--fallback",
        "room 2",
        "--owner",
        "Bo",
    ]));
    assert!(repo.path().join("teams/payments-core-2.md").is_file());
    // What lint would refuse is asked for, and nothing is written.
    for (args, says) in [
        (
            vec!["--service", "x", "--fallback", "room"],
            "add --oncall URL",
        ),
        (
            vec!["--service", "x", "--oncall", "https://o.example.com"],
            "add --fallback",
        ),
        (
            vec!["--oncall", "https://o.example.com", "--fallback", "room"],
            "add --service NAME",
        ),
        (
            vec![
                "--service",
                "x",
                "--oncall",
                "not a url",
                "--fallback",
                "room",
            ],
            "is not a URL (nothing written)",
        ),
    ] {
        repo.hindsight()
            .args(["new", "--team", "Other", "--owner", "Cy"])
            .args(&args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(says));
        assert!(!repo.path().join("teams/other.md").exists());
    }
}
