"""Plain helper modules of the tests, imported as ``tests._support.<module>``: shared constants and functions that
are not fixtures (the fixtures are in the conftest.py files). Nothing here is collected as a test."""
