"""Researchers edit the notebooks in JupyterLab: saving never puts outputs into git, opening changes nothing,
Chinese is drawn with the CJK font, and the lock-independent set-up (make venv) is what makes it so.

The browser test starts the project's JupyterLab (``make lab``, as a user does) on a
free local port with a token, on a temporary git repository holding copies of notebooks/ with the filter of
this repository's set-up, and drives it with Debian's /usr/bin/chromium through playwright. It skips where
Chromium is missing, unless REQUIRE_BROWSER=1 (set by .ci/run), where it fails.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

from analysis_utils.paths import KERNEL_NAME, NOTEBOOKS_DIR, REPO_ROOT
from analysis_utils.report import lab
from tests._support.browser import CHROMIUM, CHROMIUM_ARGS, need_browser
from tests._support.notebooks import GLYPH_WARNING, NOTEBOOKS, assert_committed_shape
from tests._support.runs import poll

# A tiny PNG (1×1) standing for a figure in the hand-made "executed" notebook.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=check)


def project_filter() -> dict[str, str]:
    """The nbstripout filter that `make venv` configured for this repository (git config keys → values)."""
    if git(REPO_ROOT, "rev-parse", "--is-inside-work-tree", check=False).returncode != 0:
        pytest.skip("not a git work tree: there is no filter to check")
    keys = ["filter.nbstripout.clean", "filter.nbstripout.smudge", "filter.nbstripout.required", "diff.ipynb.textconv"]
    found = {k: git(REPO_ROOT, "config", "--get", k, check=False).stdout.strip() for k in keys}
    assert all(found.values()), f"git filter not configured ({found}); run `make venv`"
    return found


def make_repo(root: Path, filter_config: dict[str, str]) -> Path:
    """A fresh git repository with this project's .gitattributes, filter settings and .venv (a link, so the
    filter's relative command runs the same nbstripout)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    git(root, "config", "user.email", "test@example.invalid")
    git(root, "config", "user.name", "test")
    for key, value in filter_config.items():
        git(root, "config", key, value)
    for name in (".gitattributes", ".gitignore"):
        shutil.copy(REPO_ROOT / name, root / name)
    (root / ".venv").symlink_to(Path(sys.prefix))
    (root / ".git" / "info" / "exclude").write_text(".venv\n", encoding="utf-8")
    return root


def stored(repo: Path, rel: str) -> dict:
    """The notebook as git stores it after `git add` (through the clean filter)."""
    git(repo, "add", rel)
    return json.loads(git(repo, "show", f":{rel}").stdout)


# ---------------------------------------------------------------------------- the filter, no browser
def test_setup_routes_notebooks_through_the_filter():
    project_filter()
    attrs = git(REPO_ROOT, "check-attr", "filter", "diff", "--", "notebooks/01_foundation.ipynb").stdout
    assert "filter: nbstripout" in attrs and "diff: ipynb" in attrs, attrs
    assert "--keep-id" in git(REPO_ROOT, "config", "--get", "filter.nbstripout.clean").stdout


def test_filter_keeps_outputs_out_of_git(tmp_path):
    """An executed copy (outputs, counts, an error, a figure) in the work tree: git stores and diffs it as
    the committed notebook, cell ids and kernelspec kept."""
    repo = make_repo(tmp_path / "repo", project_filter())
    rel = "notebooks/01_foundation.ipynb"
    (repo / "notebooks").mkdir()
    shutil.copy(NOTEBOOKS_DIR / "01_foundation.ipynb", repo / rel)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "committed form")
    nb = nbformat.read(str(repo / rel), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for count, cell in enumerate(code, start=1):
        cell.execution_count = count
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="武昌区 1\n"),
                        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})]
    code[-1].outputs.append(nbformat.v4.new_output("error", ename="KeyError", evalue="'南山区'", traceback=[]))
    nbformat.write(nb, str(repo / rel))
    assert "image/png" in (repo / rel).read_text(encoding="utf-8")  # the work tree keeps the outputs
    assert git(repo, "diff", "--exit-code").returncode == 0  # git diff shows nothing
    got = stored(repo, rel)  # git add stages nothing (git status listed the file only for its new size)
    assert git(repo, "status", "--porcelain").stdout == ""
    assert json.dumps(got, sort_keys=True) == json.dumps(json.loads((NOTEBOOKS_DIR / "01_foundation.ipynb")
                                                                    .read_text(encoding="utf-8")), sort_keys=True)
    assert [c["id"] for c in got["cells"]] == [c.id for c in nb.cells]
    assert got["metadata"]["kernelspec"]["name"] == KERNEL_NAME
    # control: a real edit of a cell's source still shows in the diff (--quiet: git's verdict without
    # rendering the patch, which would run the textconv on both sides)
    code[0].source += "\n"
    nbformat.write(nb, str(repo / rel))
    assert git(repo, "diff", "--quiet", check=False).returncode == 1


