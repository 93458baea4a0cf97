"""The benchmark's WSGI application: the bare floor at /floor/<slug>/, the deployed application elsewhere.

`config.wsgi.application` is whatever the checkout ships (before issue 17: Django's full handler;
after: the dispatcher that sends the webhook to its lean handler), so the same bench measures both.
"""

from config.wsgi import application as deployed

from .floor import PREFIX, floor_application


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith(PREFIX):
        return floor_application(environ, start_response)
    return deployed(environ, start_response)
