"""The day itself: actuals arriving, the re-forecast of the rest of the day, the Today page and
real-time adherence (issue 32)."""
