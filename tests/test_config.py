import stat

from wfm.config import instance_secret_key, normalise_database_url


def test_secret_key_is_made_once_and_kept_private(tmp_path):
    first = instance_secret_key(str(tmp_path / "instance"))
    second = instance_secret_key(str(tmp_path / "instance"))
    assert first == second
    assert len(first) == 64
    mode = (tmp_path / "instance" / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert instance_secret_key(str(tmp_path / "other")) != first


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_database_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_database_url_from_environment(monkeypatch, tmp_path):
    from wfm import create_app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/env.sqlite"
    assert app.config["SECRET_KEY"] == "from-the-environment"
