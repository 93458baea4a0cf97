"""The spoken disclosure is a real audio file: it decodes, it sounds like speech for as long as the
text takes to say, in the label's language; it is stored once per text and voice and served only
to a signed, unexpired URL."""

import io
import shutil
import subprocess
import time
import wave

import av
import numpy as np
import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from triage.decisions.labels import audio_disclosure_script
from triage.decisions.labels.speech import (
    EspeakNgEngine,
    SpeechAudio,
    audio_token,
    disclosure_audio,
    disclosure_audio_url,
    label_actions_with_audio,
    speech_engine,
    speech_engine_register,
)


def decode(data: bytes) -> tuple[np.ndarray, int]:
    """Decode with PyAV (FFmpeg), as a platform's player would: mono float samples and the rate."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        frames = [frame.to_ndarray().astype(np.float32).reshape(-1) for frame in container.decode(stream)]
    samples = np.concatenate(frames)
    if np.abs(samples).max() > 1.5:  # integer PCM
        samples = samples / 32768.0
    return samples, rate


def speech_like(samples: np.ndarray, rate: int) -> tuple[float, float]:
    """(voiced seconds, share of 20 ms windows that are voiced): speech has sound with pauses."""
    window = int(rate * 0.02)
    count = len(samples) // window
    energy = np.sqrt((samples[: count * window].reshape(count, window) ** 2).mean(axis=1))
    voiced = energy > 0.02
    return voiced.sum() * 0.02, voiced.mean()


def envelope(pcm: bytes, rate: int = 22050) -> np.ndarray:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    window = rate // 50
    count = len(samples) // window
    return np.sqrt((samples[: count * window].reshape(count, window) ** 2).mean(axis=1))


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


@pytest.mark.parametrize("language", ["sk", "ur", "en", "ar", "pl"])
def test_the_spoken_disclosure_decodes_and_sounds_like_speech_for_the_time_it_takes_to_say(language):
    script = audio_disclosure_script(
        kind="likely_ai_generated", language=language, subjects=["Michal Šimečka"]
    )

    stored = disclosure_audio(text=script, language=language)
    samples, rate = decode(stored_bytes(stored.name))

    duration = len(samples) / rate
    words = len(script.split())
    # Read aloud at 100 to 250 words a minute: a label of ~20 words is several seconds, not a blip.
    assert words / 250 * 60 <= duration <= words / 100 * 60 + 1.5, (duration, words)
    voiced_seconds, voiced_share = speech_like(samples, rate)
    assert voiced_seconds > duration * 0.4  # mostly sound …
    assert voiced_share < 0.97  # … with the pauses between words and sentences speech has
    assert stored.voice == language


def test_the_audio_speaks_the_label_s_language_as_the_engine_s_phonemes_show():
    engine = speech_engine()
    script = audio_disclosure_script(kind="unverified", language="sk")

    slovak = engine.phonemes(text=script, voice="sk")
    english = engine.phonemes(text=script, voice="en")

    # Slovak rules read "nahrávka" with a long á and Slovak stress; English rules mangle it.
    assert slovak != english
    assert "ɦ" in slovak or "x" in slovak or "aː" in slovak
    stored = disclosure_audio(text=script, language="sk")
    assert stored.voice == "sk"
    # The file is what the Slovak voice says for the text, not what the English voice would say:
    # its loudness over time (20 ms windows) follows a fresh Slovak rendering (eSpeak varies a
    # little in the waveform), not the English one, whose syllables fall elsewhere.
    with wave.open(io.BytesIO(stored_bytes(stored.name))) as handle:
        ours = envelope(handle.readframes(handle.getnframes()))
    as_slovak = envelope(engine.synthesize(text=script, voice="sk").pcm)
    as_english = envelope(engine.synthesize(text=script, voice="en").pcm)
    n = min(len(ours), len(as_slovak), len(as_english))
    assert np.corrcoef(ours[:n], as_slovak[:n])[0, 1] > 0.8
    assert np.corrcoef(ours[:n], as_english[:n])[0, 1] < 0.5


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="Debian's espeak-ng is the independent witness")
def test_the_bundled_engine_reads_urdu_as_debian_s_espeak_ng_does():
    """An independent build (the tests' apt package, never the app's) gives the same Urdu phonemes."""
    script = "اطلاع: یہ ریکارڈنگ زیرِ جائزہ ہے"
    ours = speech_engine().phonemes(text=script, voice="ur")
    theirs = subprocess.run(
        ["espeak-ng", "-v", "ur", "-q", "--ipa", script],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    assert ours.split() == theirs.split()


def test_the_same_text_and_voice_is_rendered_once():
    script = audio_disclosure_script(kind="unverified", language="cs")
    first = disclosure_audio(text=script, language="cs")
    modified = default_storage.get_modified_time(first.name)
    time.sleep(0.01)  # a re-render would rewrite the file with a later time
    again = disclosure_audio(text=script, language="cs")
    other_voice = disclosure_audio(text=script, language="sk")

    assert again.name == first.name and default_storage.get_modified_time(first.name) == modified
    assert other_voice.name != first.name
    assert first.name == f"speech/{first.key[:2]}/{first.key}.wav"


def test_a_signed_url_serves_the_audio_and_a_forged_or_expired_one_does_not(settings):
    settings.PUBLIC_BASE_URL = "https://moratorium.example"
    script = audio_disclosure_script(kind="unverified", language="ur")
    url = disclosure_audio_url(text=script, language="ur")
    assert url.startswith("https://moratorium.example/labels/audio/") and url.endswith(".wav")
    path = url.removeprefix("https://moratorium.example")
    client = Client()

    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    samples, rate = decode(b"".join(response.streaming_content))
    assert len(samples) / rate > 1

    token = path.removeprefix("/labels/audio/").removesuffix(".wav")
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert client.get(reverse("labels:audio-disclosure", kwargs={"token": forged})).status_code == 403
    other = signing.TimestampSigner(salt="another purpose").sign("0" * 64)
    assert client.get(reverse("labels:audio-disclosure", kwargs={"token": other})).status_code == 403
    settings.LABEL_AUDIO_URL_MAX_AGE_SECONDS = -1
    assert client.get(path).status_code == 410
    settings.LABEL_AUDIO_URL_MAX_AGE_SECONDS = 3600
    missing = audio_token("f" * 64)
    assert client.get(reverse("labels:audio-disclosure", kwargs={"token": missing})).status_code == 404


def test_label_actions_gain_the_url_and_keep_every_field():
    actions = [
        {"type": "removal_hold", "review_deadline": "2026-01-01T00:00:00+00:00"},
        {
            "type": "label",
            "kind": "unverified",
            "language": "sk",
            "text": "Preveruje sa.",
            "audio_disclosure_script": "Upozornenie: táto nahrávka sa preveruje.",
        },
        {"type": "label", "kind": "unverified", "language": "sk", "text": "Preveruje sa."},  # an image
    ]
    out = label_actions_with_audio(actions)

    assert out[0] == actions[0] and out[2] == actions[2]
    assert {k: v for k, v in out[1].items() if k != "audio_disclosure_url"} == actions[1]
    assert "/labels/audio/" in out[1]["audio_disclosure_url"]


class SilentEngine:
    """An operator's engine plugged through the registry (here: a tone, to tell it apart)."""

    name = "tone"

    def version(self):
        return "1"

    def voice_for(self, language):
        return "tone-" + language

    def synthesize(self, *, text, voice):
        t = np.arange(16000) / 16000
        pcm = (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes()
        return SpeechAudio(pcm=pcm, sample_rate=16000)


def test_an_operator_can_plug_another_engine(settings):
    speech_engine_register("tone", SilentEngine)
    settings.LABEL_SPEECH_ENGINE = "tone"
    speech_engine.cache_clear()
    try:
        stored = disclosure_audio(text="Notice.", language="en")
        samples, rate = decode(stored_bytes(stored.name))
        assert (stored.engine, stored.voice, rate, len(samples)) == ("tone", "tone-en", 16000, 16000)
    finally:
        settings.LABEL_SPEECH_ENGINE = "espeak-ng"
        speech_engine.cache_clear()
    assert isinstance(speech_engine(), EspeakNgEngine)
