"""fazhi: the year-end rule-of-law government assessment (法治政府建设考核) of a district's units.

The library is `fazhi_cli.api` (one function per command, returning plain result objects); the `fazhi`
command line is a client of it. See `help(fazhi_cli.api)`.
"""

from fazhi_cli import api
from fazhi_cli.api.about import __version__

__all__ = ["api", "__version__"]
