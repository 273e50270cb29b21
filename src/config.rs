//! Settings for running Broadsheet: flags > environment (`BROADSHEET_*`) > `broadsheet.toml` >
//! defaults. Clap resolves flags and environment; this module merges in the file.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The optional `broadsheet.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub data: Option<PathBuf>,
    pub database_url: Option<String>,
    pub base_url: Option<String>,
    pub theme: Option<PathBuf>,
    /// Proxies (addresses or ranges) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Option<Vec<String>>,
    /// `smtps://user:pass@host`, `smtp://host:587?tls=required` or `smtp://localhost:25`.
    /// A secret: set it here or in `BROADSHEET_SMTP_URL`, never on the command line.
    pub smtp_url: Option<String>,
    /// The sender of the site's mail, e.g. `The Paper <news@example.org>`.
    pub mail_from: Option<String>,
    /// Called with the tags of changed pages, for a CDN (see `web::cache::hook`).
    pub purge_hook_url: Option<String>,
    /// Sent as `Authorization: Bearer …` to the purge hook. A secret, like `smtp_url`.
    pub purge_hook_token: Option<String>,
}

pub const DEFAULT_FILE: &str = "broadsheet.toml";
pub const DEFAULT_DATA: &str = "data";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

impl FileConfig {
    /// Reads the file named by `--config`, or `./broadsheet.toml` when it exists.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<FileConfig> {
        let path = match explicit {
            Some(path) => path.to_owned(),
            None => {
                let default = PathBuf::from(DEFAULT_FILE);
                if !default.exists() {
                    return Ok(FileConfig::default());
                }
                default
            }
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("bad settings in {}", path.display()))
    }
}

/// The database URL: an explicit URL from flags or environment, else the SQLite file in an
/// explicit data folder, else the file's URL, else the file's data folder, else `./data`.
pub fn database_url(flag_url: Option<&str>, flag_data: Option<&Path>, file: &FileConfig) -> String {
    if let Some(url) = flag_url {
        return url.to_owned();
    }
    if let Some(dir) = flag_data {
        return sqlite_url_in(dir);
    }
    if let Some(url) = &file.database_url {
        return url.clone();
    }
    sqlite_url_in(file.data.as_deref().unwrap_or(Path::new(DEFAULT_DATA)))
}

fn sqlite_url_in(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("broadsheet.db").display())
}

/// A setting that has no flag — because it is a secret (an SMTP URL with a password, a token)
/// that would show in the process list — from the environment variable, else the file.
pub fn env_or_file(variable: &str, from_file: &Option<String>) -> Option<String> {
    std::env::var(variable)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| from_file.clone())
}

/// The address to listen on.
pub fn listen(flag: Option<&str>, file: &FileConfig) -> anyhow::Result<SocketAddr> {
    let text = flag.or(file.listen.as_deref()).unwrap_or(DEFAULT_LISTEN);
    text.parse()
        .with_context(|| format!("`{text}` is not an address to listen on, e.g. 127.0.0.1:8080"))
}

/// The public origin used in absolute links (share links, e-mail links), without a trailing
/// slash.
pub fn base_url(flag: Option<&str>, file: &FileConfig, listen: SocketAddr) -> String {
    flag.or(file.base_url.as_deref())
        .map(|u| u.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| format!("http://{listen}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file() {
        let file = FileConfig {
            database_url: Some("postgres://db/news".into()),
            data: Some("/srv/news".into()),
            ..FileConfig::default()
        };
        assert_eq!(
            database_url(Some("sqlite://x.db"), None, &file),
            "sqlite://x.db"
        );
        assert_eq!(
            database_url(None, Some(Path::new("/tmp/d")), &file),
            "sqlite:///tmp/d/broadsheet.db"
        );
        assert_eq!(database_url(None, None, &file), "postgres://db/news");
        let only_data = FileConfig {
            data: Some("/srv/news".into()),
            ..FileConfig::default()
        };
        assert_eq!(
            database_url(None, None, &only_data),
            "sqlite:///srv/news/broadsheet.db"
        );
        assert_eq!(
            database_url(None, None, &FileConfig::default()),
            "sqlite://data/broadsheet.db"
        );
    }

    #[test]
    fn listen_and_base_url() {
        let file = FileConfig {
            listen: Some("127.0.0.1:9000".into()),
            ..FileConfig::default()
        };
        let addr = listen(None, &file).unwrap();
        assert_eq!(addr.port(), 9000);
        assert_eq!(listen(Some("127.0.0.1:7000"), &file).unwrap().port(), 7000);
        assert!(listen(Some("nowhere"), &file).is_err());
        assert_eq!(base_url(None, &file, addr), "http://127.0.0.1:9000");
        assert_eq!(
            base_url(Some("https://news.example/"), &file, addr),
            "https://news.example"
        );
    }

    #[test]
    fn file_rejects_unknown_keys() {
        assert!(toml::from_str::<FileConfig>("listn = \"x\"").is_err());
        let ok: FileConfig = toml::from_str("listen = \"127.0.0.1:1\"").unwrap();
        assert_eq!(ok.listen.as_deref(), Some("127.0.0.1:1"));
    }
}
