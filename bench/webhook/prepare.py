"""Create a benchmark platform, the content repeat reports are about, and pre-signed requests for wrk.

Usage: python -m bench.webhook.prepare OUT_DIR COUNT
Writes OUT_DIR/floor.tsv, webhook.tsv (new content: a distinct event and content id per line) and
repeat.tsv (repeat reports: distinct event ids about VIRAL pieces of content already received,
from users, trusted flaggers and classifiers, with growing reach), "<timestamp>\t<signature>\t<body>"
per line, and prints the platform slug. Signatures are made now, so run wrk within five minutes.
"""

import json
import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402

from bench.webhook.floor import TABLE_DDL  # noqa: E402
from integrations.platforms.services import platform_create  # noqa: E402
from integrations.platforms.signing import signature_compute  # noqa: E402
from integrations.platforms.validation import event_validate_fast  # noqa: E402
from triage.intake.ingest import submission_ingest  # noqa: E402

VIRAL = 20  # pieces of content the repeat reports are about
SOURCES = ["user_report"] * 8 + ["trusted_flagger", "platform_classifier"]
REASONS = ["synthetic_media", "election_misinformation", "voter_suppression", "impersonation"]


def event(n: int, run: str, *, content: int | None = None) -> dict:
    content_n = n if content is None else content
    return {
        "event_id": f"{run}-evt-{n}",
        "content": {
            "id": f"{run}-post-{content_n}",
            "url": f"https://videoshare.example/post/{content_n}",
            "media": [
                {"url": f"https://cdn.videoshare.example/{content_n % 500}.mp3", "media_type": "audio"}
            ],
            "text": "Listen to what he said about the vote",
            "language": "sk",
        },
        "report": {"source": SOURCES[n % len(SOURCES)], "reason": REASONS[n % len(REASONS)]},
        "audience": {"countries": ["SK"]},
        "reach": {"views": 1200 + n, "shares": 30 + n // 10, "window_minutes": 60},
    }


def main() -> None:
    out, count = Path(sys.argv[1]), int(sys.argv[2])
    run = f"b{int(time.time())}"
    with connection.cursor() as cursor:
        cursor.execute(TABLE_DDL)
    platform, secret = platform_create(slug=run, default_countries=["SK"])
    viral = f"{run}r"
    for k in range(VIRAL):  # the first report of each viral piece of content
        first = event(10**9 + k, viral, content=k)
        submission_ingest(platform=platform, event=event_validate_fast(first, files={}) or first)
    ts = str(int(time.time()))
    for name in ("webhook", "floor", "repeat"):
        with (out / f"{name}.tsv").open("w") as f:
            for n in range(count):
                data = event(n, viral, content=n % VIRAL) if name == "repeat" else event(n, f"{run}{name[0]}")
                body = json.dumps(data, separators=(",", ":"))
                sig = signature_compute(secret=secret, timestamp=ts, body=body.encode())
                f.write(f"{ts}\t{sig}\t{body}\n")
    print(platform.slug)


if __name__ == "__main__":
    main()
