//! Digests: the new stories of each subscriber's sections, mailed daily or weekly at
//! [`SEND_HOUR`] in the site's time zone.
//!
//! Every node queues the next digest jobs once a minute; a digest's dedupe key names its period
//! (`newsletter-digest:daily:2026-11-30`), so however many nodes ask, each digest is queued once.
//! The job queues one mail per subscriber, again under a key naming the period, so a digest job
//! that is run again (a node died half-way) queues no mail twice.

use std::collections::HashMap;

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::{Deserialize, Serialize};

use super::Frequency;
use super::mails::Renderer;
use crate::content::articles;
use crate::content::dates;
use crate::distribution::mail::{self, Outgoing, parse_address};
use crate::jobs::{self, Failure, runner::Context};
use crate::privacy::DAY_MS;
use crate::settings;
use crate::store::{Db, query};

pub const DIGEST_JOB: &str = "newsletter-digest";
/// Local hour at which digests go out.
pub const SEND_HOUR: i8 = 7;
/// Weekly digests go out on this day.
pub const WEEKLY_ON: Weekday = Weekday::Monday;
/// Stories in one digest at most.
const MAX_STORIES: usize = 40;
/// Subscribers handled per query.
const BATCH: i64 = 500;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payload {
    frequency: String,
    /// The local date the digest is for, e.g. `2026-11-30`.
    period: String,
    /// Stories published up to this moment (Unix ms) are in it: the digest's scheduled time.
    until: i64,
}

/// The next time a digest of this frequency goes out after `now`, with its local date.
pub fn next_run(now: i64, tz: &TimeZone, frequency: Frequency) -> Option<(i64, String)> {
    let mut day = jiff::Timestamp::from_millisecond(now)
        .ok()?
        .to_zoned_datetime(tz.clone())
        .date();
    for _ in 0..9 {
        let at = day
            .at(SEND_HOUR, 0, 0, 0)
            .to_zoned_datetime(tz.clone())
            .ok()?
            .timestamp()
            .as_millisecond();
        let right_day = frequency == Frequency::Daily || day.weekday() == WEEKLY_ON;
        if at > now && right_day {
            return Some((at, day.to_string()));
        }
        day = day.tomorrow().ok()?;
    }
    None
}

/// Makes sure the next daily and weekly digests are queued.
pub async fn schedule(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    let zone_name = settings::get(db, settings::TIMEZONE)
        .await?
        .unwrap_or_else(|| "UTC".into());
    let tz = dates::zone(&zone_name);
    for frequency in [Frequency::Daily, Frequency::Weekly] {
        let Some((until, period)) = next_run(now, &tz, frequency) else {
            continue;
        };
        queue(db, frequency, &period, until, now).await?;
    }
    Ok(())
}

/// Queues the digest for one period (once, whoever asks).
pub async fn queue(
    db: &Db,
    frequency: Frequency,
    period: &str,
    until: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let payload = Payload {
        frequency: frequency.as_str().into(),
        period: period.into(),
        until,
    };
    let payload = serde_json::to_value(&payload).unwrap_or_default();
    let key = format!("{DIGEST_JOB}:{}:{period}", frequency.as_str());
    jobs::enqueue(db, DIGEST_JOB, &payload, until, &key, now).await
}

/// Stories grouped by section, in navigation order, for the templates.
#[derive(Debug, Serialize)]
struct SectionGroup<'a> {
    name: &'a str,
    url: String,
    stories: Vec<Story<'a>>,
}

#[derive(Debug, Serialize)]
struct Story<'a> {
    title: &'a str,
    summary: &'a str,
    url: String,
    published_at: i64,
}

/// Builds and queues every subscriber's digest for one period.
pub async fn run_job(ctx: &Context, payload: &str, now: i64) -> Result<(), Failure> {
    let p: Payload = serde_json::from_str(payload)
        .map_err(|e| Failure::permanent(format!("unreadable digest job: {e}")))?;
    let frequency = Frequency::parse(&p.frequency)
        .ok_or_else(|| Failure::permanent(format!("unknown frequency `{}`", p.frequency)))?;
    let db = &ctx.db;
    let failed = |e: sqlx::Error| Failure::retry(e.to_string());
    let window = match frequency {
        Frequency::Daily => DAY_MS,
        Frequency::Weekly => 7 * DAY_MS,
    };
    let stories = window_stories(db, p.until - window, p.until)
        .await
        .map_err(failed)?;
    let site = settings::load(db).await.map_err(failed)?;
    let renderer = Renderer {
        views: &ctx.views,
        site: &site,
        base_url: &ctx.base_url,
    };
    let secret = crate::privacy::server_secret(db, super::SECRET)
        .await
        .map_err(failed)?;
    let subject = match frequency {
        Frequency::Daily => format!("{}: the day's stories", site.name),
        Frequency::Weekly => format!("{}: the week's stories", site.name),
    };
    let mut after = 0_i64;
    loop {
        let batch: Vec<(i64, String, Option<i64>)> = query(
            "select id, email, digest_from from subscribers
             where status = 'active' and frequency = $1 and id > $2 order by id limit $3",
        )
        .bind(frequency.as_str())
        .bind(after)
        .bind(BATCH)
        .fetch_all(db)
        .await
        .map_err(failed)?;
        let Some(last) = batch.last() else { break };
        after = last.0;
        let chosen = chosen_sections(db, batch[0].0, after)
            .await
            .map_err(failed)?;
        for (id, email, digest_from) in &batch {
            // New since their last digest, or since they confirmed; never older than the window.
            let from = digest_from
                .unwrap_or(p.until - window)
                .max(p.until - window);
            if from >= p.until {
                continue;
            }
            let sections = chosen.get(id).map(Vec::as_slice).unwrap_or_default();
            let theirs: Vec<&NewStory> = stories
                .iter()
                .filter(|c| c.published_at > from)
                .filter(|c| sections.is_empty() || sections.contains(&c.section_id))
                .take(MAX_STORIES)
                .collect();
            if !theirs.is_empty() {
                let token = super::sign_link(&secret, *id);
                let unsubscribe = renderer.unsubscribe_url(&token);
                let groups = group(&theirs, &ctx.base_url);
                let (text, html) = renderer
                    .render(
                        "digest",
                        context! {
                            groups => Value::from(Serde(&groups)),
                            frequency => frequency.as_str(),
                            until => p.until,
                            preferences_url => renderer.preferences_url(&token),
                            unsubscribe_url => &unsubscribe,
                        },
                    )
                    .map_err(Failure::permanent)?;
                let Ok(to) = parse_address(email) else {
                    continue;
                };
                let key = format!("{DIGEST_JOB}:{}:{}:{id}", frequency.as_str(), p.period);
                let mail = Outgoing {
                    site_name: &site.name,
                    to: &to,
                    subject: &subject,
                    text,
                    html,
                    unsubscribe: Some(&unsubscribe),
                    key: &key,
                };
                mail::enqueue(db, &ctx.mail, &mail, now)
                    .await
                    .map_err(|e| Failure::retry(e.to_string()))?;
            }
            query(
                "update subscribers set digest_from = $1
                 where id = $2 and (digest_from is null or digest_from < $1)",
            )
            .bind(p.until)
            .bind(*id)
            .execute(db)
            .await
            .map_err(failed)?;
        }
    }
    Ok(())
}

