"""The exception hierarchy: fields first, ``__str__`` renders them, every class picklable."""
from __future__ import annotations

import re
from dataclasses import dataclass


class AnalysisError(Exception):
    """Raised for any error of this package that a user can act on."""

    def __reduce__(self):
        # Subclasses keep their fields in __dict__ and take other __init__ arguments than args:
        # rebuild them from their state, so they cross process boundaries (notebooks run in workers).
        if self.__dict__:
            return (_rebuild, (type(self), self.__dict__.copy(), self.args))
        return (type(self), self.args)


def _rebuild(cls, state, args):
    obj = cls.__new__(cls)
    obj.__dict__.update(state)
    obj.args = args
    return obj


@dataclass
class DataProblem:
    """One problem in a data file: where it is, what was found, what was expected."""

    file: str
    row: int | None  # 1-based data row (header excluded); None for file-level problems
    column: str | None
    value: object
    expected: str
    code: str  # stable code: missing-file, missing-column, type-error, required-error, constraint-error, unique-error, foreign-key-error, unit-error;
    # reading (data.load.read_table): not-a-file, read-error, encoding-error, empty-file, empty-table, blank-header,
    # blank-label, incorrect-label, duplicate-label, quote-error, format-error, descriptor-error, missing-resource
    line: int | None = None  # line of the file (header is line 1); defaults to row + 1

    def __post_init__(self):
        if self.line is None and self.row is not None:
            self.line = self.row + 1

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row} (line {self.line})"
        elif self.line is not None:  # a file-level problem at a line: the header (line 1), a byte that is not UTF-8
            where += f", line {self.line}"
        if self.column is not None:
            where += f', column "{self.column}"'
        got = "" if self.value is None else f"got {self.value!r}, "
        return f"{where}: {got}expected {self.expected} [{self.code}]"


class DataWarning(UserWarning):
    """Warned (``warnings.warn``) when a data file holds something that is not read but not wrong: a column its
    schema does not name. ``problem`` is the DataProblem saying where (code ``extra-label``); ``validate`` and
    ``reproduce`` print it as ``warning: …`` and go on."""

    def __init__(self, problem: DataProblem):
        self.problem = problem
        super().__init__(str(problem))

    def __reduce__(self):
        return (type(self), (self.problem,))


class DataValidationError(AnalysisError):
    """Raised when a data directory breaks its schema; holds every problem found."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.render(50)

    def render(self, limit: int | None = None) -> str:
        """One problem: one line. Several: a count line, then one line per problem, the first ``limit`` of them
        (all for None)."""
        if len(self.problems) == 1:
            return f"a problem in the data: {self.problems[0]}"
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [f"{len(self.problems)} problems in the data:"] + [f"  {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  … and {len(self.problems) - len(shown)} more "
                         "(validate --all lists them all; --report FILE.csv writes them as a table)")
        return "\n".join(lines)


class ParameterError(AnalysisError):
    """Raised when a notebook or command parameter has a wrong type or an unknown value."""

    def __init__(self, name: str, value: object, expected: str, code: str = "bad-choice", where: str | None = None):
        # where: the place inside what the parameter names (a weights file's row and indicator), if any
        self.name, self.value, self.expected, self.code, self.where = name, value, expected, code, where
        super().__init__(str(self))

    def __str__(self) -> str:
        place = f" ({self.where})" if getattr(self, "where", None) else ""
        return f'parameter "{self.name}"{place} = {self.value!r}: expected {self.expected} [{self.code}]'


class ParameterErrors(ParameterError):
    """Raised when several parameters are bad at once: every one is reported, not only the first
    (errors as records, as frictionless and pandera report them). ``errors`` holds each ParameterError;
    the fields ``name``, ``value``, ``expected`` and ``code`` are the first one's, so an
    ``except ParameterError`` still catches it."""

    def __init__(self, errors: list[ParameterError]):
        self.errors = [e for err in errors for e in (err.errors if isinstance(err, ParameterErrors) else [err])]
        first = self.errors[0]
        self.name, self.value, self.expected, self.code = first.name, first.value, first.expected, first.code
        self.where = first.where
        AnalysisError.__init__(self, str(self))

    def __str__(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        return f"{len(self.errors)} bad parameters:\n" + "\n".join(f"  {e}" for e in self.errors)


def raise_parameter_errors(errors: list[ParameterError]) -> None:
    """Raise nothing for no error, the error itself for one, ParameterErrors listing them for several
    (duplicates, same parameter and same message, are reported once)."""
    unique: list[ParameterError] = []
    for err in errors:
        for e in err.errors if isinstance(err, ParameterErrors) else [err]:
            if str(e) not in {str(u) for u in unique}:
                unique.append(e)
    if len(unique) == 1:
        raise unique[0]
    if unique:
        raise ParameterErrors(unique)


class MessageError(AnalysisError):
    """Raised when one message says the whole problem; the base of UnitError and IntervalError."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class UnitError(MessageError):
    """Raised when values of different dimensions are added, compared or converted."""


