"""fazhi: the year-end rule-of-law government assessment (法治政府建设考核) of a district's units."""

__version__ = "0.1.0"
