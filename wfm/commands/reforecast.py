"""`wfm reforecast`: re-forecast the rest of a day from the morning's actuals (no database).

    wfm reforecast HISTORY.csv --forecast FORECAST.csv --now YYYY-MM-DDTHH:MM -o OUT.csv [--tomorrow]
        [--country CODE]

HISTORY.csv is the `wfm forecast` history format holding actuals up to --now (and the past days the update
is learned from); FORECAST.csv a `wfm forecast` output covering the day. OUT.csv has the `wfm forecast`
columns for every interval from the one holding --now to the end of that day (and the next day with
--tomorrow). With --country (as `wfm forecast` takes it), a public holiday or its eve learns its update from
past holidays and eves only, and keeps the forecast when the history holds too few. The update chosen per
queue, with its backtest, is printed to stderr.
"""

from __future__ import annotations

from pathlib import Path

import click

from scheduling.csv_out import write_csv
from scheduling.csvcells import safe_frame
from scheduling.forecast.calendar import build_calendar
from scheduling.forecast.reforecast import read_forecast_csv, reforecast
from scheduling.history import HistoryError, read_interval_csv
from scheduling.textfile import SPREADSHEET_ENCODING
from wfm.formatting import counted

MAX_PROBLEMS_SHOWN = 20


@click.command("reforecast")
@click.argument("history_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--forecast",
    "forecast_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A `wfm forecast` output covering the day.",
)
@click.option("--now", required=True, type=click.DateTime(formats=["%Y-%m-%dT%H:%M"]), help="Local time now.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tomorrow", is_flag=True, help="Also re-forecast the next day (the forecast must cover it).")
@click.option("--country", default=None, help="Public holidays of this country code (holidays package).")
def command(
    history_file: Path, forecast_file: Path, now, output: Path, tomorrow: bool, country: str | None
) -> None:
    """Re-forecast the rest of --now's day from HISTORY_FILE's actuals so far."""
    try:
        calendar = build_calendar(country, range(now.year - 3, now.year + 2)) if country else None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        history = read_interval_csv(history_file, name=str(history_file), latest=now.date())
    except HistoryError as exc:
        lines = [str(p) for p in exc.problems[:MAX_PROBLEMS_SHOWN]]
        raise click.ClickException("history not read:\n" + "\n".join(lines)) from exc
    try:
        planned = read_forecast_csv(forecast_file, str(forecast_file))
    except (ValueError, HistoryError) as exc:
        raise click.ClickException(str(exc)) from exc
    later = int((history.frame["interval_start"] >= now).sum())
    result = reforecast(history, planned, now, tomorrow=tomorrow, calendar=calendar)
    frame = result.frame.copy()
    if frame.empty:
        raise click.ClickException(
            f"{forecast_file}: no forecast interval from {now:%Y-%m-%d %H:%M} to the end of the day; "
            "nothing was written"
        )
    frame["interval_start"] = frame["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    for name in ("forecast", "lower", "upper"):
        frame[name] = frame[name].round(3)
    frame["aht_seconds"] = frame["aht_seconds"].round(1)
    try:
        write_csv(safe_frame(frame), output, float_format="%.10g", encoding=SPREADSHEET_ENCODING)
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc}") from exc
    if later:
        click.echo(f"note: {counted(later, 'history row')} at or after --now ignored", err=True)
    chosen = result.backtest[result.backtest["chosen"].astype(bool)].set_index("queue")
    for queue, carry in result.carries.items():
        line = f"{queue}: {carry.label}, today at {result.ratios[queue]:.2f}x the forecast"
        if queue in chosen.index:
            row = chosen.loc[queue]
            line += (
                f"; backtest wMAPE of the rest of the day {row['wmape']:.3f} vs Poisson floor "
                f"{row['floor']:.3f} ({counted(int(row['days']), 'day')})"
            )
        click.echo(line, err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"wrote {counted(len(frame), 'row')} to {output}", err=True)
