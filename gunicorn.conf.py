"""gunicorn settings for WFM, every one from the environment (gunicorn reads this file by default from the
project folder; `wfm serve` passes it explicitly).

  WEB_BIND         address to listen on               default 127.0.0.1:8000 (put a proxy in front)
  WEB_CONCURRENCY  worker processes                   default 2 x cores + 1, at most 8
  WEB_THREADS      threads per worker process         default 4
  WEB_TIMEOUT      seconds before a stuck request's worker is restarted   default 60
  WEB_KEEPALIVE    seconds an idle keep-alive connection stays open       default 5
  WEB_MAX_REQUESTS renew a worker after this many requests (0: never)     default 1000 with REDIS_URL, else 0
                   (without Redis, jobs run in the web processes' threads: renewing one would stop its job)
  WEB_ACCESS_LOG   "-" to also write gunicorn's own access log (JSON)     default off: the app logs each
                   request itself, with its id, user and duration
  LOG_FORMAT       set to json here unless given

Solves and forecasts never run inside a request: they are jobs (threads of each web process without
REDIS_URL, `wfm worker` processes with it), so the request timeout stays short.
"""

import multiprocessing
import os

os.environ.setdefault("LOG_FORMAT", "json")


def _int(name: str, default: int) -> int:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise SystemExit(f"{name}: expected a whole number, got {text!r}") from None


bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = _int("WEB_CONCURRENCY", min(8, multiprocessing.cpu_count() * 2 + 1))
threads = _int("WEB_THREADS", 4)
worker_class = "gthread"
timeout = _int("WEB_TIMEOUT", 60)
graceful_timeout = 30
keepalive = _int("WEB_KEEPALIVE", 5)
max_requests = _int("WEB_MAX_REQUESTS", 1000 if os.environ.get("REDIS_URL") else 0)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = False  # each worker makes its own app and database pool after the fork

accesslog = os.environ.get("WEB_ACCESS_LOG") or None
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}o)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_ms": %(M)s, "remote_addr": "%(h)s", "user_agent": "%(a)s"}'
)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = (
    {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "wfm.logging_setup.ContextFilter"}},
        "formatters": {"json": {"()": "wfm.logging_setup.json_formatter"}},
        "handlers": {
            "error": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                "filters": ["context"],
            },
            "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
        },
        "root": {"level": loglevel.upper(), "handlers": []},  # the app adds its own JSON handler to the root
        "loggers": {
            "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
    if os.environ["LOG_FORMAT"] == "json"
    else {}
)


def post_worker_init(worker) -> None:
    """Move everything the app made at start-up (modules, routes, templates, mappers: hundreds of thousands of
    objects) out of the garbage collector's sight: a request that loads thousands of ORM rows (the roster
    grid) otherwise paid for full collections scanning them all; on the 200-agent grid a third of its time."""
    import gc

    gc.freeze()
