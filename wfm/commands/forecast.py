"""`wfm forecast`: forecast contact volume per queue and interval from a history CSV (no database).

Interface kept stable for scripted nightly runs:
    wfm forecast HISTORY.csv --start YYYY-MM-DD --days N -o FORECAST.csv
        [--method auto|NAME] [--country CODE] [--interval-minutes M] [--encoding auto|utf-8|gb18030]
writes interval_start,queue,forecast,lower,upper,aht_seconds (one row per open interval of the horizon,
every queue in the history) and prints the chosen method per queue with its backtest wMAPE against the
Poisson floor to stderr.
"""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from scheduling.csv_out import write_csv
from scheduling.csvcells import safe_frame
from scheduling.forecast import FORECAST_COLUMNS, METHOD_NAMES, ForecastOptions, forecast
from scheduling.history import HistoryError, read_interval_csv
from scheduling.textfile import SPREADSHEET_ENCODING
from wfm.formatting import counted
from wfm.textfiles import encoding_option

MAX_PROBLEMS_SHOWN = 20
MAX_DAYS = 400  # as a shift plan's: more than a year ahead is a typo, and the grid would fill the memory


@click.command("forecast")
@click.argument("history_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--start", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="First forecast day.")
@click.option("--days", required=True, type=click.IntRange(min=1, max=MAX_DAYS), help="Days to forecast.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Forecast CSV to write.",
)
@click.option(
    "--method",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", *METHOD_NAMES]),
    help="auto picks per queue by rolling-origin backtests.",
)
@click.option("--country", default=None, help="Public holidays of this country code (holidays package).")
@click.option(
    "--interval-minutes",
    type=click.IntRange(min=5, max=60),
    default=None,
    help="Interval length; inferred from the history when omitted.",
)
@encoding_option
def command(
    history_file: Path,
    start,
    days: int,
    output: Path,
    method: str,
    country: str | None,
    interval_minutes: int | None,
    encoding: str,
) -> None:
    """Forecast HISTORY_FILE (interval_start,queue,offered[,handled,abandoned,aht_seconds])."""
    try:
        history = read_interval_csv(
            history_file, interval_minutes=interval_minutes, name=str(history_file), encoding=encoding
        )
    except HistoryError as exc:
        lines = [str(p) for p in exc.problems[:MAX_PROBLEMS_SHOWN]]
        if len(exc.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"... and {len(exc.problems) - MAX_PROBLEMS_SHOWN} more problem(s)")
        raise click.ClickException("history not imported:\n" + "\n".join(lines)) from exc
    try:
        result = forecast(history, start.date(), days, ForecastOptions(method=method, country=country))
    except ValueError as exc:
        raise click.ClickException(f"{history_file}: {exc}") from exc

    frame = result.frame.loc[:, list(FORECAST_COLUMNS)].copy()
    if frame.empty:
        raise click.ClickException(
            f"{history_file}: nothing to forecast from {start:%Y-%m-%d} for {counted(days, 'day')}: "
            "no queue had contacts on those weekdays in its history's last weeks; nothing was written"
        )
    frame["interval_start"] = frame["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    frame["forecast"] = frame["forecast"].round(3)
    frame["aht_seconds"] = frame["aht_seconds"].round(1)
    try:
        write_csv(safe_frame(frame), output, float_format="%.10g", encoding=SPREADSHEET_ENCODING)
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc}") from exc

    scores = result.backtest[result.backtest["chosen"]].set_index("queue") if len(result.backtest) else None
    written = set(frame["queue"])
    for queue, chosen in result.methods.items():
        if queue not in written:
            click.echo(
                f"{queue}: no intervals forecast (no contacts on these weekdays in its history's last "
                "weeks); nothing written for it",
                err=True,
            )
        if (
            scores is not None
            and queue in scores.index
            and pd.notna(scores.loc[queue, "wmape"])
            and scores.loc[queue, "floor"] > 0
        ):  # NaN and 0 (no contacts) cannot be scored
            row = scores.loc[queue]
            click.echo(
                f"{queue}: {chosen}, backtest wMAPE {row['wmape']:.3f} vs Poisson floor {row['floor']:.3f} "
                f"({row['ratio']:.2f}x, {int(row['origins'])} weekly origins)",
                err=True,
            )
        elif scores is not None and queue in scores.index:
            click.echo(
                f"{queue}: {chosen} (backtest not scored: no contacts in its backtest weeks)", err=True
            )
        else:
            click.echo(f"{queue}: {chosen} (no backtest)", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"wrote {counted(len(frame), 'row')} to {output}", err=True)
