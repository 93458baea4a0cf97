"""Real speech recordings for the scenarios, made with espeak-ng (and ffmpeg for the phone band)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install -y espeak-ng ffmpeg)")
    return path


def speech_wav(tmp: Path, *, voice: str, text: str, name: str) -> bytes:
    """Synthesise `text` with an espeak-ng voice ("sk", "ur", "en-us") into a WAV file."""
    out = tmp / f"{name}.wav"
    subprocess.run([_need("espeak-ng"), "-v", voice, "-w", str(out), text], check=True, timeout=60)  # noqa: S603
    return out.read_bytes()


def telephone_band(tmp: Path, wav: bytes, *, name: str) -> bytes:
    """Resample to 8 kHz and band-limit to 300-3400 Hz, as a robocall sounds over a phone line."""
    src, out = tmp / f"{name}-src.wav", tmp / f"{name}.wav"
    src.write_bytes(wav)
    subprocess.run(  # noqa: S603
        [_need("ffmpeg"), "-loglevel", "error", "-y", "-i", str(src), "-af", "highpass=f=300,lowpass=f=3400",
         "-ar", "8000", "-ac", "1", "-c:a", "pcm_s16le", str(out)],
        check=True, timeout=60,
    )  # fmt: skip
    return out.read_bytes()
