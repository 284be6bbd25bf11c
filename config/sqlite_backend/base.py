"""Django's SQLite backend, told the real limit on query parameters.

Django 5.2 assumes SQLite's historical limit of 999 host parameters and splits bulk inserts into batches of
``999 // columns`` rows, so enrolling a student in 200 courses would take several INSERTs. SQLite 3.32 and newer
allow 32,766, which keeps bulk writes at one query each, as on PostgreSQL.
"""

import sqlite3

from django.db.backends.sqlite3 import base, features

MODERN_SQLITE = sqlite3.sqlite_version_info >= (3, 32)


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = 32766 if MODERN_SQLITE else 999


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
