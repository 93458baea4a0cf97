"""A process that starts takes the keypoint vote's index from the snapshot another process left.

At 1M banked images a fresh inverted file takes minutes to build; a worker that restarts (or one
more machine) should not pay that before its first image query. The process that builds one saves
it (settings.BANKS_INDEX_DIR); a process without one reads it and carries it over to the bank as it
is now (index.DescriptorIndex.with_changes).
"""

from pathlib import Path

import pytest

from triage.evidence.banks import selectors
from triage.evidence.banks.index import DescriptorIndex
from triage.evidence.banks.models import BankedItem
from triage.evidence.banks.services import bank_add_file

from . import media
from .matching import matched


@pytest.fixture
def snapshots(inverted_file, settings):
    """Where this test's vote index snapshot goes."""
    return Path(settings.BANKS_INDEX_DIR) / selectors.VOTE_SNAPSHOT


def a_process_starts():
    """What a new worker process has: no index in memory."""
    selectors._cache.clear()


@pytest.mark.django_db
def test_a_worker_that_starts_reads_the_snapshot_and_banks_added_since_are_voted_for(
    snapshots, fresh_builds, real_bank, real_photos, tmp_path
):
    assert matched(media.cropped_uneven_12_3(real_photos["coffee"], tmp_path)) == ["coffee.png"]
    assert snapshots.exists() and len(fresh_builds) == 1

    a_process_starts()
    bank_add_file(bank=real_bank, path=real_photos["chelsea"])

    assert matched(media.cropped_uneven_12_3(real_photos["chelsea"], tmp_path)) == ["chelsea.png"]
    assert matched(media.cropped_uneven_12_3(real_photos["coffee"], tmp_path)) == ["coffee.png"]
    assert len(fresh_builds) == 1


@pytest.mark.django_db
def test_a_removed_image_is_not_voted_for_after_a_restart(
    snapshots, fresh_builds, real_bank, real_photos, tmp_path
):
    assert matched(media.cropped_uneven_12_3(real_photos["rocket"], tmp_path)) == ["rocket.png"]
    a_process_starts()
    BankedItem.objects.filter(original_name="rocket.png").delete()

    assert matched(media.cropped_uneven_12_3(real_photos["rocket"], tmp_path)) == []
    assert matched(media.cropped_uneven_12_3(real_photos["astronaut"], tmp_path)) == ["astronaut.png"]
    assert len(fresh_builds) == 1


@pytest.mark.django_db
def test_a_damaged_snapshot_costs_a_fresh_build_not_a_query(
    snapshots, fresh_builds, real_bank, real_photos, tmp_path, caplog
):
    snapshots.parent.mkdir(parents=True)
    snapshots.write_bytes(b"not a FAISS index, a disk that filled up mid-write")

    assert matched(media.cropped_uneven_12_3(real_photos["coffee"], tmp_path)) == ["coffee.png"]

    assert len(fresh_builds) == 1
    assert "not read" in caplog.text
    assert DescriptorIndex.load(snapshots).inverted  # the fresh build replaced it


@pytest.mark.django_db
def test_without_a_snapshot_directory_every_process_builds_its_own(
    inverted_file, settings, fresh_builds, real_bank, real_photos, tmp_path
):
    settings.BANKS_INDEX_DIR = ""
    assert matched(media.cropped_uneven_12_3(real_photos["coffee"], tmp_path)) == ["coffee.png"]
    a_process_starts()

    assert matched(media.cropped_uneven_12_3(real_photos["coffee"], tmp_path)) == ["coffee.png"]

    assert len(fresh_builds) == 2


@pytest.mark.django_db
def test_clustering_reference_index_never_reads_the_snapshot(
    snapshots, monkeypatch, real_bank, real_photos, tmp_path
):
    # The reference bank of every stored file grows by a small delta index per file; none of its
    # items vote, and reading a snapshot of 1.9 GB (at 1M images) for each would stall clustering.
    assert matched(media.cropped_uneven_12_3(real_photos["coffee"], tmp_path)) == ["coffee.png"]
    assert snapshots.exists()
    loads = []
    monkeypatch.setattr(DescriptorIndex, "load", classmethod(lambda cls, path: loads.append(path)))
    a_process_starts()

    selectors.media_indexes("image", selectors.REFERENCE_SCOPE)

    assert loads == []


@pytest.mark.django_db
def test_a_snapshot_that_cannot_be_written_costs_the_snapshot_not_the_query(
    inverted_file, settings, fresh_builds, real_bank, real_photos, tmp_path, caplog
):
    in_the_way = tmp_path / "a-file-where-the-directory-should-be"
    in_the_way.write_text("")
    settings.BANKS_INDEX_DIR = str(in_the_way / "bank-indexes")

    assert matched(media.cropped_uneven_12_3(real_photos["coffee"], tmp_path)) == ["coffee.png"]

    assert "not written" in caplog.text
    assert len(fresh_builds) == 1
