"""The dialect-neutral schema model: tables, the operations that change them, their DDL.

``model`` is the frozen description of a schema; ``operations`` (and ``constraint_ops``) are the
changes, each knowing its reverse; ``render`` turns them into DDL with the per-dialect rules of
``dialects/<name>/ddl.py``; ``literals`` gives defaults one canonical text.
"""
