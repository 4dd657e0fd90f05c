"""How much history a forecast reads: one figure for the forecast job and for the check that tells a forecast
its history changed (`wfm.sources`)."""

# History older than this before the first day adds little to a week-ahead forecast and slows it down.
HISTORY_DAYS = 400
