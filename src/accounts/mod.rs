//! Staff accounts: admins, editors and moderators.

pub mod password;
pub mod users;
