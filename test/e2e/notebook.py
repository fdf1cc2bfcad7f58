"""Builds a small TypeScript notebook with nbformat, executes it headless with nbclient, prints the
executed notebook's cells (source, outputs) as JSON.

Usage: python3 notebook.py KERNEL_NAME CWD   (JUPYTER_PATH must make the kernelspec visible)
"""

import json
import sys

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

CELLS = [
    "function fib(n: number): number {\n  return n < 2 ? n : fib(n - 1) + fib(n - 2);\n}\nfib(20)",
    "let total = 0;\nfor (let i = 0; i < 1000; i++) {\n  total += i;\n}\ntotal",
    'console.log("hello from the kernel", [1, 2, 3]);',
    'import { display } from "tsprof";\ndisplay.html("<b>bold</b> <i>html</i>");',
    "interface P { x: number; y: number }\nconst p: P = { x: 1, y: 2 };\np.x + p.y",
    "%%file square.ts\nexport const square = (x: number): number => x * x;",
    'import { square } from "./square";\nsquare(total)',
]


def main():
    kernel_name, cwd = sys.argv[1], sys.argv[2]
    nb = new_notebook(metadata={"kernelspec": {"name": kernel_name, "display_name": kernel_name, "language": "typescript"}})
    nb.cells = [new_code_cell(source) for source in CELLS]
    client = NotebookClient(nb, kernel_name=kernel_name, timeout=60, allow_errors=False,
                            resources={"metadata": {"path": cwd}})
    client.execute()
    json.dump([{"source": cell.source, "execution_count": cell.execution_count, "outputs": cell.outputs}
               for cell in nb.cells], sys.stdout)


if __name__ == "__main__":
    main()
