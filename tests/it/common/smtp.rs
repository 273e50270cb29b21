//! A real SMTP server for tests: `tests/support/smtp_sink.py` (aiosmtpd) in a child process.
//! It writes every message it accepts, parsed by Python's `email` package, as JSON; tests read
//! them back.
//!
//! aiosmtpd comes from PyPI: `.ci/run` installs it; on a machine without it, the first test that
//! needs it makes a virtual environment under the target folder and installs it there.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// Lower-cased names.
    pub headers: std::collections::HashMap<String, String>,
    pub content_type: String,
    pub text: String,
    pub html: String,
    /// What Python's parser found wrong with the message.
    pub defects: Vec<String>,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    /// The HTML part with `&#x2f;` read as `/` (minijinja escapes slashes; mail programs, like
    /// browsers, read both the same).
    pub fn html(&self) -> String {
        self.html.replace("&#x2f;", "/")
    }

    /// The first link in the plain-text part that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> String {
        let start = self
            .text
            .find(prefix)
            .unwrap_or_else(|| panic!("no {prefix}… link in {}", self.text));
        self.text[start..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned()
    }
}

pub struct SmtpSink {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

fn python() -> &'static PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let system = PathBuf::from("python3");
        let has = |python: &PathBuf| {
            Command::new(python)
                .args(["-c", "import aiosmtpd"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if has(&system) {
            return system;
        }
        let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("smtp-venv");
        let venv_python = venv.join("bin/python");
        if !has(&venv_python) {
            let made = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .expect("python3 is needed for the SMTP tests");
            assert!(made.success(), "cannot make a virtual environment");
            let installed = Command::new(&venv_python)
                .args(["-m", "pip", "install", "--quiet", "aiosmtpd"])
                .status()
                .expect("pip");
            assert!(installed.success(), "cannot install aiosmtpd from PyPI");
        }
        venv_python
    })
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_sink.py");
        let mut child = Command::new(python())
            .arg(script)
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP sink");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the SMTP sink said {line:?}"));
        SmtpSink { child, port, dir }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
