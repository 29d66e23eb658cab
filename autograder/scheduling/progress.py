"""The progress line of a grading batch: students done / total, students per minute, time left, and the
workers grading right now."""
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Students per minute, measured over the last few minutes."""

    def render(self, task):
        return Text(f"{task.speed * 60:5.1f}/min" if task.speed else "  –  /min", style="progress.data.speed")


class GradingProgress:
    """Use as a context manager; done(student, outcome) for each graded student; workers(busy, total)."""

    def __init__(self, total, show=True):
        self.outcomes = {}
        # grading a student takes tens of seconds: a short window would make the rate jump
        self.progress = Progress(TextColumn("grading {task.fields[student]:<12}"), BarColumn(), MofNCompleteColumn(),
                                 RateColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                 TextColumn("{task.fields[workers]}"), TimeElapsedColumn(), disable=not show,
                                 speed_estimate_period=600)
        self.task = self.progress.add_task("grade", total=total, student="", workers="")

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self.progress.__exit__(*exc)

    def done(self, student, outcome):
        self.outcomes[student] = outcome
        self.progress.update(self.task, student=student, advance=1)

    def workers(self, busy, total):
        self.progress.update(self.task, workers=f"{busy} of {total} workers busy")

    def note(self, text):
        """A line printed above the progress bar."""
        self.progress.console.print(text)
