"""Post a moderation notice to a chat channel's incoming webhook, through the outbound HTTP module.

Slack, Mattermost, Rocket.Chat and Microsoft Teams' incoming webhooks all accept a JSON body
`{"text": "…"}`. The URL is a secret (it grants posting); it comes from the environment
(`MODERATION_CHAT_WEBHOOK_URL`) and never goes in a log line.
"""

from __future__ import annotations

import logging

from django.conf import settings

from integrations.http import OutboundError, outbound_request

logger = logging.getLogger(__name__)


class ChatNotConfigured(Exception):
    pass


def chat_notify(*, text: str) -> int:
    """POST `{"text": text}` to the configured webhook; return the HTTP status.

    Raises ChatNotConfigured without a URL, OutboundError when no answer could be had or the
    answer is an error (the task retries transient ones).
    """
    url = getattr(settings, "MODERATION_CHAT_WEBHOOK_URL", "")
    if not url:
        raise ChatNotConfigured("MODERATION_CHAT_WEBHOOK_URL is not set")
    response = outbound_request(
        "POST",
        url,
        json={"text": text},
        allow_private=getattr(settings, "MODERATION_CHAT_WEBHOOK_ALLOW_PRIVATE", False),
        connect_timeout=5,
        read_timeout=10,
        max_bytes=64 * 1024,
        max_redirects=0,
    )
    response.raise_for_status()
    return response.status


def chat_configured() -> bool:
    return bool(getattr(settings, "MODERATION_CHAT_WEBHOOK_URL", ""))


__all__ = ["ChatNotConfigured", "OutboundError", "chat_configured", "chat_notify"]
