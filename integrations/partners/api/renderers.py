"""CSV for the statements of reasons export (`?format=csv` or `Accept: text/csv`)."""

import json

from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        # An error body (400, 401, 403, 429) stays readable when CSV was asked for.
        return json.dumps(data, ensure_ascii=False).encode(self.charset)
