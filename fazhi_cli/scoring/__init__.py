"""`fazhi score`: results from the store (`scoreboard`), with the domain's results model for the reports."""

from fazhi_cli.scoring.scoreboard import Scoreboard, build_scoreboard, compute_scores, score_json

__all__ = ["Scoreboard", "build_scoreboard", "compute_scores", "score_json"]
