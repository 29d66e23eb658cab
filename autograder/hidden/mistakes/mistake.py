"""One known mistake: mistaken functions or text edits to a solution cell, and how to plant it."""
import inspect
import re
from dataclasses import dataclass, field

from ..reference import NAMESPACE
from ..solutions import solution_source


@dataclass(frozen=True)
class Mistake:
    task: str
    hint: str  # in the student's terms: what their output matches
    overrides: dict = field(default_factory=dict)  # object name -> mistaken function
    edits: dict = field(default_factory=dict)  # object name -> ((old text, new text), ...) on its solution
    name: str = ""

    @property
    def slug(self):
        return self.name or next(iter(self.overrides.values())).__name__

    def sources(self):
        """{object name: the code a student making this mistake would have in that object's cell}."""
        if self.overrides:
            return {name: renamed_source(function, name) for name, function in self.overrides.items()}
        sources = {}
        for name, replacements in self.edits.items():
            source = solution_source(name)
            for old, new in replacements:
                if old not in source:
                    raise ValueError(f"mistake {self.slug}: {old!r} is not in the solution of {name}")
                source = source.replace(old, new)
            sources[name] = source
        return sources

    def implementations(self):
        """{object name: mistaken object}, for the grader to run."""
        namespace = dict(NAMESPACE)
        self.plant_into(namespace)
        return {name: namespace[name] for name in (self.overrides or self.edits)}

    def plant_into(self, namespace):
        """Put the mistaken objects into `namespace`; edited cells run in it, so they look names up there."""
        if self.overrides:
            namespace.update(self.overrides)
        for source in ({} if self.overrides else self.sources()).values():
            exec(compile(source, f"<mistake {self.slug}>", "exec"), namespace)


def renamed_source(function, name):
    """A mistaken function's source, renamed to the object it stands in for."""
    return re.sub(rf"def {function.__name__}\(", f"def {name}(", inspect.getsource(function), count=1)
