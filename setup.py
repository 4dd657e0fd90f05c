"""WFM: workforce and career development for a bank's contact centre."""

from setuptools import find_packages, setup

setup(
    name="wfm",
    version="0.1.0",
    description="Forecasting, staffing, shift planning, rostering and career ladders for contact centres",
    packages=find_packages(include=["wfm", "wfm.*", "scheduling", "scheduling.*", "training", "training.*"]),
    include_package_data=True,
    package_data={"wfm": ["static/*", "demo/data/*"]},
    python_requires=">=3.11",
    install_requires=[
        "flask>=3.0",
        "flask-sqlalchemy>=3.1",
        "sqlalchemy>=2.0",
        "flask-migrate>=4.0",
        "alembic>=1.13",
        "flask-wtf>=1.2",
        "wtforms>=3.1",
        "flask-login>=0.6",
        "flask-babel>=4.0",  # English and Simplified Chinese (wfm/i18n)
        "babel>=2.14",
        "email-validator>=2.0",
        "pulp>=2.8",
        "highspy>=1.7",
        "numba>=0.59",  # compiles the roster pricing labels (scheduling/roster/pricing.py)
        "weasyprint>=62",
        "numpy>=1.26",
        "pandas>=2.1",
        "scipy>=1.11",
        "statsmodels>=0.14",
        "holidays>=0.50",
        "icalendar>=5.0",
        "psycopg[binary]>=3.1",
        "redis>=5.0",
        "rq>=2.0",
        "gunicorn>=22",
        "flask-limiter>=3.5",
        "python-json-logger>=3.0",
        "flask-smorest>=0.44",
        "zxcvbn>=4.4",  # password strength, with the common passwords of leaked lists (wfm.auth.passwords)
    ],
    extras_require={
        "dev": [
            "pytest>=8",
            "ruff>=0.5",
            "mypy>=1.10",  # on scheduling/ and training/ (make test, make lint)
            "pandas-stubs>=2.2",
            "scipy-stubs>=1.14",
            "pre-commit>=3.5",  # `pre-commit install`: ruff and whitespace checks on each commit
            "hypothesis>=6",
            "playwright>=1.40",  # browser tests drive Debian's chromium; never `playwright install`
            "schemathesis>=4.0",
            "pypdf>=5",  # reads printed PDFs back: their text and fonts (tests/web/test_print_fonts.py)
        ],
        "bench": [
            "pyworkforce>=0.5",
            "locust>=2.20",
            "simpy>=4.1",  # bench/simulate_speed.py: the plain SimPy model beside scheduling/simulate
        ],
    },
    entry_points={"console_scripts": ["wfm=wfm.cli:main"]},
)
