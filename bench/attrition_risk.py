"""Backtest of the attrition-risk score on the history the product holds, with its calibration.

On each month-end from `--from-months` to `--to-months` months ago, every agent employed that day is scored
from the data as it stood then (`wfm.careers.risk.inputs_on`); the outcome is whether they were lost to
the bank (left, not moved within it) within the next `--horizon` days. Prints, per band, agent-snapshots
and leavers with the observed rate, and the concordance (the chance a leaver scored above a stayer); the
same computation as the risk page's backtest (`wfm.careers.risk_backtest`), over any span of months.

Without `--database` it builds the demo centre in a temporary SQLite database: that history is SYNTHETIC
(randomly generated hires, leavers and career steps), so the figures show the backtest works, not that the
score predicts real attrition. Point `--database` at a real centre's database for figures that mean that.

    python bench/attrition_risk.py [--database URL] [--horizon 180] [--from-months 24] [--to-months 6]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def backtest(horizon: int, first: int, last: int):
    """Monthly scoring days from `first` to `last` months ago, scored by the risk page's backtest."""
    from training.records import add_months
    from training.risk_backtest import summarise
    from wfm.careers.risk import held
    from wfm.careers.risk_backtest import snapshots

    today = dt.date.today()
    days = [add_months(today, -back) for back in range(first, last - 1, -1)]
    return summarise(snapshots(days, horizon, held()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="SQLAlchemy URL of a centre's database (default: the demo)")
    parser.add_argument("--horizon", type=int, default=180, help="days after each scoring day")
    parser.add_argument("--from-months", type=int, default=24)
    parser.add_argument("--to-months", type=int, default=6)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from wfm import create_app
    from wfm.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{folder}/risk.sqlite"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "JOBS_INLINE": True})
        with app.app_context():
            if args.database is None:
                from wfm.demo import careers, organisation

                upgrade()
                organisation.load(organisation.TEL_AVIV)
                db.session.commit()
                careers.load()
                db.session.commit()
                print("History: the demo centre's, which is SYNTHETIC (randomly generated).")
            else:
                print(f"History: {args.database}")
            summary = backtest(args.horizon, args.from_months, args.to_months)
    print(
        f"Scored monthly from {args.from_months} to {args.to_months} months ago; outcome: lost to the bank "
        f"within {args.horizon} days."
    )
    print(f"{'band':<8}{'scored':>8}{'agents':>8}{'left':>6}{'rate':>8}")
    for band in summary.bands:
        rate = "-" if band.rate is None else f"{100 * band.rate:.1f}%"
        print(f"{band.band:<8}{band.snapshots:>8}{band.agents:>8}{band.lost:>6}{rate:>8}")
    print(
        f"agent-snapshots {summary.snapshots}, agents lost {summary.leavers}, "
        f"agents who stayed {summary.stayers}"
    )
    if summary.too_few:
        print(f"concordance - (too few {summary.too_few} to measure it)")
    else:
        print(f"concordance {summary.concordance:.2f} (0.50 is chance)")


if __name__ == "__main__":
    main()
