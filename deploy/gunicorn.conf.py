"""gunicorn settings for niangjia behind nginx: `gunicorn -c deploy/gunicorn.conf.py niangjia.wsgi`.

Every value can be overridden from the environment (the systemd unit's EnvironmentFile).
See docs/operations.md, "Production server".
"""

import multiprocessing
import os

# Only the proxy on this machine talks to gunicorn; set NIANGJIA_TRUSTED_PROXIES=127.0.0.1 to match.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
# Threads let a worker wait on the database for one request while serving another.
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Exports and screening pages can take a while; imports and full screenings run in the task worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
# Request lines and headers larger than this are refused before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
# Logs to stdout/stderr, collected by journald; the access log carries the request id of the audit entries.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %({x-request-id}o)s "%(r)s" %(s)s %(b)s %(M)sms'
proc_name = "niangjia"
# gunicorn's own reading of X-Forwarded-Proto (wsgi.url_scheme); Django reads it via SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
