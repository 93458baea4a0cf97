"""The partner API's actors (dana's organisation covers SK and CZ) and the loopback receiver."""

from tests.api.conftest import (  # noqa: F401 - fixtures, by name
    _empty_calendar,
    _fresh_throttle,
    active_policy,
    dana,
    dana_partner,
    held_case,
    party_leader,
    slovak_election,
)
from tests.kit.callbacks import platform_server  # noqa: F401
