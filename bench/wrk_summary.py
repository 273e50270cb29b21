"""Reads wrk's output (run with --latency) and prints "requests/s p50_ms p99_ms non2xx"."""
import re
import sys

text = sys.stdin.read()


def ms(label):
    m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
print(
    f"{float(rps.group(1)) if rps else 0:.0f} req/s  p50 {ms('50'):.2f} ms  p99 {ms('99'):.2f} ms"
    + (f"  non-2xx {bad.group(1)}" if bad else "")
    + (f"  ({errors.group(0)})" if errors else "")
)
