"""nbgrader preprocessors: run a submission in an isolated kernel, then judge it in this process.

Autograde pipeline: SandboxedExecute -> JudgeOutputs -> nbgrader's own scoring (SaveAutoGrades).
Feedback pipeline: HideGraderDetails before nbgrader's HTML export.
"""
import asyncio
import json
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from traitlets import Float, Unicode

import assignments
from assignments.payload import MAX_PAYLOAD_BYTES, MIME_TYPE
from assignments.tasks import self_check_seed

from .duplicates import duplicate_note
from .kernel import GradingKernelManager, kernel_environment
from .seeds import course_secret, student_seed
from .verdicts import METADATA_KEY, fail_closed, verdict_outputs
from .verify import KINDS, cell_task, verify

KIT = Path(assignments.__file__).parent


class KernelStopped(Exception):
    """The kernel died or stopped answering; the remaining cells are not run."""


class SandboxedExecute(Execute):
    """nbgrader's Execute, hardened: the grader's kit, an isolated kernel, a recorded seed, and a
    submission that kills or hangs its kernel is stopped there and graded on what ran."""

    course_root = Unicode(".", help="The course directory (holds the grading secret).").tag(config=True)
    hung_grace = Float(10.0, help="Seconds a kernel gets to answer after a timed-out cell.").tag(config=True)

    def __init__(self, **kw):
        kw.setdefault("kernel_manager_class", GradingKernelManager)
        super().__init__(**kw)

    def preprocess(self, nb, resources=None, km=None):
        info = resources["nbgrader"]
        seed = student_seed(course_secret(self.course_root), info["assignment"], info["student"], info["notebook"])
        record = nb.metadata.setdefault(METADATA_KEY, {})
        record.update({"seed": seed, "stopped": ""})
        install_kit(Path(resources["metadata"]["path"]))

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        try:
            with tempfile.TemporaryDirectory(prefix="backprop-kernel-") as scratch, \
                    self.setup_kernel(env=kernel_environment(seed, scratch), stderr=subprocess.DEVNULL):
                for index, cell in enumerate(self.nb.cells):
                    self.run_cell(cell, index)
        except KernelStopped as stop:
            record["stopped"] = str(stop)
        except DeadKernelError:
            record["stopped"] = "the kernel died (the notebook crashed or exited the Python process)"
        return self.nb, self.resources

    def run_cell(self, cell, index):
        try:
            self.execute_cell(cell, index, store_history=True)
        except DeadKernelError:
            raise KernelStopped(f"the kernel died while running cell {index + 1} (it crashed or called exit)")
        except CellTimeoutError:  # nbclient gave up waiting for the interrupted cell's outputs
            cell.outputs.append(nbformat.v4.new_output("error", **self.error_on_timeout))
        timed_out = any(o.get("ename") == self.error_on_timeout["ename"] for o in cell.get("outputs", []))
        if timed_out and not run_sync(self.responds)():
            raise KernelStopped(f"cell {index + 1} ran longer than {self.timeout} s and ignored the interrupt")

    async def responds(self):
        """True when the kernel answers a trivial request within hung_grace seconds."""
        msg_id = self.kc.execute("pass", store_history=False)
        try:
            async with asyncio.timeout(self.hung_grace):
                while True:
                    reply = await self.kc.get_shell_msg()
                    if reply["parent_header"].get("msg_id") == msg_id:
                        return True
        except (TimeoutError, asyncio.TimeoutError):
            return False


def install_kit(folder):
    """Replace whatever kit the submission carries with the grader's own copy."""
    target = folder / "assignments"
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    shutil.copytree(KIT, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


class JudgeOutputs(NbGraderPreprocessor):
    """Replace every output of every auto-graded cell with the grader's verdict."""

    def preprocess(self, nb, resources):
        record = nb.metadata.get(METADATA_KEY, {})
        for cell in nb.cells:
            nbgrader = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or not nbgrader.get("grade") or nbgrader.get("solution"):
                continue
            try:
                judgement = self.judge_cell(cell, record)
            except Exception as error:  # fail closed: a cell we could not judge earns nothing
                judgement = fail_closed(nbgrader.get("grade_id", "?"), f"the grader failed ({type(error).__name__})")
            judgement = with_duplicate_note(judgement, nbgrader.get("grade_id", ""), record.get("duplicates", {}))
            points = float(nbgrader.get("points", 0))
            cell.outputs = verdict_outputs(judgement, points)
            cell.metadata[METADATA_KEY] = {"message": judgement.message, "passed": judgement.passed,
                                           "total": judgement.total}
        return nb, resources

    def judge_cell(self, cell, record):
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        found = cell_task(grade_id)
        if found is None:
            return fail_closed(grade_id, "this graded cell has no verification in the grader")
        kind, name = found
        payloads = [o["data"][MIME_TYPE] for o in cell.get("outputs", [])
                    if o.get("output_type") in ("display_data", "execute_result") and MIME_TYPE in o.get("data", {})]
        payloads = [p for p in payloads if isinstance(p, dict) and p.get("task") == name]
        if len(payloads) != 1:
            return fail_closed(name, self.why_no_payload(cell, record, len(payloads), kind))
        if len(json.dumps(payloads[0])) > MAX_PAYLOAD_BYTES:
            return fail_closed(name, "the collected outputs are too large")
        seed = self_check_seed(record["seed"]) if kind == "check_" else record["seed"]
        return verify(name, seed, payloads[0].get("cases"))

    @staticmethod
    def why_no_payload(cell, record, count, kind):
        what = KINDS[kind]
        if count > 1:
            return f"the {what} cell produced {count} sets of outputs; only one is expected"
        if record.get("stopped"):
            return f"not graded: {record['stopped']}"
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if any(o.get("ename") in ("CellTimeoutError", "KeyboardInterrupt") for o in errors):
            return f"the {what} cell ran past the time limit and was stopped (an endless loop?)"
        if errors:
            return f"the {what} cell raised {errors[-1].get('ename')}: {errors[-1].get('evalue', '')[:200]}"
        return f"the {what} cell did not run"


def with_duplicate_note(judgement, grade_id, duplicates):
    found = cell_task(grade_id)
    note = duplicate_note(grade_id, found[1], duplicates) if found else ""
    if not note:
        return judgement
    return replace(judgement, message=f"{judgement.message}; {note}" if judgement.message else note)


class HideGraderDetails(ClearHiddenTests):
    """For feedback: hide hidden-test source and any absolute path of the course directory."""

    course_root = Unicode(".").tag(config=True)

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        root = str(Path(self.course_root).resolve())
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                scrub(output, root)
        return nb, resources


def scrub(node, root):
    """Replace the course root in every string inside an output, in place."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        if isinstance(value, str) and root in value:
            node[key] = value.replace(root, "<course>")
        elif isinstance(value, (dict, list)):
            scrub(value, root)