class IntervalError(MessageError):
    """Raised when an interval operation is undefined (division by an interval holding 0, whole numbers of (a, ∞))."""


class ClaimError(AnalysisError):
    """Raised when a claim is malformed: a bad rule, a missing observation, a wrong kind of result."""

    def __init__(self, claim: str, rule: str, problem: str, expected: str):
        self.claim, self.rule, self.problem, self.expected = claim, rule, problem, expected
        super().__init__(str(self))

    def __str__(self) -> str:
        return f'claim "{self.claim}", rule `{self.rule}`: {self.problem}; expected {self.expected}'


class NotebookRunError(AnalysisError):
    """Raised when a notebook fails during execution; names the cell and the exception."""

    def __init__(self, notebook: str, cell_index: int | None, exec_count: int | None,
                 first_line: str, ename: str, evalue: str, kept: str | None = None):
        self.notebook, self.cell_index, self.exec_count = notebook, cell_index, exec_count
        self.first_line, self.ename, self.evalue, self.kept = first_line, ename, evalue, kept
        super().__init__(str(self))

    def __str__(self) -> str:
        kept = f"; kept {self.kept}" if self.kept else ""
        if self.cell_index is None and not self.first_line:  # no cell ran: a dead worker, a kernel that never started
            return f"{self.notebook}: {self.ename}: {self.evalue}{kept}"
        cell = f"cell {self.cell_index}" if self.cell_index is not None else "an unknown cell"
        if self.exec_count is not None:
            cell += f" (In [{self.exec_count}])"
        return f'{self.notebook} failed at {cell} "{self.first_line}": {self.ename}: {self.evalue}{kept}'


def disk_error(exc: OSError, doing: str, path=None) -> AnalysisError:
    """One line for a file operation the system refused: the path, the system's words and its code, with what it
    usually means (ENOSPC: the disk is full; EACCES/EPERM: no permission, or a file open in another program).
    ``path``: named when the system's error names none."""
    import errno

    code = errno.errorcode.get(exc.errno or 0, "")
    hint = {"ENOSPC": ": the disk is full", "EACCES": ": no permission, or the file is open in another program",
            "EPERM": ": not permitted, or the file is locked or open in another program",
            "EROFS": ": the file system is read-only"}.get(code, "")
    return AnalysisError(f"cannot {doing} {exc.filename or path or ''}: {exc.strerror or exc} [{code}]{hint}")


# An absolute path (POSIX, or Windows with a drive) of two components or more, not inside a word ('km/h', '1/2')
_PATH = re.compile(r"(?<![\w.~-])(?:[A-Za-z]:)?[\\/](?:[^\s'\"\\/]+[\\/])+([^\s'\"\\/]*)")


def short_paths(text: str) -> str:
    """``text`` with every absolute path replaced by its last component: "No such file: '/tmp/x/data/a.csv'" ->
    "No such file: 'a.csv'" (a machine's paths say nothing to a reader and leak it)."""
    return _PATH.sub(lambda m: m[1] or m[0].rstrip("\\/").replace("\\", "/").rsplit("/", 1)[-1], str(text))
