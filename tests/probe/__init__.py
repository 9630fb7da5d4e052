"""A tests-only app: a hook of the responses' write path that keeps a ledger of the answers it
was told of, in the database (so a rolled-back transaction rolls the ledger back too)."""
