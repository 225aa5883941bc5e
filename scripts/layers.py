#!/usr/bin/env python3
"""How the top-level modules of src/ depend on each other: each edge, any cycle, and the
longest chain from `main` to a module that uses no other (the number of layers).

    python3 scripts/layers.py

A module uses another when one of its files names `crate::OTHER` (or, in main.rs,
`recall::OTHER`) outside comments; tests (`#[cfg(test)]` modules, and files of tests named
`*_tests.rs`) are left out.
"""

import pathlib
import re
import sys

SRC = pathlib.Path(__file__).resolve().parent.parent / "src"


def module_of(path: pathlib.Path) -> str:
    relative = path.relative_to(SRC)
    if relative.name == "main.rs" and len(relative.parts) == 1:
        return "main"
    return relative.parts[0].removesuffix(".rs")


def code_of(text: str) -> str:
    """The text without its tests and comments (a doc link is not a use)."""
    at = text.find("#[cfg(test)]")
    text = text if at < 0 else text[:at]
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def main() -> int:
    modules = {module_of(p) for p in SRC.rglob("*.rs")} - {"lib"}
    uses: dict[str, set[str]] = {m: set() for m in modules}
    for path in SRC.rglob("*.rs"):
        source = module_of(path)
        if source == "lib" or path.name.endswith("_tests.rs"):
            continue
        text = code_of(path.read_text())
        root = "recall" if source == "main" else "crate"
        for target in re.findall(rf"\b{root}::(\w+)", text):
            if target in modules and target != source:
                uses[source].add(target)
    for source in sorted(uses):
        print(f"{source:>9} -> {', '.join(sorted(uses[source])) or '(nothing)'}")

    depth: dict[str, int] = {}
    visiting: list[str] = []

    def layers(module: str) -> int:
        if module in visiting:
            cycle = visiting[visiting.index(module):] + [module]
            sys.exit("cycle: " + " -> ".join(cycle))
        if module not in depth:
            visiting.append(module)
            depth[module] = 1 + max((layers(m) for m in uses[module]), default=0)
            visiting.pop()
        return depth[module]

    total = layers("main")
    chain = ["main"]
    while uses[chain[-1]]:
        chain.append(max(uses[chain[-1]], key=lambda m: depth[m]))
    print(f"\nno cycles; {total} layers from main: {' -> '.join(chain)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
