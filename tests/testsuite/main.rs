//! hindsight's CLI tests, one binary: each module is one feature as a user
//! meets it, run on the real binary against fixture repositories
//! (`tests/fixtures/<case>/`) or repositories built at test time with
//! [`prelude::Repo`]. Snapshots live in `snapshots/`; review them with
//! `cargo insta review`, or regenerate with `INSTA_UPDATE=always cargo test`.

mod prelude;

mod actions;
mod architecture;
mod browser;
mod ci;
mod drills;
mod evidence;
mod export;
mod figures_agree;
mod guide;
#[cfg(unix)]
mod hostile;
mod learning;
mod lint;
mod lint_bad_input;
mod lsp;
mod messages;
mod near_miss_pages;
mod neovim;
mod pages;
mod privacy;
mod public;
mod report;
mod root_relative_links;
mod rules;
mod scaffold;
mod serve;
mod site;
mod site_teams;
mod sources;
mod stats;
mod teams;
mod writer;
