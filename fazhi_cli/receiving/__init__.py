"""One run of received files (`batch`): its context, what became of each file, and how a file is recorded or
refused. Shared by every stage that takes files in (ingest, review sheets, the ledger, mail, approval), so that
none imports another's internals."""
