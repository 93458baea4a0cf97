import pytest

from triage.evidence.base import MediaFile

from . import media


@pytest.fixture(scope="session")
def newsroom_ca() -> media.TestCA:
    """The CA a newsroom's cameras chain to: operators put its root on the trust list."""
    return media.make_ca(signer_name="Newsroom Camera Signer", organization="Test Newsroom")


@pytest.fixture(scope="session")
def generator_ca() -> media.TestCA:
    """The CA of an AI image service that discloses its output."""
    return media.make_ca(signer_name="ImageGen Signer", organization="ImageGen Inc")


@pytest.fixture
def media_file(tmp_path):
    """Write bytes to a file and describe it as a MediaFile."""

    def make(data: bytes, name: str) -> MediaFile:
        path = tmp_path / name
        path.write_bytes(data)
        return MediaFile.from_path(path)

    return make


@pytest.fixture
def default_signatures(db):
    """The signatures the data migration loads (transactional tests flush them away)."""
    from triage.evidence.models import GeneratorSignature
    from triage.evidence.signatures import DEFAULT_SIGNATURES

    for row in DEFAULT_SIGNATURES:
        GeneratorSignature.objects.get_or_create(
            field=row["field"], pattern=row["pattern"], defaults={"generator": row["generator"]}
        )
