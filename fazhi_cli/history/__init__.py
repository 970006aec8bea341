"""The earlier years a campaign keeps (`kept_years`), checked against their seal whenever they are read.

`fazhi init --from` writes them (carrying the last campaign's approved results and the years it kept itself); the
comparisons of this year with last year, and `fazhi history`, read them here.
"""

from fazhi_cli.history.kept import HistoryUnsealed, kept_years

__all__ = ["HistoryUnsealed", "kept_years"]
