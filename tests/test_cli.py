"""The instructor's command: a course folder anywhere, and bad input explained instead of a traceback."""
import io
from contextlib import contextmanager
from importlib.metadata import version

import pytest
from rich.console import Console

import autograder.commands.cli
from autograder.commands.cli import main, warn_of_drift
from conftest import REPO, copy_course


@contextmanager
def cli_console():
    """The command's console, writing into a buffer."""
    before = autograder.commands.cli.console
    autograder.commands.cli.console = Console(file=io.StringIO(), width=200)
    try:
        yield autograder.commands.cli.console.file
    finally:
        autograder.commands.cli.console = before


@pytest.mark.parametrize("command", ["release", "grade", "feedback", "export"])
def test_a_folder_that_is_no_course_gets_one_line_naming_what_is_missing(tmp_path, capsys, command):
    assert main([command, "--course", str(tmp_path)]) == 2
    out = capsys.readouterr().out.strip()
    assert out.startswith("error:") and "no notebooks in source/fcnet/" in out and "backprop-lab init" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("command, expected", [
    (["grade"], "run `backprop-lab release` first"),
    (["feedback"], "run `backprop-lab grade` first"),
])
def test_a_course_not_yet_released_or_graded_gets_the_next_step(tmp_path, capsys, command, expected):
    assert main(["init", str(tmp_path / "new")]) == 0
    capsys.readouterr()
    assert main([*command, "--course", str(tmp_path / "new")]) == 2
    assert expected in capsys.readouterr().out.replace("\n", " ")


def test_init_makes_a_course_folder_and_refuses_one_in_use(tmp_path, capsys):
    assert main(["init", str(tmp_path / "course")]) == 0
    course = tmp_path / "course"
    assert sorted(p.name for p in (course / "source" / "fcnet").iterdir()) == sorted(
        p.name for p in (REPO / "source" / "fcnet").glob("*.ipynb"))
    assert (course / "nbgrader_config.py").read_text() == (REPO / "nbgrader_config.py").read_text()
    assert ".backprop-lab/" in (course / ".gitignore").read_text().splitlines()
    assert main(["init", str(course)]) == 2
    assert "already exists and is not empty" in capsys.readouterr().out


def test_grade_warns_once_when_the_kernel_packages_differ_from_what_students_were_told(course, tmp_path):
    told = copy_course(course, tmp_path)
    requirements = told / "release" / "fcnet" / "requirements.txt"
    requirements.write_text(requirements.read_text().replace(f"numpy=={version('numpy')}", "numpy==1.0.0"))
    with cli_console() as out:
        warn_of_drift(told, "fcnet")
    text = " ".join(out.getvalue().split())
    assert text.count("warning:") == 1 and f"numpy {version('numpy')} (told 1.0.0)" in text, text
    with cli_console() as out:
        warn_of_drift(course, "fcnet")
    assert out.getvalue() == ""


def test_grading_an_unknown_student_is_refused(course, capsys):
    assert main(["grade", "--course", str(course), "--student", "nobody"]) == 2
    assert "no submission folder for: nobody" in capsys.readouterr().out
