//! Personal data: e-mail addresses, phone numbers, public IP addresses
//! and payment card numbers. Each pattern finds candidates; a candidate is
//! a finding only when it survives the checks a regex cannot make (a
//! domain the team allows, a documentation address range, the Luhn sum).

use super::finding::{Class, Finding};
use regex::Regex;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The personal-data patterns of one run.
#[derive(Debug)]
pub(crate) struct Personal {
    email: Regex,
    /// Phone numbers, card numbers, IPv4 and IPv6 addresses in one pass:
    /// one alternative (a named group) each, in that order.
    numbers: Regex,
    /// Lowercased; an address at one of these (or a subdomain) is allowed.
    allow_domains: Vec<String>,
}

/// Card numbers that payment providers publish for testing.
const TEST_CARDS: &[&str] = &[
    "4242424242424242",
    "4111111111111111",
    "4000056655665556",
    "5555555555554444",
    "5105105105105100",
    "378282246310005",
    "371449635398431",
    "6011111111111117",
];

impl Personal {
    pub(crate) fn new(allow_domains: &[String]) -> Personal {
        let re = |p: &str| Regex::new(p).expect("built-in pattern");
        Personal {
            // Word boundaries are ASCII ones (`(?-u:\b)`): a Unicode
            // boundary makes the fast engine give up on text that is not
            // ASCII. An IPv6 address starts a word: in `12:34:56` no
            // address starts at the `2`.
            email: re(r"(?i)[a-z0-9._%+-]{1,64}@((?:[a-z0-9-]{1,63}\.){1,8}[a-z]{2,24})(?-u:\b)"),
            numbers: re(concat!(
                r"(?P<phone>\+[1-9][0-9 ().-]{6,22}[0-9]|\([0-9]{3}\) ?[0-9]{3}[-. ][0-9]{4})",
                r"|(?P<card>(?-u:\b)[0-9](?:[ -]?[0-9]){12,18}(?-u:\b))",
                r"|(?P<ipv4>(?-u:\b)(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?-u:\b))",
                r"|(?P<ipv6>(?i:(?-u:\b)[23][0-9a-f]{0,3}(?::[0-9a-f]{0,4}){2,7}))",
            )),
            allow_domains: allow_domains.iter().map(|d| d.to_lowercase()).collect(),
        }
    }

    pub(crate) fn scan(&self, text: &str) -> Vec<Finding> {
        let mut found = Vec::new();
        let mut push = |rule: &str, description: &str, start: usize, end: usize| {
            found.push(Finding {
                class: Class::PersonalData,
                rule: rule.to_string(),
                description: description.to_string(),
                start,
                end,
            })
        };
        let bytes = text.as_bytes();
        let before = |at: usize| at.checked_sub(1).map(|i| bytes[i]);
        let after = |at: usize| bytes.get(at).copied();
        if memchr::memchr(b'@', bytes).is_some() {
            for caps in self.email.captures_iter(text) {
                let whole = caps.get(0).expect("group 0");
                let domain = caps[1].to_lowercase();
                let local = &whole.as_str()[..whole.as_str().find('@').unwrap_or(0)];
                // `git@host:org/repo` is a remote, not a person.
                if local.eq_ignore_ascii_case("git") || self.allowed_domain(&domain) {
                    continue;
                }
                push("email", "e-mail address", whole.start(), whole.end());
            }
        }
        for caps in self.numbers.captures_iter(text) {
            if let Some(m) = caps.name("phone") {
                let digits = m.as_str().bytes().filter(u8::is_ascii_digit).count();
                let glued = before(m.start()).is_some_and(|b| b.is_ascii_alphanumeric())
                    || after(m.end()).is_some_and(|b| b.is_ascii_alphanumeric());
                if (8..=15).contains(&digits) && !glued && !is_fictional_phone(m.as_str()) {
                    push("phone", "phone number", m.start(), m.end());
                }
            } else if let Some(m) = caps.name("card") {
                let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
                let glued = before(m.start()).is_some_and(|b| b == b'.' || b == b'-');
                if !glued
                    && (13..=19).contains(&digits.len())
                    && is_card_issuer(&digits)
                    && luhn_valid(&digits)
                    && !TEST_CARDS.contains(&digits.as_str())
                {
                    push("card-number", "payment card number", m.start(), m.end());
                }
            } else if let Some(m) = caps.name("ipv4") {
                // Part of a longer dotted number (a version, an OID) or of a word.
                let dotted_on = before(m.start())
                    .is_some_and(|b| b == b'.' || b.is_ascii_alphabetic())
                    || (after(m.end()) == Some(b'.')
                        && bytes.get(m.end() + 1).is_some_and(u8::is_ascii_digit));
                if !dotted_on && m.as_str().parse::<Ipv4Addr>().is_ok_and(is_public_v4) {
                    push("ip-address", "public IP address", m.start(), m.end());
                }
            } else if let Some(m) = caps.name("ipv6") {
                let glued = before(m.start())
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b':')
                    || after(m.end()).is_some_and(|b| b.is_ascii_alphanumeric() || b == b':');
                if !glued
                    && m.as_str().matches(':').count() >= 2
                    && m.as_str().parse::<Ipv6Addr>().is_ok_and(is_public_v6)
                {
                    push("ip-address", "public IP address", m.start(), m.end());
                }
            }
        }
        // Findings in order of position, as the passes gave them before.
        found.sort_by_key(|f| (f.start, f.end));
        found
    }

    fn allowed_domain(&self, domain: &str) -> bool {
        self.allow_domains.iter().any(|allowed| {
            domain == allowed
                || domain
                    .strip_suffix(allowed.as_str())
                    .is_some_and(|head| head.ends_with('.'))
        })
    }
}

/// North American numbers 555-0100 to 555-0199 are reserved for fiction.
fn is_fictional_phone(number: &str) -> bool {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let local = digits.len().checked_sub(7).map(|i| &digits[i..]);
    local.is_some_and(|l| l.starts_with("55501"))
}

/// Not private, loopback, link-local, shared (CGNAT), multicast, reserved,
/// or a documentation or benchmarking range (RFC 5737, 2544, 6598).
pub(crate) fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || (a == 192 && b == 0 && c == 0))
}

/// Global unicast (2000::/3) outside the documentation ranges of RFC 3849
/// (2001:db8::/32) and RFC 9637 (3fff::/20).
pub(crate) fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    (s[0] & 0xe000) == 0x2000 && !(s[0] == 0x2001 && s[1] == 0x0db8) && (s[0] & 0xfff0) != 0x3ff0
}

/// Prefixes of the card networks (Visa, Mastercard, American Express,
/// Discover, JCB, Diners Club): a long number that is not a card number
/// rarely starts with one and passes Luhn.
fn is_card_issuer(digits: &str) -> bool {
    let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok());
    let len = digits.len();
    match digits.as_bytes()[0] {
        b'4' => matches!(len, 13 | 16 | 19),
        b'5' => len == 16 && prefix(2).is_some_and(|p| (51..=55).contains(&p)),
        b'2' => len == 16 && prefix(4).is_some_and(|p| (2221..=2720).contains(&p)),
        b'3' => {
            (len == 15 && prefix(2).is_some_and(|p| p == 34 || p == 37))
                || (len == 16 && prefix(4).is_some_and(|p| (3528..=3589).contains(&p)))
                || (len == 14 && prefix(2).is_some_and(|p| p == 36 || p == 38))
        }
        b'6' => len == 16 && (digits.starts_with("6011") || digits.starts_with("65")),
        _ => false,
    }
}

pub(crate) fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0;
    for (i, d) in digits.bytes().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}
