"""The public-figure registry in the dashboard: browse and search; election-ops add and import."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from elections.importers import MAX_IMPORT_BYTES, ImportRejected
from elections.models import Country, LikenessKind, RoleKind
from elections.registry import IMPORTS, likenesses_search, people_search, registry_add, registry_import

from .views import moderator_required

ELECTION_OPS_GROUP = "election-ops"
MAX_SHOWN_ERRORS = 50


def user_is_election_ops(user) -> bool:
    """Election operations may change the registry: the `election-ops` group, or staff."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.groups.filter(name=ELECTION_OPS_GROUP).exists()


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Name, alias or party")
    country = forms.CharField(required=False, max_length=2)


def _countries():
    return [("", "Country"), *Country.objects.order_by("name").values_list("code", "name")]


class PersonAddForm(forms.Form):
    name = forms.CharField(max_length=200)
    aliases = forms.CharField(required=False, help_text="separated by semicolons")
    country = forms.ChoiceField()
    role = forms.ChoiceField(choices=RoleKind.choices)
    party = forms.CharField(required=False, max_length=200)
    valid_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _countries()


class LikenessAddForm(forms.Form):
    person = forms.CharField(max_length=200, help_text="the name or an alias, as in the registry")
    country = forms.ChoiceField()
    kind = forms.ChoiceField(choices=LikenessKind.choices)
    declared_by = forms.CharField(max_length=200)
    evidence_url = forms.URLField(max_length=500, assume_scheme="https")
    valid_from = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _countries()


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("public_figures", "Public figures"), ("authorized_likenesses", "Authorized likenesses")]
    )
    file = forms.FileField(help_text="CSV, UTF-8, with the import command's header")


def _ops_required(request: HttpRequest) -> None:
    if not user_is_election_ops(request.user):
        raise PermissionDenied("Only election operations change the registry.")


def _page(request, *, person_form=None, likeness_form=None, import_form=None, import_errors=None, status=200):
    search = SearchForm(request.GET or None)
    query = search.cleaned_data if search.is_valid() else {"q": "", "country": ""}
    people = people_search(query=query["q"], country=query["country"])
    likenesses = likenesses_search(query=query["q"], country=query["country"])
    ops = user_is_election_ops(request.user)
    context = {
        "search": search,
        "people": Paginator(people, 50).get_page(request.GET.get("page")),
        "likenesses": likenesses[:50],
        "ops": ops,
        "person_form": person_form or (PersonAddForm() if ops else None),
        "likeness_form": likeness_form or (LikenessAddForm() if ops else None),
        "import_form": import_form or (ImportForm() if ops else None),
        "import_errors": import_errors,
        "columns": {kind: ",".join(columns) for kind, (columns, _) in IMPORTS.items()},
    }
    return render(request, "dashboard/registry.html", context, status=status)


@require_GET
@moderator_required
def registry(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _row(form: forms.Form) -> dict[str, str]:
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else str(value or "")
        for name, value in form.cleaned_data.items()
    }


def _rejected(exc: ImportRejected) -> list[str]:
    errors = [str(error) for error in exc.errors[:MAX_SHOWN_ERRORS]]
    if len(exc.errors) > MAX_SHOWN_ERRORS:
        errors.append(f"… and {len(exc.errors) - MAX_SHOWN_ERRORS} more")
    return errors


@require_POST
@moderator_required
def registry_person_add(request: HttpRequest) -> HttpResponse:
    _ops_required(request)
    form = PersonAddForm(request.POST)
    if form.is_valid():
        try:
            result = registry_add(kind="public_figures", row=_row(form))
        except ImportRejected as exc:
            return _page(request, person_form=form, import_errors=_rejected(exc), status=400)
        messages.success(request, f"{form.cleaned_data['name']}: {result}.")
        return redirect("dashboard:registry")
    return _page(request, person_form=form, status=400)


@require_POST
@moderator_required
def registry_likeness_add(request: HttpRequest) -> HttpResponse:
    _ops_required(request)
    form = LikenessAddForm(request.POST)
    if form.is_valid():
        try:
            result = registry_add(kind="authorized_likenesses", row=_row(form))
        except ImportRejected as exc:
            return _page(request, likeness_form=form, import_errors=_rejected(exc), status=400)
        messages.success(request, f"Authorized likeness of {form.cleaned_data['person']}: {result}.")
        return redirect("dashboard:registry")
    return _page(request, likeness_form=form, status=400)


@require_POST
@moderator_required
def registry_import_view(request: HttpRequest) -> HttpResponse:
    _ops_required(request)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Read one byte past the limit: the importer refuses a larger file without holding it all.
            result = registry_import(kind=form.cleaned_data["kind"], data=upload.read(MAX_IMPORT_BYTES + 1))
        except ImportRejected as exc:
            return _page(request, import_form=form, import_errors=_rejected(exc), status=400)
        messages.success(request, f"Imported {upload.name}: {result}.")
        return redirect("dashboard:registry")
    return _page(request, import_form=form, status=400)
