"""fazhi: the year-end rule-of-law government assessment (法治政府建设考核) of a district's units.

The library is `fazhi_cli.api` (one function per command, returning plain result objects); the `fazhi`
command line is a client of it. See `help(fazhi_cli.api)`.
"""

__version__ = "0.1.0"

from fazhi_cli import api  # noqa: E402  (after __version__, which api reads)

__all__ = ["api", "__version__"]
