//! Importing Markdown files with front matter.
//!
//! ```text
//! ---
//! title: Rail link opens
//! section: China            # a section's slug or name
//! source: Xinhua
//! byline: Li Wei
//! date: 2015-03-04T18:30:00+08:00
//! tags: [transport, rail]   # or "transport, rail"
//! summary: One line for lists.
//! status: published         # or draft; published when absent
//! slug: rail-link-opens     # made from the title when absent
//! ---
//! Markdown body…
//! ```
//!
//! Importing is idempotent: a file whose slug exists updates that article. A bad file is
//! reported with its path and the field at fault; the good files still go in.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::articles::{self, ArticleInput, Saved, Status};
use super::sections::{self, Section};
use super::{ContentError, dates, slug};
use crate::store::Db;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    section: Option<String>,
    source: Option<String>,
    byline: Option<String>,
    date: Option<String>,
    tags: Option<Tags>,
    summary: Option<String>,
    status: Option<String>,
    slug: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Tags {
    List(Vec<String>),
    Text(String),
}

impl Tags {
    fn into_vec(self) -> Vec<String> {
        match self {
            Tags::List(list) => list,
            Tags::Text(text) => text.split(',').map(|t| t.trim().to_owned()).collect(),
        }
    }
}

/// Splits a document into its YAML front matter and its Markdown body.
fn split_front_matter(text: &str) -> Result<(&str, &str), ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let missing = || {
        ContentError::invalid(
            "front matter",
            "the file must start with a `---` line, the fields, and a closing `---` line",
        )
    };
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(missing)?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(missing())
}

fn required(value: Option<String>, field: &'static str) -> Result<String, ContentError> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v.trim().to_owned()),
        _ => Err(ContentError::invalid(field, "is required")),
    }
}

/// Reads one document into an article, resolving its section among `known`.
pub fn parse_article(text: &str, known: &[Section]) -> Result<ArticleInput, ContentError> {
    let (yaml, body) = split_front_matter(text)?;
    let fm: FrontMatter = serde_norway::from_str(yaml)
        .map_err(|e| ContentError::invalid("front matter", e.to_string()))?;

    let title = required(fm.title, "title")?;
    let section_name = required(fm.section, "section")?;
    let section = sections::resolve(known, &section_name).ok_or_else(|| {
        let names: Vec<&str> = known.iter().map(|s| s.slug.as_str()).collect();
        ContentError::invalid(
            "section",
            format!("no section `{section_name}`; known: {}", names.join(", ")),
        )
    })?;
    let status = match fm.status.as_deref() {
        None => Status::Published,
        Some(text) => match Status::parse(text) {
            Some(s @ (Status::Draft | Status::Published)) => s,
            _ => {
                return Err(ContentError::invalid(
                    "status",
                    format!("`{text}` is neither draft nor published"),
                ));
            }
        },
    };
    let published_at = match fm.date {
        Some(text) => {
            Some(dates::parse_with_zone(&text).map_err(|e| ContentError::invalid("date", e))?)
        }
        None if status == Status::Published => {
            return Err(ContentError::invalid(
                "date",
                "is required for a published article",
            ));
        }
        None => None,
    };
    let slug = match fm.slug {
        Some(given) => {
            let given = given.trim().to_owned();
            if !slug::is_valid(&given) {
                return Err(ContentError::invalid(
                    "slug",
                    format!(
                        "`{given}` is not a valid slug: use lower-case letters, digits and single hyphens"
                    ),
                ));
            }
            given
        }
        None => {
            let made = slug::slugify(&title);
            if made.is_empty() {
                return Err(ContentError::invalid(
                    "slug",
                    "the title has no letters or digits to make a slug from; give a slug",
                ));
            }
            made
        }
    };
    Ok(ArticleInput {
        slug,
        section_id: section.id,
        title,
        summary: fm.summary.unwrap_or_default(),
        body_md: body.trim().to_owned(),
        source: fm.source.unwrap_or_default(),
        byline: fm.byline.unwrap_or_default(),
        status,
        published_at,
        tags: fm.tags.map(Tags::into_vec).unwrap_or_default(),
    })
}

/// A file that could not be imported.
#[derive(Debug, Clone)]
pub struct Failure {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    pub failures: Vec<Failure>,
}

impl Report {
    /// The one summary line the CLI always prints.
    pub fn summary(&self) -> String {
        format!(
            "imported {} file(s): {} new, {} updated, {} failed",
            self.created + self.updated,
            self.created,
            self.updated,
            self.failures.len()
        )
    }
}

fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    )
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, report: &mut Report) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            report.failures.push(Failure {
                path: dir.to_owned(),
                message: format!("cannot read folder: {e}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out, report);
        } else if is_markdown(&path) {
            out.push(path);
        }
    }
}

