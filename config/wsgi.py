import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# After Django is set up: config.warmup imports the URLconf, which needs the settings.
from config.warmup import process_warm_up  # noqa: E402

process_warm_up()
