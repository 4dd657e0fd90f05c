"""The real reference data the tests read, shipped inside the repository (a clone needs nothing beside it).

- `BANK_1999`: the Anonymous Bank 1999 call-centre files the demo ships (`wfm/demo/data`, gzip-compressed,
  attribution in `wfm/demo/data/ATTRIBUTION.md`).
- `ROSTERING_BENCHMARK`: the Curtois & Qu employee shift scheduling instances 1-10 (`tests/data`,
  attribution in `tests/data/ATTRIBUTION.md`).

Nothing here reads outside the repository.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BANK_1999 = REPO / "wfm" / "demo" / "data"
CALLS_6MIN = BANK_1999 / "calls_6min_1999.csv.gz"
CALLS_FEBRUARY = BANK_1999 / "calls_february_1999.tsv.gz"
ROSTERING_BENCHMARK = REPO / "tests" / "data" / "rostering-benchmark"
