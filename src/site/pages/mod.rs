//! The page builders: what each page shows, as plain serialisable values
//! handed to the templates, one file per page or family of pages, and
//! the rows and values several of them share ([`common`]). A page builder
//! reads the site's model; it calls no other page builder.

pub(crate) mod actions;
pub(crate) mod common;
pub(crate) mod drills;
pub(crate) mod factors;
pub(crate) mod incident;
pub(crate) mod index;
pub(crate) mod runbooks;
pub(crate) mod teams;
