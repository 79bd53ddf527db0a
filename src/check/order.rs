//! `time-order` and `timeline-order`.

use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::model::Incident;

/// `started_at <= detected_at <= acknowledged_at <= resolved_at` for the
/// fields present; each field is compared with the last present one before
/// it, so one wrong value gives one diagnostic.
pub(super) fn check(incident: &Incident, doc: &Document, out: &mut Vec<Diagnostic>) {
    let fields = [
        ("started_at", incident.started_at),
        ("detected_at", incident.detected_at),
        ("acknowledged_at", incident.acknowledged_at),
        ("resolved_at", incident.resolved_at),
    ];
    let mut previous: Option<(&str, crate::model::Timestamp)> = None;
    for (name, value) in fields {
        let Some(value) = value else { continue };
        if let Some((prev_name, prev)) = previous {
            if value < prev {
                let pointer = format!("/{name}");
                let (at, width) = doc.locate(&pointer);
                out.push(
                    Diagnostic::error(
                        &doc.file,
                        at,
                        Code::TimeOrder,
                        format!(
                            "`{name}` ({}) is before `{prev_name}` ({})",
                            value.to_rfc3339(),
                            prev.to_rfc3339()
                        ),
                    )
                    .with_path(pointer)
                    .with_width(width)
                    .with_help("started_at <= detected_at <= acknowledged_at <= resolved_at; check the date and the UTC offset"),
                );
            }
        }
        previous = Some((name, value));
    }

    let mut last: Option<(usize, crate::model::Timestamp)> = None;
    for (n, entry) in incident.timeline.iter().enumerate() {
        let Some(at) = entry.at else { continue };
        if let Some((prev_n, prev)) = last {
            if at < prev {
                let pointer = format!("/timeline/{n}/at");
                let (pos, width) = doc.locate(&pointer);
                out.push(
                    Diagnostic::error(
                        &doc.file,
                        pos,
                        Code::TimelineOrder,
                        format!(
                            "timeline entry {} ({}) is earlier than entry {} ({})",
                            n + 1,
                            at.to_rfc3339(),
                            prev_n + 1,
                            prev.to_rfc3339()
                        ),
                    )
                    .with_path(pointer)
                    .with_width(width)
                    .with_help("list timeline entries in chronological order"),
                );
            }
        }
        last = Some((n, at));
    }
}
