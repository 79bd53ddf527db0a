use super::*;

/// Deterministic random bodies behind the real prefixes and lengths.
struct Fake(u64);

impl Fake {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn from(&mut self, alphabet: &str, n: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        (0..n)
            .map(|_| chars[self.next() as usize % chars.len()])
            .collect()
    }

    fn alnum(&mut self, n: usize) -> String {
        self.from(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            n,
        )
    }
}

fn scanner() -> Scanner {
    Scanner::new(
        RuleSet::built_in(),
        Some(Personal::new(
            &crate::config::DEFAULT_ALLOW_DOMAINS
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>(),
        )),
    )
}

/// (rule, credential) pairs of every built-in format.
fn credentials(fake: &mut Fake) -> Vec<(&'static str, String)> {
    let b32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let url64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    vec![
        ("aws-access-key-id", format!("AKIA{}", fake.from(b32, 16))),
        ("aws-access-key-id", format!("ASIA{}", fake.from(b32, 16))),
        ("github-pat", format!("ghp_{}", fake.alnum(36))),
        (
            "github-fine-grained-pat",
            format!("github_pat_{}_{}", fake.alnum(22), fake.alnum(59)),
        ),
        ("github-app-token", format!("ghs_{}", fake.alnum(36))),
        ("github-app-token", format!("ghu_{}", fake.alnum(36))),
        ("github-oauth", format!("gho_{}", fake.alnum(36))),
        ("gitlab-pat", format!("glpat-{}", fake.from(url64, 20))),
        (
            "slack-token",
            format!(
                "xoxb-{}-{}-{}",
                fake.from("0123456789", 12),
                fake.from("0123456789", 13),
                fake.alnum(24)
            ),
        ),
        (
            "slack-token",
            format!(
                "xoxp-{}-{}-{}-{}",
                fake.from("0123456789", 12),
                fake.from("0123456789", 12),
                fake.from("0123456789", 13),
                fake.from("0123456789abcdef", 32)
            ),
        ),
        (
            "slack-webhook-url",
            format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                fake.from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8),
                fake.from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
                fake.alnum(24)
            ),
        ),
        ("stripe-live-key", format!("sk_live_{}", fake.alnum(24))),
        ("stripe-live-key", format!("rk_live_{}", fake.alnum(99))),
        ("google-api-key", format!("AIza{}", fake.from(url64, 35))),
        ("npm-token", format!("npm_{}", fake.alnum(36))),
        (
            "jwt",
            format!(
                "eyJhbGciOiJIUzI1NiJ9.eyJ{}.{}",
                fake.from(url64, 40),
                fake.from(url64, 43)
            ),
        ),
        (
            "url-password",
            fake.from("abcdefghijklmnopqrstuvwxyz0123456789", 14),
        ),
        ("aws-secret-access-key", fake.from(b64, 40)),
        ("generic-assignment", fake.from(b64, 32)),
    ]
}

/// The credential placed where a postmortem quotes it.
fn placed(rule: &str, credential: &str) -> String {
    match rule {
        "url-password" => format!("DATABASE_URL=postgres://app:{credential}@db.internal:5432/app"),
        "aws-secret-access-key" => format!("aws_secret_access_key = {credential}"),
        "generic-assignment" => format!("api_key: \"{credential}\""),
        _ => credential.to_string(),
    }
}

#[test]
fn every_format_is_found_in_front_matter_prose_tables_and_code() {
    let mut fake = Fake(7);
    let scanner = scanner();
    for (rule, credential) in credentials(&mut fake) {
        let quote = placed(rule, &credential);
        let contexts = [
            format!("---\nid: INC-1\nroot_cause: \"{quote}\"\n---\n\nBody.\n"),
            format!("---\nid: INC-1\n---\n\nThe deploy job printed {quote} into the log.\n"),
            format!("---\nid: INC-1\n---\n\n| key | value |\n|---|---|\n| leaked | `{quote}` |\n"),
            format!("---\nid: INC-1\n---\n\n```\n{quote}\n```\n"),
        ];
        for text in contexts {
            let found = scanner.scan("incidents/a.md", &text);
            let secrets: Vec<&Finding> =
                found.iter().filter(|f| f.class == Class::Secret).collect();
            assert_eq!(secrets.len(), 1, "{rule} in {text:?}: {found:?}");
            let f = secrets[0];
            assert_eq!(f.rule, rule, "{text}");
            assert_eq!(&text[f.start..f.end], credential, "{text}");
        }
    }
}

