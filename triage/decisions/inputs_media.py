"""Which likeness declarations cover which media type (shared by inputs and consent)."""

from elections.models import LikenessKind

MEDIA_LIKENESS_KINDS = {
    "audio": {LikenessKind.VOICE},
    "image": {LikenessKind.IMAGE},
    # A video's likeness may be its picture or its voice: either declaration covers it.
    "video": {LikenessKind.VIDEO, LikenessKind.VOICE},
}
