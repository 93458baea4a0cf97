"""Read and validate a C2PA manifest, in a child process that cannot hang or bloat the caller.

The parse happens in native code (c2pa-rs through c2pa-python), where a hostile file could loop or
allocate without bound and a Python-level timeout could not interrupt it. So `read_c2pa` runs this
file as a script in a fresh interpreter with a wall-clock timeout and address-space and CPU limits;
a child that overruns, crashes or prints nonsense yields `validation_state = "unparseable"`.
The script half imports nothing from Django so that it starts in well under 0.1 s.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

IPTC_DST_PREFIX = "http://cv.iptc.org/newscodes/digitalsourcetype/"
C2PA_DST_PREFIX = "http://c2pa.org/digitalsourcetype/"
# Reported by every valid-but-untrusted signature: not a failure, it is what `trusted: false` says.
UNTRUSTED_CODE = "signingCredential.untrusted"

DEFAULT_TIMEOUT_SECONDS = 20.0
DEFAULT_MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024


def empty_report(state: str, **extra: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "present": False,
        "validation_state": state,
        "trusted": False,
        "digital_source_types": [],
        "signer": None,
        "issuer": None,
        "claim_generator": None,
        "failures": [],
        "remote_manifest": None,
        "error": None,
    }
    report.update(extra)
    return report


def _short_dst(uri: str) -> str:
    for prefix in (IPTC_DST_PREFIX, C2PA_DST_PREFIX):
        if uri.startswith(prefix):
            return uri[len(prefix) :]
    return uri


def _claim_generator(manifest: dict) -> str | None:
    info = manifest.get("claim_generator_info") or []
    if info and isinstance(info[0], dict) and info[0].get("name"):
        version = info[0].get("version")
        return f"{info[0]['name']} {version}".strip() if version else info[0]["name"]
    return manifest.get("claim_generator")


def summarize(store: dict) -> dict[str, Any]:
    """Turn c2pa-python's manifest-store JSON into our provenance report."""
    active_label = store.get("active_manifest")
    manifest = (store.get("manifests") or {}).get(active_label) or {}
    state = (store.get("validation_state") or "").lower()
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failure_codes = [f.get("code") for f in results.get("failure") or [] if f.get("code")]
    if not failure_codes:  # older stores only carry the flat list
        failure_codes = [s.get("code") for s in store.get("validation_status") or [] if s.get("code")]
    failures = sorted({code for code in failure_codes if code != UNTRUSTED_CODE})
    if state == "trusted":
        validation_state, trusted = "trusted", True
    elif state == "valid" and not failures:
        validation_state, trusted = "valid", False
    else:
        validation_state, trusted = "invalid", False
    dsts: list[str] = []
    for assertion in manifest.get("assertions") or []:
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        for action in (assertion.get("data") or {}).get("actions") or []:
            uri = action.get("digitalSourceType")
            if uri and _short_dst(uri) not in dsts:
                dsts.append(_short_dst(uri))
    signature = manifest.get("signature_info") or {}
    return empty_report(
        validation_state,
        present=True,
        trusted=trusted,
        digital_source_types=dsts,
        signer=signature.get("common_name") or signature.get("issuer"),
        issuer=signature.get("issuer"),
        claim_generator=_claim_generator(manifest),
        failures=failures,
        signing_time=signature.get("time"),
        manifest_count=len(store.get("manifests") or {}),
    )


def read_in_process(path: str, mime_type: str, trust_anchors_pem: str | None) -> dict[str, Any]:
    """Parse in this process. Only the child should call this: it is not bounded."""
    # c2pa's native library loads only in the child process that parses
    import c2pa

    # Remote manifests are never fetched (an outbound request chosen by the uploader); OCSP
    # neither. With a trust list the signer's chain is checked against it and nothing else.
    config: dict[str, Any] = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if trust_anchors_pem:
        config["verify"]["verify_trust"] = True
        config["trust"] = {"trust_anchors": trust_anchors_pem}
    else:
        config["verify"]["verify_trust"] = False
    context = c2pa.Context.from_dict(config)
    try:
        with open(path, "rb") as fh:
            reader = c2pa.Reader.try_create(mime_type or None, fh, context=context)
            if reader is None:
                return empty_report("absent")
            with reader:
                store = json.loads(reader.json())
                remote_url = None if reader.is_embedded() else reader.get_remote_url()
    except c2pa.C2paError as exc:
        name = type(exc).__name__.lstrip("_").replace("C2pa", "")
        if name == "RemoteManifest" or "remote" in str(exc).lower():
            url = re.search(r"(https?://\S+)", str(exc))
            return empty_report(
                "not_checked",
                present=True,
                remote_manifest="not_checked",
                remote_url=url.group(1)[:500] if url else None,
                error="the manifest is remote and remote manifests are not fetched",
            )
        if name == "NotSupported":
            return empty_report("unsupported", error=str(exc)[:300])
        return empty_report("unparseable", error=str(exc)[:300])
    report = summarize(store)
    if remote_url:
        report["remote_manifest"] = "not_checked"
        report["remote_url"] = remote_url
    return report


def read_c2pa(
    path: str | os.PathLike,
    *,
    mime_type: str,
    trust_anchors_file: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    memory_limit: int = DEFAULT_MEMORY_LIMIT_BYTES,
) -> dict[str, Any]:
    """Read the file's C2PA manifest in a bounded child process and return the report."""
    args = [sys.executable, "-s", str(Path(__file__).resolve()), str(path), mime_type or ""]
    args += [trust_anchors_file or "", str(memory_limit), str(max(1, int(timeout) + 1))]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter running our own script
            args, capture_output=True, timeout=timeout, check=False, env={"PATH": os.environ.get("PATH", "")}
        )
    except subprocess.TimeoutExpired:
        return empty_report("unparseable", error=f"parsing took longer than {timeout:g} s and was stopped")
    if done.returncode != 0:
        return empty_report(
            "unparseable", error=f"the parser exited with status {done.returncode} (crash or resource limit)"
        )
    try:
        return json.loads(done.stdout)
    except ValueError:
        return empty_report("unparseable", error="the parser returned no readable report")


def _child_main(argv: list[str]) -> int:

    path, mime_type, anchors_file, memory_limit, cpu_seconds = argv
    resource.setrlimit(resource.RLIMIT_AS, (int(memory_limit), int(memory_limit)))
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds)))
    anchors = Path(anchors_file).read_text() if anchors_file else None
    try:
        report = read_in_process(path, mime_type, anchors)
    except MemoryError:
        report = empty_report("unparseable", error="the parser ran out of its memory allowance")
    sys.stdout.write(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
