//! What lint says about mistakes a new user makes: where, in whose terms,
//! and what to write instead.

use crate::prelude::*;

#[test]
fn an_unclosed_list_is_reported_on_its_own_line_with_a_hint() {
    let repo = Repo::empty().file(
        "incidents/a.md",
        "---\nid: INC-1\ntitle: t\nstatus: draft\nseverity: [SEV2\nstarted_at: 2026-03-14T09:12:00Z\n---\n\nbody\n",
    );
    repo.hindsight()
        .arg("lint")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error[yaml]: invalid YAML: the list opened with `[` here is never closed\n --> incidents/a.md:5:11\n",
        ))
        .stderr(predicate::str::contains(
            "close it with `]` on the same line (`severity: [SEV2]`), or write the value without `[`",
        ));
}

#[test]
fn an_item_closed_in_tracker_words_is_told_the_word_for_it() {
    let repo = Repo::empty().file(
        "incidents/a.md",
        "---\nid: INC-1\ntitle: t\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-14T09:12:00Z\naction_items:\n  - {title: a, owner: o, due: 2026-01-01, status: closed}\n---\n\nbody\n",
    );
    repo.hindsight()
        .arg("lint")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "must be one of open, done, wontfix, not \"closed\"",
        ))
        .stderr(predicate::str::contains("did you mean `done`?"));
}
