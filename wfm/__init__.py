"""WFM, the web application: `create_app` composes it from small configure steps."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template

from wfm.config import Config, engine_options, instance_secret_key

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "templates"
MIGRATIONS = PROJECT_ROOT / "migrations"
PLAIN_SERVER_ERROR = (
    "<!doctype html><title>Server error</title><h1>500 · Server error</h1>"
    "<p>Something went wrong on our side; nothing was saved. The error has been logged.</p>"
)


def create_app(config: type[Config] | dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES))
    configure_settings(app, config)
    configure_request_logging(app)
    configure_extensions(app)
    configure_access(app)
    configure_blueprints(app)
    configure_api(app)
    configure_json_bodies(app)
    configure_security(app)
    configure_proxy(app)
    configure_templates(app)
    configure_errors(app)
    return app


def configure_settings(app: Flask, config: type[Config] | dict | None) -> None:
    """Class defaults, then the environment, then what the caller passes (tests pass their own)."""
    app.config.from_object(Config)
    app.config.update(Config.from_environment())
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'wfm.sqlite'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    # PostgreSQL gets a connection pool sized from DB_POOL_*; what the caller set explicitly wins.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    if not app.debug and not app.testing:
        from wfm.logging_setup import configure_logging

        configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])


def configure_request_logging(app: Flask) -> None:
    """Every request gets an id (`g.request_id`, echoed as X-Request-ID) and one structured log line."""
    from wfm.logging_setup import install_request_logging

    install_request_logging(app)


def configure_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext

    from wfm.extensions import csrf, db, login_manager, migrate
    from wfm.models import User

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to see that page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_token: str):
        """The session names its user by the user's session token (`User.get_id`), so a new token ends it."""
        from sqlalchemy import select

        if not session_token:
            return None
        return db.session.scalar(
            select(User).where(User.session_token == session_token, User.active.is_(True))
        )

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _configure_sqlite(app)
    from wfm import revision

    revision.install(app)


def _configure_sqlite(app: Flask) -> None:
    """Foreign keys on; write-ahead logging so background jobs and requests read while one writes."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from wfm.extensions import db
    from wfm.jobs.lifecycle import SQLITE_BUSY_MS

    with app.app_context():
        engine: Engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def configure_access(app: Flask) -> None:
    from wfm.access import configure_access as install

    install(app)


def configure_blueprints(app: Flask) -> None:
    from wfm.admin.views import blueprint as admin
    from wfm.auth.views import blueprint as auth
    from wfm.capacity.views import blueprint as capacity
    from wfm.careers import agent_views, quality_views, steering_views, talent_views, training_views  # noqa: F401
    from wfm.careers import catalogue_views as careers_catalogue  # noqa: F401
    from wfm.careers import views as careers_views  # noqa: F401
    from wfm.careers.blueprint import blueprint as careers
    from wfm.forecasting.views import blueprint as forecasting
    from wfm.home.views import blueprint as home
    from wfm.intraday.views import blueprint as intraday
    from wfm.jobs.views import blueprint as jobs
    from wfm.rosters.views import blueprint as rosters
    from wfm.selfservice import inbox  # noqa: F401  (its routes and the agent's join the blueprint)
    from wfm.selfservice import views as selfservice_views  # noqa: F401
    from wfm.selfservice.blueprint import blueprint as selfservice
    from wfm.shiftplans.views import blueprint as shiftplans
    from wfm.simcheck.views import blueprint as simulation

    for blueprint in (
        auth,
        home,
        admin,
        forecasting,
        shiftplans,
        rosters,
        jobs,
        selfservice,
        careers,
        intraday,
        simulation,
        capacity,
    ):
        app.register_blueprint(blueprint)


def configure_api(app: Flask) -> None:
    from wfm.api import configure_api as install

    install(app)


def configure_security(app: Flask) -> None:
    """Sign-in rate limits, session cookies, security headers and the change log (wfm.security)."""
    from wfm.security import configure_security as install

    install(app)


def configure_proxy(app: Flask) -> None:
    """Behind WFM_PROXY_COUNT reverse proxies, take the client's address, scheme and host from their
    X-Forwarded-* headers (the rate limit, session protection and logs key on the client's address)."""
    hops = app.config.get("PROXY_COUNT", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def configure_json_bodies(app: Flask) -> None:
    """A JSON body too deep, with numbers too long, or not JSON at all is a 400 for every endpoint."""
    from wfm.json_bodies import install

    install(app)


def configure_templates(app: Flask) -> None:
    from wfm.formatting import install as install_filters
    from wfm.i18n import install as install_languages
    from wfm.navigation import navigation_for, role_names

    install_filters(app)
    install_languages(app)

    @app.context_processor
    def inject_navigation():
        return {"navigation": navigation_for(), "role_names": role_names}


def configure_errors(app: Flask) -> None:
    """HTML error pages; under /api/v1 every error (any status, and uncaught exceptions) is JSON."""
    from flask_babel import lazy_gettext
    from werkzeug.exceptions import HTTPException

    from wfm.api.errors import api_error_response
    from wfm.extensions import db

    for code, title in (
        (403, lazy_gettext("Not allowed")),
        (404, lazy_gettext("Not found")),
        (413, lazy_gettext("File too large")),
        (500, lazy_gettext("Server error")),
    ):

        def handler(error, code=code, title=title):
            if code == 500:
                # The failure may have left the session needing a rollback (a failed flush); the page reads
                # the user and their notifications, so without it the error page itself would fail and the
                # server would answer a bare 500 without the security headers.
                try:
                    db.session.rollback()
                except Exception:  # the database itself is gone: the plain page below still goes out
                    app.logger.exception("rolling back after a server error failed")
            answer = api_error_response(error)
            if answer is not None:
                return answer
            try:
                return render_template("errors/error.html", code=code, title=title), code
            except Exception:
                if code != 500:
                    raise
                app.logger.exception("the error page could not be drawn; a plain one is sent")
                return PLAIN_SERVER_ERROR, 500, {"Content-Type": "text/html; charset=utf-8"}

        app.register_error_handler(code, handler)

    def api_errors(error: HTTPException):
        answer = api_error_response(error)
        return answer if answer is not None else error

    app.register_error_handler(HTTPException, api_errors)
