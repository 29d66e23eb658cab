"""The instructor's command explains bad input instead of failing with a traceback."""
import pytest

from autograder.cli import main


@pytest.mark.parametrize("command, expected", [
    (["release"], "no source folder"),
    (["grade"], "run `backprop-lab release` first"),
    (["feedback"], "run `backprop-lab grade` first"),
    (["export"], "no source notebooks"),
])
def test_an_empty_folder_gets_a_clear_message(tmp_path, capsys, command, expected):
    assert main([*command, "--course", str(tmp_path)]) == 2
    assert expected in capsys.readouterr().out.replace("\n", " ")


def test_grading_an_unknown_student_is_refused(course, capsys):
    assert main(["grade", "--course", str(course), "--student", "nobody"]) == 2
    assert "no submission folder for: nobody" in capsys.readouterr().out
