"""Create a benchmark platform and write pre-signed requests for wrk.

Usage: python -m bench.webhook.prepare OUT_DIR COUNT
Writes OUT_DIR/webhook.tsv and OUT_DIR/floor.tsv ("<timestamp>\t<signature>\t<body>" per line,
each with a distinct event_id and content id) and prints the platform slug. Signatures are
made now, so run wrk within five minutes.
"""

import json
import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.webhook.settings")
django.setup()

from django.db import connection  # noqa: E402

from bench.webhook.floor import TABLE_DDL  # noqa: E402
from integrations.platforms.services import platform_create  # noqa: E402
from integrations.platforms.signing import signature_compute  # noqa: E402


def event(n: int, run: str) -> dict:
    return {
        "event_id": f"{run}-evt-{n}",
        "content": {
            "id": f"{run}-post-{n}",
            "url": f"https://videoshare.example/post/{n}",
            "media": [{"url": f"https://cdn.videoshare.example/{n % 500}.mp3", "media_type": "audio"}],
            "text": "Listen to what he said about the vote",
            "language": "sk",
        },
        "report": {"source": "user_report", "reason": "synthetic_media"},
        "audience": {"countries": ["SK"]},
        "reach": {"views": 1200 + n, "shares": 30, "window_minutes": 60},
    }


def main() -> None:
    out, count = Path(sys.argv[1]), int(sys.argv[2])
    run = f"b{int(time.time())}"
    with connection.cursor() as cursor:
        cursor.execute(TABLE_DDL)
    platform, secret = platform_create(slug=run, default_countries=["SK"])
    ts = str(int(time.time()))
    for name in ("webhook", "floor"):
        with (out / f"{name}.tsv").open("w") as f:
            for n in range(count):
                body = json.dumps(event(n, f"{run}{name[0]}"), separators=(",", ":"))
                sig = signature_compute(secret=secret, timestamp=ts, body=body.encode())
                f.write(f"{ts}\t{sig}\t{body}\n")
    print(platform.slug)


if __name__ == "__main__":
    main()
