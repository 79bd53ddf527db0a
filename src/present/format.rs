//! How numbers, durations, changes, dates and offsets read, in the report
//! and on the site alike: one function per kind of value, also registered
//! once as the template filters of the one template environment
//! ([`super::theme`]). Pure text formatting; every value shown is computed
//! in `metrics`.

use crate::document::percent;
use crate::metrics::figures::Unit;
use crate::metrics::Change;
use crate::model::Timestamp;
use chrono::{Datelike, FixedOffset, NaiveDate, Timelike};
use tera::{Kwargs, State, Value};

/// What a missing value reads as, everywhere: a mean over no incidents,
/// a change with no value on one side, a day never set, in the site, the
/// report and the terminal tables alike. Templates have it as the global
/// `missing` ([`register_filters`]); `site/app.js` as `MISSING`.
pub(crate) const NONE: &str = "—";

/// Minutes as a person reads them: `45 min`, `12.5 min`, `1 h 5 min`,
/// `3 d 4 h`; shown to a tenth of a minute.
pub(crate) fn minutes(minutes: f64) -> String {
    if !minutes.is_finite() {
        return NONE.to_string();
    }
    let sign = if minutes < 0.0 { "-" } else { "" };
    if minutes.abs() >= 1e15 {
        // Beyond exact integers: days in scientific notation, never a
        // clamped (wrong) count.
        return format!("{sign}{:.3e} d", minutes.abs() / 1440.0);
    }
    // Rounded first, so that 59.96 reads "1 h" and not "60 min".
    let m = (minutes.abs() * 10.0).round() / 10.0;
    if m < 60.0 {
        if m.fract() == 0.0 {
            format!("{sign}{m:.0} min")
        } else {
            format!("{sign}{m:.1} min")
        }
    } else if m < 24.0 * 60.0 {
        let total = m.round() as i64;
        match total % 60 {
            0 => format!("{sign}{} h", total / 60),
            rest => format!("{sign}{} h {rest} min", total / 60),
        }
    } else {
        let hours = (m / 60.0).round() as i64;
        match hours % 24 {
            0 => format!("{sign}{} d", hours / 24),
            rest => format!("{sign}{} d {rest} h", hours / 24),
        }
    }
}

pub(crate) fn opt_minutes(m: Option<f64>) -> String {
    m.map_or_else(|| NONE.to_string(), minutes)
}

/// An integer with thousands separators: `23,800`.
pub(crate) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number that may have a fraction (a mean, a sum of minutes).
pub(crate) fn number(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 && x.abs() < 1e15 {
        if x < 0.0 {
            format!("-{}", count((-x).round() as u64))
        } else {
            count(x.round() as u64)
        }
    } else {
        format!("{x:.1}")
    }
}

/// A figure's value in its unit; [`NONE`] when it has none.
pub(crate) fn value(value: Option<f64>, unit: Unit) -> String {
    match (value, unit) {
        (None, _) => NONE.to_string(),
        (Some(v), Unit::Minutes) => minutes(v),
        // Counts are whole numbers; the f64 only carries them.
        (Some(v), Unit::Count) => count(v.max(0.0).round() as u64),
    }
}

/// How a figure changed against the previous period: `+2 (+50%)`,
/// `-12 min (-20%)`, `+3` (no percentage from zero), [`NONE`] when either
/// side has no value.
pub(crate) fn change(change: Option<Change>, unit: Unit) -> String {
    let Some(change) = change else {
        return NONE.to_string();
    };
    let size = change.absolute.abs();
    // The sign follows what is shown: a change that rounds to nothing
    // (minutes are shown to a tenth) reads "0 min", not "+0 min".
    let (shown, rounds_to_nothing) = match unit {
        Unit::Minutes => (minutes(size), (size * 10.0).round() == 0.0),
        Unit::Count => (count(size.round() as u64), size.round() == 0.0),
    };
    let sign = match (rounds_to_nothing, change.absolute > 0.0) {
        (true, _) => "",
        (false, true) => "+",
        (false, false) => "-",
    };
    match change.percent.map(f64::round) {
        // -0.0 too: no "-0%".
        Some(0.0) => format!("{sign}{shown} (0%)"),
        Some(p) => format!("{sign}{shown} ({p:+}%)"),
        None => format!("{sign}{shown}"),
    }
}

