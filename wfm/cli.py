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


@click.group(cls=FlaskGroup, create_app=_create_app, load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """WFM: forecasting, staffing, shift plans, rosters and career ladders for a contact centre."""


def _register_commands(group: click.Group) -> None:
    for module_info in sorted(pkgutil.iter_modules(commands_package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands_package.__name__}.{module_info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            group.add_command(command)


_register_commands(main)
