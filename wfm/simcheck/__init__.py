"""Check by simulation: a shift plan or a roster, run through the simulator (`scheduling.simulate`) against
the forecast it was built from or the actual history of its days, and the figures kept for its pages."""
