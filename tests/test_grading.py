"""Grading with real nbgrader, real kernels and the verdicts judged in the grader's process."""
import json
import time
from assignments.tasks import TASKS
from autograder.scheduling.grade import grade
from autograder.reports.export import export
from autograder.commands.simulate import FIXTURE_LOOKUPS

from conftest import ASSIGNMENT, MISTAKES, NOTEBOOK, NOTEBOOK2, NOTEBOOK3, TIMEOUT, UNGRADABLE, mistake_rounds

TESTED_CELLS = [f"{kind}_{name}" for name in TASKS for kind in ("check", "hidden")]


def task_of(grade_id):
    return grade_id.split("_", 1)[1]


def test_every_graded_object_has_a_self_check_and_a_hidden_test(graded):
    cells = graded.cells("solution")
    assert set(TESTED_CELLS) == set(graded.tested())
    counts = [len(graded.tested(notebook)) for notebook in (NOTEBOOK, NOTEBOOK2, NOTEBOOK3)]
    assert counts == [26, 14, 18]
    for name in TASKS:
        assert cells[f"hidden_{name}"][1] > cells[f"check_{name}"][1] > 0


def test_source_solutions_get_full_marks(graded):
    cells = graded.cells("solution")
    for grade_id in TESTED_CELLS:
        score, max_score, message = cells[grade_id]
        assert score == max_score, (grade_id, message)
        assert message == ""
    questions = [g for g in cells if g.startswith("question_")]
    assert questions and all(cells[g][0] is None and "manual" in cells[g][2] for g in questions)


def test_release_scores_zero_naming_not_implemented(graded):
    cells = graded.cells("release")
    for grade_id in TESTED_CELLS:
        score, _, message = cells[grade_id]
        assert score == 0, grade_id
        assert "NotImplementedError" in message, (grade_id, message)


def test_each_known_mistake_loses_only_its_objects_points_with_a_named_hint(graded):
    for filename, mistakes in MISTAKES.items():
        assert mistakes
        for index, group in enumerate(mistake_rounds(mistakes)):
            check_mistake_round(graded, filename, index, group)


def check_mistake_round(graded, filename, index, group):
    cells = graded.cells(f"mistakes_{index}", filename)
    targeted = {m.task: m for m in group}
    for grade_id in graded.tested(filename):
        score, max_score, message = cells[grade_id]
        mistake = targeted.get(task_of(grade_id))
        if mistake is None:
            assert score == max_score, (filename, index, grade_id, message)
        elif grade_id.startswith("hidden_"):
            assert score < max_score, (mistake.slug, message)
            assert mistake.hint in message, (mistake.slug, message)


def test_cheats_earn_nothing_on_the_cells_they_target(graded):
    for student in ("cheat_patched_allclose", "cheat_fake_reference", "cheat_output_hooks"):
        cells = graded.cells(student)
        for grade_id in ("check_relu_forward", "hidden_relu_forward", "check_softmax_loss", "hidden_softmax_loss"):
            assert cells[grade_id][0] == 0, (student, grade_id)
        assert cells["hidden_affine_forward"][0] == cells["hidden_affine_forward"][1]  # honest work still counts
    subclass = graded.cells("cheat_allclose_subclass")
    assert subclass["hidden_affine_forward"][0] == 0 and subclass["check_affine_forward"][0] == 0
    notebook2 = graded.cells("cheat_nb2", NOTEBOOK2)
    assert notebook2["hidden_TwoLayerNet"][0] == 0 and notebook2["check_TwoLayerNet"][0] == 0
    for name in ("Affine", "train_gd", "train_sgd"):  # a wrong TwoLayerNet costs the training loops nothing
        assert notebook2[f"hidden_{name}"][0] == notebook2[f"hidden_{name}"][1], name
    notebook3 = graded.cells("cheat_nb3", NOTEBOOK3)
    assert notebook3["hidden_adam"][0] == 0 and notebook3["check_adam"][0] == 0
    assert notebook3["hidden_FullyConnectedNet"][0] < notebook3["hidden_FullyConnectedNet"][1]
    assert notebook3["check_FullyConnectedNet"][0] < notebook3["check_FullyConnectedNet"][1]
    assert notebook3["hidden_rmsprop"][0] == notebook3["hidden_rmsprop"][1]


def test_shipped_fixture_answers_earn_nothing(graded):
    patched = graded.cells("cheat_fixture_patch")
    assert {g[:6] for g in patched if g.startswith(("check_", "hidden"))} == {"check_", "hidden"}
    for notebook in (NOTEBOOK, NOTEBOOK2, NOTEBOOK3):
        cells = graded.cells("cheat_fixture_patch", notebook)
        assert sum(score or 0 for score, _, _ in cells.values()) == 0, notebook
    cells = graded.cells("cheat_fixture_lookup")
    for name in FIXTURE_LOOKUPS:
        for kind in ("check_", "hidden_"):
            score, _, message = cells[kind + name]
            assert score == 0 and message, (kind + name, message)


