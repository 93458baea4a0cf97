"""The partner's webhook: GET, PUT (register), DELETE; POST …/rotate-secret/ (webhooks:manage).

The signing secret is in the answer once: when the first registration makes it, and on a
rotation. Deliveries are signed like platform callbacks (X-Moratorium-Timestamp and
X-Moratorium-Signature: v1=<HMAC-SHA256 of "<timestamp>.<body>">, one v1 per active secret).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from integrations.partners.models import Scope
from integrations.partners.webhooks import (
    WebhookEvent,
    webhook_register,
    webhook_remove,
    webhook_secret_rotate,
)

from .assessment_views import HttpUrlField
from .views import PartnerApi


class WebhookInputSerializer(serializers.Serializer):
    url = HttpUrlField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.ALL),
        min_length=1,
        max_length=len(WebhookEvent.ALL),
    )


class WebhookOutputSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="empty when no webhook is registered")
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.ALL))
    signing_secret = serializers.CharField(
        required=False, help_text="only in the answer that made it: store it, it is not shown again"
    )


def _body(partner, secret: str | None = None) -> dict:
    body = {"url": partner.webhook_url, "events": list(partner.webhook_events or [])}
    if secret:
        body["signing_secret"] = secret
    return body


class WebhookApi(PartnerApi):
    required_scope = Scope.WEBHOOKS_MANAGE

    @extend_schema(responses=WebhookOutputSerializer)
    def get(self, request):
        return Response(_body(self.partner))

    @extend_schema(request=WebhookInputSerializer, responses=WebhookOutputSerializer)
    def put(self, request):
        data = WebhookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if self.partner.pk is None:
            raise ValidationError({"detail": ["This token belongs to no organisation."]})
        try:
            secret = webhook_register(partner=self.partner, token=request.auth, **data.validated_data)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        self.partner.refresh_from_db()
        return Response(_body(self.partner, secret))

    @extend_schema(responses={204: None})
    def delete(self, request):
        if self.partner.pk is not None:
            webhook_remove(partner=self.partner, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookSecretRotateApi(PartnerApi):
    required_scope = Scope.WEBHOOKS_MANAGE

    @extend_schema(request=None, responses=WebhookOutputSerializer)
    def post(self, request):
        if self.partner.pk is None:
            raise ValidationError({"detail": ["This token belongs to no organisation."]})
        try:
            secret = webhook_secret_rotate(partner=self.partner, token=request.auth)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        self.partner.refresh_from_db()
        return Response(_body(self.partner, secret))
