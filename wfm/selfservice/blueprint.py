"""The self-service blueprint: the agent's pages (`views`) and the scheduler's inbox (`inbox`) add their
routes to it; `wfm.create_app` imports both and registers it, so neither view module imports the other."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("selfservice", __name__)
