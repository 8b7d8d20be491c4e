"""Gunicorn configuration for ocop (see docs/deployment.md, "Application server").

Used by deploy/systemd/ocop-web.service:

    gunicorn --config /opt/ocop/app/deploy/gunicorn.conf.py ocop.wsgi:application

Every value can be tuned from /etc/ocop/ocop.env without editing this file:

    GUNICORN_BIND             where to listen (default 127.0.0.1:8000; a private address when
                              nginx runs on another host, e.g. 10.0.0.11:8000)
    GUNICORN_WORKERS          worker processes (default 2 x CPU + 1, at most 12)
    GUNICORN_THREADS          threads per worker (default 1: plain sync workers)
    GUNICORN_TIMEOUT          seconds before a silent worker is killed and restarted (default 60)
    GUNICORN_MAX_REQUESTS     recycle a worker after this many requests (default 1000; 0 = never)
    GUNICORN_FORWARDED_ALLOW_IPS  proxies trusted for X-Forwarded-Proto (default 127.0.0.1,::1)
    GUNICORN_LOG_LEVEL        error log level (default info)
    GUNICORN_ACCESS_LOG       where the access log goes (default "-", stdout; empty: none)

Logs go to stdout/stderr, i.e. to the systemd journal (`journalctl -u ocop-web`).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _default_workers() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))  # honours CPUAffinity= and container limits
    except (AttributeError, OSError):
        cpus = multiprocessing.cpu_count()
    return min(2 * cpus + 1, 12)


# --- Where and how many -------------------------------------------------------------------------
wsgi_app = "ocop.wsgi:application"
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
backlog = 2048
workers = _int("GUNICORN_WORKERS", _default_workers())
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
# Each worker imports the application itself (no preload): `systemctl reload ocop-web` (SIGHUP)
# then replaces the workers one by one with ones running the newly installed code.
preload_app = False

# --- Timeouts -----------------------------------------------------------------------------------
# Exports (Excel/CSV up to OCOP_EXPORT_MAX_ROWS rows) are the slowest synchronous requests; keep
# nginx's proxy_read_timeout (deploy/nginx/ocop.conf) a little above this value.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so that a slow leak can never take the server down.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10 if max_requests else 0

# Heartbeat files in memory rather than on disk (avoids stalls on a busy disk).
worker_tmp_dir = "/dev/shm"

# --- Requests -----------------------------------------------------------------------------------
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# --- Behind nginx -------------------------------------------------------------------------------
# nginx sets X-Forwarded-Proto; gunicorn trusts it only from these addresses. Django itself reads
# it through SECURE_PROXY_SSL_HEADER (set in settings.py when OCOP_ENV=production).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- Process ------------------------------------------------------------------------------------
proc_name = "ocop-web"
# The control socket of `gunicornc` (gunicorn >= 25.1); /run/ocop is the unit's RuntimeDirectory.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "/run/ocop/gunicorn.ctl")
control_socket_mode = 0o600

# --- Logging ------------------------------------------------------------------------------------
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log (make bench)
# Client address (from nginx's X-Real-IP), user, time, request line, status, bytes, referrer,
# user agent, duration in ms, and the request id the application used (the X-Request-ID it echoed;
# the same id appears in nginx's log, in the application log lines and in the audit trail).
access_log_format = (
    '%({x-real-ip}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms rid=%({x-request-id}o)s'
)
# Application log lines (Django, the LOGGING setting) also go to stderr: keep them there.
capture_output = False
