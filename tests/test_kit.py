"""The student kit: self-check lines, the `check` command, nbgrader validate, and payload safety."""
import io
import shutil
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from assignments import payload
from assignments.selfcheck import SelfCheckFailed, check
from assignments.tasks import TASKS
from autograder.hidden.mistakes import all_mistakes
from autograder.hidden.mistakes.layers import relu_backward__dout_mask
from autograder.hidden.reference import NAMESPACE
from autograder.commands.simulate import solved

from conftest import ASSIGNMENT, NOTEBOOK


@pytest.fixture
def student_folder(course, tmp_path):
    folder = tmp_path / "student"
    shutil.copytree(course / "release" / ASSIGNMENT, folder)
    return folder


def run_check(folder, notebook):
    return subprocess.run([sys.executable, "-m", "assignments", "check", notebook], cwd=folder,
                          capture_output=True, text=True, timeout=300)


def test_check_command_fails_on_the_release_and_lists_each_failure(student_folder):
    result = run_check(student_folder, NOTEBOOK)
    assert result.returncode == 1
    assert result.stdout.count("✘") == 13 and "NotImplementedError" in result.stdout
    assert "0 of 13 self-checks pass" in result.stdout


def test_check_command_passes_a_solved_notebook(student_folder, notebooks):
    nbformat.write(solved(*notebooks), student_folder / NOTEBOOK)
    result = run_check(student_folder, NOTEBOOK)
    assert result.returncode == 0, result.stdout
    assert "13 of 13 self-checks pass" in result.stdout


def test_check_command_reports_a_missing_notebook(student_folder):
    assert run_check(student_folder, "nope.ipynb").returncode == 2


def test_nbgrader_validate_reports_failing_self_checks(student_folder):
    result = subprocess.run([sys.executable, "-m", "nbgrader", "validate", NOTEBOOK], cwd=student_folder,
                            capture_output=True, text=True, timeout=300)
    assert "VALIDATION FAILED" in result.stdout
    assert "NotImplementedError" in result.stdout and 'check("affine_forward"' in result.stdout


def test_self_check_prints_one_pass_line(capsys):
    check("relu_backward", NAMESPACE)
    assert capsys.readouterr().out == "✔ relu_backward: all 3 checks pass\n"


def test_self_check_names_the_mistake_instead_of_a_traceback():
    with pytest.raises(SelfCheckFailed) as failure:
        check("relu_backward", {**NAMESPACE, "relu_backward": relu_backward__dout_mask})
    message = str(failure.value)
    assert message.startswith("✘ relu_backward: `dx` differs at index") and "dout > 0" in message
    assert " ".join(line.strip() for line in failure.value._render_traceback_()) == message  # wrapped, whole


def test_self_check_reports_nan_and_input_mutation():
    no_shift = next(m for m in all_mistakes() if m.slug == "softmax_loss__no_max_shift").implementations()
    with np.errstate(all="ignore"), pytest.raises(SelfCheckFailed, match="contains (NaN|inf).*rows offset from -1000 to 1000"):
        check("softmax_loss", {**NAMESPACE, **no_shift})

    def relu_in_place(dout, cache):
        dout[cache <= 0] = 0
        return dout

    with pytest.raises(SelfCheckFailed, match="input `dout` was changed in place"):
        check("relu_backward", {**NAMESPACE, "relu_backward": relu_in_place})


def test_self_check_reports_wrong_return_structure():
    with pytest.raises(SelfCheckFailed, match=r"affine_forward should return \(out, cache\)"):
        check("affine_forward", {**NAMESPACE, "affine_forward": lambda x, w, b: x.reshape(len(x), -1) @ w + b})


def test_payload_round_trips_arrays_and_refuses_objects():
    values = {"a": np.arange(6.0).reshape(2, 3), "loss": 1.5, "odd": {"not": "an array"}, "none": None}
    decoded = payload.decode_case(payload.encode_case(values))
    assert np.array_equal(decoded["a"], values["a"]) and float(decoded["loss"]) == 1.5
    assert isinstance(decoded["odd"], payload.Unusable) and isinstance(decoded["none"], payload.Unusable)