def test_later_notebooks_without_notebook_one_lose_nothing(graded):
    for notebook in (NOTEBOOK2, NOTEBOOK3):  # stand-ins, a scripted model or a retrained recipe replace notebook 1
        cells = graded.cells("missing_nb1", notebook)
        for grade_id in graded.tested(notebook):
            score, max_score, message = cells[grade_id]
            assert score == max_score, (grade_id, message)


def test_nothing_but_the_verdict_survives_in_a_graded_cell(graded):
    nb = graded.autograded("cheat_output_hooks")
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in TESTED_CELLS:
            (output,) = cell.outputs
            if output.output_type == "stream":
                assert output.text.startswith("✔") and "judged by the grader" in output.text
            else:
                assert output.output_type == "error" and output.ename == "Failed"
    relu = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "hidden_relu_forward")
    assert "3.0" not in str(relu.outputs) and "✔" not in str(relu.outputs)


def test_the_student_kernel_cannot_import_the_autograder(graded):
    cells = graded.cells("cheat_import_autograder")
    assert cells["hidden_relu_forward"][0] == 0
    nb = graded.autograded("cheat_import_autograder")
    attempt = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "relu_forward")
    assert "No module named 'autograder'" in str(attempt.outputs)


def test_stray_stderr_does_not_cost_points(graded):
    cells = graded.cells("noisy", NOTEBOOK)
    assert all(cells[g][0] == cells[g][1] for g in graded.tested(NOTEBOOK)), cells


def test_release_verdicts_name_not_implemented_in_later_notebooks(graded):
    for notebook in (NOTEBOOK2, NOTEBOOK3):
        cells = graded.cells("release", notebook)
        assert cells and all("NotImplementedError" in cells[g][2] and cells[g][0] == 0 for g in graded.tested(notebook))


def test_crashes_and_endless_loops_are_graded_with_a_reason_and_the_batch_goes_on(graded):
    assert not any(error for student, error in graded.outcomes.items() if student not in UNGRADABLE)
    killer = graded.cells("crash_kill_grader")  # its parent inside the sandbox is not the grader
    assert all(killer[g][0] == killer[g][1] for g in graded.tested(NOTEBOOK)), killer
    exited = graded.cells("crash_exit")
    assert exited["hidden_rel_error"][0] == 2  # cells before the crash still count
    assert exited["hidden_svm_loss"][0] == 0 and "kernel died" in exited["hidden_svm_loss"][2]
    looped = graded.cells("crash_loop")
    assert looped["hidden_tanh_forward"][0] == 0 and "time limit" in looped["hidden_tanh_forward"][2]
    assert looped["hidden_svm_loss"][0] == 3  # the kernel survived the interrupt
    swallowed = graded.cells("crash_swallow")
    assert swallowed["hidden_svm_loss"][0] == 0 and "ignored the interrupt" in swallowed["hidden_svm_loss"][2]
    assert swallowed["hidden_softmax_loss"][0] == 3
    corrupt = graded.cells("corrupt", NOTEBOOK)
    assert all(corrupt[g][0] == 0 for g in graded.tested(NOTEBOOK))
    assert "01_layers.ipynb could not be read" in corrupt["hidden_rel_error"][2] and "JSON" in corrupt["hidden_rel_error"][2]
    second = graded.cells("corrupt", NOTEBOOK2)  # the readable notebook is still graded, at full marks
    assert all(second[g][0] == second[g][1] for g in graded.tested(NOTEBOOK2))
    assert (graded.course / "submitted" / "corrupt" / ASSIGNMENT / "01_layers.ipynb.unreadable").exists()
    assert graded.cells("solution")["hidden_svm_loss"][0] == 3


def test_a_function_that_never_returns_costs_the_objects_calling_it_nothing(graded):
    """crash_loop's tanh_forward loops forever; her FullyConnectedNet reaches it through ACTIVATIONS. Its own
    run is stopped within its share of the cell's time, the run with stand-ins decides: full marks, and no
    cell of notebook 3 ran into the cell timeout."""
    cells = graded.cells("crash_loop", NOTEBOOK3)
    assert all(cells[g][0] == cells[g][1] for g in graded.tested(NOTEBOOK3)), cells
    assert all("time limit" not in message for _, _, message in cells.values())
    looped = graded.cells("crash_loop", NOTEBOOK)["hidden_tanh_forward"]
    assert looped[0] == 0 and "time limit" in looped[2]  # its own object still fails, and says why


def test_deleted_test_cells_are_restored_and_graded(graded):
    cells = graded.cells("deleted_cells")
    assert cells["hidden_relu_forward"][0] == cells["hidden_relu_forward"][1]
    assert cells["check_relu_forward"][0] == cells["check_relu_forward"][1]


