"""Results out: every exporter renders :class:`contest.exporters.tables.Table` objects.

tables.py (the typed table), csv_safe.py (CSV and CSV zips), xlsx.py (workbooks), pdf.py
(official documents and certificates) and results.py (the results data, its tables and its JSON
document). All pure: services gather the data, these modules only render it.
"""