/// The Markdown files named by `paths` (folders are searched recursively, in name order).
/// Paths that do not exist are recorded as failures in the report.
pub fn collect_files(paths: &[PathBuf], report: &mut Report) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files, report);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            report.failures.push(Failure {
                path: path.clone(),
                message: "no such file or folder".into(),
            });
        }
    }
    files
}

/// Imports one file's text, reporting into `report`.
pub async fn import_text(
    db: &Db,
    known: &[Section],
    path: &Path,
    text: &str,
    report: &mut Report,
) -> Result<(), sqlx::Error> {
    let outcome = match parse_article(text, known) {
        Ok(input) => articles::save(db, &input).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(Saved::Created(_)) => report.created += 1,
        Ok(Saved::Updated(_)) => report.updated += 1,
        Err(ContentError::Invalid { field, message }) => report.failures.push(Failure {
            path: path.to_owned(),
            message: format!("{field}: {message}"),
        }),
        // A database that fails is not the file's fault: stop and say so.
        Err(ContentError::Database(e)) => return Err(e),
    }
    Ok(())
}

/// Imports every Markdown file under `paths`, calling `on_file` after each.
pub async fn import_paths(
    db: &Db,
    paths: &[PathBuf],
    mut on_start: impl FnMut(usize),
    mut on_file: impl FnMut(&Path),
) -> Result<Report, sqlx::Error> {
    let mut report = Report::default();
    let files = collect_files(paths, &mut report);
    on_start(files.len());
    let known = sections::list_all(db).await?;
    for path in &files {
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => import_text(db, &known, path, &text, &mut report).await?,
                Err(_) => report.failures.push(Failure {
                    path: path.clone(),
                    message: "the file is not UTF-8 text".into(),
                }),
            },
            Err(e) => report.failures.push(Failure {
                path: path.clone(),
                message: format!("cannot read: {e}"),
            }),
        }
        on_file(path);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<Section> {
        vec![Section {
            id: 3,
            slug: "world".into(),
            name: "World".into(),
            position: 3,
            hidden: false,
            moderation_mode: None,
        }]
    }

    const GOOD: &str = "---\ntitle: Rail link opens\nsection: World\nsource: Wire\nbyline: Li Wei\ndate: 2015-03-04T18:30:00+08:00\ntags: [transport, rail]\nsummary: A line.\n---\n\nBody *text*.\n";

    #[test]
    fn parses_a_complete_file() {
        let a = parse_article(GOOD, &known()).unwrap();
        assert_eq!(a.title, "Rail link opens");
        assert_eq!(a.slug, "rail-link-opens");
        assert_eq!(a.section_id, 3);
        assert_eq!(a.status, Status::Published);
        assert_eq!(a.tags, vec!["transport", "rail"]);
        assert_eq!(a.body_md, "Body *text*.");
        assert_eq!(
            a.published_at,
            Some(dates::parse_with_zone("2015-03-04T10:30:00Z").unwrap())
        );
    }

    #[test]
    fn tags_may_be_a_comma_list_and_crlf_is_fine() {
        let text = GOOD
            .replace("[transport, rail]", "\"transport, rail\"")
            .replace('\n', "\r\n");
        let a = parse_article(&text, &known()).unwrap();
        assert_eq!(a.tags, vec!["transport", "rail"]);
    }

    fn field_of(err: ContentError) -> &'static str {
        match err {
            ContentError::Invalid { field, .. } => field,
            ContentError::Database(_) => "database",
        }
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            (GOOD.replace("title: Rail link opens\n", ""), "title"),
            (GOOD.replace("section: World", "section: Moon"), "section"),
            (GOOD.replace("+08:00", ""), "date"),
            (GOOD.replace("summary: A line.", "status: maybe"), "status"),
            (GOOD.replace("summary:", "sumary:"), "front matter"),
            (GOOD.replace("---\ntitle", "title"), "front matter"),
            (
                GOOD.replace("title: Rail link opens", "title: Rail\nslug: Not A Slug"),
                "slug",
            ),
        ];
        for (text, field) in cases {
            let err = parse_article(&text, &known()).unwrap_err();
            assert_eq!(field_of(err), field, "{text}");
        }
    }

    #[test]
    fn unknown_field_is_named() {
        let err = parse_article(&GOOD.replace("summary:", "sumary:"), &known()).unwrap_err();
        assert!(err.to_string().contains("sumary"), "{err}");
    }

    #[test]
    fn drafts_need_no_date() {
        let text = GOOD.replace("date: 2015-03-04T18:30:00+08:00\n", "status: draft\n");
        let a = parse_article(&text, &known()).unwrap();
        assert_eq!(a.status, Status::Draft);
        assert_eq!(a.published_at, None);
    }
}
