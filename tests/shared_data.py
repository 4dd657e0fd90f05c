"""Where the project's shared reference data lives (../shared/data beside the checkout, also in CI)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
BANK_1999 = SHARED_DATA / "anonymous-bank-1999"
ROSTERING_BENCHMARK = SHARED_DATA / "rostering-benchmark"