def test_payload_decoding_never_unpickles():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    import base64
    with pytest.raises(ValueError):
        payload.decode_value({"npy": base64.b64encode(buffer.getvalue()).decode()})


def test_a_failed_check_alone_names_no_mistake():
    from assignments.judge import matching_mistake
    exact = lambda expected: {}  # noqa: E731
    got = {"ok:the loss went down": False, "ok:the loss stayed finite": False}
    ascent = {"ok:the loss went down": False, "ok:the loss stayed finite": True}
    expected = {"ok:the loss went down": True, "ok:the loss stayed finite": True}
    assert matching_mistake(got, expected, "ok:the loss went down", [("step downhill", ascent)], exact) is None
    assert matching_mistake(dict(ascent), expected, "ok:the loss went down", [("step downhill", ascent)], exact) \
        == "step downhill"


def test_a_number_where_nan_was_expected_is_a_difference():
    from assignments.judge import compare_values
    assert "expected NaN" in compare_values("w", np.array([1.0, 2.0]), np.array([1.0, np.nan]), (0.0, 1e-6))
    assert compare_values("w", np.array([np.nan, np.inf]), np.array([np.nan, np.inf]), (0.0, 1e-6)) is None
    assert "expected inf" in compare_values("w", np.array([-np.inf]), np.array([np.inf]), (0.0, 1e-6))


def test_a_fixture_lookup_passes_the_local_self_check_but_not_the_graded_one():
    from autograder.commands.simulate import FIXTURE_LOOKUP, FIXTURE_LOOKUPS
    from autograder.judging.verify import verify
    from assignments.probe import collect
    from assignments.tasks import self_check_seed
    namespace = {}
    exec(FIXTURE_LOOKUP + FIXTURE_LOOKUPS["softmax_loss"], namespace)
    check("softmax_loss", namespace)  # the shipped answers pass the public fixtures ...
    judgement = verify("softmax_loss", self_check_seed(1234), collect("softmax_loss", namespace, self_check_seed(1234)))
    assert judgement.passed == 0  # ... and earn nothing on the inputs the grader picks


def test_forged_checks_in_a_payload_earn_nothing():
    from autograder.judging.verify import verify
    forged = [{"ok:everything is right": payload.encode_value(True)}] * 3
    for name in ("rel_error", "TwoLayerNet", "train_gd"):
        assert verify(name, 1234, forged[:len(TASKS[name].inputs(1234))]).passed == 0, name


def test_self_check_warns_once_when_numpy_differs_from_the_grader(capsys, monkeypatch):
    import assignments.environment
    import assignments.selfcheck
    monkeypatch.setattr(assignments.selfcheck, "WARNED", [])
    check("relu_forward", NAMESPACE)
    assert capsys.readouterr().out == "✔ relu_forward: all 3 checks pass\n"  # same versions: no warning
    grader = assignments.selfcheck.load_fixtures()["environment"]
    monkeypatch.setattr(assignments.environment, "numpy_version", lambda: "1.26.4")
    check("relu_forward", NAMESPACE)
    check("relu_backward", NAMESPACE)
    assert capsys.readouterr().out.splitlines() == [
        f"⚠ your environment differs from the grader's (NumPy 1.26.4 here, {grader['numpy']} in the grader): code "
        "that passes here can fail there; install the versions in requirements.txt",
        "✔ relu_forward: all 3 checks pass", "✔ relu_backward: all 3 checks pass"]


def test_an_error_raised_by_numpy_names_the_numpy_version():
    from assignments.tasks import run_case

    def affine_forward(x, w, b):
        return np.reshape(x, (x.shape[0], -1), order="Z") @ w + b, (x, w, b)

    task = TASKS["affine_forward"]
    (error,) = {run_case(task, {"affine_forward": affine_forward}, case)["error"] for case in task.inputs(1)}
    assert error.startswith("affine_forward raised ValueError: ") and error.endswith(
        f" (raised by NumPy {np.__version__})")
    assert "NumPy" not in str(run_case(task, {"affine_forward": lambda x, w, b: 1 / 0}, task.inputs(1)[0]))
