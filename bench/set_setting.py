"""Sets one site setting straight in the database (SQLite or PostgreSQL) for a benchmark run."""
import subprocess
import sys

url, key, value = sys.argv[1:4]
if url.startswith("sqlite://"):
    import sqlite3

    db = sqlite3.connect(url[len("sqlite://"):])
    db.execute(
        "insert into settings (key, value) values (?, ?) "
        "on conflict (key) do update set value = excluded.value",
        (key, value),
    )
    db.commit()
else:
    sql = (
        "insert into settings (key, value) values (:'k', :'v') "
        "on conflict (key) do update set value = excluded.value"
    )
    subprocess.run(
        ["psql", "-q", url, "-v", f"k={key}", "-v", f"v={value}"],
        input=sql, text=True, check=True,
    )