def test_cells_pasted_twice_are_graded_as_if_pasted_once(graded):
    solution = graded.cells("solution", NOTEBOOK)
    for student, note in (("duplicated_solution", "the `relu_forward` cell was pasted more than once: the earlier "
                                                  "copies ran as ordinary code"),
                          ("duplicated_tests", "this test cell was pasted more than once: the copies were ignored")):
        cells = graded.cells(student, NOTEBOOK)
        assert [cells[g][0] for g in graded.tested(NOTEBOOK)] == [solution[g][0] for g in graded.tested(NOTEBOOK)]
        for grade_id in graded.tested(NOTEBOOK):
            expected = note if grade_id.endswith("_relu_forward") else ""
            assert cells[grade_id][2] == expected, (student, grade_id)
    nb = graded.autograded("duplicated_tests")
    assert sum(c.metadata.get("nbgrader", {}).get("grade_id") == "hidden_relu_forward" for c in nb.cells) == 1
    relu = [c for c in graded.autograded("duplicated_solution").cells if c.source.startswith("def relu_forward")]
    assert len(relu) == 2 and "✔ passed all 3 cases (judged by the grader) (" + "the `relu_forward`" in str(
        next(c for c in graded.autograded("duplicated_solution").cells
             if c.metadata.get("nbgrader", {}).get("grade_id") == "hidden_relu_forward").outputs)


def test_cells_dragged_out_of_order_are_graded_in_the_notebooks_order(graded):
    solution, cells = graded.cells("solution", NOTEBOOK), graded.cells("moved_cells", NOTEBOOK)
    assert [cells[g][0] for g in graded.tested(NOTEBOOK)] == [solution[g][0] for g in graded.tested(NOTEBOOK)]
    note = "cells of this object had been moved; they were graded in the notebook's own order"
    for grade_id in graded.tested(NOTEBOOK):
        assert cells[grade_id][2] == (note if grade_id in ("hidden_relu_forward", "check_affine_forward") else ""), \
            grade_id


def test_a_renamed_notebook_is_graded_under_its_released_name_and_says_so(graded):
    """`01_layers (1).ipynb`, the only notebook carrying 01_layers' graded cells: graded like the solution, and
    every verdict, row and the JSON export say so."""
    note = "submitted as 01_layers (1).ipynb, graded as 01_layers.ipynb"
    cells, solution = graded.cells("renamed", NOTEBOOK), graded.cells("solution", NOTEBOOK)
    assert cells and {g: cells[g][0] for g in cells} == {g: solution[g][0] for g in cells}
    assert all(cells[g][2] == note for g in graded.tested(NOTEBOOK)), cells
    assert all(note in message for _, _, message in cells.values())
    assert graded.outcomes["renamed"] == ""
    verdicts = [str(c.outputs) for c in graded.autograded("renamed").cells
                if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("hidden_")]
    assert verdicts and all(f"(judged by the grader) ({note})" in verdict for verdict in verdicts)
    summary = json.loads((graded.course / "exports" / ASSIGNMENT / "renamed.json").read_text())
    assert summary["renamed"] == {"01_layers.ipynb": "01_layers (1).ipynb"}


def test_two_candidates_for_one_notebook_are_explained_and_not_guessed(graded):
    score, _, message = graded.cells("renamed_twice", NOTEBOOK)["hidden_rel_error"]
    assert score == 0 and "01_layers.ipynb was not submitted (found 01_layers (1).ipynb, 01_layers-Copy1.ipynb: " \
        "notebooks must keep their released names)" == message
    assert "found: 01_layers (1).ipynb, 01_layers-Copy1.ipynb" in graded.outcomes["renamed_twice"]
    assert not (graded.course / "submitted" / "renamed_twice" / ASSIGNMENT / "01_layers.ipynb").exists()


def test_regrading_gives_identical_scores_and_seed(graded):
    student = "cheat_allclose_subclass"  # one notebook: affine_forward's cells lost, the others full
    before = graded.cells(student)
    seed = graded.autograded(student).metadata["backprop_lab"]["seed"]
    corrupt_before = graded.cells("corrupt")
    regraded = grade(graded.course, ASSIGNMENT, [student, "corrupt"], timeout=TIMEOUT, show_progress=False, workers=1,
                     force=True)
    assert set(regraded) == {student, "corrupt"}
    export(graded.course, ASSIGNMENT)
    assert graded.autograded(student).metadata["backprop_lab"]["seed"] == seed
    from conftest import GradedClass
    again = GradedClass(graded.course, {}, {}, graded.course / "exports" / ASSIGNMENT / "grades.csv", time.monotonic())
    assert again.cells(student) == before
    assert again.cells("corrupt") == corrupt_before  # the notebook set aside last time is still explained
    # not a trivial comparison: the student's mistakes cost some cells everything, the rest keep full marks
    assert {score == max_score for score, max_score, _ in before.values() if max_score} == {True, False}


def test_seeds_differ_between_students(graded):
    seeds = {graded.autograded(s).metadata["backprop_lab"]["seed"] for s in ("solution", "release", "noisy")}
    assert len(seeds) == 3
