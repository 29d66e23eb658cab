"""Known solutions (past submissions, downloaded public repositories) split into named definitions.

A .py file or a notebook (its code cells joined) gives one piece per top-level function or class, matched
to the graded object of the same name, and the whole file, compared with every object the file does not
define by name (a renamed or inlined copy still matches).
"""
import ast
import json
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class KnownPiece:
    source: str      # the file under its folder's name: "cs231n-2019/layers.py"
    name: str | None  # the definition's name; None for the whole file
    code: str


def notebook_cells(text):
    """The code cells of a notebook's JSON text; IPython magics and shell lines dropped."""
    cells = json.loads(text).get("cells", [])
    sources = ["".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source", "")
               for c in cells if c.get("cell_type") == "code"]
    return ["\n".join(line for line in s.splitlines() if not line.lstrip().startswith(("%", "!"))) for s in sources]


def definitions(chunks):
    """{name: source} of the top-level functions and classes of each chunk of code that parses (a notebook's
    cells one by one: one broken cell does not hide the others); a later definition wins, as in Python."""
    found = {}
    for code in chunks:
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError):
            continue
        found.update({node.name: ast.get_source_segment(code, node) for node in tree.body
                      if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))})
    return found


def known_pieces(folders):
    """[KnownPiece] from every .py and .ipynb file under the folders -> (pieces, [(file, problem)])."""
    pieces, problems = [], []
    folders = [Path(folder) for folder in folders]
    names = [folder.name for folder in folders]
    for folder in folders:
        root = Path(folder.name) if names.count(folder.name) == 1 else folder  # two folders called "2019": full paths
        for path in sorted(p for p in folder.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
            label = str(root / path.relative_to(folder))
            try:
                text = path.read_text(encoding="utf-8")
                chunks = notebook_cells(text) if path.suffix == ".ipynb" else [text]
            except (UnicodeDecodeError, ValueError, KeyError, AttributeError, TypeError) as error:
                problems.append((label, f"unreadable ({type(error).__name__})"))
                continue
            pieces += [KnownPiece(label, name, source) for name, source in definitions(chunks).items()]
            pieces.append(KnownPiece(label, None, "\n\n".join(chunks)))
    return pieces, problems
