"""Declared notebook parameters: types, allowed values, and one check that fails at once.

papermill passes ``-p target_year 2O20`` as the string '2O20' and only warns on unknown names;
``check_params`` turns both into a ParameterError that lists what is valid.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analysis_utils.data.load import REPORT_YEAR, Dataset, load
from analysis_utils.checks import check_choice, check_type
from analysis_utils.errors import ParameterError, raise_parameter_errors
from analysis_utils.labels import check_lang, join
from analysis_utils.paths import notebook_output_dir
from analysis_utils.analysis.tables import REPORT_DISTRICTS

FIG_FORMATS = ("png", "svg")


# The composite notebook's options are checked here too (composite.indicators.check_index_option, the notebook's
# own check), so that the pipeline refuses a bad weights file or method before any notebook runs.
COMPOSITE_NOTEBOOK = "05_composite_index"
# The notebook that reads the data folder's external/ (data.external): its files are checked here too, so that a
# bad external file is refused before any notebook runs, as the report's own files are.
EXTERNAL_NOTEBOOK = "06_external_checks"


@dataclass(frozen=True)
class Params:
    """Checked parameters of one notebook run, with the loaded data."""

    focus: str
    peers: tuple[str, ...]
    lang: str
    data_dir: Path | None
    output_dir: Path
    fig_format: str
    target_year: int | None
    data: Dataset = field(repr=False)
    extra: dict = field(default_factory=dict)

    def _repr_markdown_(self) -> str:
        """How the checked parameters show in a notebook: one line each; districts by their name in ``lang``
        with the value to type beside it when the two differ."""
        names = self.data.entity_names(self.lang)
        shown = [f"{names.get(e, e)} (`{e}`)" if names.get(e, e) != e else e for e in (self.focus, *self.peers)]
        rows = {"focus": shown[0], "peers": join(shown[1:], self.lang), "lang": self.lang,
                "data_dir": self.data_dir or "data/ (packaged)", "output_dir": self.output_dir,
                "fig_format": self.fig_format, "target_year": self.target_year, **self.extra}
        return "\n".join(f"- `{k}`: {v}" for k, v in rows.items() if v is not None)


def usable_years(data: Dataset, entities: list[str]) -> list[int]:
    """Years with a reported observation (``year_inferred`` false) of every one of ``entities``, ascending."""
    obs = data.observations
    obs = obs[~obs["year_inferred"].fillna(False).astype(bool)] if "year_inferred" in obs else obs
    years = None
    for entity in entities:
        have = {int(y) for y in obs.loc[obs["entity"] == entity, "year"].dropna()}
        years = have if years is None else years & have
    return sorted(years or ())


def check_params(section: str, *, focus: str = "武昌区", peers=None, lang: str = "zh", data_dir: str | None = None,
                 output_dir: str | None = None, fig_format: str = "png", target_year=None, year=None,
                 scenario_growth=None, dataset: Dataset | None = None, **extra) -> Params:
    """Validate the common parameters and load the data; raise ParameterError for a bad one, ParameterErrors
    (a subclass) listing every bad one when several are bad.

    ``section`` is the notebook's stem (01_foundation); an empty ``output_dir`` means build/interactive/<section>
    (:func:`analysis_utils.paths.notebook_output_dir`; the pipeline always passes its own). ``dataset``:
    the data already loaded from ``data_dir`` (the pipeline's parent checks every notebook with one load).

    ``year`` must be a year the data hold for the focus and every peer: a year with a reported (not
    inferred) observation of each, e.g. 2016 holds only plans and policies; the error lists the usable years.
    """
    problems: list[ParameterError] = []

    def attempt(check, *args):
        """Run one check; keep its error and go on, so that every bad parameter is reported at once."""
        try:
            check(*args)
            return True
        except ParameterError as exc:
            problems.append(exc)
            return False

    attempt(check_lang, lang)
    attempt(check_choice, "fig_format", fig_format, FIG_FORMATS, str, "text")
    if target_year is not None and attempt(check_type, "target_year", target_year, int, "a whole year such as 2020"):
        if not REPORT_YEAR < target_year <= 2100:
            problems.append(ParameterError("target_year", target_year, f"a year after {REPORT_YEAR} and at most 2100",
                                           "out-of-range"))
    if scenario_growth is not None and attempt(check_type, "scenario_growth", scenario_growth, (int, float),
                                               "a growth rate such as 0.1 for 10%"):
        if isinstance(scenario_growth, bool) or not -1 < scenario_growth < 10:
            problems.append(ParameterError("scenario_growth", scenario_growth,
                                           "a rate above -1 and below 10 (0.1 = 10%)", "out-of-range"))
        else:
            extra["scenario_growth"] = float(scenario_growth)
    if output_dir is not None and output_dir != "":
        attempt(check_type, "output_dir", output_dir, (str, Path), "a folder path")
    if data_dir is not None and data_dir != "" and not attempt(check_type, "data_dir", data_dir, (str, Path),
                                                               "a folder path"):
        raise_parameter_errors(problems)  # no data to check the districts against
    try:
        data = dataset if dataset is not None else load(data_dir or None)
    except ParameterError as exc:
        raise_parameter_errors([*problems, exc])
    districts = data.districts()
    focus_ok = attempt(check_choice, "focus", focus, districts, str, "a district name")
    if peers is None or len(peers) == 0:  # every other district of the data: the report's first, then a user's
        peers = [d for d in REPORT_DISTRICTS if d != focus and d in districts] + \
                sorted(d for d in districts if d != focus and d not in REPORT_DISTRICTS)
    if isinstance(peers, str):  # `-p peers 南山区,余杭区` from the command line
        peers = [p.strip() for p in peers.replace("，", ",").split(",") if p.strip()]
    peers_ok = attempt(check_type, "peers", peers, (list, tuple), "a list of district names")
    if peers_ok:
        peers_ok = all([attempt(check_choice, "peers", peer, [d for d in districts if d != focus], str,
                                "a district name") for peer in peers])
        if not peers:
            peers_ok = False
            problems.append(ParameterError("peers", peers, "at least one district other than the focus", "empty"))
    if year is not None:
        if focus_ok and peers_ok:  # the usable years depend on the districts
            attempt(check_choice, "year", year, usable_years(data, [focus, *peers]), int, "a whole year such as 2015")
        else:
            attempt(check_type, "year", year, int, "a whole year such as 2015")
        extra["year"] = year
    if section == COMPOSITE_NOTEBOOK:  # another notebook's `weights` or `seed` may mean something else
        from analysis_utils.composite.indicators import INDEX_OPTIONS, check_index_option

        for name in INDEX_OPTIONS:
            if name in extra and (name != "weights" or extra[name]):
                attempt(check_index_option, name, extra[name])
    raise_parameter_errors(problems)
    if section == EXTERNAL_NOTEBOOK:
        from analysis_utils.data.external import external_if_any

        external_if_any(data)  # DataValidationError naming every bad file, row and column
    out = notebook_output_dir(section, output_dir)
    return Params(focus, tuple(peers), lang, Path(data_dir) if data_dir else None, out, fig_format,
                  target_year, data, dict(extra))
