"""`write_csv` writes exactly what `DataFrame.to_csv(index=False, float_format=...)` writes, column by
column."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scheduling.csv_out import write_csv

ROOT = Path(__file__).resolve().parents[2]


def _awkward_frame(rows: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "interval_start": pd.array(
                [f"2025-01-01T{i % 24:02d}:{i % 4 * 15:02d}:00" for i in range(rows)], dtype="str"
            ),
            "queue": pd.array(
                rng.choice(
                    [
                        "retail",
                        "loans, mortgages",
                        'the "VIP" line',
                        "two\nlines",
                        "cr\rhere",
                        " padded ",
                        "",
                        "中文",
                    ],
                    rows,
                ),
                dtype="str",
            ),
            "note": np.array(rng.choice(["a", None, "b,c"], rows), dtype=object),
            "agents": rng.integers(-3, 10**9, rows),
            "service_level": np.where(rng.random(rows) < 0.1, np.nan, rng.normal(0, 1000, rows)),
            "extremes": np.r_[[np.inf, -np.inf, -0.0, 5e-8, 1e20, 0.1 + 0.2], rng.random(rows - 6)],
        }
    )


@pytest.mark.parametrize("float_format", ["%.6f", "%.10g", None])
def test_the_same_bytes_as_to_csv(tmp_path, float_format):
    frame = _awkward_frame()
    write_csv(frame, tmp_path / "fast.csv", float_format=float_format)
    frame.to_csv(tmp_path / "pandas.csv", index=False, float_format=float_format)
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_repeated_figures_negative_zeros_and_gaps_come_out_the_same(tmp_path):
    rng = np.random.default_rng(3)
    repeated = rng.choice([0.0, 1.0, 0.8, 1 / 3, np.nan, 1e-7], 1000)
    frame = pd.DataFrame(
        {"queue": ["q"] * 1000, "share": repeated, "signed": np.where(repeated == 1.0, -0.0, repeated)}
    )
    write_csv(frame, tmp_path / "fast.csv", float_format="%.6f")
    frame.to_csv(tmp_path / "pandas.csv", index=False, float_format="%.6f")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"only": ["", "a"]}),  # one column: the csv module quotes an empty row
        pd.DataFrame({"a": [], "b": []}),
        pd.DataFrame({"when": pd.to_datetime(["2025-01-01 08:00"]), "flag": [True]}),
        pd.DataFrame({"mixed": np.array([1, "x"], dtype=object), "b": [1.5, 2.5]}),
    ],
    ids=["one column", "empty", "dates and booleans", "mixed objects"],
)
def test_frames_it_does_not_format_itself_still_come_out_the_same(tmp_path, frame):
    write_csv(frame, tmp_path / "fast.csv", float_format="%.3f")
    frame.to_csv(tmp_path / "pandas.csv", index=False, float_format="%.3f")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_an_engine_command_does_not_import_the_other_commands_engines():
    """`wfm staffing` used to import every command's module first (the forecast's numba and scipy.stats, the
    roster's column generation): seconds before reading a line."""
    probe = (
        "import sys; from wfm.cli import main\n"
        "try:\n    main(['staffing', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('scheduling.forecast', 'scheduling.roster', 'numba', 'weasyprint')"
        " if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "FORECAST.csv" in done.stdout  # the help of the command asked for
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_command_is_still_listed():
    done = subprocess.run(
        [sys.executable, "-c", "from wfm.cli import main; main(['--help'])"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    for name in ("careers", "demo", "forecast", "roster", "serve", "shifts", "staffing", "tokens", "worker"):
        assert f"  {name} " in done.stdout, name
