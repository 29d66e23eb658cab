"""The instructor's command: `backprop-lab init | release | grade | feedback | export | similarity | demo`."""
import argparse
import os
import shutil
import sys
import warnings
from pathlib import Path

from rich.console import Console

from ..course.folder import CourseError, submitted_students
from ..course.gradebook import URL_VARIABLE
from ..course.lock import LOCK, drift
from ..course.settings import ASSIGNMENT, CELL_TIMEOUT
from ..isolation.sandbox import Limits
from ..reports.export import export
from ..reports.feedback import feedback
from ..scheduling.grade import grade
from .quickstart import init_course
from .release import publish, release

console = Console(width=max(shutil.get_terminal_size().columns, 120))


def run_release(args):
    folder = release(args.course, args.assignment)
    console.print(f"released {args.assignment} to {folder}")
    if args.exchange:
        publish(args.course, args.assignment)
        console.print(f"published {args.assignment} to nbgrader's exchange: students can fetch it")


UNSANDBOXED_WARNING = ("[bold red]warning:[/bold red] --unsandboxed: student code runs with your privileges. It can "
                       "read the reference and the grading secret, change the gradebook and other students' files, "
                       "use the network and outlive grading. Use it only where bubblewrap cannot run (macOS) and "
                       "for submissions you trust; the exports record `sandbox: off`.")


def run_init(args):
    console.print(f"made the course folder {init_course(args.folder)}; next: "
                  f"`backprop-lab release --course {args.folder}`")


def warn_of_drift(course, assignment):
    """Say once, before grading, which kernel packages differ from what the students were told (their
    requirements.txt, else the lock): their self-checks ran on other versions than the grading kernel."""
    told = Path(course) / "release" / assignment / "requirements.txt"
    source = told if told.is_file() else LOCK
    differences = drift(source.read_text())
    if differences:
        listed = ", ".join(f"{name} {have or 'missing'} (told {want})" for name, want, have in differences)
        console.print(f"[bold yellow]warning:[/bold yellow] the grading environment differs from {source}: "
                      f"{listed}. Reinstall from the lock (`pip install -c {LOCK} backprop-lab`) to grade "
                      "with the versions the students were given.")


def run_grade(args):
    warn_of_drift(args.course, args.assignment)
    if args.unsandboxed:
        console.print(UNSANDBOXED_WARNING)
    outcomes = grade(args.course, args.assignment, args.student or None, args.timeout, workers=args.workers,
                     sandboxed=not args.unsandboxed, limits=limits_from(args), scheduler=args.scheduler,
                     force=args.force, run_all=args.run_all)
    failed = {s: e for s, e in outcomes.items() if e}
    earlier = len(args.student or submitted_students(args.course, args.assignment)) - len(outcomes)
    console.print(f"graded {len(outcomes) - len(failed)} of {len(outcomes)} submissions"
                  + (f" ({earlier} graded earlier; --force grades them again)" if earlier else ""))
    for student, error in failed.items():
        console.print(f"  [red]{student}[/red]: {error}")


def run_feedback(args):
    outcomes = feedback(args.course, args.assignment)
    for student, error in outcomes.items():
        console.print(f"  {student}: {'[red]' + error + '[/red]' if error else 'feedback written'}")


def run_export(args):
    console.print(f"wrote {export(args.course, args.assignment)}")


def run_similarity(args):
    from ..similarity import similarity
    threshold = {} if args.min_evidence is None else {"min_evidence": args.min_evidence}
    outcome = similarity(args.course, args.assignment, args.against or (), **threshold)
    for owner, problems in outcome.problems.items():
        console.print(f"  [yellow]{owner}[/yellow]: {'; '.join(problems)}")
    top = ", ".join(f"{p.a} ~ {p.b} ({p.evidence:.2f})" for p in outcome.pairs[:3])
    console.print(f"{len(outcome.pairs)} pairs reported{': ' + top if top else ''}\nwrote {outcome.html} and "
                  f"{outcome.csv.name} (grades unchanged)")


def run_demo(args):
    from .demo import demo
    demo(Path(args.course), args.timeout, console, workers=args.workers, limits=limits_from(args))


def limits_from(args):
    return Limits(args.memory_limit, args.process_limit, args.file_size_limit, args.cpu_limit, args.disk_limit)


