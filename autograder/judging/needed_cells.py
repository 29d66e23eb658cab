"""Which cells of a submission grading needs to run, decided from the names the cells define and use.

Grading needs: the given setup cells (every given code cell above the first solution cell), every cell
the student wrote or changed (solution cells, added cells, given cells whose source differs from the
release's), the graded cells, and the given cells those depend on, found by the names each cell binds
and reads (`ast`), to a fixed point. The rest, given experiment and plot cells whose results no graded
cell reads, need not run: their points are none, and the trained models are judged on their recipe.

A cell whose names cannot be decided runs, and so does every cell above it: `exec`, `eval`,
`globals()`, `locals()`, `vars()`, star imports, IPython magics and shell escapes (`get_ipython()`
after IPython's own transformation), `sys.modules`, or source that does not parse. The one exception is
the kit's call `check("name", globals())` / `probe("name", globals())` of a graded cell: the kit reads,
by contract, only the objects the solution cells define (and what the setup cell loads), so such a cell
reads the solution cells' names.

What the analysis cannot see, and why it is safe here: a given cell that changes a needed object
through a function call (`helper(ACTIVATIONS)`), a module's state through its functions
(`np.random.seed(0)`: the kit seeds whatever it runs) or writes a file a later cell reads. Given cells are
the instructor's own and are fixed; a student's edit of one makes it a changed cell, which always runs.
"""
import ast
import symtable
from dataclasses import dataclass, field

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

DYNAMIC_CALLS = frozenset({"exec", "eval", "globals", "locals", "vars", "get_ipython", "__import__", "compile"})
KIT_CALLS = frozenset({"check", "probe"})


@dataclass
class Names:
    """What one cell binds (or changes in place) and reads at module level or in its bodies."""
    defines: set = field(default_factory=set)
    uses: set = field(default_factory=set)
    decidable: bool = True
    kit_call: bool = False  # check("name", globals()) or probe("name", globals()): reads the solution cells' names
    changed: set = field(default_factory=set)  # globals whose methods it calls: x.append(...) may change x
    imported: set = field(default_factory=set)  # names bound by imports: np.random.seed(0) changes no object


def cell_names(source):
    """The Names of one code cell's source (IPython syntax allowed): module-level bindings, and the global
    names it or any function or class in it reads or binds (`symtable` resolves the scopes)."""
    try:
        python = TransformerManager().transform_cell(source)
        tree, table = ast.parse(python), symtable.symtable(python, "<cell>", "exec")
    except (SyntaxError, ValueError):  # the cell fails when run; running it is what grading would do
        return Names(decidable=False)
    if is_kit_call(tree):
        return Names(uses={"check", "probe"}, kit_call=True)
    names = Names()
    scope_names(table, names, module=True)
    names.imported = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                      if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
    stored, changed = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and (node.id in DYNAMIC_CALLS or node.id == "__builtins__"):
            names.decidable = False
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and any(alias.name == "*" for alias in node.names):
            names.decidable = False
        elif isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
            stored.add(base_name(node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            changed.add(base_name(node.func.value))
        if isinstance(node, ast.Attribute) and node.attr == "modules" and base_name(node.value) == "sys":
            names.decidable = False
    own = names.uses | names.defines  # only a global can change another cell's state
    names.defines |= stored & own  # x.a = ..., x[i] = ..., del x[i], np.maximum = ...: x (or np) changes
    names.changed = changed & own
    return names


def scope_names(table, names, module=False):
    """Add the global names a symbol table (and its children) reads and binds to names."""
    for symbol in table.get_symbols():
        if module:
            if symbol.is_referenced():
                names.uses.add(symbol.get_name())
            if symbol.is_assigned() or symbol.is_imported():
                names.defines.add(symbol.get_name())
        elif symbol.is_global():
            if symbol.is_referenced():
                names.uses.add(symbol.get_name())
            if symbol.is_declared_global() and symbol.is_assigned():
                names.defines.add(symbol.get_name())
    for child in table.get_children():
        scope_names(child, names)


def base_name(node):
    """The name an attribute or subscript chain starts from (`a` of a.b[0].c), or None."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def is_kit_call(tree):
    """True for a graded cell's body: (an import of the kit and) check/probe("name", globals()) only."""
    calls = [statement.value for statement in tree.body if isinstance(statement, ast.Expr)]
    others = [s for s in tree.body if not isinstance(s, (ast.Expr, ast.ImportFrom))]
    if others or len(calls) != 1:
        return False
    call = calls[0]
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in KIT_CALLS
            and len(call.args) == 2 and not call.keywords and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str) and isinstance(call.args[1], ast.Call)
            and isinstance(call.args[1].func, ast.Name) and call.args[1].func.id == "globals"
            and not call.args[1].args)


def given_sources(release_nb):
    """The sources of the code cells the release gives (neither solution nor graded), stripped."""
    return {cell.source.strip() for cell in release_nb.cells
            if cell.cell_type == "code" and not is_solution(cell) and not is_graded(cell)}


def is_solution(cell):
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def is_graded(cell):
    return bool(cell.metadata.get("nbgrader", {}).get("grade"))


def needed_cells(nb, release_nb):
    """Indices of the code cells of `nb` that grading must run; release_nb: the notebook as released
    (None: every code cell is needed)."""
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    if release_nb is None:
        return set(code)
    given = given_sources(release_nb)
    first_solution = next((i for i in code if is_solution(nb.cells[i])), len(nb.cells))
    names = {i: cell_names(nb.cells[i].source) for i in code}
    modules = set().union(*(names[i].imported for i in code))
    binds = {i: names[i].defines | (names[i].changed - modules) for i in code}  # np.random.seed(0) binds nothing
    solution_names = set().union(*(binds[i] for i in code if is_solution(nb.cells[i])))

    def always(i):
        cell = nb.cells[i]
        return (i < first_solution or is_solution(cell) or is_graded(cell)
                or cell.source.strip() not in given or not names[i].decidable)

    needed = {i for i in code if always(i)}
    while True:
        undecided = [i for i in needed if not names[i].decidable]
        added = {j for i in undecided for j in code if j < i}  # it may read anything above it
        read = set().union(*(names[i].uses | (solution_names if names[i].kit_call else set()) for i in needed))
        added |= {i for i in code if binds[i] & read}
        if added <= needed:
            return needed
        needed |= added


NOT_RERUN = "[not re-run by the grader: no graded cell needs this cell; its outputs are the ones submitted]\n"


def keep_as_submitted(cell, submitted):
    """Give a cell the grader did not run the outputs it had in the submitted notebook (found by cell id,
    else by source), after a note saying so; submitted: that notebook, or None."""
    cells = submitted.cells if submitted is not None else []
    match = (next((c for c in cells if c.get("id") and c.get("id") == cell.get("id")), None)
             or next((c for c in cells if c.cell_type == "code" and c.source == cell.source), None))
    outputs = list(match.get("outputs", [])) if match is not None else []
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=NOT_RERUN), *outputs]
    cell.execution_count = None
