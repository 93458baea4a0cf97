"""Malformed and hostile files give a clear result in bounded time, never a crash or a hang."""

import time

import pytest

from integrations.provenance.c2pa_check import C2paCheck
from integrations.provenance.c2pa_reader import read_c2pa
from integrations.provenance.metadata_check import MetadataCheck

from . import media

BOUND_SECONDS = 10


def _timed(check, media_file):
    started = time.monotonic()
    result = check.run(media_file)
    return result, time.monotonic() - started


def test_random_bytes_behind_a_jpeg_header_are_unparseable(media_file):
    result, took = _timed(C2paCheck(), media_file(media.random_with_jpeg_header(), "fake.jpg"))

    assert result.label == "unparseable"
    assert result.evidence["error"]
    assert took < BOUND_SECONDS


def test_a_truncated_signed_jpeg_is_unparseable(media_file, generator_ca):
    signed = media.c2pa_sign(media.jpeg_bytes(), "image/jpeg", generator_ca)

    result, took = _timed(C2paCheck(), media_file(media.truncated(signed, 0.3), "cut.jpg"))

    assert result.label == "unparseable"
    assert took < BOUND_SECONDS


def test_a_png_zip_bomb_costs_neither_memory_nor_time(media_file):
    bomb = media_file(media.png_zip_bomb(inflated_mb=512), "bomb.png")

    c2pa_result, c2pa_took = _timed(C2paCheck(), bomb)
    meta_result, meta_took = _timed(MetadataCheck(signatures=[]), bomb)

    assert c2pa_result.label in ("absent", "unparseable")
    assert meta_result.label == "none"
    assert c2pa_took < BOUND_SECONDS and meta_took < BOUND_SECONDS


def test_a_flood_of_empty_jpeg_segments_is_walked_in_bounded_time(media_file):
    flood = media_file(media.jpeg_segment_flood(), "flood.jpg")

    result, took = _timed(MetadataCheck(signatures=[]), flood)

    assert result.label == "none"
    assert took < BOUND_SECONDS


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_xmp_jpegs_never_crash_the_metadata_walker(media_file, cut):
    data = media.jpeg_with_xmp(media.xmp_packet(digital_source_type="trainedAlgorithmicMedia"))

    result = MetadataCheck(signatures=[]).run(media_file(media.truncated(data, cut), "cut.jpg"))

    assert result.label in ("none", "ai_declared")


def test_a_parse_that_overruns_its_deadline_is_stopped_and_reported_unparseable(tmp_path, generator_ca):
    path = tmp_path / "slow.jpg"
    path.write_bytes(media.c2pa_sign(media.jpeg_bytes(), "image/jpeg", generator_ca))

    started = time.monotonic()
    report = read_c2pa(path, mime_type="image/jpeg", timeout=0.001)

    assert report["validation_state"] == "unparseable"
    assert "longer than" in report["error"]
    assert time.monotonic() - started < BOUND_SECONDS


def test_a_parser_over_its_memory_allowance_is_reported_unparseable(tmp_path, generator_ca):
    path = tmp_path / "big.jpg"
    path.write_bytes(media.c2pa_sign(media.jpeg_bytes(), "image/jpeg", generator_ca))

    report = read_c2pa(path, mime_type="image/jpeg", memory_limit=16 * 1024 * 1024)

    assert report["validation_state"] == "unparseable"
