"""The `wfm` command: Flask's CLI bound to `create_app`, plus the project's own commands.

Each module in `wfm/commands/` exports `command` (a click command); they are found here, so adding a
command never touches this file. Engine commands (forecast, staffing, shifts, roster) work on plain files
and need no database.
"""

from __future__ import annotations

import importlib
import pkgutil

import click
from flask.cli import FlaskGroup

from wfm import commands as commands_package


def _create_app():
    from wfm import create_app

    return create_app()


def _command_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(commands_package.__path__))


class _LazyGroup(FlaskGroup):
    """Imports a command's module only when that command runs (or when help lists them all).

    Why: the modules pull in very different engines (numba and scipy for forecasts, the roster's column
    generation, the web app for the database commands); importing every one cost `wfm staffing` seconds
    before it read a line. A command is named as its module (`wfm/commands/staffing.py` holds `wfm staffing`).
    """

    def _load(self, name: str) -> None:
        if name in self.commands or name not in _command_modules():
            return
        module = importlib.import_module(f"{commands_package.__name__}.{name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            self.add_command(command)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        self._load(name)
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for name in _command_modules():
            self._load(name)
        return super().list_commands(ctx)


@click.group(cls=_LazyGroup, create_app=_create_app, load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """WFM: forecasting, staffing, shift plans, rosters and career ladders for a contact centre."""
