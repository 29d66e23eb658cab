"""nbgrader preprocessors: run a submission in an isolated kernel, then judge it in this process.

Autograde pipeline: SandboxedExecute -> JudgeOutputs -> nbgrader's own scoring (SaveAutoGrades).
Feedback pipeline: HideGraderDetails before nbgrader's HTML export.
"""
import asyncio
import json
import shutil
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from traitlets import Bool, Enum, Float, Int, Unicode

from assignments.judge import Judgement
from assignments.payload import MAX_PAYLOAD_BYTES, MIME_TYPE
from assignments.tasks import self_check_seed

from ..hidden.solutions import use_course
from ..isolation.kernel import KIT, copy_submission
from ..isolation.kernel_pool import POOL, KernelStartError, claim_code
from ..isolation.renamed import renamed_from, renamed_note
from ..isolation.sandbox import Limits, SandboxError, check_sandbox, limit_reason
from ..isolation.submission import SubmissionError, linked_path, unsafe_entries
from .cell_order import moved_note
from .duplicates import duplicate_note
from .needed_cells import keep_as_submitted, needed_cells
from .seeds import course_secret, student_seed
from .verdicts import METADATA_KEY, fail_closed, verdict_outputs
from .verify import KINDS, cell_task, verify


class KernelStopped(Exception):
    """The kernel died or stopped answering; the remaining cells are not run."""


