"""The test kit: named actors, loopback servers and record factories shared by every test folder.

Its modules are pytest plugins (tests/conftest.py lists them), so their fixtures are available
everywhere; their helpers are imported from here (`from tests.kit.callbacks import make_case`),
never from another folder's conftest.

- database.py: the flush between transactional tests deletes rows instead of truncating tables.
- actors.py: the cast, each with one fixed role (alice moderates, bob leads, …).
- media.py: a loopback media server that can misbehave; platforms made through the service.
- callbacks.py: a loopback platform receiving signed callbacks; cases, submissions, decisions.
- silence.py: an empty calendar and a Slovak silence window; cases with audiences.
- policy.py: the shipped default policy, active; a view-only policy user.
"""
