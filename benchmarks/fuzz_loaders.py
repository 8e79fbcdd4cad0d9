"""Fuzz every file loader with mutated real files; print cases run and failures.

    python benchmarks/fuzz_loaders.py [--projects 2000] [--configs 1000] [--seed 1] [--timeout 20]

Mutants of the bundled example project (one, two or all of its scenarios) and of the Hugging Face
configs in tests/fixtures/hf: random values swapped in (huge/tiny/negative numbers, lax strings
such as "1_000" or " 12 ", booleans, nulls, lists, objects, integer dates, long text), keys removed
or added, nodes wrapped deep, then text damage (truncation, byte flips, NaN/Infinity/1e400 in
place of a number, a key repeated). Each mutant goes through the CLI exactly as a user would run
it (``evaluate FILE --json`` / ``estimate --model-config FILE --json``), in-process:

* pass: exit 0 with JSON that holds no NaN/Infinity, and (projects) the loaded project saves and
  re-opens equal; or exit 2 with ONE line on stderr naming the file;
* failure: anything else - exit 1 ("internal error"), a traceback, a multi-line message, output
  that is not strict JSON, a project that opens but does not save and re-open, or a case that
  runs longer than ``--timeout`` seconds (SIGALRM, so hangs are caught).

The mutation engine is shared with tests/test_fuzz_loaders.py (hypothesis, fewer examples).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.cli import main as cli_main  # noqa: E402
from core.errors import InputError  # noqa: E402
from core.project import load_project, project_from_dict, project_to_text  # noqa: E402

EXAMPLE = ROOT / "resources" / "examples" / "southeast-asia-route.json"
HF_DIR = ROOT / "tests" / "fixtures" / "hf"
NAME_FILE = True  # --unnamed-ok turns the "names the file" check off (to compare older versions)
HF_ARGS = ["--tokens", "1T", "--accelerator", "H100-SXM", "--count", "64", "--json"]

NASTY: list[Any] = [
    0, -1, 1, 2, 3, 7, 1.5, -0.5, 1e308, -1e308, 5e-324, 1e-300, 10**30, 2**63, 10**400,
    "1_000", " 12 ", "12", "", "NaN", "inf", "x" * 300, "2025-02-30", "2025-07-01T00:00:00",
    20250701, True, False, None, [], {}, [1], {"a": 1}, [None], "H100-SXM", "lease", "CN",
]


def base_project(rng: random.Random) -> dict:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    n = rng.choice([1, 1, 1, 2, len(data["scenarios"])])
    keep = rng.sample(range(len(data["scenarios"])), n)
    data["scenarios"] = [data["scenarios"][i] for i in sorted(keep)]
    return data


def base_config(rng: random.Random) -> dict:
    path = rng.choice(sorted(HF_DIR.glob("*.json")))
    return json.loads(path.read_text(encoding="utf-8"))


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if len(path) > 40:  # inside a deep wrap: one more level of it is not a new case
        return out
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


def _parent(data: Any, path: tuple) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


def mutate_data(rng: random.Random, data: Any, deep_ok: bool = True) -> Any:
    """One structural mutation of parsed JSON, in place (returns the root, which may be new)."""
    paths = [p for p in _paths(data) if p]
    if not paths:
        return rng.choice(NASTY)
    path = rng.choice(paths)
    parent, key = _parent(data, path), path[-1]
    op = rng.randrange(6)
    if op <= 1:  # swap in a nasty value (twice as likely)
        parent[key] = copy.deepcopy(rng.choice(NASTY))
    elif op == 2:  # remove
        del parent[key]
    elif op == 3 and isinstance(parent, dict):  # an unknown key beside it
        parent[f"{key}_x"] = rng.choice(NASTY)
    elif op == 4 and deep_ok:  # wrap it deep
        node = parent[key]
        for _ in range(rng.choice([1, 2, 10, 70, 300])):
            node = rng.choice([[node], {"all_of": [node]}])
        parent[key] = node
    else:  # numbers scaled wildly, lists multiplied
        value = parent[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            parent[key] = value * rng.choice([-1, 0, 1e6, 1e300, 1e-300, 10**40])
        elif isinstance(value, list) and value:
            parent[key] = value * rng.choice([2, 3, 50])
        else:
            parent[key] = rng.choice(NASTY)
    return data


def mutate_text(rng: random.Random, text: str) -> bytes:
    """One textual mutation (damage a file can suffer on disk or in transit)."""
    raw = text.encode("utf-8")
    op = rng.randrange(6)
    if op == 0 and raw:  # truncated
        return raw[: rng.randrange(len(raw))]
    if op == 1 and raw:  # byte flips
        b = bytearray(raw)
        for _ in range(rng.choice([1, 1, 3])):
            b[rng.randrange(len(b))] ^= rng.randrange(1, 256)
        return bytes(b)
    if op == 2:  # a number replaced by a non-finite or overflowing literal
        import re

        numbers = list(re.finditer(r"(?<=: )-?\d[\d.eE+-]*", text))
        if numbers:
            m = rng.choice(numbers)
            lit = rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "9" * 5000, "-0", "1E-400"])
            return (text[: m.start()] + lit + text[m.end():]).encode("utf-8")
    if op == 3:  # a key repeated in the same object
        import re

        pairs = list(re.finditer(r'\n(\s*)("[^"\n]+": [^\n{\[]+?),?\n', text))
        if pairs:
            m = rng.choice(pairs)
            dup = f"\n{m.group(1)}{m.group(2)},"
            return (text[: m.start()] + dup + text[m.start():]).encode("utf-8")
    if op == 4:  # a stray character
        pos = rng.randrange(len(text) + 1)
        return (text[:pos] + rng.choice(['"', "{", "]", ",", "\\", "\x00", "é"]) + text[pos:]).encode("utf-8")
    return raw


def mutant(rng: random.Random, data: Any) -> bytes:
    """1-3 structural mutations, then (half the time) textual damage."""
    data = copy.deepcopy(data)
    for i in range(rng.choice([1, 1, 2, 3])):
        data = mutate_data(rng, data, deep_ok=i == 0)  # one deep wrap at most: ≤ 300 levels
    try:
        text = json.dumps(data, indent=1)
    except RecursionError:  # too deep for the indenting encoder: write it compact
        text = json.dumps(data)
    return mutate_text(rng, text) if rng.random() < 0.5 else text.encode("utf-8")


# ---- running one case -----------------------------------------------------------------------


class Failure(AssertionError):
    pass


def _strict_json(text: str) -> Any:
    def refuse(lit: str) -> Any:
        raise Failure(f"non-finite literal {lit} in JSON output")

    return json.loads(text, parse_constant=refuse)


def run_cli(argv: list[str], path: Path) -> tuple[int, str]:
    """Run the CLI in-process; return (exit code, stdout). Raise Failure on a broken contract."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(argv)
    message = err.getvalue()
    if code == 2:
        if message.count("\n") != 1 or not message.startswith("chokepoint: error: "):
            raise Failure(f"exit 2 without exactly one error line: {message[:300]!r}")
        if NAME_FILE and str(path) not in message:
            raise Failure(f"message does not name the file: {message[:300]!r}")
        return code, ""
    if code != 0:
        raise Failure(f"exit {code}: {message[:300]!r}")
    _strict_json(out.getvalue())
    return code, out.getvalue()


