"""Prints how many comments the benchmark left, by status (to check they were really taken)."""
import subprocess
import sys

url = sys.argv[1]
sql = "select status, count(*) from posts group by status order by status"
if url.startswith("sqlite://"):
    import sqlite3

    rows = sqlite3.connect(url[len("sqlite://"):]).execute(sql).fetchall()
else:
    out = subprocess.run(["psql", "-tA", "-F", " ", url, "-c", sql], capture_output=True, text=True, check=True).stdout
    rows = [tuple(line.split()) for line in out.splitlines() if line]
print("stored comments: " + ", ".join(f"{s} {n}" for s, n in rows))