/// A p-value as a reader takes it in: `p = 0.042`, `p < 0.001`.
pub(crate) fn p_value(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {p:.3}")
    }
}

/// What the test of a duration between two periods says (SPEC section
/// 14), in words instead of an arrow: "not enough data to tell (n = 6 vs
/// 7)" (this period's n first), "no detectable change (p = 0.420)",
/// "lower (p = 0.003)".
pub(crate) fn comparison(c: &crate::metrics::stats::Comparison) -> String {
    use crate::metrics::stats::ChangeKind;
    let p = c.p_value.map(p_value).unwrap_or_default();
    match c.change {
        ChangeKind::Insufficient => format!(
            "not enough data to tell (n = {} vs {})",
            c.n_current, c.n_previous
        ),
        ChangeKind::NoChange => format!("no detectable change ({p})"),
        ChangeKind::Lower => format!("lower ({p})"),
        ChangeKind::Higher => format!("higher ({p})"),
    }
}

/// `UTC`, `UTC+01:00`, `UTC-05:30`.
pub(crate) fn offset(o: &FixedOffset) -> String {
    let secs = o.local_minus_utc();
    if secs == 0 {
        return "UTC".to_string();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("UTC{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `%Y-%m-%d` of `d` into `s`: chrono's text, written without parsing a
/// format string (pages show thousands of dates).
fn push_ymd(s: &mut String, d: NaiveDate) {
    use std::fmt::Write;
    if (0..=9999).contains(&d.year()) {
        let y = d.year() as u32;
        push_digits(s, y / 100);
        push_digits(s, y % 100);
        s.push('-');
        push_digits(s, d.month());
        s.push('-');
        push_digits(s, d.day());
    } else {
        let _ = write!(s, "{}", d.format("%Y-%m-%d"));
    }
}

/// `%-d %b %Y` of `d` into `s`.
fn push_day_month_year(s: &mut String, d: NaiveDate) {
    use std::fmt::Write;
    if (0..=9999).contains(&d.year()) {
        let month = MONTHS[d.month0() as usize];
        let _ = write!(s, "{} {month} {:04}", d.day(), d.year());
    } else {
        let _ = write!(s, "{}", d.format("%-d %b %Y"));
    }
}

/// The two digits of `n` (below 100).
fn push_digits(s: &mut String, n: u32) {
    s.push(char::from(b'0' + (n / 10 % 10) as u8));
    s.push(char::from(b'0' + (n % 10) as u8));
}

/// `%H:%M` of `t` into `s`.
fn push_clock(s: &mut String, t: &Timestamp) {
    push_digits(s, t.hour());
    s.push(':');
    push_digits(s, t.minute());
}

/// `%H:%M` of `t`.
pub(crate) fn clock(t: &Timestamp) -> String {
    let mut s = String::with_capacity(5);
    push_clock(&mut s, t);
    s
}

/// `2026-03-14`.
pub(crate) fn date(d: NaiveDate) -> String {
    let mut s = String::with_capacity(10);
    push_ymd(&mut s, d);
    s
}

/// `Sat 14 Mar 2026`.
pub(crate) fn long_date(d: NaiveDate) -> String {
    let mut s = String::with_capacity(16);
    s.push_str(match d.weekday() {
        chrono::Weekday::Mon => "Mon ",
        chrono::Weekday::Tue => "Tue ",
        chrono::Weekday::Wed => "Wed ",
        chrono::Weekday::Thu => "Thu ",
        chrono::Weekday::Fri => "Fri ",
        chrono::Weekday::Sat => "Sat ",
        chrono::Weekday::Sun => "Sun ",
    });
    push_day_month_year(&mut s, d);
    s
}

/// `14 Mar 2026, 09:12 UTC+01:00`, in the offset it was written in.
pub(crate) fn timestamp(t: &Timestamp) -> String {
    let mut s = String::with_capacity(32);
    push_day_month_year(&mut s, t.date_naive());
    s.push_str(", ");
    push_clock(&mut s, t);
    s.push(' ');
    s.push_str(&offset(t.offset()));
    s
}

/// The shortest valid HTML `datetime` of an instant in the offset it was
/// written in: `2026-03-14T09:12+01:00`, `2026-03-14T08:12Z`, with
/// seconds only when there are any.
pub(crate) fn html_datetime(t: &Timestamp) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(24);
    push_ymd(&mut s, t.date_naive());
    s.push('T');
    push_clock(&mut s, t);
    let secs = t.second();
    if secs != 0 {
        let _ = write!(s, ":{secs:02}");
    }
    let o = t.offset().local_minus_utc();
    if o == 0 {
        s.push('Z');
    } else {
        let sign = if o < 0 { '-' } else { '+' };
        let o = o.abs();
        let _ = write!(s, "{sign}{:02}:{:02}", o / 3600, (o % 3600) / 60);
    }
    s
}

/// `Mar` (for chart axes).
pub(crate) fn short_month(d: NaiveDate) -> String {
    d.format("%b").to_string()
}

/// The year a date falls in, as text (index filters).
pub(crate) fn year(t: &Timestamp) -> String {
    t.year().to_string()
}

fn unit_arg(kwargs: &Kwargs) -> Unit {
    match kwargs.get::<&str>("unit").ok().flatten() {
        Some("minutes") => Unit::Minutes,
        _ => Unit::Count,
    }
}

/// The template filters, registered once on the one environment:
/// `minutes`, `count`, `value(unit=…)`, `change(unit=…)`, `date`,
/// `timestamp`, `offset`, `markdown` (text safe in a Markdown cell),
/// `code`, `link`, `json_encode`, and `default` (also for a null value).
/// One line of Markdown (a timeline event) as inline HTML: code, emphasis,
/// strike-through and web links; raw HTML is shown as text, and a link or
/// image that does not go to the web keeps only its text, so the result
/// is safe to insert as it is.
pub(crate) fn inline_markdown(text: &str) -> String {
    use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
    let web = |url: &str| {
        let lower = url.to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    };
    let mut skipped_links = Vec::new();
    let events: Vec<Event<'_>> = Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH)
        .filter_map(|e| match e {
            Event::Html(t) | Event::InlineHtml(t) => Some(Event::Text(t)),
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => None,
            Event::Start(Tag::Link { dest_url, .. }) if !web(&dest_url) => {
                skipped_links.push(true);
                None
            }
            Event::Start(Tag::Link {
                dest_url,
                title,
                id,
                ..
            }) => {
                skipped_links.push(false);
                Some(Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url,
                    title,
                    id,
                }))
            }
            Event::End(TagEnd::Link) => {
                (!skipped_links.pop().unwrap_or(true)).then_some(Event::End(TagEnd::Link))
            }
            // An image's alt text stays; nothing is loaded.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
            Event::SoftBreak | Event::HardBreak => Some(Event::Text(CowStr::Borrowed(" "))),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough)
            | Event::Text(_)
            | Event::Code(_) => Some(e),
            Event::Start(_) | Event::End(_) => None,
            other => Some(other),
        })
        .collect();
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html.trim_end().to_string()
}

