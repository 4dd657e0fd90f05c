"""The planning engine: history, forecasts, staffing, shift plans and rosters.

Pure Python on plain data. Never imports flask, sqlalchemy or wfm (a test enforces it), so the same
engine runs from the web application, the command line and a notebook.
"""
