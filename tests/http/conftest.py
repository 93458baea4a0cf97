from tests.ingestion.conftest import media_server  # noqa: F401 - the loopback media server, shared
