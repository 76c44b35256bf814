#!/usr/bin/env python3
"""Fails when a source file under src/ is longer than 800 lines or a function longer than 100.

The house rule (a file holds one subject, a function fits on a screen) as a test. Functions are
found by brace matching over the code with comments, strings and preprocessor lines removed: a
brace opened at namespace or class scope after a closing parenthesis (or const, noexcept,
override, a trailing return type) opens a function body, and everything up to its matching brace,
lambdas included, belongs to it (a constructor's braced member initialisers are part of its
declaration). A function's length runs from the first line of its declaration
to its closing brace.

usage: check-sizes.py SOURCE_DIR [--list N]   (--list prints the N longest functions and passes)
"""

import os
import re
import sys

MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 100
EXTENSIONS = (".cpp", ".h")

SCOPE_RE = re.compile(r"^(template\s*<.*>\s*)?(namespace|class|struct|union|enum|extern)\b", re.S)
ACCESS_LABEL_RE = re.compile(r"\s*(public|private|protected)\s*:(?!:)")
INIT_LIST_RE = re.compile(r"\)\s*(noexcept\s*)?:[^:]")
FUNCTION_END_RE = re.compile(
    r"(\)|\bconst|\bnoexcept|\boverride|\bfinal|\bmutable|\btry|->\s*[\w:<>,\s*&]+)$")


def blank_code(text):
    """The text with comments, string and character literals and preprocessor lines replaced by
    spaces, newlines kept, so offsets and line numbers stay those of the file."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            # A preprocessor line, with its continuations.
            while i < n and not (text[i] == "\n" and text[i - 1] != "\\"):
                out.append("\n" if text[i] == "\n" else " ")
                i += 1
            continue
        if c == "\n":
            out.append(c)
            line_start = True
            i += 1
            continue
        if not c.isspace():
            line_start = False
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                out.append(" ")
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
            continue
        raw = re.match(r'(?:u8|u|U|L)?R"([^(\s]*)\(', text[i:i + 40])
        if raw and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            close = ")" + raw.group(1) + '"'
            end = text.find(close, i + raw.end())
            end = n if end < 0 else end + len(close)
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
            continue
        if c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum() and i + 1 < n and text[i + 1].isalnum():
                out.append(" ")  # a digit separator: 1'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (min(j + 1, n) - i))
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def functions(code):
    """(first line, last line, header) of every function body in the blanked code."""
    found = []
    stack = []  # per open brace: "scope", "function" or "other"
    preamble_start = 0
    line = 1
    line_of = []
    for ch in code:
        line_of.append(line)
        if ch == "\n":
            line += 1
    function_start = None
    for i, ch in enumerate(code):
        if ch not in "{};":
            continue
        in_function = any(kind != "scope" for kind in stack)
        if ch == "{":
            if in_function:
                stack.append("other")
                continue
            # An access label belongs to the class, not to the declaration after it.
            label = ACCESS_LABEL_RE.match(code, preamble_start, i)
            if label:
                preamble_start = label.end()
            preamble = code[preamble_start:i].strip()
            if INIT_LIST_RE.search(preamble) and not FUNCTION_END_RE.search(preamble):
                stack.append("init")  # a member's braced initialiser in a constructor's list
                continue
            if FUNCTION_END_RE.search(preamble) and not SCOPE_RE.match(preamble):
                stack.append("function")
                first = preamble_start + (len(code[preamble_start:i]) -
                                          len(code[preamble_start:i].lstrip()))
                function_start = (line_of[first], " ".join(preamble.split())[:90])
            elif SCOPE_RE.match(preamble) and "=" not in preamble:
                stack.append("scope")
            else:
                stack.append("other")
            preamble_start = i + 1
        elif ch == "}":
            kind = stack.pop() if stack else "scope"
            if kind == "function" and function_start:
                found.append((function_start[0], line_of[i], function_start[1]))
                function_start = None
            if kind != "init" and not any(k != "scope" for k in stack):
                preamble_start = i + 1
        elif not in_function:
            preamble_start = i + 1
    return found


def main(argv):
    root = argv[1]
    list_count = int(argv[3]) if len(argv) > 3 and argv[2] == "--list" else None
    problems = []
    everything = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(EXTENSIONS):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, os.path.dirname(os.path.abspath(root)))
            with open(path, encoding="utf-8") as f:
                text = f.read()
            lines = text.count("\n")
            if lines > MAX_FILE_LINES:
                problems.append(f"{rel}: {lines} lines (at most {MAX_FILE_LINES})")
            for first, last, header in functions(blank_code(text)):
                length = last - first + 1
                everything.append((length, f"{rel}:{first}", header))
                if length > MAX_FUNCTION_LINES:
                    problems.append(f"{rel}:{first}: function of {length} lines (at most "
                                    f"{MAX_FUNCTION_LINES}): {header}")
    if list_count is not None:
        for length, where, header in sorted(everything, reverse=True)[:list_count]:
            print(f"{length:5} {where}: {header}")
        return 0
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("split the file by subject, or the function into named steps (see the house "
              "rules)", file=sys.stderr)
        return 1
    print(f"sizes: ok ({len(everything)} functions)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
