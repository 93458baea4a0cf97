"""Generator metadata in MP3: ID3 frames (TSSE, TENC, TXXX, COMM, XMP in PRIV/GEOB), the core case of
cloned voices, matched by the same signatures as the image formats; hostile tags cost bounded time."""

import time

import pytest
from mutagen.id3 import COMM, GEOB, PRIV, TENC, TSSE, TXXX

from integrations.provenance.metadata_check import MetadataCheck
from triage.evidence.models import GeneratorSignature
from triage.evidence.verdict import Finding, fuse

from . import media

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_signatures")]

BOUND_SECONDS = 10


@pytest.fixture
def voice_cloner_signature(db):
    """What an operator adds for a voice-cloning service: its name in software strings and values."""
    GeneratorSignature.objects.create(field="png_text_value", pattern="ElevenLabs", generator="ElevenLabs")
    return GeneratorSignature.objects.create(
        field="exif_software", pattern="ElevenLabs", generator="ElevenLabs"
    )


def _id3(result):
    return [m for m in result.evidence["markers"] if m["source"] == "id3"]


def test_a_plain_ffmpeg_mp3_names_its_encoder_but_no_generator(media_file, tmp_path):
    result = MetadataCheck().run(media_file(media.mp3_bytes(tmp_path).read_bytes(), "speech.mp3"))

    assert result.label == "none"
    assert result.evidence["container"] == "audio/mpeg"
    assert result.evidence["id3_software"]["TSSE"].startswith("Lavf")
    assert result.evidence["errors"] == []


def test_lame_and_an_encoding_studio_are_not_generators(media_file, tmp_path):
    mp3 = media.mp3_tagged(
        tmp_path, TSSE(encoding=3, text=["LAME3.100"]), TENC(encoding=3, text=["City Radio newsroom"])
    )

    result = MetadataCheck().run(media_file(mp3, "interview.mp3"))

    assert result.label == "none"
    assert result.evidence["id3_software"] == {"TSSE": "LAME3.100", "TENC": "City Radio newsroom"}


def test_an_encoder_frame_naming_a_voice_generator_declares_ai(media_file, tmp_path, voice_cloner_signature):
    mp3 = media.mp3_tagged(tmp_path, TSSE(encoding=3, text=["ElevenLabs Multilingual v2"]))

    result = MetadataCheck().run(media_file(mp3, "candidate_statement.mp3"))

    assert result.label == "ai_declared"
    [marker] = _id3(result)
    assert marker == {
        "source": "id3",
        "key": "TSSE",
        "value": "ElevenLabs Multilingual v2",
        "generator": "ElevenLabs",
        "declares_ai": True,
        "declares_capture": False,
    }


def test_the_verdict_names_the_id3_frame_that_discloses_the_generator(
    media_file, tmp_path, voice_cloner_signature
):
    mp3 = media.mp3_tagged(tmp_path, TENC(encoding=3, text=["elevenlabs.io"]))
    result = MetadataCheck().run(media_file(mp3, "robocall.mp3"))

    verdict = fuse(
        [Finding(kind="metadata", ok=True, label=result.label, evidence=result.evidence)], detectors={}
    )

    assert any("ID3 frame 'TENC' names a generator: ElevenLabs." in r for r in verdict.reasons)


def test_a_user_text_frame_is_read_like_a_png_text_chunk(media_file, tmp_path, voice_cloner_signature):
    mp3 = media.mp3_tagged(
        tmp_path,
        TXXX(encoding=3, desc="Software", text=["ElevenLabs"]),
        TXXX(encoding=3, desc="prompt", text=["the minister concedes the election"]),
    )

    result = MetadataCheck().run(media_file(mp3, "clip.mp3"))

    assert result.label == "ai_declared"
    by_key = {m["key"]: m for m in _id3(result)}
    assert by_key["TXXX:Software"]["generator"] == "ElevenLabs"
    assert by_key["TXXX:prompt"]["generator"] == "ComfyUI"  # the default "prompt" key signature
    assert "TXXX:prompt" in result.evidence["id3_frame_keys"]


def test_a_comment_that_mentions_a_generator_is_a_caption_not_a_marker(
    media_file, tmp_path, voice_cloner_signature
):
    mp3 = media.mp3_tagged(
        tmp_path, COMM(encoding=3, lang="eng", desc="", text=["Fact-check: this ElevenLabs fake is fake"])
    )

    result = MetadataCheck().run(media_file(mp3, "factcheck.mp3"))

    assert result.label == "none"
    assert "COMM:" in result.evidence["id3_frame_keys"]