def check_project_file(path: Path) -> str:
    """'loaded' or 'refused'; raises Failure when a contract is broken."""
    try:
        project = load_project(path)
    except InputError as e:
        if "\n" in str(e) or not str(e):
            raise Failure(f"not one line: {str(e)[:300]!r}") from None
        project = None
    if project is not None:  # what opens must save, and re-open equal
        text = project_to_text(project)
        again = project_from_dict(json.loads(text))
        if again != project:
            raise Failure("saved project re-opens different")
    code, _ = run_cli(["evaluate", str(path), "--json"], path)
    if project is None and code == 0:
        raise Failure("the CLI evaluated a file the loader refused")
    return "loaded" if code == 0 else "refused"


def check_config_file(path: Path) -> str:
    code, _ = run_cli(["estimate", "--model-config", str(path), *HF_ARGS], path)
    return "loaded" if code == 0 else "refused"


@contextlib.contextmanager
def time_limit(seconds: float):
    """Turn a hang into a Failure (SIGALRM; main thread on POSIX only)."""
    if not hasattr(signal, "SIGALRM") or seconds <= 0:
        yield
        return

    def on_alarm(_signum, _frame):
        raise Failure(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run(kind: str, n: int, seed: int, timeout: float, folder: Path, show: int = 5) -> dict:
    rng = random.Random(f"{kind}-{seed}")
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    slowest = 0.0
    for i in range(n):
        case_seed = rng.randrange(2**32)
        crng = random.Random(case_seed)
        data = base_project(crng) if kind == "project" else base_config(crng)
        path = folder / f"{kind}-{i}.json"
        path.write_bytes(mutant(crng, data))
        start = time.perf_counter()
        try:
            with time_limit(timeout):
                outcome = (check_project_file if kind == "project" else check_config_file)(path)
            outcomes[outcome] += 1
        except Exception as exc:  # noqa: BLE001 - every other ending is a failure to report
            outcomes["failed"] += 1
            if len(failures) < show:
                failures.append(f"{kind} case seed {case_seed}: {type(exc).__name__}: {str(exc)[:300]}")
        slowest = max(slowest, time.perf_counter() - start)
        path.unlink()
    return {"kind": kind, "cases": n, **outcomes, "slowest_s": round(slowest, 2), "examples": failures}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--configs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per case before it counts as a hang")
    ap.add_argument("--unnamed-ok", action="store_true",
                    help="accept error lines that do not name the file (to measure older versions)")
    args = ap.parse_args(argv)
    global NAME_FILE
    NAME_FILE = not args.unnamed_ok
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="chokepoint-fuzz-") as tmp:
        results = [run("project", args.projects, args.seed, args.timeout, Path(tmp)),
                   run("config", args.configs, args.seed, args.timeout, Path(tmp))]
    total = sum(r["cases"] for r in results)
    failed = sum(r.get("failed", 0) for r in results)
    for r in results:
        print(f"{r['kind']:8} cases run: {r['cases']:6,}  loaded: {r.get('loaded', 0):6,}  "
              f"refused (exit 2, one line): {r.get('refused', 0):6,}  failures: {r.get('failed', 0):4,}  "
              f"slowest case: {r['slowest_s']} s")
        for ex in r["examples"]:
            print(f"    {ex}")
    print(f"total    cases run: {total:6,}  failures: {failed:,}  ({time.perf_counter() - start:.0f} s, "
          f"seed {args.seed})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
