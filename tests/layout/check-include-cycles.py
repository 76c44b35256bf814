#!/usr/bin/env python3
"""Fails when the folders of src/ depend on each other in a circle.

Stages pass values forward, so the folder graph drawn from the #include lines must have no cycle:
a file in folder A that includes "B/x.h" makes A depend on B. Each file at the top of src/ is a
node of its own, named by its stem (main.cpp dispatches to cli/, which runs pipeline.cpp). Only
quoted includes that name a file under src/ count; system and library headers never do.

usage: check-include-cycles.py SOURCE_DIR [--graph]   (--graph prints the edges and passes)
"""

import os
import re
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
EXTENSIONS = (".cpp", ".h", ".in", ".def")


def folder_of(path):
    head = path.split("/", 1)
    return head[0] if len(head) == 2 else head[0].split(".", 1)[0]


def edges(root):
    """{(from folder, to folder): [file that includes, ...]} over every source file."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(EXTENSIONS):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for included in INCLUDE_RE.findall(text):
                if not os.path.isfile(os.path.join(root, included)):
                    continue  # generated or not ours
                a, b = folder_of(rel), folder_of(included)
                if a != b:
                    out.setdefault((a, b), []).append(f"{rel} -> {included}")
    return out


def path_between(graph, start, goal, allowed):
    """A shortest path start -> ... -> goal through `allowed` nodes (breadth first)."""
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph.get(node, ())):
            if nxt == goal:
                path = [node]
                while previous[path[0]] is not None:
                    path.insert(0, previous[path[0]])
                return path + [goal]
            if nxt in allowed and nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return None


def cycles(graph):
    """One cycle through each group of folders that reach each other, as lists of folders."""
    nodes = sorted(set(graph) | {b for targets in graph.values() for b in targets})
    reach = {n: set() for n in nodes}
    for n in nodes:
        queue = [n]
        while queue:
            for nxt in graph.get(queue.pop(), ()):
                if nxt not in reach[n]:
                    reach[n].add(nxt)
                    queue.append(nxt)
    found, seen = [], set()
    for n in nodes:
        if n in seen or n not in reach[n]:
            continue
        group = {m for m in nodes if m in reach[n] and n in reach[m]}
        seen |= group
        found.append(path_between(graph, n, n, group))
    return found


def main(argv):
    root = argv[1]
    found = edges(root)
    graph = {}
    for a, b in found:
        graph.setdefault(a, set()).add(b)
    if len(argv) > 2 and argv[2] == "--graph":
        for a in sorted(graph):
            print(f"{a} -> {', '.join(sorted(graph[a]))}")
        return 0
    circles = cycles(graph)
    for cycle in circles:
        print("the folders of src/ include each other in a circle: " + " -> ".join(cycle),
              file=sys.stderr)
        for a, b in zip(cycle, cycle[1:]):
            for line in found[(a, b)]:
                print(f"  {line}", file=sys.stderr)
    if circles:
        print("stages pass values forward: move the shared type down, or the code up",
              file=sys.stderr)
        return 1
    print(f"include cycles: none ({len(graph)} folders with dependencies)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
