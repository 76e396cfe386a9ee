#!/usr/bin/env python3
"""Checks the shape of the C++ code (ctest runs it as unit.Structure):

  - no file of harness/ or tests/ longer than 400 lines;
  - no function in harness/ longer than 80 lines (signature to closing brace);
  - no cycle among harness/'s folders (folder A includes a header of folder B
    and B, directly or not, one of A). The build enforces the declared
    direction (harness/CMakeLists.txt); this reports the graph as it is;
  - no name (function, class, k-constant) defined in the anonymous namespace
    of two files of one unity-built target (a harness folder, the unit
    tests, the integration tests): the build joins files in batches, and
    which files share a batch moves whenever a file is added, so two such
    helpers compile today and clash after the next new file.

Functions are found by a small scanner that skips comments, strings and
character literals and tracks braces: a brace at namespace or class level
whose preceding text holds a closing parenthesis opens a function.
Prints every violation and exits 1 when there is one; --graph prints the
folder graph. Python 3 standard library only.
"""
import os
import re
import sys

MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_EXT = (".h", ".cc", ".cpp")


def sources(top):
    for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
        for f in sorted(files):
            if f.endswith(SOURCE_EXT):
                yield os.path.join(dirpath, f)


def strip(text):
    """The text with comments, strings, character literals and preprocessor
    lines blanked (newlines kept)."""
    text = re.sub(r"^[ \t]*#[^\n]*", lambda m: " " * len(m.group(0)), text, flags=re.M)
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (j - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def long_functions(path):
    text = strip(open(path, encoding="utf-8").read())
    stack, found = [], []  # stack of (kind, start line)
    last_stop, line = 0, 1
    for i, c in enumerate(text):
        if c == "\n":
            line += 1
        elif c in ";{}":
            before = text[last_stop:i]
            if c == "{":
                in_function = any(kind == "function" for kind, _ in stack)
                if in_function:
                    kind = "block"
                elif re.search(r"\bnamespace\b", before):
                    kind = "namespace"
                elif re.search(r"\b(class|struct|union|enum)\b", before) and ")" not in before:
                    kind = "class"
                elif ")" in before:
                    kind = "function"
                else:
                    kind = "block"
                start = line - before.rstrip().count("\n") if kind != "function" else \
                    line - before[len(before) - len(before.lstrip()):].count("\n")
                stack.append((kind, start))
            elif c == "}" and stack:
                kind, start = stack.pop()
                if kind == "function" and line - start + 1 > MAX_FUNCTION_LINES:
                    found.append((start, line - start + 1))
            last_stop = i + 1
    return found


def file_scope_names(path):
    """Names a file defines in its anonymous namespace: free functions (not
    out-of-line members), classes, structs and enums, and k-constants."""
    text = strip(open(path, encoding="utf-8").read())
    stack, names, last = [], set(), 0
    for i, c in enumerate(text):
        if c not in ";{}":
            continue
        before = text[last:i]
        last = i + 1
        if c == "}":
            if stack:
                stack.pop()
            continue
        in_code = any(k in ("function", "class", "block") for k in stack)
        in_anon = "anon" in stack and not in_code
        if c == ";":
            m = re.search(r"\b(k[A-Z]\w*)\s*(?:=|\{|\[)", before)
            if in_anon and m:
                names.add(m.group(1))
            continue
        if in_code:
            kind = "block"
        elif re.search(r"\bnamespace\s*$", before.rstrip()):
            kind = "anon"
        elif re.search(r"\bnamespace\b", before):
            kind = "namespace"
        elif re.search(r"\b(class|struct|union|enum)\b", before) and ")" not in before:
            kind = "class"
            m = re.search(r"\b(?:class|struct|union|enum(?:\s+class)?)\s+(\w+)", before)
            if in_anon and m:
                names.add(m.group(1))
        elif ")" in before:
            kind = "function"
            m = re.search(r"(?<!::)\b(\w+)\s*\((?:[^()]|\([^()]*\))*\)\s*(?:const)?\s*(?:noexcept)?\s*(?:->[^{]*)?$",
                          before)
            if in_anon and m and not m.group(1).isupper() and m.group(1) not in ("if", "for", "while", "switch", "catch"):
                names.add(m.group(1))
        else:
            kind = "block"
        stack.append(kind)
    return names


def unity_clashes():
    groups = [os.path.join(ROOT, "tests", "unit"), os.path.join(ROOT, "tests", "integration")]
    harness = os.path.join(ROOT, "harness")
    groups += [os.path.join(harness, d) for d in sorted(os.listdir(harness)) if os.path.isdir(os.path.join(harness, d))]
    found = []
    for group in groups:
        seen = {}
        for f in sorted(os.listdir(group)):
            if f.endswith(".cc"):
                for name in file_scope_names(os.path.join(group, f)):
                    seen.setdefault(name, []).append(f)
        for name, files in sorted(seen.items()):
            if len(files) > 1:
                found.append(f"{os.path.relpath(group, ROOT)}: {name} is defined in the anonymous namespace of "
                             f"{', '.join(files)}: they may meet in one unity batch; give each its file's name")
    return found


def include_graph():
    graph = {}
    for path in sources("harness"):
        folder = os.path.relpath(path, os.path.join(ROOT, "harness")).split(os.sep)[0]
        for m in re.finditer(r'^#include "([a-z_]+)/', open(path, encoding="utf-8").read(), re.M):
            if m.group(1) != folder:
                graph.setdefault(folder, set()).add(m.group(1))
        graph.setdefault(folder, set())
    return graph


def cycles(graph):
    found, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def main():
    problems = []
    for top in ("harness", "tests"):
        for path in sources(top):
            rel = os.path.relpath(path, ROOT)
            lines = sum(1 for _ in open(path, encoding="utf-8"))
            if lines > MAX_FILE_LINES:
                problems.append(f"{rel}: {lines} lines (at most {MAX_FILE_LINES})")
            if top == "harness":
                for start, length in long_functions(path):
                    problems.append(f"{rel}:{start}: a function of {length} lines (at most {MAX_FUNCTION_LINES})")
    problems += unity_clashes()
    graph = include_graph()
    for cycle in cycles(graph):
        problems.append("harness/ folders include each other in a circle: " + " -> ".join(cycle))
    if "--graph" in sys.argv:
        for folder in sorted(graph):
            print(f"{folder}: {', '.join(sorted(graph[folder])) or '-'}")
    for p in problems:
        print(p)
    print(f"structure: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
