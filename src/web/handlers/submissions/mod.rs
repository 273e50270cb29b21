//! "Send your stories": the public form and the editors' inbox.

pub mod form;
pub mod inbox;
