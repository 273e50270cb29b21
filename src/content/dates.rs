//! Dates as readers see them: in the site's time zone, `March 4, 2015` style, with a
//! machine-readable RFC 3339 form for `<time datetime>`.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A moment rendered for a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DisplayDate {
    /// `March 4, 2015`
    pub human: String,
    /// `2015-03-04T18:30:00+08:00`
    pub iso: String,
}

/// Looks up an IANA time zone name; unknown names fall back to UTC so a typo in the settings
/// cannot take the site down.
pub fn zone(name: &str) -> TimeZone {
    // Looking a zone up in the bundled database parses its rules every time (a large part of a
    // page's rendering when every date on it did so); zones are few, so keep them.
    static ZONES: OnceLock<RwLock<HashMap<String, TimeZone>>> = OnceLock::new();
    let zones = ZONES.get_or_init(RwLock::default);
    if let Some(tz) = zones.read().ok().and_then(|z| z.get(name).cloned()) {
        return tz;
    }
    let tz = TimeZone::get(name).unwrap_or(TimeZone::UTC);
    if let Ok(mut z) = zones.write()
        && z.len() < 1000
    {
        z.insert(name.to_owned(), tz.clone());
    }
    tz
}

pub fn is_known_zone(name: &str) -> bool {
    TimeZone::get(name).is_ok()
}

/// Formats Unix milliseconds in the given zone.
pub fn display(ms: i64, tz: &TimeZone) -> DisplayDate {
    let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    let zoned = ts.to_zoned_datetime(tz.clone());
    DisplayDate {
        human: zoned.strftime("%B %-d, %Y").to_string(),
        iso: zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    }
}

/// `March 4, 2015, 18:30` in the given zone.
pub fn display_with_time(ms: i64, tz: &TimeZone) -> String {
    let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    ts.to_zoned_datetime(tz.clone())
        .strftime("%B %-d, %Y, %H:%M")
        .to_string()
}

/// Parses a wall-clock time in a zone, as `<input type="datetime-local">` sends it
/// (`2026-11-30T06:00`, seconds optional).
pub fn parse_local(text: &str, tz: &TimeZone) -> Result<i64, String> {
    let civil: jiff::civil::DateTime = text
        .trim()
        .parse()
        .map_err(|e: jiff::Error| e.to_string())?;
    let zoned = civil
        .to_zoned_datetime(tz.clone())
        .map_err(|e| e.to_string())?;
    Ok(zoned.timestamp().as_millisecond())
}

/// Parses a date that carries its own zone: RFC 3339 (`2015-03-04T18:30:00+08:00`,
/// `…Z`) or RFC 9557 with an IANA name (`2015-03-04T18:30:00[Asia/Shanghai]`).
pub fn parse_with_zone(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if let Ok(zoned) = text.parse::<jiff::ZonedDateTime>() {
        return Ok(zoned.timestamp().as_millisecond());
    }
    match text.parse::<Timestamp>() {
        Ok(ts) => Ok(ts.as_millisecond()),
        Err(_) => Err(format!(
            "`{text}` is not a date with a time zone; write e.g. 2015-03-04T18:30:00+08:00 \
             or 2015-03-04T18:30:00[Asia/Shanghai]"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_in_the_site_zone() {
        // 2015-03-04 20:00 UTC is already March 5 in Beijing.
        let ms = parse_with_zone("2015-03-04T20:00:00Z").unwrap();
        let beijing = display(ms, &zone("Asia/Shanghai"));
        assert_eq!(beijing.human, "March 5, 2015");
        assert_eq!(beijing.iso, "2015-03-05T04:00:00+08:00");
        assert_eq!(
            display_with_time(ms, &zone("Asia/Shanghai")),
            "March 5, 2015, 04:00"
        );
        let new_york = display(ms, &zone("America/New_York"));
        assert_eq!(new_york.human, "March 4, 2015");
        assert_eq!(new_york.iso, "2015-03-04T15:00:00-05:00");
    }

    #[test]
    fn daylight_saving_is_applied() {
        let ms = parse_with_zone("2015-07-04T12:00:00Z").unwrap();
        assert_eq!(
            display(ms, &zone("Europe/London")).iso,
            "2015-07-04T13:00:00+01:00"
        );
    }

    #[test]
    fn parses_offsets_and_zone_names() {
        let a = parse_with_zone("2015-03-04T18:30:00+08:00").unwrap();
        let b = parse_with_zone("2015-03-04T18:30:00[Asia/Shanghai]").unwrap();
        let c = parse_with_zone("2015-03-04T10:30:00Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
    }

    #[test]
    fn local_times_are_read_in_the_site_zone() {
        let ms = parse_local("2015-03-05T04:00", &zone("Asia/Shanghai")).unwrap();
        assert_eq!(ms, parse_with_zone("2015-03-04T20:00:00Z").unwrap());
        assert!(parse_local("tomorrow", &zone("UTC")).is_err());
    }

    #[test]
    fn refuses_dates_without_zone() {
        let err = parse_with_zone("2015-03-04 18:30").unwrap_err();
        assert!(err.contains("time zone"), "{err}");
        assert!(parse_with_zone("yesterday").is_err());
    }

    #[test]
    fn unknown_zone_falls_back_to_utc() {
        assert!(!is_known_zone("Mars/Olympus_Mons"));
        let ms = parse_with_zone("2015-03-04T20:00:00Z").unwrap();
        assert_eq!(
            display(ms, &zone("Mars/Olympus_Mons")).iso,
            "2015-03-04T20:00:00+00:00"
        );
    }
}
