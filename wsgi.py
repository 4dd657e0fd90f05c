"""The WSGI entry point for production servers: `gunicorn -c gunicorn.conf.py wsgi:app` (or `wfm serve`)."""

from wfm import create_app

app = create_app()
