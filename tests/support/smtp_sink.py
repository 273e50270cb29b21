"""A real SMTP server for the test suite, built on aiosmtpd.

Every accepted message is parsed with Python's own `email` package (an independent reader of
what we send) and written to DIR as one JSON file: envelope, headers, the plain-text and HTML
parts, and the raw message. Recipients whose address starts with `refuse` are refused with a
permanent 550, so tests can watch a mail server say no.

Prints the port it listens on, then serves until its standard input closes (the test process
that started it has ended) or, with `--until-killed`, until it is killed.
"""

import asyncio
import email
import email.policy
import json
import os
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("refuse"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = {}
        for part in message.walk():
            if part.get_content_maintype() == "multipart":
                continue
            parts.setdefault(part.get_content_type(), part.get_content())
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {k.lower(): str(v) for k, v in message.items()},
            "content_type": message.get_content_type(),
            "text": parts.get("text/plain", ""),
            "html": parts.get("text/html", ""),
            "defects": [str(d) for d in message.defects],
            "raw": raw.decode("utf-8", "replace"),
        }
        self.count += 1
        path = os.path.join(self.folder, f"{self.count:05d}.json")
        with open(path + ".part", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(path + ".part", path)
        return "250 Message accepted"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def main(folder, until_killed):
    port = free_port()
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    if until_killed:
        await asyncio.Event().wait()
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    controller.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], "--until-killed" in sys.argv[2:]))
