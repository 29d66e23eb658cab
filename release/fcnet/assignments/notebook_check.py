"""`python -m assignments check NOTEBOOK`: run a notebook as saved and report each self-check as it runs."""
import subprocess
from pathlib import Path

from .saved_state import staleness_warnings, when_saved


def self_check_results(path, timeout=60, report=None):
    """Run the notebook top to bottom -> [(object name, passed, one-line message)] per self-check cell.

    report(name, passed, line), when given, is called as soon as each self-check cell has run.
    """
    import nbformat  # imported here, so the first lines appear before these slow imports
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    done = {}

    def cell_executed(cell, cell_index, **_):
        name = checked_object(cell)
        if name:
            done[cell_index] = (name, *cell_result(cell))
            if report:
                report(*done[cell_index])

    client = NotebookClient(nb, timeout=timeout, allow_errors=True, on_cell_executed=cell_executed,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(stderr=subprocess.DEVNULL)
    except DeadKernelError:
        pass  # cells after the crash have no outputs and are reported as not run
    not_run = [(index, checked_object(cell)) for index, cell in enumerate(nb.cells)
               if checked_object(cell) and index not in done]
    for index, name in not_run:
        done[index] = (name, False, "the cell did not run (the kernel stopped before it)")
        if report:
            report(*done[index])
    return [done[index] for index in sorted(done)]


def checked_object(cell):
    """The object a self-check cell checks, or None for any other cell."""
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
    return grade_id[len("check_"):] if grade_id.startswith("check_") else None


def cell_result(cell):
    """(passed, one line) from a self-check cell's outputs: a ✘ line it displayed, an error, or its ✔ line."""
    outputs = cell.get("outputs", [])
    errors = [o for o in outputs if o.output_type == "error"]
    if errors:
        return False, f"{errors[0].ename}: {errors[0].evalue}".removeprefix("SelfCheckFailed: ")
    shown = [o.data.get("text/plain", "") for o in outputs if o.output_type == "display_data"]
    failures = [text for text in shown if text.startswith("✘")]
    if failures:
        return False, failures[-1]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream").strip()
    return (True, text.splitlines()[-1]) if text else (False, "the cell did not run")


def print_line(name, passed, line):
    print(line if passed or line.startswith("✘") else f"✘ {name}: {line}", flush=True)


def main(path):
    path = Path(path)
    if not path.exists():
        print(f"no notebook at {path}")
        return 2
    print(f"checking {path.name} as saved {when_saved(path)}; unsaved changes in JupyterLab are not checked",
          flush=True)
    for warning in staleness_warnings(path):
        print(f"warning: {warning}", flush=True)
    print("running it in a fresh kernel; each self-check's line appears as soon as it has run\n", flush=True)
    results = self_check_results(path, report=print_line)
    failed = sum(not passed for _, passed, _ in results)
    print(f"\n{len(results) - failed} of {len(results)} self-checks pass")
    return 0 if results and not failed else 1
