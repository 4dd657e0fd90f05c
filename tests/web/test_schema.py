"""Migrations are the only way the schema is made: they must match the models and run both ways."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from wfm.extensions import db

pytestmark = pytest.mark.postgres  # the dialect matters here: run on PostgreSQL as well


def test_migrations_match_the_models(app_context):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_to_base_and_back(app_context):
    downgrade(revision="base")
    try:
        with db.engine.connect() as connection:
            assert not db.inspect(connection).has_table("agent")
    finally:
        upgrade()
    with db.engine.connect() as connection:
        assert db.inspect(connection).has_table("agent")
