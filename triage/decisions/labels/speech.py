"""The spoken disclosure as an audio file: a speech-engine adapter, a content-addressed cache, signed URLs.

People who only hear a recording never see a visual label (the Pakistan case), so for audio and
video the label action carries `audio_disclosure_url`: a WAV of the spoken disclosure in the
content's language, behind a signed, expiring URL.

- The engine is an adapter (`SpeechEngine`): `settings.LABEL_SPEECH_ENGINE` names one registered
  here ("espeak-ng", the default) or a dotted path to a class, so an operator can plug a better
  voice service. The default is eSpeak NG through the `espeakng-loader` wheel, which bundles the
  library and its voice data: it speaks every label language offline, with no system package.
- A rendering is stored once per (engine, engine version, voice, text), under
  speech/<2 hex>/<sha256>.wav in the default storage: the same disclosure for a thousand cases is
  one file, rendered once.
- The URL signs the file's key with the project's SECRET_KEY (django.core.signing) and expires
  after LABEL_AUDIO_URL_MAX_AGE_SECONDS (longer than the callback retry window, since a delivery
  body is built once and retried for a day). triage/decisions/labels/views.py serves it.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import logging
import os
import threading
import wave
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import espeakng_loader
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.module_loading import import_string

from .resolve import language_tag_normalize

logger = logging.getLogger(__name__)

AUDIO_SIGNING_SALT = "moratorium.labels.audio_disclosure"
MAX_SPOKEN_CHARS = 1000


class SpeechError(Exception):
    """The engine could not speak this text (no voice for the language, engine failure)."""


@dataclass(frozen=True)
class SpeechAudio:
    pcm: bytes  # signed 16-bit little-endian, mono
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate

    def wav(self) -> bytes:
        out = io.BytesIO()
        with wave.open(out, "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(self.sample_rate)
            handle.writeframes(self.pcm)
        return out.getvalue()


class SpeechEngine(Protocol):
    """What Moratorium needs from a speech engine. Implement it to plug another voice."""

    name: str

    def version(self) -> str:
        """Changes when the same text would sound different (part of the cache key)."""

    def voice_for(self, language: str) -> str | None:
        """The engine's voice for an ISO 639-1 language, or None when it has none."""

    def synthesize(self, *, text: str, voice: str) -> SpeechAudio:
        """Speak `text` with `voice`; raise SpeechError when it cannot."""


# eSpeak NG through ctypes ------------------------------------------------------------------------

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # report a missing data directory instead of exiting the process
_CHARS_UTF8 = 1
_PHONEMES_IPA = 0x02
_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class EspeakNgEngine:
    """eSpeak NG, loaded from the `espeakng-loader` wheel (library and voices inside, no apt package).

    libespeak-ng keeps global state and is not thread-safe: one lock per process serialises
    every call, and the library is initialised lazily in each process (after a worker forks).
    """

    name = "espeak-ng"
    # ISO 639-1 label languages whose eSpeak voice has another name.
    VOICES: Mapping[str, str] = {"zh-hans": "cmn", "zh-hant": "yue"}

    _lock = threading.Lock()
    _state: dict[str, Any] = {}

    def _lib(self):
        state = self._state
        if state.get("pid") == os.getpid():
            return state["lib"]

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        data_parent = os.path.dirname(espeakng_loader.get_data_path())
        rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, data_parent.encode(), _INITIALIZE_DONT_EXIT
        )
        if rate <= 0:
            raise SpeechError(f"eSpeak NG did not start (data at {data_parent})")
        chunks: list[bytes] = []

        def collect(wav, count, _events):
            if wav and count > 0:
                chunks.append(ctypes.string_at(wav, count * 2))
            return 0

        callback = _SynthCallback(collect)  # kept in state: the library holds only a pointer
        lib.espeak_SetSynthCallback(callback)
        state.update(pid=os.getpid(), lib=lib, rate=rate, chunks=chunks, callback=callback)
        return lib

    def version(self) -> str:
        with self._lock:
            return self._lib().espeak_Info(None).decode()

    def voice_for(self, language: str) -> str | None:
        code = language_tag_normalize(language)
        if not code:
            return None
        voice = self.VOICES.get(code, code)
        with self._lock:
            found = self._lib().espeak_SetVoiceByName(voice.encode()) == 0
        return voice if found else None

    def _voice_set(self, lib, voice: str) -> None:
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise SpeechError(f"eSpeak NG has no voice {voice!r}")

    def synthesize(self, *, text: str, voice: str) -> SpeechAudio:
        data = text.encode("utf-8")
        with self._lock:
            lib = self._lib()
            self._voice_set(lib, voice)
            chunks = self._state["chunks"]
            chunks.clear()
            if lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, _CHARS_UTF8, None, None) != 0:
                raise SpeechError("eSpeak NG failed to speak the text")
            lib.espeak_Synchronize()
            pcm = b"".join(chunks)
            chunks.clear()
            rate = self._state["rate"]
        if not pcm:
            raise SpeechError("eSpeak NG produced no sound")
        return SpeechAudio(pcm=pcm, sample_rate=rate)

    def phonemes(self, *, text: str, voice: str) -> str:
        """The IPA eSpeak NG speaks for `text` with `voice` (what the audio says, as phonemes)."""
        with self._lock:
            lib = self._lib()
            self._voice_set(lib, voice)
            pointer = ctypes.c_char_p(text.encode("utf-8"))
            parts = []
            while pointer.value:
                out = lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, _PHONEMES_IPA)
                if out:
                    parts.append(out.decode("utf-8"))
        return " ".join(p.strip() for p in parts if p.strip())


