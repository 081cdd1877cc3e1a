"""Papermill's injected-parameters cell written readably: Chinese values as UTF-8 literals, not escapes.

papermill's PythonTranslator writes ``focus = "\\u5357\\u5c71\\u533a"`` (it escapes every non-ASCII
character); this subclass writes ``focus = '南山区'`` (``repr``: a valid Python literal that keeps printable
characters). It is installed through papermill's documented translator registry
(``papermill.translators.papermill_translators.register``), for the kernel language "python".
"""
from __future__ import annotations


def register_translator() -> None:
    """Register ReadablePythonTranslator for language "python" in papermill's translator registry; idempotent."""
    from papermill.translators import PythonTranslator, papermill_translators

    class ReadablePythonTranslator(PythonTranslator):
        """PythonTranslator with strings written by ``repr`` (UTF-8 kept, quotes and control characters escaped)."""

        @classmethod
        def translate_str(cls, val):
            return repr(val)

    papermill_translators.register("python", ReadablePythonTranslator)
