"""A copy of the recording with the spoken disclosure first (and again every N seconds) plays, in order."""

import io
import subprocess

import av
import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from triage.decisions.labels.prepend import DisclosedCopyError, disclosed_copy_store, media_with_disclosure
from triage.decisions.labels.speech import disclosure_audio


def tone_mp3(tmp_path, seconds: float) -> bytes:
    """A recording made with ffmpeg: a steady 440 Hz tone, stereo, 44.1 kHz."""
    path = tmp_path / "tone.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-ac", "2", "-ar", "44100", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return path.read_bytes()


def decode_mono(data: bytes) -> tuple[np.ndarray, int]:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=stream.rate)
        frames = [f for fr in container.decode(stream) for f in resampler.resample(fr)]
        chunks = [f.to_ndarray().reshape(-1) for f in frames]
        return np.concatenate(chunks), stream.rate


def tone_share(samples: np.ndarray, rate: int, start: float, end: float) -> float:
    """How much of the span's energy is at 440 Hz (1.0: only the tone; speech is spread out)."""
    span = samples[int(start * rate) : int(end * rate)]
    spectrum = np.abs(np.fft.rfft(span)) ** 2
    freqs = np.fft.rfftfreq(len(span), 1 / rate)
    return spectrum[(freqs > 430) & (freqs < 450)].sum() / spectrum.sum()


@pytest.fixture
def disclosure(db):
    stored = disclosure_audio(text="Upozornenie: táto nahrávka sa preveruje.", language="sk")
    with default_storage.open(stored.name, "rb") as handle:
        return stored, handle.read()


def test_the_disclosure_is_heard_first_then_the_recording(tmp_path, disclosure):
    _stored, spoken = disclosure
    spoken_seconds = len(decode_mono(spoken)[0]) / decode_mono(spoken)[1]

    copy = media_with_disclosure(media=tone_mp3(tmp_path, 4), disclosure=spoken)
    samples, rate = decode_mono(copy)

    assert rate == 44100
    assert abs(len(samples) / rate - (spoken_seconds + 0.4 + 4)) < 0.3
    assert tone_share(samples, rate, 0.2, spoken_seconds - 0.2) < 0.2  # speech, not the tone
    assert tone_share(samples, rate, spoken_seconds + 1, spoken_seconds + 3.5) > 0.9  # then the recording


def test_long_audio_hears_it_again_at_the_interval(tmp_path, disclosure):
    _stored, spoken = disclosure
    spoken_seconds = len(decode_mono(spoken)[0]) / 22050

    samples, rate = decode_mono(media_with_disclosure(media=tone_mp3(tmp_path, 6), disclosure=spoken,
                                                      repeat_every_seconds=3))  # fmt: skip

    second = spoken_seconds + 0.4 + 3 + 0.4  # where the second disclosure starts
    assert abs(len(samples) / rate - (2 * spoken_seconds + 3 * 0.4 + 6)) < 0.4
    assert tone_share(samples, rate, second + 0.2, second + spoken_seconds - 0.2) < 0.2


def test_the_copy_is_stored_once_by_content(tmp_path, disclosure):
    stored, _spoken = disclosure
    media_name = default_storage.save("media/test/tone.mp3", ContentFile(tone_mp3(tmp_path, 2)))

    first = disclosed_copy_store(media_name=media_name, speech_name=stored.name)
    again = disclosed_copy_store(media_name=media_name, speech_name=stored.name)
    repeated = disclosed_copy_store(media_name=media_name, speech_name=stored.name, repeat_every_seconds=1)

    assert first == again and first.startswith("disclosed/") and first.endswith(".mp3")
    assert repeated != first


def test_a_file_without_audio_is_refused_plainly(disclosure):
    _stored, spoken = disclosure
    with pytest.raises(DisclosedCopyError):
        media_with_disclosure(media=b"not media at all" * 100, disclosure=spoken)
