"""Realistic SQLAlchemy models (33 tables in four modules) for the models-as-entities tests.

Between them they use every type, key, default, index and constraint Goofer reads from
SQLAlchemy: see README "Your models are the entities". ``Base.metadata`` holds them all once the
modules are imported (``import tests.sa_models.all``).
"""
