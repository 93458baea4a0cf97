"""Helpers shared by the ClaimReview and MediaReview builders."""

from collections.abc import Mapping
from datetime import date, datetime
from urllib.parse import urlparse

SCHEMA_CONTEXT = "https://schema.org"


def iso_date(value) -> str | None:
    """Return an ISO 8601 date or datetime string; strings are kept as given."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def is_url(value) -> bool:
    if not isinstance(value, str):
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def organization(author) -> dict:
    """An author given as a name, or a mapping with name/url (and optionally @type), as schema.org JSON-LD."""
    if isinstance(author, Mapping):
        node = {"@type": author.get("@type", "Organization"), "name": author.get("name")}
        if author.get("url"):
            node["url"] = author["url"]
        return node
    return {"@type": "Organization", "name": author}


def check_author(doc: Mapping, path: str, add) -> None:
    author = doc.get("author")
    if not isinstance(author, Mapping):
        add(f"{path}author", "Required: the organization publishing the review.")
        return
    if not author.get("name"):
        add(f"{path}author.name", "Required.")
    if author.get("url") is not None and not is_url(author.get("url")):
        add(f"{path}author.url", "Must be an http(s) URL.")
