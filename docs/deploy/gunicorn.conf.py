"""gunicorn settings for Moratorium behind the buffering reverse proxy (docs/deployment.md).

Sync workers are simple and fast for this app, but each one is held for as long as its client
takes to send a request or read an answer: four slow clients could stall four workers. nginx
(nginx.conf) buffers whole requests and answers, so gunicorn only ever talks to nginx on a
local socket at memory speed. Never expose this bind address to the internet.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx in front; never 0.0.0.0 directly
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # a request stuck this long is killed
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then, with jitter so they do not all restart at once
max_requests_jitter = 200
accesslog = "-"
# The access line gunicorn writes; Moratorium also logs one per request with its request id.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss rid=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    # With PROMETHEUS_MULTIPROC_DIR set, drop a dead worker's live gauges from /metrics.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
