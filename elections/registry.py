"""Reads and writes of the public-figure registry for the dashboard (browse, search, add, import).

Adding goes through the same all-or-nothing importers as the command-line imports, with one row:
one set of checks and messages whichever way a person or a declaration gets in.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from .importers import (
    LIKENESS_COLUMNS,
    MAX_IMPORT_BYTES,
    PUBLIC_FIGURE_COLUMNS,
    ImportRejected,
    ImportResult,
    RowError,
    authorized_likenesses_import,
    csv_rows,
    public_figures_import,
)
from .models import AuthorizedLikeness, Person, PersonRole

IMPORTS = {
    "public_figures": (PUBLIC_FIGURE_COLUMNS, public_figures_import),
    "authorized_likenesses": (LIKENESS_COLUMNS, authorized_likenesses_import),
}


def people_search(*, query: str = "", country: str = "") -> QuerySet[Person]:
    """People whose name, alias or party contains `query` (case-insensitive), with roles and likenesses."""
    people = Person.objects.select_related("country").prefetch_related(
        Prefetch("roles", queryset=PersonRole.objects.order_by("-valid_from")),
        Prefetch("authorized_likenesses", queryset=AuthorizedLikeness.objects.order_by("-valid_from")),
    )
    query = query.strip()
    if query:
        # aliases is a JSON list: its text form holds every alias, good enough for a contains search.
        people = people.filter(
            Q(name__icontains=query) | Q(aliases__icontains=query) | Q(party__icontains=query)
        )
    if country:
        people = people.filter(country_id=country.upper())
    return people.order_by("country_id", "name")


def likenesses_search(*, query: str = "", country: str = "") -> QuerySet[AuthorizedLikeness]:
    likenesses = AuthorizedLikeness.objects.select_related("person", "person__country")
    query = query.strip()
    if query:
        likenesses = likenesses.filter(
            Q(person__name__icontains=query)
            | Q(declared_by__icontains=query)
            | Q(declared_where__icontains=query)
        )
    if country:
        likenesses = likenesses.filter(person__country_id=country.upper())
    return likenesses.order_by("-valid_from", "person__name")


def registry_import(*, kind: str, data: bytes) -> ImportResult:
    """Import an uploaded CSV (bytes) with the command-line importer of `kind`; all or nothing.

    Raise ImportRejected (nothing written) on an unknown kind, a file too large or not UTF-8, a
    bad header or any bad row.
    """
    if kind not in IMPORTS:
        raise ImportRejected([RowError(None, "kind", f"{kind!r} is not one of {', '.join(IMPORTS)}")])
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected([RowError(None, "file", f"larger than {MAX_IMPORT_BYTES} bytes")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportRejected([RowError(line, "file", "not UTF-8 text (save the file as UTF-8)")]) from exc
    columns, importer = IMPORTS[kind]
    return importer(rows=list(csv_rows(text, columns)))


def registry_add(*, kind: str, row: dict[str, str]) -> ImportResult:
    """Add one person (with a role) or one declaration, checked exactly as an imported row is."""
    columns, importer = IMPORTS[kind]
    return importer(rows=[(None, {name: str(row.get(name) or "").strip() for name in columns})])
