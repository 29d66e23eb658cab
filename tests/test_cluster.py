"""Grading on a real Dask cluster (a LocalCluster of worker processes talking TCP on 127.0.0.1) into a real
PostgreSQL gradebook, compared with the suite's local grading into SQLite; workers and the client killed
halfway; unreachable schedulers and gradebooks refused."""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from autograder.commands.cli import main
from autograder.reports.export import export
from autograder.scheduling.student import KILLED, status_path
from autograder.scheduling.grade import grade, unfinished
from autograder.commands.simulate import solved, submit

from conftest import ASSIGNMENT, NOTEBOOK, TIMEOUT, GradedClass, copy_course
from postgres import free_port, postgres_server

# students whose notebooks take a few seconds each: a solved notebook with stray stderr, a kernel that
# exits halfway, deleted test cells, a corrupt notebook beside a solved one, a renamed notebook
CLASS = ("noisy", "crash_exit", "deleted_cells", "corrupt", "renamed")


@pytest.fixture(scope="module")
def postgres():
    with postgres_server() as new_database:
        yield new_database


@pytest.fixture(scope="module")
def scheduler():
    """The address of a LocalCluster of two single-threaded worker processes. Like the README's scheduler,
    it gives up on a student whose grading has killed two workers and hands a worker one student at a time."""
    import dask
    from distributed import LocalCluster

    settings = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(settings), LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                                 protocol="tcp", dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def postgres_course(graded, tmp_path, database_url, students):
    """A copy of the suite's released course whose gradebook is a PostgreSQL database (no gradebook.db at
    all, so nothing can fall back to SQLite), with the given students' submissions."""
    from autograder.course.settings import nbgrader_api

    root = copy_course(graded.course, tmp_path)
    (root / "gradebook.db").unlink()
    shutil.rmtree(root / ".backprop-lab" / "grading", ignore_errors=True)
    (root / ".backprop-lab" / "gradebook-url").write_text(database_url + "\n")
    assert nbgrader_api(root).generate_assignment(ASSIGNMENT, force=True, create=True)["success"]
    for student in students:
        submit(root, student, ASSIGNMENT, graded.students[student])
    return root


def exported(root):
    return GradedClass(root, {}, {}, export(root, ASSIGNMENT), time.monotonic())


def assert_graded_as_locally(graded, root, students):
    again = exported(root)
    for student in students:
        assert again.cells(student) == graded.cells(student), student


def grade_rows(database_url, students):
    """{student: (grade rows, distinct graded cells)} in a PostgreSQL gradebook."""
    import psycopg

    query = ("SELECT a.student_id, count(*), count(DISTINCT (g.cell_id, g.notebook_id)) FROM grade g "
             "JOIN submitted_notebook n ON g.notebook_id = n.id JOIN submitted_assignment a ON n.assignment_id = a.id "
             "GROUP BY a.student_id")
    with psycopg.connect(database_url) as connection:
        rows = {student: (count, distinct) for student, count, distinct in connection.execute(query)}
    return {student: rows.get(student) for student in students}


def graded_cell_count(database_url):
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute("SELECT count(*) FROM grade_cells").fetchone()[0]


def test_a_class_graded_on_the_cluster_into_postgresql_matches_local_grading_into_sqlite(
        graded, postgres, scheduler, tmp_path):
    url = postgres("cluster_class")
    root = postgres_course(graded, tmp_path, url, CLASS)
    outcomes = grade(root, ASSIGNMENT, list(CLASS), timeout=TIMEOUT, show_progress=False, scheduler=scheduler)
    assert outcomes == {student: graded.outcomes[student] for student in CLASS}
    assert_graded_as_locally(graded, root, CLASS)
    assert not (root / "gradebook.db").exists()
    cells = graded_cell_count(url)
    assert grade_rows(url, CLASS) == {student: (cells, cells) for student in CLASS}
    local = sorted(p.relative_to(graded.course) for p in (graded.course / "autograded" / "corrupt").rglob("*.ipynb"))
    assert sorted(p.relative_to(root) for p in (root / "autograded" / "corrupt").rglob("*.ipynb")) == local
    assert (root / "submitted" / "corrupt" / ASSIGNMENT / "01_layers.ipynb.unreadable").exists()
    assert grade(root, ASSIGNMENT, list(CLASS), timeout=TIMEOUT, show_progress=False, scheduler=scheduler) == {}


def kill_workers_grading(scheduler, student, times, killed):
    """SIGKILL, by PID, each worker that takes up `student`, `times` times in all (appending the pids to killed)."""
    from distributed import Client

    with Client(scheduler, set_as_default=False) as observer:
        while len(killed) < times:
            busy = [worker for worker, keys in observer.processing().items()
                    if any(str(key).endswith(f"-{student}") for key in keys)]
            try:
                (pid,) = observer.run(os.getpid, workers=busy[:1]).values() if busy else ()
            except Exception:  # not there yet, or that worker died meanwhile
                time.sleep(0.1)
                continue
            if pid in killed:  # the same worker is still reported as busy with it
                time.sleep(0.1)
                continue
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)


def grade_while_killing(root, scheduler, students, victim, times):
    """Grade students on the cluster while the workers grading `victim` are killed `times` times
    -> (outcomes, pids killed)."""
    killed = []
    thread = threading.Thread(target=kill_workers_grading, args=(scheduler, victim, times, killed), daemon=True)
    thread.start()
    outcomes = grade(root, ASSIGNMENT, list(students), timeout=TIMEOUT, show_progress=False, scheduler=scheduler)
    thread.join(timeout=5)
    return outcomes, killed


