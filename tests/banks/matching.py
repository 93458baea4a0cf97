"""What the bank tests ask of a match: the names of the banked images an upload matched."""

from triage.evidence.banks.services import bank_match_file


def matched(path) -> list[str]:
    """The original names of the banked images an image file matches, best first."""
    return [m.item["original_name"] for m in bank_match_file(path=path, media_type="image")]
