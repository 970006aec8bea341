"""The Typer command layer: parse arguments, call one service, print."""
