"""`python -m assignments check NOTEBOOK`: run a notebook and report every self-check cell."""
import subprocess
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError


def self_check_results(path, timeout=60):
    """Run the notebook top to bottom -> [(object name, passed, one-line message)] per self-check cell."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, allow_errors=True, resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(stderr=subprocess.DEVNULL)
    except DeadKernelError:
        pass  # cells after the crash have no outputs and are reported as not run
    results = []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("check_"):
            results.append((grade_id[len("check_"):], *cell_result(cell)))
    return results


def cell_result(cell):
    errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
    if errors:
        return False, f"{errors[0].ename}: {errors[0].evalue}".removeprefix("SelfCheckFailed: ")
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream").strip()
    return (True, text.splitlines()[-1]) if text else (False, "the cell did not run")


def main(path):
    if not Path(path).exists():
        print(f"no notebook at {path}")
        return 2
    results = self_check_results(path)
    for name, passed, line in results:
        print(line if passed or line.startswith("✘") else f"✘ {name}: {line}")
    failed = sum(not passed for _, passed, _ in results)
    print(f"\n{len(results) - failed} of {len(results)} self-checks pass")
    return 0 if results and not failed else 1
