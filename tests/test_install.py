"""The built wheel runs outside the repository: its templates, registry and glossary travel inside it.

Builds the wheel from a copy of the sources, installs it into a fresh virtual environment (no
system site-packages; dependencies from the package index, reusing pip's cache), and runs
`briefing run` on a tiny folder from an unrelated working directory.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "briefing", "prompts",
           "models/registry.toml", "models/glossary.tsv"]
ARTICLES = {
    "harbour.txt": "Harbour council approves new ferry route\n\nThe harbour council approved a new ferry "
    "route on 3 March 2026, officials said. The route will carry 1,200 passengers a day. "
    "Council members voted 7 to 2 in favour of the plan.\n",
    "ferry.txt": "Ferry route wins council vote\n\nA new ferry route was approved by the harbour council "
    "on 3 March 2026. The council said the route would carry 1,200 passengers a day. "
    "Two members voted against it, citing costs.\n",
}


def _index_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=3).close()
        return True
    except OSError:
        return False


def _copy_sources(target: Path) -> None:
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_repository(tmp_path):
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        pytest.skip("pip is not available")
    source, dist, venv, work = (tmp_path / n for n in ("src", "dist", "venv", "work"))
    _copy_sources(source)
    # Build with this environment's setuptools when it has one (fast, offline); else in pip's
    # isolated build environment, which fetches setuptools from the index.
    local_build = ["--no-build-isolation"] if importlib.util.find_spec("setuptools") else []
    if not local_build and not _index_reachable():
        pytest.skip("no setuptools here and the package index is not reachable to fetch it")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", *local_build, "-q",
                    "-w", str(dist), str(source)], check=True, capture_output=True)
    wheel = next(dist.glob("briefing-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for resource in ("prompts/brief.md.j2", "models/registry.toml", "models/glossary.tsv"):
        assert f"briefing/_resources/{resource}" in names
    for language in ("en", "ko"):
        assert f"briefing/data/lang/{language}/labels.toml" in names

    if not _index_reachable():
        pytest.skip("the package index is not reachable to install the wheel's dependencies")
    if subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True).returncode != 0:
        pytest.skip("cannot create a virtual environment with pip here (ensurepip missing)")
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    installed = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                                str(wheel)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-2000:]

    (work / "news").mkdir(parents=True)
    for name, text in ARTICLES.items():
        (work / "news" / name).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "PYTHON", "VIRTUAL_ENV"))}
    env["BRIEFING_CACHE_DIR"] = str(tmp_path / "cache")
    env["BRIEFING_CONFIG_DIR"] = str(tmp_path / "config")  # no user settings: the packaged ones only
    done = subprocess.run([str(bindir / "briefing"), "run", "news", "--out", "out", "--date", "2026-03-04",
                           "--embedder", "lexical", "--quiet"], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    folder = work / "out" / "2026-03-04"
    assert sorted(p.name for p in folder.iterdir()) == ["brief.en.md", "brief.json", "brief.ko.md"]
    assert "ferry" in (folder / "brief.en.md").read_text(encoding="utf-8").lower()
    # the package imported is the installed one, not this checkout
    where = subprocess.run([str(bindir / "python"), "-c", "import briefing; print(briefing.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout
    assert str(venv) in where and str(ROOT) not in where


def test_user_settings_override_the_packaged_resources(tmp_path, monkeypatch):
    """Own templates (BRIEFING_PROMPTS_DIR first, then the settings folder), registry entries and
    glossary terms are used over or beside the packaged ones."""
    from briefing.brief.render import render_markdown
    from briefing.model import Brief
    from briefing.seq2seq.registry import load_prompt, load_registry
    from briefing.translate.guards import Glossary

    config, prompts = tmp_path / "config", tmp_path / "prompts"
    (config / "prompts").mkdir(parents=True)
    prompts.mkdir()
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(config))
    monkeypatch.setenv("BRIEFING_PROMPTS_DIR", str(prompts))
    packaged = load_registry()
    (prompts / "brief.en.md.j2").write_text("OWN TEMPLATE {{ brief.date }}\n", encoding="utf-8")
    (config / "prompts" / "summarise.t5.txt").write_text("own: {text}", encoding="utf-8")
    (config / "registry.toml").write_text(
        '[models.own-model]\nid = "someone/own-model"\ntask = "summarise"\narchitecture = "t5"\nlicence = "MIT"\n'
        '[jobs.summarise-en]\ndefault = "own-model"\n', encoding="utf-8")
    (config / "glossary.tsv").write_text("harbour council\t항만 위원회\n", encoding="utf-8")

    assert render_markdown(Brief(date="2026-03-04", title="t", stories=[], also_reported=[], sources=[], engines={}), "en").startswith("OWN TEMPLATE 2026-03-04")
    assert load_prompt("summarise.t5.txt") == "own: {text}"
    assert load_prompt("translate.plain.txt") == "{text}"  # not overridden: the packaged one
    registry = load_registry()
    assert registry.default("summarise-en").key == "own-model"
    assert set(packaged.models) < set(registry.models)
    terms = {t.en: t.ko for t in Glossary.load().terms}
    assert terms["harbour council"] == "항만 위원회" and len(terms) > 1

    monkeypatch.setenv("BRIEFING_REGISTRY", str(tmp_path / "missing.toml"))
    with pytest.raises(FileNotFoundError):
        load_registry()
