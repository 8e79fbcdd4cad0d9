"""Helper process of tests/test_atomic_kill.py (not a test itself; POSIX only).

``python -m tests.kill_saver FILE`` imports the saver once, then serves the test over
stdin/stdout so that each victim starts in milliseconds instead of a fresh interpreter:

- it first writes the two versions of the project as ``FILE.a`` and ``FILE.b`` (the exact bytes a
  save produces) and prints ``ready SECONDS``: how long one save of FILE takes here;
- on each ``go`` line it forks a child that saves the two versions in turn to FILE (first the
  one that is not on disk) with
  ``core.project.save_project``, until it is killed, prints ``pid PID``, waits for the child and
  prints ``dead SIGNAL`` (the signal that ended it; 0 if it exited on its own).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from core import atomic
from core.project import Project, project_to_text, save_project
from core.scenario import Scenario


def versions() -> tuple[Project, Project]:
    """Two large projects (1.3 MB each) that differ all through the file."""
    base = {
        "name": "s", "date": "2026-03-01",
        "model": {"n_layers": 2, "d_model": 64, "n_heads": 4, "ffn_dim": 256, "vocab_size": 1000},
        "training": {"tokens": 1e9},
        "fleet": [{"accelerator": "H100-SXM", "count": 8}],
    }
    out = []
    for tag, count in (("A", 8), ("B", 16)):
        # the bulk is in notes (each within the schema's 20,000-character bound)
        notes = (f"version {tag} " * 2_000)[:19_000]
        scenarios = [Scenario.model_validate({**base, "name": f"{tag}-{i}", "notes": notes,
                                              "fleet": [{"accelerator": "H100-SXM",
                                                         "count": count + i}]})
                     for i in range(64)]
        out.append(Project(name=f"version {tag}", notes=notes, scenarios=scenarios))
    return out[0], out[1]


def child(target: Path, projects: tuple[Project, Project]) -> None:
    # a forked child is a new process: temp files of earlier (killed) children are older than it
    atomic.PROCESS_START = atomic._process_start()
    first_is_a = target.read_bytes() == Path(f"{target}.a").read_bytes()
    i = 1 if first_is_a else 0  # every save changes the file: start with the other version
    while True:
        save_project(projects[i % 2], target)
        i += 1


def main() -> None:
    target = Path(sys.argv[1])
    projects = versions()
    for suffix, project in zip(("a", "b"), projects, strict=True):
        Path(f"{target}.{suffix}").write_bytes(project_to_text(project).encode("utf-8"))
    t0 = time.perf_counter()
    for _ in range(4):
        save_project(projects[0], target)
    print(f"ready {(time.perf_counter() - t0) / 4:.4f}", flush=True)
    for line in sys.stdin:
        if line.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                child(target, projects)
            finally:
                os._exit(3)  # never fall back into the server loop
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"dead {os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0}", flush=True)


if __name__ == "__main__":
    main()
