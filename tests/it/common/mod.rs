//! The test harness: a fresh, migrated database per test on the engine the environment names,
//! and the real router on top of it.
//!
//! `BROADSHEET_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres` runs the suite on
//! PostgreSQL: the migrations are applied once per run to a template database, and each test
//! gets its own copy (`create database … template …`), dropped when the test ends. Without it,
//! each test gets its own SQLite file in a temporary folder.

use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use tower::ServiceExt;

use broadsheet::accounts::users::{self, Role};
use broadsheet::content::articles::{self, ArticleInput, Status};
use broadsheet::content::{dates, sections};
use broadsheet::store::{self, Db};
use broadsheet::web;

pub mod smtp;

pub const BASE_URL: &str = "http://news.example";

fn postgres_admin_url() -> Option<String> {
    std::env::var("BROADSHEET_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
}

/// `postgres://…/admin_db?x` with the database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let prefix = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    format!("{prefix}/{name}{query}")
}

static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

async fn admin_pool(url: &str) -> sqlx::PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect(url)
        .await
        .expect("connect to the PostgreSQL server named by BROADSHEET_TEST_DATABASE_URL")
}

async fn execute(pool: &sqlx::PgPool, sql: String) -> Result<(), sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(pool)
        .await
        .map(|_| ())
}

/// The name of a template database holding the current migrations, made once per schema.
async fn template(admin_url: &str) -> String {
    TEMPLATE
        .get_or_init(|| async {
            let mut hasher = Sha256::new();
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres");
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            for f in files {
                hasher.update(std::fs::read(f).unwrap());
            }
            let hash: String = hasher
                .finalize()
                .iter()
                .take(6)
                .map(|b| format!("{b:02x}"))
                .collect();
            let name = format!("broadsheet_tpl_{hash}");
            let admin = admin_pool(admin_url).await;
            let exists: Option<(i32,)> =
                sqlx::query_as("select 1 from pg_database where datname = $1")
                    .bind(&name)
                    .fetch_optional(&admin)
                    .await
                    .unwrap();
            if exists.is_none() {
                // Build under a private name, then rename: another test process racing us either
                // wins the rename or loses it harmlessly.
                let building = format!("{name}_{}", std::process::id());
                execute(&admin, format!("drop database if exists {building}"))
                    .await
                    .unwrap();
                execute(&admin, format!("create database {building}"))
                    .await
                    .unwrap();
                let db = store::connect(&with_database(admin_url, &building))
                    .await
                    .unwrap();
                store::migrate::run(&db).await.unwrap();
                db.close().await;
                if execute(
                    &admin,
                    format!("alter database {building} rename to {name}"),
                )
                .await
                .is_err()
                {
                    execute(&admin, format!("drop database if exists {building}"))
                        .await
                        .unwrap();
                }
            }
            admin.close().await;
            name
        })
        .await
        .clone()
}

/// Drops a test's PostgreSQL database when the test ends.
struct DropDatabase {
    admin_url: String,
    name: String,
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime; a separate thread with its own runtime can block.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let admin = admin_pool(&admin_url).await;
                let _ = execute(
                    &admin,
                    format!("drop database if exists {name} with (force)"),
                )
                .await;
                admin.close().await;
            });
        })
        .join();
    }
}

enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres(#[allow(dead_code)] DropDatabase),
}

/// A migrated, empty database of its own.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _guard: Guard,
}

impl TestDb {
    pub async fn new() -> TestDb {
        match postgres_admin_url() {
            Some(admin_url) => {
                let template = template(&admin_url).await;
                let name = format!(
                    "broadsheet_test_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                );
                let admin = admin_pool(&admin_url).await;
                execute(
                    &admin,
                    format!("drop database if exists {name} with (force)"),
                )
                .await
                .unwrap();
                let mut attempt = 0;
                loop {
                    match execute(
                        &admin,
                        format!("create database {name} template {template}"),
                    )
                    .await
                    {
                        Ok(()) => break,
                        // Copying a template needs it idle; another test may be copying it too.
                        Err(e) if attempt < 50 => {
                            attempt += 1;
                            let _ = e;
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        }
                        Err(e) => panic!("cannot create test database {name}: {e}"),
                    }
                }
                admin.close().await;
                let url = with_database(&admin_url, &name);
                let db = store::connect(&url).await.unwrap();
                TestDb {
                    db,
                    url,
                    _guard: Guard::Postgres(DropDatabase { admin_url, name }),
                }
            }
            None => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                let db = store::connect(&url).await.unwrap();
                store::migrate::run(&db).await.unwrap();
                TestDb {
                    db,
                    url,
                    _guard: Guard::Sqlite(dir),
                }
            }
        }
    }
}

/// A response read to the end.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The text between `<main …>` and `</main>`.
    pub fn main(&self) -> &str {
        let start = self.body.find("<main").expect("page has a <main>");
        let end = self.body.find("</main>").expect("page has a </main>");
        &self.body[start..end + "</main>".len()]
    }
}