class SandboxedExecute(Execute):
    """nbgrader's Execute, hardened: the grader's kit, a sandboxed kernel in its own copy of the
    submission, a recorded seed, and a submission that kills or hangs its kernel is stopped there and
    graded on what ran."""

    course_root = Unicode(".", help="The course directory (holds the grading secret).").tag(config=True)
    hung_grace = Float(10.0, help="Seconds a kernel gets to answer after a timed-out cell.").tag(config=True)
    sandboxed = Bool(True, help="Run the kernel in the bubblewrap sandbox (False: --unsandboxed).").tag(config=True)
    memory_mb = Int(Limits.memory_mb, help="Address space of the kernel, MiB.").tag(config=True)
    processes = Int(Limits.processes, help="Processes and threads of the kernel.").tag(config=True)
    file_size_mb = Int(Limits.file_size_mb, help="Largest file the kernel may write, MiB.").tag(config=True)
    cpu_seconds = Int(Limits.cpu_seconds, help="CPU time of the kernel, seconds.").tag(config=True)
    disk_mb = Int(Limits.disk_mb, help="All the kernel may write, MiB.").tag(config=True)
    shutdown_kernel = Enum(["graceful", "immediate"], "immediate",
                           help="Kill the kernel (and its sandbox) when its notebook is done: nothing in it is "
                           "needed any more, and a graceful stop costs a second per notebook.").tag(config=True)
    run_only_needed = Bool(False, help="Run only the cells grading needs (autograder.judging.needed_cells); the "
                           "others keep their submitted outputs, marked. False: run every cell.").tag(config=True)

    @property
    def limits(self):
        return Limits(self.memory_mb, self.processes, self.file_size_mb, self.cpu_seconds, self.disk_mb)

    def preprocess(self, nb, resources=None, km=None):
        info = resources["nbgrader"]
        if self.sandboxed:
            require_sandbox(self.limits)
        linked = links_in_submission(self.course_root, info["student"], info["assignment"], info["notebook"])
        seed = student_seed(course_secret(self.course_root), info["assignment"], info["student"], info["notebook"])
        record = nb.metadata.setdefault(METADATA_KEY, {})
        original = renamed_from(Path(self.course_root, "submitted", info["student"], info["assignment"]),
                                info["notebook"])
        record.update({"seed": seed, "stopped": "", "sandbox": "on" if self.sandboxed else "off",
                       "limits": self.limits.describe(), "limit_hit": "",
                       "renamed": renamed_note(original, info["notebook"]) if original else ""})

        skipped = self.cells_to_skip(nb, info)
        record["not_rerun"] = len(skipped)
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        try:  # forked while the grader recorded the student's last notebook, or in a sandbox started ahead
            kernel = POOL.take((self.sandboxed, self.limits), self.config, self.startup_timeout,
                               owner=(str(Path(self.course_root).resolve()), info["student"], info["assignment"]))
        except KernelStartError as error:
            record["stopped"] = str(error)
            return self.nb, self.resources
        try:
            self.kernel, self.km, self.kc = kernel, kernel.km, kernel.kc
            work = Path(kernel.scratch, "work")
            copy_submission(Path(resources["metadata"]["path"]), work, skip=linked)
            install_kit(work)
            try:
                with self.setup_kernel():
                    self.kc.allow_stdin = False
                    run_sync(self.claim)(claim_code(seed, self.sandboxed, self.timeout))
                    for index, cell in enumerate(self.nb.cells):
                        if index in skipped:
                            keep_as_submitted(cell, skipped[index])
                        else:
                            self.run_cell(cell, index, record)
            except KernelStopped as stop:
                record["stopped"] = str(stop)
            except DeadKernelError:
                record["stopped"] = f"the kernel died ({self.kernel.exit_reason()})"
        finally:
            POOL.finish(kernel, more=notebooks_after(self.course_root, info))
        return self.nb, self.resources

    def cells_to_skip(self, nb, info):
        """{index: submitted notebook} of the code cells not to run (none unless run_only_needed)."""
        if not self.run_only_needed:
            return {}
        release_nb = readable(Path(self.course_root, "release", info["assignment"], info["notebook"] + ".ipynb"))
        submitted = readable(Path(self.course_root, "submitted", info["student"], info["assignment"],
                                  info["notebook"] + ".ipynb"))
        needed = needed_cells(nb, release_nb)
        return {i: submitted for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and i not in needed}

    def run_cell(self, cell, index, record):
        try:
            self.execute_cell(cell, index, store_history=True)
        except DeadKernelError:
            raise KernelStopped(f"the kernel died while running cell {index + 1} ({self.kernel.exit_reason()})")
        except CellTimeoutError:  # nbclient gave up waiting for the interrupted cell's outputs
            cell.outputs.append(nbformat.v4.new_output("error", **self.error_on_timeout))
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        hit = next((limit_reason(f"{o.get('ename')}: {o.get('evalue')}", self.limits) for o in errors), "")
        if hit and not record["limit_hit"]:
            record["limit_hit"] = f"{hit} in cell {index + 1}"
        timed_out = any(o.get("ename") == self.error_on_timeout["ename"] for o in errors)
        if timed_out and not run_sync(self.responds)():
            raise KernelStopped(f"cell {index + 1} ran longer than {self.timeout} s and ignored the interrupt")

    async def claim(self, code):
        """Run the kernel's claim code (autograder.isolation.kernel_pool.claim_code) before any cell."""
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        while True:
            reply = await self.kc.get_shell_msg(timeout=self.startup_timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                if reply["content"].get("status") != "ok":
                    raise KernelStopped("the grading kernel could not be given the submission")
                return

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


@lru_cache(maxsize=None)
def require_sandbox(limits):
    """Raise SandboxError unless a sandboxed Python starts on this machine (checked once per grading
    process; `grade` checks again at the start of every batch)."""
    problem = check_sandbox(limits)
    if problem:
        raise SandboxError(problem)


def readable(path):
    """The notebook at path, or None when there is none that nbformat can read."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception:
        return None


def links_in_submission(course_root, student, assignment, notebook):
    """Relative paths of the submission that are links or other non-files; the kernel's copy skips
    them. `backprop-lab grade` has set them aside already; stock `nbgrader autograde` has not, and has
    copied what they point to: the notebook itself must then not be graded at all."""
    folder = Path(course_root, "submitted", student, assignment)
    if linked_path(course_root, "submitted", student, assignment) is not None:
        raise SubmissionError(f"submitted/{student}/{assignment} is a link, not a folder: not graded")
    unsafe = unsafe_entries(folder) if folder.is_dir() else {}
    if f"{notebook}.ipynb" in unsafe:
        raise SubmissionError(f"{notebook}.ipynb is {unsafe[notebook + '.ipynb']}, not a notebook file: not graded")
    return set(unsafe)


def notebooks_after(course_root, info):
    """Whether the student has notebooks after this one, in the order nbgrader grades them."""
    folder = Path(course_root, "submitted", info["student"], info["assignment"])
    return any(path.stem > info["notebook"] for path in folder.glob("*.ipynb"))


def install_kit(folder):
    """Put the grader's own copy of the kit into the kernel's folder, replacing the submission's."""
    target = folder / "assignments"
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    shutil.copytree(KIT, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


class JudgeOutputs(NbGraderPreprocessor):
    """Replace every output of every auto-graded cell with the grader's verdict."""

    course_root = Unicode(".", help="The course directory, whose source notebooks hold the solutions.").tag(
        config=True)

    def preprocess(self, nb, resources):
        use_course(self.course_root)
        record = nb.metadata.get(METADATA_KEY, {})
        for cell in nb.cells:
            nbgrader = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or not nbgrader.get("grade") or nbgrader.get("solution"):
                continue
            try:
                judgement = self.judge_cell(cell, record)
            except Exception as error:  # fail closed: a cell we could not judge earns nothing
                judgement = fail_closed(nbgrader.get("grade_id", "?"), f"the grader failed ({type(error).__name__})")
            judgement = with_layout_notes(judgement, nbgrader.get("grade_id", ""), record)
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
        judgement = verify(name, seed, payloads[0].get("cases"))
        reason = limit_reason(judgement.message, Limits(**record.get("limits", {})))
        if reason and judgement.passed < judgement.total:  # say which limit a case's error comes from
            judgement = Judgement(judgement.passed, judgement.total, f"{judgement.message} (it {reason})")
        return judgement

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
        if not errors:
            return f"the {what} cell did not run"
        error = f"{errors[-1].get('ename')}: {errors[-1].get('evalue', '')[:200]}"
        reason = limit_reason(error, Limits(**record.get("limits", {})))
        if reason:
            return f"the {what} cell {reason}"
        earlier = f" (earlier, the notebook {record['limit_hit']})" if record.get("limit_hit") else ""
        return f"the {what} cell raised {error}{earlier}"


def with_layout_notes(judgement, grade_id, record):
    """The judgement, saying whether the cell or its solution had been pasted twice or moved, and whether the
    notebook was submitted under another name."""
    found = cell_task(grade_id)
    if not found:
        return judgement
    notes = [note for note in (duplicate_note(grade_id, found[1], record.get("duplicates", {})),
                               moved_note(grade_id, found[1], record.get("moved", [])), record.get("renamed", ""))
             if note]
    if not notes:
        return judgement
    message = "; ".join(([judgement.message] if judgement.message else []) + notes)
    return replace(judgement, message=message)


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
