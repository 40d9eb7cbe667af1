"""Apply migrations: files on disk -> statements -> plan -> the Migrator -> the tracking table.

``files`` finds and reads the ``.up.sql``/``.down.sql`` pairs, ``split`` cuts a script into
statements, ``plan`` decides what ``up``/``down`` run and what ``status`` says, ``tracking`` reads
and writes the tracking table, ``migrator`` runs it all under the lock, ``scratch`` replays the
migrations into a throwaway database (for generate, check and verify).
"""
