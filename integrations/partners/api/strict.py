"""Unknown query parameters are 400s naming them: a misspelt filter must not silently match all."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError


def unknown_parameters_refuse(request, allowed: set[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError(
            {
                name: [f"Unknown query parameter; allowed: {', '.join(sorted(allowed)) or 'none'}."]
                for name in unknown
            }
        )
