"""The partner API's actors (alice's organisation covers SK and CZ) and the loopback receiver."""

from tests.api.conftest import (  # noqa: F401 - fixtures, by name
    _empty_calendar,
    _fresh_throttle,
    active_policy,
    alice,
    alice_partner,
    held_case,
    party_leader,
    slovak_election,
)
from tests.callbacks.conftest import platform_server  # noqa: F401
