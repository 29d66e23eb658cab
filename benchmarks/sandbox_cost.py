"""What the sandbox costs: the same class graded sandboxed and `--unsandboxed`, and one kernel's start.

Prints measured numbers and ratios; asserts nothing. Goal: sandboxed / unsandboxed wall time <= 1.05.
Usage: python benchmarks/sandbox_cost.py [--students N] [--kernels K]
"""
import argparse
import asyncio
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from grading_vs_stock import ASSIGNMENT, BIN, simulate, timed

from autograder.commands.demo import fresh_course
from autograder.isolation.kernel import GradingKernelManager, kernel_environment
from autograder.commands.release import release


async def kernel_round_trip(sandboxed):
    """Seconds to start a grading kernel, run one cell and stop it; and seconds until it was ready."""
    with tempfile.TemporaryDirectory(prefix="backprop-bench-kernel-") as scratch:
        (Path(scratch) / "work").mkdir()
        km = GradingKernelManager(kernel_name="python3", scratch=scratch, sandboxed=sandboxed)
        start = time.perf_counter()
        home = "/tmp" if sandboxed else scratch
        await km.start_kernel(env=kernel_environment(0, home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = km.client()
        client.start_channels()
        await client.wait_for_ready(timeout=60)
        ready = time.perf_counter() - start
        await client.execute_interactive("import numpy; numpy.ones(3).sum()", timeout=60, output_hook=lambda msg: None)
        client.stop_channels()
        await km.shutdown_kernel(now=True)
        return time.perf_counter() - start, ready


def kernel_times(sandboxed, count):
    rounds = [asyncio.run(kernel_round_trip(sandboxed)) for _ in range(count)]
    return statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--kernels", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="backprop-bench-"))
    sandboxed, unsandboxed = work / "sandboxed", work / "unsandboxed"
    fresh_course(sandboxed)
    release(sandboxed, ASSIGNMENT)
    simulate(sandboxed, args.students)
    shutil.copytree(sandboxed, unsandboxed)
    grade = [str(BIN / "backprop-lab"), "grade", ASSIGNMENT, "--workers", "1", "--force", "--course"]
    # interleaved, twice each, so that a change in the machine's load hits both alike
    times = {"on": [], "off": []}
    for _ in range(2):
        times["on"].append(timed(grade + [str(sandboxed)], sandboxed))
        times["off"].append(timed(grade + [str(unsandboxed), "--unsandboxed"], unsandboxed))
    on, off = min(times["on"]), min(times["off"])
    print(f"students graded (3 notebooks each, one worker): {args.students}")
    print(f"sandboxed:    {on:6.1f} s   (runs: {', '.join(f'{t:.1f}' for t in times['on'])})")
    print(f"unsandboxed:  {off:6.1f} s   (runs: {', '.join(f'{t:.1f}' for t in times['off'])})")
    print(f"ratio sandboxed / unsandboxed: {on / off:.3f}   (goal: at most 1.05)")
    for label, flag in (("sandboxed", True), ("unsandboxed", False)):
        total, ready = kernel_times(flag, args.kernels)
        print(f"kernel {label:<12} ready in {ready:.3f} s; start + run a cell + stop {total:.3f} s "
              f"(median of {args.kernels})")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