def test_committed_notebooks_are_in_the_form_lab_and_the_filter_keep():
    """Opening in Lab fills language_info from the kernel; committed that way, opening changes nothing.
    And the filter leaves the committed files byte for byte as they are."""
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5), path.name
        assert all(re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", c["id"]) for c in nb["cells"]), path.name
        info = nb["metadata"]["language_info"]
        assert info["name"] == "python" and info["pygments_lexer"] == "ipython3", path.name
        assert {"version", "codemirror_mode", "file_extension", "mimetype"} <= set(info), path.name
    verify = subprocess.run([sys.executable, "-m", "nbstripout", "--keep-id", "--verify", *map(str, NOTEBOOKS)],
                            capture_output=True, text=True)
    assert verify.returncode == 0, f"the filter would change: {verify.stdout}{verify.stderr}"


def test_make_lab_uses_the_environment_config_and_keeps_user_settings(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry = subprocess.run(["make", "-n", "-s", "-C", str(REPO_ROOT), "lab", f"LAB_ROOT={tmp_path}", "ARGS=--port=1"],
                         capture_output=True, text=True)
    command = dry.stdout
    assert f'JUPYTER_CONFIG_DIR="{REPO_ROOT}/.venv/etc/jupyter"' in command, command
    assert f'--ServerApp.root_dir="{tmp_path}"' in command and command.rstrip().endswith("--port=1")
    assert "${JUPYTERLAB_SETTINGS_DIR:-${JUPYTER_CONFIG_DIR:-$HOME/.jupyter}/lab/user-settings}" in command
    shell = subprocess.run(["sh", "-c", 'JUPYTER_CONFIG_DIR=/cfg; echo '
                            '"${JUPYTERLAB_SETTINGS_DIR:-${JUPYTER_CONFIG_DIR:-$HOME/.jupyter}/lab/user-settings}"'],
                           capture_output=True, text=True)
    assert shell.stdout.strip() == "/cfg/lab/user-settings"  # the user's own config folder keeps its settings
    # the open tabs are this checkout's (trial F: a fresh clone reopened another checkout's notebooks and kernels),
    # unless the user names a folder
    assert f'"${{JUPYTERLAB_WORKSPACES_DIR:-{REPO_ROOT}/.venv/share/jupyter/lab/workspaces}}"' in command, command
    assert lab.main([]) == 2 and lab.main(["a", "b"]) == 2


# ---------------------------------------------------------------------------- JupyterLab in Chromium
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _parameters_for_test(path: Path, out_dir: Path) -> None:
    """Point the copy's outputs at out_dir and take a small Monte Carlo (the project's notebooks are untouched)."""
    nb = nbformat.read(str(path), as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source = re.sub(r'^output_dir: str = ".*?"', f'output_dir: str = "{out_dir}"', cell.source, flags=re.M)
    cell.source = re.sub(r"^n_samples: int = \d+", "n_samples: int = 200", cell.source, flags=re.M)
    nbformat.write(nb, str(path))


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """(url, token, repo): the project's JupyterLab on a free port, serving a temporary git repository with
    copies of the notebooks; stopped (kernels too) at the end."""
    # `make lab` first builds the checkout's .venv when it is missing or older than the locks: a test must not
    # start that (minutes of pip, then a timeout), so it asks make (-q: is the target up to date?) beforehand
    venv_ready = subprocess.run(["make", "-q", "-C", str(REPO_ROOT), ".venv/.installed"], capture_output=True).returncode
    need_browser(((Path(sys.prefix) / "bin" / "jupyter-lab").exists(),
                  "JupyterLab is not installed in this environment: make venv (requirements-lab.lock)"),
                 (venv_ready == 0, f"{REPO_ROOT}/.venv is missing or older than the locks, so make lab would build it "
                                   "first: run make venv"))
    base = tmp_path_factory.mktemp("lab")
    repo = make_repo(base / "repo", project_filter())
    (repo / "notebooks").mkdir()
    for path in NOTEBOOKS:
        shutil.copy(path, repo / "notebooks" / path.name)
        _parameters_for_test(repo / "notebooks" / path.name, base / "outputs" / path.stem)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "notebooks as committed")
    port, token = _free_port(), uuid.uuid4().hex
    args = " ".join(["--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
                     "--LabApp.expose_app_in_browser=True"])
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(base / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"), "JUPYTER_DATA_DIR": str(base / "data")}
    log = (base / "server.log").open("w")
    # make lab, as a user starts it (exec: the server is this process, so stopping it stops Lab)
    server = subprocess.Popen(["make", "-s", "-C", str(REPO_ROOT), "lab", f"LAB_ROOT={repo}", f"ARGS={args}"],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited: {(base / 'server.log').read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                return True
        except OSError:
            return False

    try:
        poll(answers, timeout=60, what="JupyterLab to answer (60 s)")
        yield url, token, repo
    finally:
        try:
            request = urllib.request.Request(f"{url}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(request, timeout=10).close()
            server.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):  # make and Lab: their own process group
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        log.close()


# Steps run in Lab's page through window.jupyterapp (LabApp.expose_app_in_browser). Each is the body of
# an async function started by in_page(), which waits for the flag it sets: no promise is held across the
# page/test bridge (playwright sometimes lost long ones as "garbage collected"). window.__nb keeps the
# notebook panel between steps. OPEN's arg.kernel (a kernel id, or null: Lab starts the kernel the notebook's
# metadata names) attaches the notebook to a running kernel, as docmanager:open's documented `kernel` argument does.
OPEN = """const kernel = arg.kernel ? {kernel: {id: arg.kernel}} : {};
  const nb = await window.jupyterapp.commands.execute('docmanager:open',
                                                      {path: arg.path, factory: 'Notebook', ...kernel});
  window.__nb = nb;
  await nb.context.ready;
  await nb.sessionContext.ready;"""
KERNEL_IDLE = "() => window.__nb.sessionContext.session?.kernel?.status === 'idle'"
# preferred: the kernel Lab starts for this notebook's metadata when no kernel is given
STATE = """() => { const context = window.__nb.sessionContext, kernel = context.session.kernel;
  return {dirty: window.__nb.context.model.dirty, kernel: kernel.name, kernelId: kernel.id,
          preferred: context.kernelPreference.name}; }"""
RUN_ALL = """window.__nb.content.activate();
  return await window.jupyterapp.commands.execute('notebook:run-all-cells');"""
MEASURE = """await document.fonts.ready;
  const node = window.__nb.content.node;
  let heading = null;
  for (const h of node.querySelectorAll('.jp-MarkdownOutput h1, .jp-MarkdownOutput h2')) {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    while (!heading && walker.nextNode()) {
      const t = walker.currentNode, m = t.textContent.match(/[\\u3400-\\u9fff]+/);
      if (!m) continue;
      const range = document.createRange();
      range.setStart(t, m.index); range.setEnd(t, m.index + m[0].length);
      const width = [...range.getClientRects()].reduce((a, b) => a + b.width, 0);
      heading = {text: m[0], width, size: parseFloat(getComputedStyle(t.parentElement).fontSize)};
    }
    if (heading) break;
  }
  const images = [...node.querySelectorAll('.jp-OutputArea-output img')];
  await Promise.all(images.map(i => i.decode().catch(() => null)));
  const faces = [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'Noto Sans CJK SC');
  return {heading, faces: faces.map(f => f.status), images: images.map(i => i.naturalWidth),
          check: document.fonts.check('16px "Noto Sans CJK SC"', '武昌区')};"""
SAVE = """await window.jupyterapp.commands.execute('docmanager:save');
  return window.__nb.context.model.dirty;"""
# arg true: keep the kernel running for the next notebook (closing a notebook leaves its kernel by default)
CLOSE = "if (!arg) await window.__nb.sessionContext.shutdown(); window.__nb.dispose();"
# Lab copies the kernel's language_info and kernelspec into the metadata once its info and spec promises resolve
# (NotebookPanel._onKernelChanged): awaiting the same promises, then one task, finds both done (no fixed sleep)
SETTLED = """const kernel = window.__nb.sessionContext.session.kernel;
  await kernel.info; await kernel.spec; await new Promise(done => setTimeout(done, 0));"""
START = """([body, arg]) => { window.__done = undefined;
  const run = new Function('arg', 'return (async () => {' + body + '})()');
  run(arg).then(value => { window.__done = {value}; }, e => { window.__done = {error: String(e && e.stack || e)}; });
}"""


def in_page(page, body: str, arg=None, timeout: float = 60_000):
    """Run ``body`` (of an async JS function of ``arg``) in the page; its return value, or AssertionError."""
    page.evaluate(START, [body, arg])
    page.wait_for_function("() => window.__done !== undefined", timeout=timeout, polling=100)
    done = page.evaluate("() => window.__done")
    assert "error" not in done, done.get("error")
    return done.get("value")


def run_in_lab(page, path: Path, run: bool = True, kernel: str | None = None, keep_kernel: bool = False) -> dict:
    """Open (on the running ``kernel`` if given, else Lab starts one), wait for the kernel, (if ``run``) run all
    and measure, save and close one notebook (shutting its kernel down unless ``keep_kernel``); what was seen."""
    in_page(page, OPEN, {"path": f"notebooks/{path.name}", "kernel": kernel})
    page.wait_for_function(KERNEL_IDLE, timeout=60_000, polling=100)
    in_page(page, SETTLED)
    opened = page.evaluate(STATE)
    seen = {"run": run}
    if run:
        seen["ok"] = in_page(page, RUN_ALL, timeout=180_000)
        page.wait_for_function(KERNEL_IDLE, timeout=60_000, polling=100)
        seen.update(in_page(page, MEASURE))
    dirty_after_save = in_page(page, SAVE)
    in_page(page, CLOSE, keep_kernel)
    return {"dirtyOnOpen": opened["dirty"], "kernel": opened["kernel"], "kernelId": opened["kernelId"],
            "preferred": opened["preferred"], **seen, "dirtyAfterSave": dirty_after_save}


# Control: the same heading measured with a font stack that has no CJK face (boxes are 0.6 em wide).
BOX_WIDTH = """() => {
  const h = document.createElement('h1'); h.style.fontFamily = 'DejaVu Sans'; h.textContent = '武昌区创新';
  document.body.appendChild(h);
  const width = h.firstChild && (() => { const r = document.createRange(); r.selectNodeContents(h);
    return r.getBoundingClientRect().width; })();
  const size = parseFloat(getComputedStyle(h).fontSize); h.remove();
  return {width, size, chars: 5};
}"""


# The notebooks run in Lab (Run All, then measured). One is enough for what only Lab can break: its page
# drawing Chinese with the CJK font, figures shown, and a save *with outputs* that git still sees as the
# committed file. That every notebook runs without error, figure or missing-glyph warning in the project
# kernel, from notebooks/ as Lab runs it, test_notebooks.py checks on each of them (papermill). The
# others are opened, saved and closed: opening must not modify any of them, and after a save git must see
# no change. 01_foundation: the shortest run (~5 s against up to 9 s) with a Chinese heading and a figure.
# The first notebook opened starts its kernel from its metadata, as a user's would; the others open on that same
# kernel (starting and stopping one costs ~0.5 CPU-s and ~0.7 s): Lab still fills their language_info from the live
# kernel's info reply, and each one's metadata must name that kernel (STATE's preferred), so "not modified by
# opening" keeps its meaning.
RUN_IN_LAB = ("01_foundation",)


@pytest.mark.lab
@pytest.mark.browser
@pytest.mark.notebook
def test_notebooks_in_jupyterlab(lab_server, tmp_path):
    """Each notebook in the project's Lab: not modified by opening, project kernel, after saving git sees no
    change at all. Those of RUN_IN_LAB also run without error, draw their Chinese heading with the CJK font,
    show their figures, and save with outputs that git does not see."""
    from playwright.sync_api import sync_playwright

    url, token, repo = lab_server
    remote, errors, results = [], [], {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda r: remote.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            start = time.perf_counter()
            page.goto(f"{url}/lab?token={token}", wait_until="load")
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand("
                                   "'notebook:run-all-cells')", timeout=60_000)
            in_page(page, "await window.jupyterapp.restored;")  # a promise: awaited in the page, as every step
            print(f"Lab page ready: {time.perf_counter() - start:.1f} s")
            boxes = page.evaluate(BOX_WIDTH)
            kernel = None
            for i, path in enumerate(NOTEBOOKS):
                start = time.perf_counter()
                results[path.stem] = run_in_lab(page, path, run=path.stem in RUN_IN_LAB, kernel=kernel,
                                                keep_kernel=i < len(NOTEBOOKS) - 1)
                kernel = kernel or results[path.stem]["kernelId"]
                print(f"{path.stem}: {time.perf_counter() - start:.1f} s in Lab")
        finally:
            browser.close()
    assert not remote, remote  # nothing fetched off the machine (no CDN fonts)
    assert not errors, errors
    box_per_char = boxes["width"] / boxes["chars"] / boxes["size"]
    assert sorted(stem for stem, r in results.items() if r["run"]) == sorted(RUN_IN_LAB)
    assert len({r["kernelId"] for r in results.values()}) == 1, results  # one kernel, started by the first
    # the filter: one `git add` of every saved notebook (one clean-filter run each), then git's status; the
    # diff text is made only for a failure's message
    git(repo, "add", "notebooks")
    status = git(repo, "status", "--porcelain").stdout
    changed = {line[3:] for line in status.splitlines()}
    for stem, r in results.items():
        rel = f"notebooks/{stem}.ipynb"
        assert not r["dirtyOnOpen"], f"{stem}: Lab changed the notebook on open"
        assert r["kernel"] == KERNEL_NAME and r["preferred"] == KERNEL_NAME, (stem, r["kernel"], r["preferred"])
        assert r["dirtyAfterSave"] is False, stem
        # git sees the saved notebook as exactly the committed one
        assert rel not in changed, (f"{stem}: git diff after opening{', running' if r['run'] else ''} and saving in "
                                    f"Lab:\n{git(repo, 'diff', '--cached', '--', rel).stdout[:3000]}")
        got = tmp_path / f"{stem}.ipynb"
        got.write_text(git(repo, "show", f":{rel}").stdout, encoding="utf-8")  # as git stores it (no filter runs)
        assert_committed_shape(got, name=f"{stem} as stored by git after a save in Lab")
        if not r["run"]:
            continue
        assert r["ok"] is True, f"{stem}: a cell failed in Lab"
        assert r["faces"] == ["loaded"] and r["check"], (stem, r)
        heading = r["heading"]
        assert heading, f"{stem}: no Chinese heading rendered"
        per_char = heading["width"] / len(heading["text"]) / heading["size"]
        # CJK glyphs are 1 em wide; a missing-glyph box 0.6 em (measured as box_per_char on this page)
        assert per_char > 0.9 and (box_per_char >= 0.9 or per_char > box_per_char + 0.2), (stem, heading, boxes)
        assert r["images"] and all(w > 0 for w in r["images"]), (stem, r["images"])
        saved = nbformat.read(str(repo / rel), as_version=4)  # the work tree keeps what Lab saved
        outputs = [o for c in saved.cells if c.cell_type == "code" for o in c.outputs]
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{stem}: the saved file has no figure"
        assert not [o for o in outputs if o.output_type == "error"], stem
        assert not GLYPH_WARNING.search(json.dumps(outputs, ensure_ascii=False)), f"{stem}: missing-glyph warning"
    assert status == ""  # after git add: nothing to commit
