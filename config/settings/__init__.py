"""Settings package: ``base`` holds everything; ``dev``, ``test`` and ``prod`` adjust it.

Which backing services are used (SQLite or PostgreSQL, in-memory or Redis channel layer) is
decided by environment variables alone (``DATABASE_URL``, ``REDIS_URL``), never by picking a
different settings module.
"""