def test_a_killed_worker_loses_no_grade(graded, postgres, scheduler, tmp_path):
    """SIGKILL the worker grading `noisy`: Dask hands the student to a worker again and the batch completes."""
    url = postgres("killed_worker")
    students = ("noisy", "crash_exit", "deleted_cells")
    root = postgres_course(graded, tmp_path, url, students)
    outcomes, killed = grade_while_killing(root, scheduler, students, "noisy", times=1)
    assert len(killed) == 1
    assert outcomes == {student: graded.outcomes[student] for student in students}
    assert_graded_as_locally(graded, root, students)
    cells = graded_cell_count(url)
    assert grade_rows(url, students) == {student: (cells, cells) for student in students}


def test_a_student_whose_grading_kills_two_workers_is_recorded_with_the_reason(graded, postgres, scheduler, tmp_path):
    """The worker grading `noisy` dies, and so does the one it is retried on: the student is recorded with
    the reason the local pool gives. (A submission cannot kill its worker from inside the sandbox, so the
    test does the killing; a second student is left out: the killed worker may hold it too, as seen once.)"""
    url = postgres("killing_submission")
    root = postgres_course(graded, tmp_path, url, ["noisy"])
    outcomes, killed = grade_while_killing(root, scheduler, ["noisy"], "noisy", times=2)
    assert len(set(killed)) == 2
    assert outcomes == {"noisy": KILLED}


def test_a_client_killed_halfway_resumes_with_only_the_students_left(graded, postgres, scheduler, tmp_path):
    url = postgres("killed_client")
    students = ("noisy", "crash_exit", "deleted_cells", "renamed")
    root = postgres_course(graded, tmp_path, url, students)
    command = [sys.executable, "-m", "autograder.commands.cli", "grade", "--course", str(root),
               "--scheduler", scheduler, "--timeout", str(TIMEOUT)]
    client = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while len(unfinished(root, ASSIGNMENT, students)) == len(students):
            assert client.poll() is None, "the client ended before grading anyone"
            time.sleep(0.1)
    finally:
        client.kill()
        client.wait()
    left = unfinished(root, ASSIGNMENT, students)
    assert 0 < len(left) < len(students)
    finished = {s: status_path(root, ASSIGNMENT, s).stat().st_mtime_ns for s in students if s not in left}
    outcomes = grade(root, ASSIGNMENT, list(students), timeout=TIMEOUT, show_progress=False, scheduler=scheduler)
    assert set(outcomes) == set(left)
    assert {s: status_path(root, ASSIGNMENT, s).stat().st_mtime_ns for s in finished} == finished
    assert_graded_as_locally(graded, root, students)
    cells = graded_cell_count(url)
    assert grade_rows(url, students) == {student: (cells, cells) for student in students}


def test_an_unreachable_scheduler_or_gradebook_fails_fast_and_grades_nobody(course, notebooks, tmp_path, capsys):
    root = copy_course(course, tmp_path)
    submit(root, "solver", ASSIGNMENT, {NOTEBOOK: solved(*notebooks)})
    nowhere = f"127.0.0.1:{free_port()}"
    for option, expected in [(["--scheduler", f"tcp://{nowhere}"], f"cannot reach the Dask scheduler at tcp://{nowhere}"),
                             (["--db", f"postgresql://grader:hunter2@{nowhere}/course"],
                              f"cannot open the gradebook postgresql+psycopg://grader:***@{nowhere}/course")]:
        start = time.perf_counter()
        assert main(["grade", "--course", str(root), *option]) == 2
        assert time.perf_counter() - start < 10
        printed = capsys.readouterr().out.replace("\n", "")
        assert expected in printed and "hunter2" not in printed
        assert not status_path(root, ASSIGNMENT, "solver").exists() and not (root / "autograded").exists()
    assert "BACKPROP_LAB_DB" not in os.environ


def test_a_rerun_grades_only_new_or_changed_submissions_unless_forced(course, notebooks, tmp_path):
    root = copy_course(course, tmp_path)
    submit(root, "renamed", ASSIGNMENT, {"01_layers (1).ipynb": solved(*notebooks),  # two candidates: not graded,
                                         "01_layers-Copy1.ipynb": solved(*notebooks)})  # so no kernel: fast
    first = grade(root, ASSIGNMENT, timeout=TIMEOUT, show_progress=False, workers=1)
    assert list(first) == ["renamed"] and "none of fcnet's notebooks" in first["renamed"]
    assert grade(root, ASSIGNMENT, timeout=TIMEOUT, show_progress=False, workers=1) == {}
    assert grade(root, ASSIGNMENT, timeout=TIMEOUT, show_progress=False, workers=1, force=True) == first
    notebook = root / "submitted" / "renamed" / ASSIGNMENT / "01_layers (1).ipynb"
    os.utime(notebook, ns=(time.time_ns(), time.time_ns()))  # the student submitted again
    assert grade(root, ASSIGNMENT, timeout=TIMEOUT, show_progress=False, workers=1) == first


def test_a_second_grading_run_on_a_course_is_refused(course, tmp_path):
    from autograder.scheduling.batch import one_batch_at_a_time
    from autograder.course.folder import CourseError

    root = copy_course(course, tmp_path)
    with one_batch_at_a_time(root, ASSIGNMENT):
        with pytest.raises(CourseError, match=f"process {os.getpid()}"):
            grade(root, ASSIGNMENT, timeout=TIMEOUT, show_progress=False, workers=1)
