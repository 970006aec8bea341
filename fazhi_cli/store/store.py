"""The `Store`: one connection to the campaign's store, with the methods of every table family."""

from __future__ import annotations

from fazhi_cli.store.components import ComponentTables
from fazhi_cli.store.decisions import DecisionTables
from fazhi_cli.store.history import HistoryTables
from fazhi_cli.store.ledger import LedgerTables
from fazhi_cli.store.mail import MailTables
from fazhi_cli.store.rectify import RectifyTables


class Store(DecisionTables, LedgerTables, MailTables, RectifyTables, HistoryTables, ComponentTables):
    """A connection to the campaign's store; use `Store.open(path)` as a context manager.

    Opening, transactions and migrations are `StoreBase`'s (`store.connection`); each table family's methods are
    its own class's: `FileTables` (files and submissions), `DecisionTables` (decisions, office values, seals and
    approvals), `LedgerTables`, `MailTables`, `RectifyTables` (整改 returns) and `HistoryTables` (earlier
    years kept) and `ComponentTables` (score components' values).
    """