/// A new story, as a digest lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct NewStory {
    slug: String,
    title: String,
    summary: String,
    published_at: i64,
    section_id: i64,
    section_slug: String,
    section_name: String,
}

/// Stories published in `(from, until]` in visible sections, in navigation order, newest first
/// within a section.
async fn window_stories(db: &Db, from: i64, until: i64) -> Result<Vec<NewStory>, sqlx::Error> {
    query(
        "select a.slug, a.title, a.summary, a.published_at, s.id as section_id,
                s.slug as section_slug, s.name as section_name
         from articles a join sections s on s.id = a.section_id
         where a.status = 'published' and s.hidden = false
           and a.published_at > $1 and a.published_at <= $2
         order by s.position, s.id, a.published_at desc, a.id desc
         limit 1000",
    )
    .bind(from)
    .bind(until)
    .fetch_all(db)
    .await
}

/// Section choices of the subscribers with ids in `[first, last]`.
async fn chosen_sections(
    db: &Db,
    first: i64,
    last: i64,
) -> Result<HashMap<i64, Vec<i64>>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = query(
        "select subscriber_id, section_id from subscriber_sections
         where subscriber_id >= $1 and subscriber_id <= $2",
    )
    .bind(first)
    .bind(last)
    .fetch_all(db)
    .await?;
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    for (subscriber, section) in rows {
        map.entry(subscriber).or_default().push(section);
    }
    Ok(map)
}

fn group<'a>(stories: &[&'a NewStory], base_url: &str) -> Vec<SectionGroup<'a>> {
    let mut groups: Vec<SectionGroup<'a>> = Vec::new();
    for card in stories {
        let story = Story {
            title: &card.title,
            summary: &card.summary,
            url: format!(
                "{base_url}{}",
                articles::path(&card.section_slug, &card.slug)
            ),
            published_at: card.published_at,
        };
        match groups.last_mut() {
            Some(g) if g.name == card.section_name => g.stories.push(story),
            _ => groups.push(SectionGroup {
                name: &card.section_name,
                url: format!("{base_url}/{}", card.section_slug),
                stories: vec![story],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        dates::parse_with_zone(text).unwrap()
    }

    #[test]
    fn daily_digests_go_out_at_seven_local_time() {
        let tz = dates::zone("Asia/Shanghai");
        // 06:59 in Shanghai: today at 07:00.
        let (at, period) =
            next_run(ms("2026-11-30T06:59:00+08:00"), &tz, Frequency::Daily).unwrap();
        assert_eq!(at, ms("2026-11-30T07:00:00+08:00"));
        assert_eq!(period, "2026-11-30");
        // 07:00 exactly has gone: tomorrow.
        let (at, period) =
            next_run(ms("2026-11-30T07:00:00+08:00"), &tz, Frequency::Daily).unwrap();
        assert_eq!(at, ms("2026-12-01T07:00:00+08:00"));
        assert_eq!(period, "2026-12-01");
    }

    #[test]
    fn weekly_digests_go_out_on_mondays() {
        let tz = dates::zone("Europe/London");
        // Sunday 29 November 2026 → Monday 30th.
        let (at, _) = next_run(ms("2026-11-29T12:00:00Z"), &tz, Frequency::Weekly).unwrap();
        assert_eq!(at, ms("2026-11-30T07:00:00Z"));
        // Monday after seven → the Monday after.
        let (at, period) = next_run(ms("2026-11-30T08:00:00Z"), &tz, Frequency::Weekly).unwrap();
        assert_eq!(at, ms("2026-12-07T07:00:00Z"));
        assert_eq!(period, "2026-12-07");
    }

    #[test]
    fn summer_time_moves_the_instant_not_the_hour() {
        let tz = dates::zone("Europe/London");
        let (at, _) = next_run(ms("2026-07-01T12:00:00Z"), &tz, Frequency::Daily).unwrap();
        assert_eq!(at, ms("2026-07-02T06:00:00Z"));
    }
}