def test_a_comment_under_a_software_description_is_searched(media_file, tmp_path, voice_cloner_signature):
    mp3 = media.mp3_tagged(tmp_path, COMM(encoding=3, lang="eng", desc="Software", text=["ElevenLabs"]))

    result = MetadataCheck().run(media_file(mp3, "clip.mp3"))

    assert [m["key"] for m in _id3(result)] == ["COMM:Software"]


@pytest.mark.parametrize(
    "frame",
    [
        lambda xmp: PRIV(owner="XMP", data=xmp),
        lambda xmp: GEOB(encoding=3, mime="application/rdf+xml", filename="", desc="XMP", data=xmp),
    ],
    ids=["PRIV", "GEOB"],
)
def test_xmp_in_an_id3_frame_declaring_trained_algorithmic_media_is_read(media_file, tmp_path, frame):
    xmp = media.xmp_packet(digital_source_type="trainedAlgorithmicMedia", creator_tool="Adobe Firefly")

    result = MetadataCheck().run(media_file(media.mp3_tagged(tmp_path, frame(xmp)), "voice.mp3"))

    assert result.label == "ai_declared"
    declared = next(m for m in result.evidence["markers"] if m["source"] == "xmp")
    assert declared["value"] == "trainedAlgorithmicMedia"
    assert declared["generator"] == "Adobe Firefly"


def test_id3v23_tags_are_read_too(media_file, tmp_path, voice_cloner_signature):
    from mutagen.id3 import ID3

    path = media.mp3_bytes(tmp_path)
    tag = ID3(path)
    tag.add(TSSE(encoding=1, text=["ElevenLabs"]))
    tag.save(path, v2_version=3)

    assert MetadataCheck().run(media_file(path.read_bytes(), "old.mp3")).label == "ai_declared"


# --- hostile tags -------------------------------------------------------------------------------------


def _timed(data, media_file, name):
    started = time.monotonic()
    result = MetadataCheck(signatures=[]).run(media_file(data, name))
    return result, time.monotonic() - started


@pytest.mark.parametrize("keep_bytes", [12, 40, 300])
def test_a_truncated_tag_keeps_what_was_read_and_says_it_was_cut(media_file, tmp_path, keep_bytes):
    mp3 = media.mp3_tagged(tmp_path, TXXX(encoding=3, desc="notes", text=["x" * 2000]))

    result, took = _timed(mp3[:keep_bytes], media_file, "cut.mp3")

    assert result.label == "none"
    assert any("cut short" in e for e in result.evidence["errors"])
    assert took < BOUND_SECONDS


def test_a_tag_declaring_a_huge_size_is_read_only_as_far_as_the_cap(media_file, tmp_path):
    mp3 = media.id3_declared_size(media.mp3_tagged(tmp_path), 0x0FFFFFFF)  # 256 MiB declared

    result, took = _timed(mp3, media_file, "huge.mp3")

    assert result.label == "none"
    assert any("only its first" in e for e in result.evidence["errors"])
    assert took < BOUND_SECONDS


def test_random_bytes_after_id3_give_no_signal_and_no_crash(media_file):
    result, took = _timed(media.id3_random_after_header(), media_file, "noise.mp3")

    assert result.label == "none"
    assert result.evidence["markers"] == []
    assert took < BOUND_SECONDS


@pytest.mark.parametrize("seed", range(20))
def test_many_random_tags_never_raise(media_file, seed):
    result, _ = _timed(media.id3_random_after_header(size=4096, seed=seed), media_file, "noise.mp3")

    assert result.label in ("none", "markers")


def test_a_flood_of_tiny_frames_is_read_in_bounded_time(media_file):
    result, took = _timed(media.id3_frame_flood(), media_file, "flood.mp3")

    assert result.label == "none"
    assert took < BOUND_SECONDS


def test_a_compressed_frame_is_skipped_not_inflated(media_file, tmp_path, voice_cloner_signature):
    import struct
    import zlib

    bomb = zlib.compress(b"\x03" + b"A" * (64 * 1024 * 1024), 9)  # 64 MiB of text, a few dozen KiB packed
    body = struct.pack(">I", 64 * 1024 * 1024 + 1) + bomb  # v2.3: decompressed size, then zlib data
    frame = b"TSSE" + struct.pack(">IH", len(body), 0x0080) + body
    tsse = b"TSSE" + struct.pack(">IH", 11, 0) + b"\x00ElevenLabs"
    tag = media.id3_declared_size(b"ID3\x03\x00\x00\x00\x00\x00\x00", len(frame) + len(tsse)) + frame + tsse

    result = MetadataCheck().run(media_file(tag + b"\xff\xfb\x90\x64", "bomb.mp3"))

    assert result.label == "ai_declared"  # the plain frame after the skipped one is still read
    assert [m["value"] for m in _id3(result)] == ["ElevenLabs"]
