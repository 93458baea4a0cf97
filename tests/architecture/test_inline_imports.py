"""An import inside a function says why it is there (issue 9).

Most imports belong at the top of the module. One inside a function stays only with a comment:
on its own line, on the line above, or above the block of imports it opens (for example "the
tasks module imports this one", or "keeps faiss and PyAV out of the web process").
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("config", "elections", "triage", "integrations")


def _in_import_block(line: str) -> bool:
    if line.strip().startswith("#"):
        return False
    text = line.split("  #")[0].strip()
    continuation = text.endswith(",") and not text.startswith(("#", "return", "raise"))
    return not text or text.startswith(("from ", "import ", ")")) or continuation


def _unexplained(path: Path) -> list[str]:
    source = path.read_text()
    lines = source.split("\n")
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            row = node.lineno - 1
            if "#" in lines[row]:
                continue
            above = row - 1
            while above >= 0 and _in_import_block(lines[above]):
                above -= 1  # the first import of a block carries the block's comment
            if above >= 0 and lines[above].strip().startswith("#"):
                continue
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[row].strip()}")
    return found


def test_every_import_inside_a_function_says_why():
    unexplained = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                unexplained += _unexplained(path)
    assert unexplained == []
