"""Feeds, read by a real feed client: feedparser must parse each without complaint and find
entries, newest first, with links and dates. Run by e2e/run against its own server."""
import sys
import urllib.request

import feedparser

base = sys.argv[1]
paths = ["/feed.rss", "/feed.atom", "/world/feed.rss", "/world/feed.atom",
         "/china/feed.rss", "/tag/food/feed.rss", "/tag/food/feed.atom"]
failed = 0
for path in paths:
    body = urllib.request.urlopen(base + path).read()
    feed = feedparser.parse(body)
    problems = []
    if feed.bozo:
        problems.append(f"parse warning: {feed.bozo_exception!r}")
    if not feed.entries:
        problems.append("no entries")
    dates = [e.get("published_parsed") or e.get("updated_parsed") for e in feed.entries]
    if any(d is None for d in dates):
        problems.append("an entry without a date")
    elif dates != sorted(dates, reverse=True):
        problems.append("entries are not newest first")
    if any(not e.get("link", "").startswith(base) for e in feed.entries):
        problems.append("an entry without a link to this site")
    if any(not e.get("id") for e in feed.entries):
        problems.append("an entry without a stable id")
    if problems:
        failed += 1
        print(f"feeds: {path}: " + "; ".join(problems))
    else:
        print(f"feeds: {path}: {len(feed.entries)} entries, {feed.version}")
print(f"feeds: {len(paths) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