#[test]
fn private_key_blocks_of_every_kind_are_found() {
    let mut fake = Fake(11);
    let scanner = scanner();
    for kind in ["RSA ", "EC ", "OPENSSH ", "DSA ", "ENCRYPTED ", ""] {
        let body = fake.from(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
            64,
        );
        let text = format!(
            "```\n-----BEGIN {kind}PRIVATE KEY-----\n{body}\n{body}\n-----END {kind}PRIVATE KEY-----\n```\n"
        );
        let found = scanner.scan("x.md", &text);
        assert_eq!(found.len(), 1, "{kind}: {found:?}");
        assert_eq!(found[0].rule, "private-key");
    }
    let text = format!(
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{}\n-----END PGP PRIVATE KEY BLOCK-----\n",
        fake.alnum(64)
    );
    assert_eq!(scanner.scan("x.md", &text)[0].rule, "private-key");
}

#[test]
fn look_alikes_are_not_findings() {
    let scanner = scanner();
    let texts = [
        // git SHAs, UUIDs, content hashes
        "Fixed in 3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345 and 9b2e4c1.",
        "request id 1b4e28ba-2fa1-11d2-883f-0016d3cca427 failed",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "integrity sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
        // a base64 image
        "![](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)",
        // long URLs without a password
        "See https://grafana.internal/d/abc123/checkout?orgId=1&from=now-6h&to=now&var-env=prod&var-svc=checkout-api",
        "Cloned from https://github.com/acme/payments.git and ssh://git@github.com/acme/payments.git",
        // documented examples and placeholders
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "export GITHUB_TOKEN=${GITHUB_TOKEN}",
        "password: <your-password-here>",
        "password: REDACTED",
        "postgres://app:${DB_PASSWORD}@db.internal/app",
        "api_key = \"sk_live_XXXXXXXXXXXXXXXXXXXXXXXX\"",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        // words near the keywords
        "The token expired at 10:02 and the password rotation job retried.",
        "password: hunter2",
        "token_ttl: 3600",
        // personal-data look-alikes
        "Contact oncall@example.com or the owner at dana@team.example.org.",
        "The load balancer at 10.0.3.17 and 192.168.1.1 and 203.0.113.9 (docs)",
        "Upgraded to v1.2.3.4 and libfoo 10.4.2.1.5",
        "Time 2026-11-22T10:00:00+01:00, build 20261122100000, epoch 1732270000000",
        "IPv6 docs 2001:db8::1 and fe80::1 and ::1; std::fs::read",
        "Stripe test card 4242 4242 4242 4242",
        "Call +1 555 0100 (fiction)",
        "Durations 10:30:45 and 12:00",
    ];
    for text in texts {
        let found = scanner.scan("incidents/a.md", text);
        assert!(found.is_empty(), "{text:?}: {found:?}");
    }
}

#[test]
fn personal_data_is_found() {
    let scanner = scanner();
    let cases = [
        (
            "Write to dana.lee@acme-corp.io about it",
            "email",
            "dana.lee@acme-corp.io",
        ),
        ("Her mobile is +44 7700 900123.", "phone", "+44 7700 900123"),
        ("call (415) 555-2671 now", "phone", "(415) 555-2671"),
        (
            "the client at 81.2.69.160 retried",
            "ip-address",
            "81.2.69.160",
        ),
        (
            "from 2a00:1450:4001:81c::200e",
            "ip-address",
            "2a00:1450:4001:81c::200e",
        ),
        (
            "card 4539 1488 0343 6467 was charged",
            "card-number",
            "4539 1488 0343 6467",
        ),
    ];
    for (text, rule, value) in cases {
        let found = scanner.scan("incidents/a.md", text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(found[0].rule, rule);
        assert_eq!(found[0].class, Class::PersonalData);
        assert_eq!(&text[found[0].start..found[0].end], value);
    }
}

#[test]
fn personal_data_can_be_turned_off_and_domains_allowed() {
    let off = Scanner::new(RuleSet::built_in(), None);
    assert!(off.scan("a.md", "dana@acme.io").is_empty());
    let allowing = Scanner::new(
        RuleSet::built_in(),
        Some(Personal::new(&["acme.io".to_string()])),
    );
    assert!(allowing
        .scan("a.md", "dana@acme.io and d@eu.acme.io")
        .is_empty());
    assert_eq!(allowing.scan("a.md", "dana@notacme.io").len(), 1);
}

#[test]
fn an_allow_comment_on_the_line_before_accepts_a_finding() {
    let scanner = scanner();
    let key = "AKIAZ7QW3ERT5YUI2OPL";
    let text = format!("x\n<!-- hindsight-allow: secret -->\n{key}\n{key}\n");
    let found = scanner.scan("a.md", &text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].start, text.rfind(key).unwrap());
    let by_rule = format!("<!-- hindsight-allow: personal-data, aws-access-key-id -->\n{key}\n");
    assert!(scanner.scan("a.md", &by_rule).is_empty());
}

