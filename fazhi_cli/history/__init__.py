"""The earlier years a campaign keeps (`kept_years`), checked against their seal whenever they are read.

`fazhi init --from` writes them (`carry`: carrying the last campaign's roster, rubric and settings to the new year,
its approved results and the years it kept itself); the comparisons of this year with last year, and
`fazhi history` (`view`), read them here.
"""

from fazhi_cli.history.carry import NOTHING_TO_COMPARE, CarriedCampaign, carry_campaign
from fazhi_cli.history.kept import HistoryUnsealed, kept_years, years_in_store
from fazhi_cli.history.settings import CarriedSettings, carried_settings, moved_date
from fazhi_cli.history.view import HistoryView, UnitHistory, YearResult, history_view

__all__ = [
    "NOTHING_TO_COMPARE", "CarriedCampaign", "CarriedSettings", "HistoryUnsealed", "HistoryView", "UnitHistory",
    "YearResult", "carried_settings", "carry_campaign", "history_view", "kept_years", "moved_date", "years_in_store",
]  # fmt: skip