pub(crate) fn register_filters(tera: &mut tera::Tera) {
    // The marker of a missing value, for `default(value=missing)` and
    // `{% else %}{{ missing }}`: templates never spell it themselves.
    tera.global_context().insert("missing", NONE);
    tera.register_filter("inline_markdown", |v: &Value, _: Kwargs, _: &State<'_>| {
        inline_markdown(v.as_str().unwrap_or_default())
    });
    tera.register_filter("minutes", |v: &Value, _: Kwargs, _: &State<'_>| {
        v.as_f64().map_or_else(|| NONE.to_string(), minutes)
    });
    tera.register_filter("count", |v: &Value, _: Kwargs, _: &State<'_>| {
        v.as_u64().map_or_else(|| NONE.to_string(), count)
    });
    tera.register_filter("value", |v: &Value, kwargs: Kwargs, _: &State<'_>| {
        value(v.as_f64(), unit_arg(&kwargs))
    });
    tera.register_filter("change", |v: &Value, kwargs: Kwargs, _: &State<'_>| {
        let c: Option<Change> = serde::Deserialize::deserialize(v).ok();
        change(c, unit_arg(&kwargs))
    });
    tera.register_filter("date", |v: &Value, _: Kwargs, _: &State<'_>| {
        let text = v.as_str().unwrap_or_default();
        crate::model::parse_date(text).map_or_else(|| text.to_string(), date)
    });
    tera.register_filter("timestamp", |v: &Value, _: Kwargs, _: &State<'_>| {
        let text = v.as_str().unwrap_or_default();
        crate::model::parse_timestamp(text).map_or_else(|| text.to_string(), |t| timestamp(&t))
    });
    tera.register_filter("offset", |v: &Value, _: Kwargs, _: &State<'_>| {
        let text = v.as_str().unwrap_or_default();
        crate::model::parse_timestamp(text).map_or_else(|| text.to_string(), |t| offset(t.offset()))
    });
    tera.register_filter("markdown", |v: &Value, _: Kwargs, _: &State<'_>| {
        markdown_text(v)
    });
    tera.register_filter("code", |v: &Value, _: Kwargs, _: &State<'_>| {
        code_span(v.as_str().unwrap_or_default())
    });
    tera.register_filter("link", |v: &Value, _: Kwargs, _: &State<'_>| {
        link_target(v.as_str().unwrap_or_default())
    });
    // As in tera 1: a value that is missing or null takes the default.
    tera.register_filter(
        "default",
        |v: Value, kwargs: Kwargs, _: &State<'_>| -> tera::TeraResult<Value> {
            let fallback = kwargs.must_get::<Value>("value")?;
            Ok(if v.is_undefined() || v.is_none() {
                fallback
            } else {
                v
            })
        },
    );
    tera.register_filter("json_encode", |v: &Value, _: Kwargs, _: &State<'_>| {
        serde_json::to_string(v).unwrap_or_default()
    });
    tera.register_filter("scroll_tables", |v: &Value, _: Kwargs, _: &State<'_>| {
        scroll_tables(v.as_str().unwrap_or_default())
    });
}

