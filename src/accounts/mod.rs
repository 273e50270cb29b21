//! Staff accounts: admins, editors and moderators; passwords, sessions, logins.

pub mod login;
pub mod password;
pub mod resets;
pub mod sessions;
pub mod users;