# The registry ------------------------------------------------------------------------------------

_ENGINES: dict[str, str | type] = {"espeak-ng": EspeakNgEngine}


def speech_engine_register(name: str, engine: str | type) -> None:
    """Make an engine choosable by name in LABEL_SPEECH_ENGINE (a class or its dotted path)."""
    _ENGINES[name] = engine
    speech_engine.cache_clear()


@lru_cache(maxsize=1)
def speech_engine() -> SpeechEngine:
    """The configured engine (one instance per process)."""
    choice = settings.LABEL_SPEECH_ENGINE
    engine = _ENGINES.get(choice, choice)
    cls = import_string(engine) if isinstance(engine, str) else engine
    return cls()


# Rendering, cached by content --------------------------------------------------------------------


@dataclass(frozen=True)
class StoredSpeech:
    key: str  # sha256 hex of (engine, version, voice, text)
    name: str  # the storage name
    voice: str
    engine: str


def speech_path(key: str) -> str:
    return f"speech/{key[:2]}/{key}.wav"


def disclosure_audio(*, text: str, language: str) -> StoredSpeech:
    """Render `text` in `language`'s voice once, store it by content, and return where it is.

    Raises SpeechError when the engine has no voice for the language or cannot speak.
    """
    text = " ".join(text.split())[:MAX_SPOKEN_CHARS]
    if not text:
        raise SpeechError("nothing to say")
    engine = speech_engine()
    voice = engine.voice_for(language)
    if voice is None:
        raise SpeechError(f"{engine.name} has no voice for {language!r}")
    key = hashlib.sha256("\x00".join([engine.name, engine.version(), voice, text]).encode()).hexdigest()
    name = speech_path(key)
    if not default_storage.exists(name):
        wav = engine.synthesize(text=text, voice=voice).wav()
        saved = default_storage.save(name, ContentFile(wav))
        if saved != name:
            # Another process rendered the same text meanwhile: the bytes are the same; keep one.
            default_storage.delete(saved)
    return StoredSpeech(key=key, name=name, voice=voice, engine=engine.name)


def audio_token(key: str) -> str:
    return signing.TimestampSigner(salt=AUDIO_SIGNING_SALT).sign(key)


def audio_token_key(token: str, *, max_age: int | None = None) -> str:
    """Return the file key a token signs; raises signing.SignatureExpired or BadSignature."""
    max_age = settings.LABEL_AUDIO_URL_MAX_AGE_SECONDS if max_age is None else max_age
    key = signing.TimestampSigner(salt=AUDIO_SIGNING_SALT).unsign(token, max_age=max_age)
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise signing.BadSignature("not a speech key")
    return key


def audio_url(key: str, *, absolute: bool = True) -> str:
    path = reverse("labels:audio-disclosure", kwargs={"token": audio_token(key)})
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}" if absolute else path


def disclosure_audio_url(*, text: str, language: str, absolute: bool = True) -> str | None:
    """A signed, expiring URL of the spoken disclosure, or None when it cannot be rendered.

    Absolute (PUBLIC_BASE_URL) for platforms; a path for the dashboard's own players.
    """
    try:
        return audio_url(disclosure_audio(text=text, language=language).key, absolute=absolute)
    except Exception:  # never let a speech failure stop a decision reaching a platform
        logger.exception("spoken disclosure not rendered (language %s)", language)
        return None


def label_actions_with_audio(actions: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The platform-facing actions, each label with a script gaining `audio_disclosure_url`.

    Added when the body is built (not stored in the decision): the URL expires, the decision
    doesn't. Existing fields are kept as they are (a contract: extend, don't rename).
    """
    out = []
    for action in actions:
        action = dict(action)
        script = action.get("audio_disclosure_script")
        if action.get("type") == "label" and script:
            language = action.get("audio_disclosure_language") or action.get("language") or "en"
            action["audio_disclosure_url"] = disclosure_audio_url(text=script, language=language)
        out.append(action)
    return out
