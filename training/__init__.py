"""Career tracks, ladders, competencies, eligibility and certification expiry.

Pure Python on plain data. Never imports flask, sqlalchemy or wfm (a test enforces it).
"""