#[test]
fn findings_are_masked_and_fingerprinted_without_the_credential() {
    let scanner = scanner();
    let text = "key ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c here";
    let found = scanner.scan("incidents/a.md", text);
    assert_eq!(mask(&text[found[0].start..found[0].end]), "ghp_…");
    let fp = found[0].fingerprint("incidents/a.md", text);
    assert!(fp.starts_with("incidents/a.md:github-pat:"), "{fp}");
    assert_eq!(fp.len(), "incidents/a.md:github-pat:".len() + 12);
    assert!(!fp.contains("Ab3d"));
    // The same credential elsewhere in the file has the same fingerprint.
    let moved = format!("\n\n{text}");
    let again = scanner.scan("incidents/a.md", &moved);
    assert_eq!(again[0].fingerprint("incidents/a.md", &moved), fp);
}

#[test]
fn entropy_keeps_words_out_of_the_generic_rule() {
    let scanner = scanner();
    assert!(scanner
        .scan("a.md", "password: correcthorsebattery")
        .is_empty());
    assert_eq!(
        scanner.scan("a.md", "db_password: Xk9#mP2$vL8qR4wZ").len(),
        1
    );
}

#[test]
fn placeholders() {
    for value in [
        "xxxxxxxxxxxx",
        "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "sk_live_000000000000000000000000",
        "************",
        "<token>",
        "${SLACK_TOKEN}",
        "AKIAIOSFODNN7EXAMPLE",
        "abc-REDACTED-def",
    ] {
        assert!(is_placeholder(value), "{value}");
    }
    for value in ["ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c", "x0x0Q"] {
        assert!(!is_placeholder(value), "{value}");
    }
}

#[test]
fn luhn_and_ranges() {
    assert!(personal::luhn_valid("4539148803436467"));
    assert!(!personal::luhn_valid("4539148803436468"));
    assert!(!personal::is_public_v4("198.51.100.7".parse().unwrap()));
    assert!(!personal::is_public_v4("100.64.1.1".parse().unwrap()));
    assert!(personal::is_public_v4("8.8.8.8".parse().unwrap()));
    assert!(!personal::is_public_v6("2001:db8::5".parse().unwrap()));
    assert!(personal::is_public_v6("2606:4700::1111".parse().unwrap()));
}

#[test]
fn redaction_keeps_every_offset_and_line() {
    let scanner = scanner();
    let key = "AKIAZ7QW3ERT5YUI2OPL";
    let block =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq3\n-----END RSA PRIVATE KEY-----";
    let text = format!("---\nid: A\nkey: {key}\n---\n\nMail dana@acme.io\n\n{block}\nend\n");
    let found = scanner.scan("a.md", &text);
    assert_eq!(found.len(), 3, "{found:?}");
    let redacted = redact(&text, &found);
    assert_eq!(redacted.len(), text.len());
    assert_eq!(redacted.lines().count(), text.lines().count());
    assert!(
        redacted.contains("key: AKIA****************\n"),
        "{redacted}"
    );
    assert!(redacted.contains("Mail dana********\n"), "{redacted}");
    assert!(!redacted.contains(key) && !redacted.contains("MIIEowIBAAKCAQEA7bq3"));
    assert!(redacted.ends_with("\nend\n"));
    let located = locate("a.md", &text, &found);
    let at: Vec<(u32, u32, &str)> = located
        .iter()
        .map(|l| (l.line, l.column, l.masked.as_str()))
        .collect();
    assert_eq!(at, vec![(3, 6, "AKIA…"), (6, 6, "dana…"), (8, 1, "----…")]);
    assert_eq!(located[0].width, 20);
}
