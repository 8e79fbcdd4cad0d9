"""Rebuild Qt's ICU data library (libicudata, 31 MB) with only what an English-only app loads.

PySide6's QtCore links ICU; its data library carries display names of every language,
region, currency and unit, spell-out rules, transliterators, Thai/CJK word dictionaries and
the locale and collation data of about 800 locales. Qt uses ICU for collation, case
mapping, text codecs and time-zone names, never for those display names (Qt has its own CLDR
tables), and this app shows English only. ICU supports exactly this kind of data filtering;
here the shipped package is repackaged with ``icupkg`` (Debian: icu-devtools) and linked
back into a shared library with the C compiler, so no ICU build is needed.

Kept: the root and English locales, ``coll/ucadata.icu`` (root collation), the converters,
normalisation and property files, the time-zone rules and the English zone names.
Missing pieces make ICU fall back to root data, never crash.

``python packaging/icu_trim.py IN.so OUT.so`` (the spec calls :func:`trim`). Linux only.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# display-name trees Qt never reads, and the rule sets it never calls
DROP_TREES = ("curr/", "unit/", "lang/", "region/", "rbnf/", "translit/")
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_([A-Z]{2}|[0-9]{3}))?(_[A-Z0-9]+)?\.res$")
KEEP_LOCALES = ("root.res", "en.res", "en_")


def keep(item: str) -> bool:
    """Whether a package item (``tree/name`` without the package prefix) stays."""
    if item.startswith(DROP_TREES):
        return False
    tree, _, name = item.rpartition("/")
    if tree == "brkitr" and name.endswith(".dict"):  # Thai/Lao/Khmer/Burmese/CJK word lists
        return False
    if tree in ("", "coll", "zone") and LOCALE.match(name):
        return name.startswith(KEEP_LOCALES)
    return True


def tools() -> dict[str, str] | None:
    found = {name: shutil.which(name) for name in ("icupkg", "objcopy", "nm", "cc")}
    return None if None in found.values() else found  # type: ignore[return-value]


def _data_symbol(lib: Path, nm: str) -> tuple[str, int]:
    """(symbol, size) of the ``icudtNN_dat`` blob, which must fill the library's .rodata."""
    out = subprocess.run([nm, "-D", "-S", "--defined-only", str(lib)], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and re.fullmatch(r"icudt\d+_dat", parts[3]):
            return parts[3], int(parts[1], 16)
    raise RuntimeError(f"no icudtNN_dat symbol in {lib}")


def trim(lib: Path, out: Path) -> bool:
    """Write the trimmed library to ``out``; False (and a message) when tools are missing."""
    found = tools()
    if found is None or not sys.platform.startswith("linux"):
        print("icu_trim: icupkg/objcopy/nm/cc missing, ICU data left whole "
              "(apt-get install icu-devtools binutils gcc)", file=sys.stderr)
        return False
    symbol, size = _data_symbol(lib, found["nm"])
    soname = lib.name
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # icupkg wants the file named like the package inside it: icudt73l (l: little-endian)
        package = symbol.removesuffix("_dat") + ("l" if sys.byteorder == "little" else "b")
        (work / "in").mkdir()
        (work / "out").mkdir()
        full, small = work / "in" / f"{package}.dat", work / "out" / f"{package}.dat"
        subprocess.run([found["objcopy"], "-O", "binary", "--only-section=.rodata", str(lib),
                        str(full)], check=True)
        if full.stat().st_size != size:
            print(f"icu_trim: .rodata of {lib.name} is not just {symbol}; left whole",
                  file=sys.stderr)
            return False
        listing = subprocess.run([found["icupkg"], "-l", str(full)], check=True,
                                 capture_output=True, text=True).stdout.split()
        drop = [item for item in listing if not keep(item)]
        (work / "drop.txt").write_text("\n".join(drop) + "\n", encoding="utf-8")
        subprocess.run([found["icupkg"], "--ignore-deps", "-r", str(work / "drop.txt"),
                        str(full), str(small)], check=True, capture_output=True)
        asm = work / "data.S"
        asm.write_text(
            f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
            f'\t.balign 16\n{symbol}:\n\t.incbin "{small}"\n\t.size {symbol}, .-{symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n', encoding="utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([found["cc"], "-shared", "-nostdlib", f"-Wl,-soname,{soname}",
                        "-o", str(out), str(asm)], check=True)
        print(f"icu_trim: {lib.name} {lib.stat().st_size / 1e6:.1f} MB -> "
              f"{out.stat().st_size / 1e6:.1f} MB ({len(drop)} of {len(listing)} items dropped)",
              file=sys.stderr)
    return True


if __name__ == "__main__":
    sys.exit(0 if trim(Path(sys.argv[1]), Path(sys.argv[2])) else 1)
