"""Where `briefing review` may read cited files from when no `--sources` is given.

The root is the current directory when the draft lies under it (`review outputs/DATE/brief.en.md`
run in the project finds `seeds/`), else the draft's own folder. Run from `/` or the home folder,
that rule would hand a draft the whole disk: so the root is never `/` or the home folder itself,
nor above the draft's repository (the nearest of its folders holding .git, .hg or .svn). Such a
root is narrowed to the repository, else to the folder that holds the run's `--out` folder (for
a draft beside its brief.json, OUT/DATE/brief.en.md), else to the draft's own folder; a draft
lying in `/` or the home folder itself has no root, and every citation says to pass `--sources`.
"""

from __future__ import annotations

from pathlib import Path

VCS_MARKERS = (".git", ".hg", ".svn")
PASS_SOURCES = "pass --sources DIR, the folder of the cited articles"


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def _forbidden(folder: Path) -> bool:
    return folder == folder.parent or folder == _home()


def repository_root(folder: Path) -> Path | None:
    """The nearest of `folder` and its parents that is a VCS checkout's root, if any."""
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in VCS_MARKERS):
            return candidate
    return None


def default_root(draft_folder: Path, cwd: Path) -> Path | None:
    """The sources root for a draft in `draft_folder` (both resolved), or None (see the module docstring)."""
    root = cwd if draft_folder.is_relative_to(cwd) else draft_folder
    repository = repository_root(draft_folder)
    too_wide = _forbidden(root) or (repository is not None and repository != root and repository.is_relative_to(root))
    if not too_wide:
        return root
    run_project = draft_folder.parent.parent if (draft_folder / "brief.json").is_file() else None
    for candidate in (repository, run_project, draft_folder):
        if candidate is not None and candidate.is_relative_to(root) and not _forbidden(candidate):
            return candidate
    return None
