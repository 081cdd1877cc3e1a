"""Analysis library for the 2016 Wuchang innovation report."""
__version__ = "0.3.0"
