"""Run the metadata walkers in a child process that cannot hang or bloat the worker.

The walkers bound themselves (metadata.py: a budget per file), but they are hand-written parsers
of attacker-chosen bytes, and mutagen is a library we do not control. So, as the C2PA parse is
(c2pa_reader.py), `read_metadata` runs this file as a script in a fresh interpreter with a
wall-clock timeout and address-space and CPU limits. A child that overruns, crashes or prints
nonsense yields an ExtractedMetadata whose `errors` say so and `unparseable` is set. The script
half imports nothing from Django, so it starts in well under a tenth of a second.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DEFAULT_TIMEOUT_SECONDS = 10.0
# The walkers need a few tens of megabytes at most (the file's first MAX_FILE_READ bytes, the
# budget): the interpreter, mutagen and that, with room to spare.
DEFAULT_MEMORY_LIMIT_BYTES = 512 * 1024 * 1024


def _to_json(found) -> dict:
    return {
        # XMP packets are bytes: latin-1 maps each byte to one code point and back, exactly.
        "xmp_packets": [packet.decode("latin-1") for packet in found.xmp_packets],
        "text_chunks": found.text_chunks,
        "exif_software": found.exif_software,
        "id3_frames": found.id3_frames,
        "container": found.container,
        "errors": found.errors,
    }


def _from_json(data: dict):
    from .metadata import ExtractedMetadata  # the parent only: run as a script, this file has no package

    return ExtractedMetadata(
        xmp_packets=[packet.encode("latin-1") for packet in data["xmp_packets"]],
        text_chunks=dict(data["text_chunks"]),
        exif_software=data["exif_software"],
        id3_frames=dict(data["id3_frames"]),
        container=data["container"],
        errors=list(data["errors"]),
    )


def _unparseable(mime_type: str, error: str):
    from .metadata import ExtractedMetadata  # the parent only: run as a script, this file has no package

    return ExtractedMetadata(container=mime_type, errors=[error], unparseable=True)


def read_metadata(
    path: str | os.PathLike,
    *,
    mime_type: str,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    memory_limit: int = DEFAULT_MEMORY_LIMIT_BYTES,
):
    """Return the file's ExtractedMetadata, read in a bounded child process."""
    args = [sys.executable, "-s", str(Path(__file__).resolve()), str(path), mime_type or ""]
    args += [str(memory_limit), str(max(1, int(timeout) + 1))]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter running our own script
            args, capture_output=True, timeout=timeout, check=False, env={"PATH": os.environ.get("PATH", "")}
        )
    except subprocess.TimeoutExpired:
        return _unparseable(mime_type, f"reading the metadata took longer than {timeout:g} s and was stopped")
    if done.returncode != 0:
        return _unparseable(
            mime_type, f"the metadata reader exited with status {done.returncode} (crash or resource limit)"
        )
    try:
        return _from_json(json.loads(done.stdout))
    except (ValueError, KeyError, TypeError, AttributeError):
        return _unparseable(mime_type, "the metadata reader returned no readable report")


def _child_main(argv: list[str]) -> int:
    import resource  # the child only: it limits its own memory and CPU

    path, mime_type, memory_limit, cpu_seconds = argv
    resource.setrlimit(resource.RLIMIT_AS, (int(memory_limit), int(memory_limit)))
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds)))
    # Run as a script, this file's directory is sys.path[0]: the walkers import as a plain module.
    from metadata import extract_metadata

    try:
        report = _to_json(extract_metadata(path, mime_type))
    except MemoryError:
        return 3  # read as "resource limit" by the parent
    sys.stdout.write(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