/// The real router on a fresh database.
pub struct TestApp {
    pub router: Router,
    pub state: web::AppState,
    pub test_db: TestDb,
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_smtp(None).await
    }

    /// An app that sends its mail to this SMTP server (`None`: no server configured).
    pub async fn with_smtp(smtp_url: Option<&str>) -> TestApp {
        let test_db = TestDb::new().await;
        let mail =
            broadsheet::distribution::mail::MailConfig::new(smtp_url, None, BASE_URL).unwrap();
        let state = web::AppState::new(test_db.db.clone(), BASE_URL.into(), None)
            .unwrap()
            .with_mail(mail);
        TestApp {
            router: web::app(state.clone()),
            state,
            test_db,
        }
    }

    /// Runs due background jobs (as a node's job loop would) until none is due; returns how
    /// many ran.
    pub async fn run_jobs(&self) -> usize {
        self.run_jobs_with(self.state.mail.clone()).await
    }

    /// [`TestApp::run_jobs`] on a node that sends mail this way.
    pub async fn run_jobs_with(
        &self,
        mail: std::sync::Arc<broadsheet::distribution::mail::MailConfig>,
    ) -> usize {
        let mut ctx = self.state.jobs_context("test-node".into());
        ctx.mail = mail;
        let mut n = 0;
        while broadsheet::jobs::runner::run_once(&ctx).await.unwrap() {
            n += 1;
            assert!(n < 10_000, "jobs never run out");
        }
        n
    }

    pub async fn with_demo() -> TestApp {
        let app = TestApp::new().await;
        broadsheet::demo::fill_if_empty(app.db()).await.unwrap();
        app
    }

    pub fn db(&self) -> &Db {
        &self.test_db.db
    }

    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        self.request_with_body(method, uri, headers, Body::empty())
            .await
    }

    pub async fn request_with_body(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: Body,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let response = self
            .router
            .clone()
            .oneshot(builder.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        // minijinja escapes `/` as `&#x2f;`; browsers read both the same, and assertions read
        // far better with plain slashes.
        let body = String::from_utf8_lossy(&bytes).replace("&#x2f;", "/");
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(Method::GET, uri, &[]).await
    }

    /// A GET with a `Cookie` header.
    pub async fn get_as(&self, uri: &str, cookie: &str) -> TestResponse {
        self.request(Method::GET, uri, &[("cookie", cookie)]).await
    }

    /// A form POST (`application/x-www-form-urlencoded`) with a `Cookie` header.
    pub async fn post_form(
        &self,
        uri: &str,
        cookie: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request_with_body(
            Method::POST,
            uri,
            &[
                ("cookie", cookie),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            Body::from(body),
        )
        .await
    }

    /// A `multipart/form-data` POST: text fields and files `(field, file name, bytes)`.
    pub async fn post_multipart(
        &self,
        uri: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> TestResponse {
        let boundary = "----broadsheet-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        }
        for (name, filename, bytes) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.request_with_body(
            Method::POST,
            uri,
            &[
                ("cookie", cookie),
                (
                    "content-type",
                    &format!("multipart/form-data; boundary={boundary}"),
                ),
            ],
            Body::from(body),
        )
        .await
    }

    /// Creates a staff user with a password.
    pub async fn user(&self, email: &str, role: Role, password: &str) -> i64 {
        users::create(self.db(), email, "Test User", role, password)
            .await
            .unwrap()
    }

    /// Logs in through the real form and returns the `Cookie` header value for the session.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let (cookie, csrf) = self.login_form().await;
        let res = self
            .post_form(
                "/admin/login",
                &cookie,
                &[("email", email), ("password", password), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(res.status, 303, "login failed: {}", res.body);
        let session = set_cookie_value(&res, "bs_session").expect("session cookie");
        format!("bs_session={session}")
    }

    /// Opens the login form: the CSRF cookie it sets and the token in its hidden field.
    pub async fn login_form(&self) -> (String, String) {
        let form = self.get("/admin/login").await;
        let token = set_cookie_value(&form, "bs_login_csrf").expect("login csrf cookie");
        assert_eq!(hidden_field(&form.body, "csrf"), token);
        (format!("bs_login_csrf={token}"), token)
    }

    /// The CSRF token in a staff page's forms.
    pub async fn csrf_for(&self, cookie: &str) -> String {
        hidden_field(&self.get_as("/admin", cookie).await.body, "csrf")
    }
}

/// A small PNG photo for upload tests.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The value a response's `Set-Cookie` gives to `name`.
pub fn set_cookie_value(res: &TestResponse, name: &str) -> Option<String> {
    res.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
}

/// The value of the first hidden input called `name`.
pub fn hidden_field(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} in {html}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

impl TestApp {
    /// Publishes an article in `section` and returns its id.
    pub async fn publish(&self, section: &str, slug: &str, title: &str, date: &str) -> i64 {
        self.save(Story {
            section,
            slug,
            title,
            date,
            ..Story::default()
        })
        .await
    }

    pub async fn save(&self, story: Story<'_>) -> i64 {
        let section = sections::find_by_slug(self.db(), story.section)
            .await
            .unwrap()
            .expect("section exists");
        let input = ArticleInput {
            slug: story.slug.into(),
            section_id: section.id,
            title: story.title.into(),
            summary: story.summary.into(),
            body_md: story.body.into(),
            source: story.source.into(),
            byline: story.byline.into(),
            status: story.status,
            published_at: Some(dates::parse_with_zone(story.date).unwrap()),
            tags: story.tags.iter().map(|t| t.to_string()).collect(),
        };
        match articles::save(self.db(), &input).await.unwrap() {
            articles::Saved::Created(id) | articles::Saved::Updated(id) => id,
        }
    }
}

/// An article to save in a test; `..Story::default()` fills the rest.
pub struct Story<'a> {
    pub section: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub source: &'a str,
    pub byline: &'a str,
    pub date: &'a str,
    pub status: Status,
    pub tags: &'a [&'a str],
}

impl Default for Story<'_> {
    fn default() -> Self {
        Story {
            section: "world",
            slug: "a-story",
            title: "A story",
            summary: "",
            body: "Body text.",
            source: "",
            byline: "",
            date: "2015-03-04T10:00:00+08:00",
            status: Status::Published,
            tags: &[],
        }
    }
}
