"""Real speech recordings for the scenarios, made with espeak-ng (and ffmpeg for the phone band).

Each recording is made once per test session and its bytes kept: the tools are deterministic, so
a row that asks again for the same voice and text gets the same file without another synthesis.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

_MADE: dict[tuple[str, ...], bytes] = {}  # (tool, its inputs) -> the bytes it wrote, this session


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install -y espeak-ng ffmpeg)")
    return path


def speech_wav(tmp: Path, *, voice: str, text: str, name: str) -> bytes:
    """Synthesise `text` with an espeak-ng voice ("sk", "ur", "en-us") into a WAV file."""
    key = ("espeak-ng", voice, text)
    if key not in _MADE:
        out = tmp / f"{name}.wav"
        subprocess.run([_need("espeak-ng"), "-v", voice, "-w", str(out), text], check=True, timeout=60)  # noqa: S603
        _MADE[key] = out.read_bytes()
    return _MADE[key]


def telephone_band(tmp: Path, wav: bytes, *, name: str) -> bytes:
    """Resample to 8 kHz and band-limit to 300-3400 Hz, as a robocall sounds over a phone line."""
    key = ("telephone", hashlib.sha256(wav).hexdigest())
    if key in _MADE:
        return _MADE[key]
    src, out = tmp / f"{name}-src.wav", tmp / f"{name}.wav"
    src.write_bytes(wav)
    subprocess.run(  # noqa: S603
        [_need("ffmpeg"), "-loglevel", "error", "-y", "-i", str(src), "-af", "highpass=f=300,lowpass=f=3400",
         "-ar", "8000", "-ac", "1", "-c:a", "pcm_s16le", str(out)],
        check=True, timeout=60,
    )  # fmt: skip
    _MADE[key] = out.read_bytes()
    return _MADE[key]