def add_scale_options(command, name):
    """Options for large courses: the gradebook's server; for grade, a Dask cluster and resumed batches."""
    command.add_argument("--db", metavar="URL", help="gradebook, e.g. postgresql://USER:PASSWORD@HOST:5432/DATABASE "
                         f"(default: ${URL_VARIABLE}, else the course's .backprop-lab/gradebook-url, else gradebook.db)")
    if name == "grade":
        command.add_argument("--scheduler", metavar="ADDRESS",
                             help="grade on the Dask cluster of this scheduler, e.g. tcp://HOST:8786")
        command.add_argument("--force", action="store_true", help="grade again the students already graded")


def add_grading_options(command):
    command.add_argument("--workers", type=int, default=None,
                         help="students graded at once (default: one per core, at most 4)")
    defaults = Limits()
    for option, field, unit in [("--memory-limit", "memory_mb", "MiB"), ("--process-limit", "processes", ""),
                                ("--file-size-limit", "file_size_mb", "MiB"), ("--cpu-limit", "cpu_seconds", "s"),
                                ("--disk-limit", "disk_mb", "MiB")]:
        command.add_argument(option, type=int, default=getattr(defaults, field), metavar=unit or "N",
                             help=f"per grading kernel (default {getattr(defaults, field)} {unit})".rstrip())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="backprop-lab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, handler, text in [
        ("release", run_release, "regenerate release/<assignment>/ from source/"),
        ("grade", run_grade, "autograde submitted/<student>/<assignment>/ into the gradebook"),
        ("feedback", run_feedback, "write an HTML report per student"),
        ("export", run_export, "write exports/<assignment>/grades.csv and a JSON per student"),
    ]:
        command = sub.add_parser(name, help=text)
        command.add_argument("assignment", nargs="?", default=ASSIGNMENT)
        command.add_argument("--course", default=".", help="course directory (default: current folder)")
        command.set_defaults(handler=handler)
        if name == "release":
            command.add_argument("--exchange", action="store_true", help="then publish it to nbgrader's exchange "
                                 "(`nbgrader release_assignment`), for students on a JupyterHub")
        if name == "grade":
            command.add_argument("--student", action="append", help="grade only this student (repeatable)")
            command.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
            command.add_argument("--unsandboxed", action="store_true", help="run student code without bubblewrap, "
                                 "with your privileges (recorded in the exports)")
            command.add_argument("--run-all", action="store_true", help="run every cell of each notebook, not "
                                 "only the cells grading needs (same grades, slower)")
            add_grading_options(command)
        add_scale_options(command, name)
    command = sub.add_parser("init", help="make a new course folder from the packaged assignment")
    command.add_argument("folder", help="the new course folder (must not exist, or be empty)")
    command.set_defaults(handler=run_init)
    command = sub.add_parser("similarity", help="rank pairs of students (and known solutions) by copied code, per "
                             "graded object: exports/<assignment>/similarity.html and .csv")
    command.add_argument("assignment", nargs="?", default=ASSIGNMENT)
    command.add_argument("--course", default=".", help="course directory (default: current folder)")
    command.add_argument("--against", action="append", metavar="DIR", help="a folder of known solutions (.py "
                         "files, notebooks): past submissions, downloaded repositories (repeatable)")
    command.add_argument("--min-evidence", type=float, metavar="E",
                         help="report pairs from this evidence (default 0.5: half of one object's code, rarely "
                         "written so)")
    command.set_defaults(handler=run_similarity)
    command = sub.add_parser("demo", help="release, simulate a class, grade, feedback and export, in a scratch course")
    command.add_argument("--course", default=".backprop-lab/demo", help="scratch course folder (emptied first)")
    command.add_argument("--timeout", type=int, default=5, help="seconds per cell while grading")
    add_grading_options(command)
    command.set_defaults(handler=run_demo)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's own SQLAlchemy chatter
    before = os.environ.get(URL_VARIABLE)
    if getattr(args, "db", None):
        os.environ[URL_VARIABLE] = args.db  # read wherever the gradebook is opened, in pool workers too
    try:
        args.handler(args)
    except CourseError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)  # one line, however long
        return 2
    except KeyboardInterrupt:
        console.print("interrupted: every student graded so far is recorded; run the command again to go on")
        return 130
    finally:
        if before is None:
            os.environ.pop(URL_VARIABLE, None)
        else:
            os.environ[URL_VARIABLE] = before
    return 0


if __name__ == "__main__":
    sys.exit(main())
