"""One row: the token of the data's current state (`wfm.revision` changes it with every planning write)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from wfm.extensions import db


class DataRevision(db.Model):
    __tablename__ = "data_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
