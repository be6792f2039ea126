"""Copies the top-level resources into the package when a wheel (or sdist install) is built.

prompts/ and models/{registry.toml,glossary.tsv} stay at the repository's top level; the built
package carries them as briefing/_resources/, where briefing.settings reads them with
importlib.resources. An editable install reads them from the checkout instead.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = {"prompts": ["*.j2", "*.txt"], "models": ["registry.toml", "glossary.tsv"]}


class BuildWithResources(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder, patterns in RESOURCES.items():
            for pattern in patterns:
                for source in sorted(Path(folder).glob(pattern)):
                    target = Path(self.build_lib, "briefing", "_resources", folder, source.name)
                    self.mkpath(str(target.parent))
                    self.copy_file(str(source), str(target))


setup(cmdclass={"build_py": BuildWithResources})