/// The container a wide table of rendered Markdown scrolls in: focusable
/// and named, so that a keyboard scrolls it too (the stylesheet's
/// `.scroll-x` draws a shadow on the edge where the table goes on).
const SCROLL_BOX: &str = r#"<div class="scroll-x" tabindex="0" role="region" aria-label="Table">"#;

/// Rendered, sanitized HTML with each table in a [`SCROLL_BOX`]. In such
/// HTML `<table` and `</table>` are only ever tags (text has its `<`
/// escaped), so each is found by its text.
pub(crate) fn scroll_tables(html: &str) -> String {
    if !html.contains("<table") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 128);
    let mut rest = html;
    while let Some(at) = rest.find("<table") {
        let after = rest[at + "<table".len()..].chars().next();
        let open = matches!(after, Some('>' | ' ' | '\t' | '\n' | '\r' | '/'));
        out.push_str(&rest[..at]);
        if open {
            out.push_str(SCROLL_BOX);
        }
        out.push_str("<table");
        rest = &rest[at + "<table".len()..];
    }
    out.push_str(rest);
    out.replace("</table>", "</table></div>")
}

/// Text shown as a Markdown code span (a file name): fenced by more
/// backticks than it contains, on one line, so that nothing in it is read
/// as Markdown or HTML.
fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space on each side keeps a leading or trailing backtick apart
    // from the fence; Markdown strips one space from each end.
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A link target in `[title](<target>)`: web and mail addresses only (an
/// empty target otherwise), with the characters that would end the link
/// or the line percent-encoded.
fn link_target(url: &str) -> String {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:"))
    {
        return String::new();
    }
    // `|` would end a Markdown table cell.
    percent::encode(url, percent::MARKDOWN_LINK)
}

/// Text placed in a Markdown table cell or list item: `|` would end the
/// cell and a line break the row; `<` would start raw HTML.
fn markdown_text(v: &Value) -> String {
    let text = match v.as_str() {
        Some(s) => s.to_string(),
        None if v.is_none() || v.is_undefined() => String::new(),
        None => v.to_string(),
    };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '<' | '>' | '*' | '_' | '[' | ']' | '`' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_table_of_a_body_scrolls_in_a_named_focusable_box() {
        use super::scroll_tables;
        let html = "<p>a &lt;table&gt; b</p><table><tr><td>1</td></tr></table><table class=\"x\"></table><tablet>";
        assert_eq!(
            scroll_tables(html),
            format!(
                "<p>a &lt;table&gt; b</p>{b}<table><tr><td>1</td></tr></table></div>{b}<table class=\"x\"></table></div><tablet>",
                b = super::SCROLL_BOX
            )
        );
        assert_eq!(scroll_tables("<p>none</p>"), "<p>none</p>");
    }

    #[test]
    fn timeline_events_are_inline_markdown_and_safe() {
        assert_eq!(
            inline_markdown("Rolled back `v2.3` **by hand** ~~twice~~"),
            "Rolled back <code>v2.3</code> <strong>by hand</strong> <del>twice</del>"
        );
        assert_eq!(
            inline_markdown("See [OPS-1](https://t.example/OPS-1) and [x](javascript:alert(1))"),
            "See <a href=\"https://t.example/OPS-1\">OPS-1</a> and x"
        );
        assert_eq!(
            inline_markdown("<script>alert(1)</script> & more"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"
        );
        assert_eq!(
            inline_markdown("Paged <b onclick=x>on-call</b> ![img](https://x/y.png)"),
            "Paged &lt;b onclick=x&gt;on-call&lt;/b&gt; img"
        );
        assert_eq!(inline_markdown("# not a heading"), "not a heading");
    }

    use super::*;

    #[test]
    fn dates_read_as_chrono_writes_them() {
        let mut d = NaiveDate::from_ymd_opt(2023, 12, 25).unwrap();
        for _ in 0..800 {
            assert_eq!(date(d), d.format("%Y-%m-%d").to_string());
            assert_eq!(long_date(d), d.format("%a %-d %b %Y").to_string());
            d = d.succ_opt().unwrap();
        }
        for (y, m, day) in [
            (1, 1, 1),
            (999, 7, 4),
            (9999, 12, 31),
            (10000, 1, 1),
            (-44, 3, 15),
        ] {
            let d = NaiveDate::from_ymd_opt(y, m, day).unwrap();
            assert_eq!(date(d), d.format("%Y-%m-%d").to_string());
            assert_eq!(long_date(d), d.format("%a %-d %b %Y").to_string());
        }
        let t = crate::model::parse_timestamp("2026-03-04T07:05:09+01:00").unwrap();
        assert_eq!(clock(&t), "07:05");
        assert_eq!(html_datetime(&t), "2026-03-04T07:05:09+01:00");
        assert_eq!(timestamp(&t), "4 Mar 2026, 07:05 UTC+01:00");
    }

    #[test]
    fn html_datetimes_are_short_and_keep_the_offset() {
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
        assert_eq!(
            html_datetime(&t("2026-03-14T09:12:00+01:00")),
            "2026-03-14T09:12+01:00"
        );
        assert_eq!(
            html_datetime(&t("2026-03-14T08:12:00+00:00")),
            "2026-03-14T08:12Z"
        );
        assert_eq!(
            html_datetime(&t("2026-03-14T08:12:05-05:30")),
            "2026-03-14T08:12:05-05:30"
        );
    }

    #[test]
    fn code_spans_and_links_cannot_break_out() {
        let code = code_span;
        assert_eq!(code("incidents/a.md"), "`incidents/a.md`");
        assert_eq!(code("x`<img>`.md"), "``x`<img>`.md``");
        assert_eq!(code("`a``"), "``` `a`` ```");
        let link = link_target;
        assert_eq!(link("javascript:alert(1)"), "");
        assert_eq!(
            link("https://t.example/a> <b"),
            "https://t.example/a%3E%20%3Cb"
        );
        // In a table cell, a `|` would end the cell.
        assert_eq!(link("https://t.example/a|b"), "https://t.example/a%7Cb");
    }

    #[test]
    fn huge_durations_are_not_clamped() {
        assert_eq!(minutes(1e308), "6.944e304 d");
        assert_eq!(minutes(f64::INFINITY), NONE);
    }

    #[test]
    fn minutes_read_like_a_person_wrote_them() {
        assert_eq!(minutes(0.0), "0 min");
        assert_eq!(minutes(0.5), "0.5 min");
        assert_eq!(minutes(12.5), "12.5 min");
        assert_eq!(minutes(9.0), "9 min");
        assert_eq!(minutes(59.96), "1 h");
        assert_eq!(minutes(60.0), "1 h");
        assert_eq!(minutes(65.0), "1 h 5 min");
        assert_eq!(minutes(95.2), "1 h 35 min");
        assert_eq!(minutes(1500.0), "1 d 1 h");
        assert_eq!(minutes(2880.0), "2 d");
        assert_eq!(minutes(-3.0), "-3 min");
        assert_eq!(opt_minutes(None), NONE);
    }

    #[test]
    fn changes_carry_a_sign_and_a_percentage_from_a_base() {
        let text = |c: Option<f64>, p: Option<f64>, unit| change(Change::between(c, p), unit);
        assert_eq!(text(Some(3.0), Some(2.0), Unit::Count), "+1 (+50%)");
        assert_eq!(text(Some(0.0), Some(2.0), Unit::Count), "-2 (-100%)");
        assert_eq!(text(Some(2.0), Some(2.0), Unit::Count), "0 (0%)");
        assert_eq!(text(Some(4.0), Some(0.0), Unit::Count), "+4");
        assert_eq!(text(Some(0.0), Some(0.0), Unit::Count), "0");
        assert_eq!(
            text(Some(1500.0), Some(500.0), Unit::Count),
            "+1,000 (+200%)"
        );
        assert_eq!(
            text(Some(21.0), Some(6.0), Unit::Minutes),
            "+15 min (+250%)"
        );
        assert_eq!(
            text(Some(30.0), Some(95.0), Unit::Minutes),
            "-1 h 5 min (-68%)"
        );
        assert_eq!(text(Some(2.0), Some(2.5), Unit::Minutes), "-0.5 min (-20%)");
        assert_eq!(text(Some(10.02), Some(10.0), Unit::Minutes), "0 min (0%)");
        assert_eq!(text(Some(0.5), Some(0.0), Unit::Minutes), "+0.5 min");
        assert_eq!(text(None, Some(10.0), Unit::Minutes), NONE);
        assert_eq!(text(Some(10.0), None, Unit::Count), NONE);
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(23800), "23,800");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(number(912.0), "912");
        assert_eq!(number(95.25), "95.2");
        assert_eq!(value(None, Unit::Count), NONE);
    }

    #[test]
    fn offsets_keep_the_written_zone() {
        let t = crate::model::parse_timestamp("2026-03-14T09:12:00+01:00").unwrap();
        assert_eq!(timestamp(&t), "14 Mar 2026, 09:12 UTC+01:00");
        let t = crate::model::parse_timestamp("2026-03-14T09:12:00-05:30").unwrap();
        assert_eq!(offset(t.offset()), "UTC-05:30");
        let t = crate::model::parse_timestamp("2026-03-14T09:12:00Z").unwrap();
        assert_eq!(offset(t.offset()), "UTC");
    }

    #[test]
    fn markdown_cells_stay_in_their_cell() {
        let v = markdown_text(&Value::from("a | b\n<script>"));
        assert_eq!(v, "a \\| b \\<script\\>");
    }
}
