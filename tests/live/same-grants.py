# Compares two topologies written by `kafkamesh import` section by section (namespaces,
# services, roles, topics): the import of a running platform and the import of what that
# topology compiles to must declare the same. Comments, and the KM710 acknowledgements of
# host-restricted ACLs (which the compiled documents can no longer hold), are left out; the
# kafka section is not compared (with kafka.managed: false no cluster resource is compiled).
# Prints the first differing lines and exits 1 when they differ.
#   python3 same-grants.py FIRST SECOND
import difflib
import sys

SECTIONS = ("namespaces:", "services:", "roles:", "topics:")


def only_km710(lines, at):
    """Whether the acknowledge list starting after line `at` holds KM710 entries alone."""
    indent = len(lines[at]) - len(lines[at].lstrip())
    codes = []
    for line in lines[at + 1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        if line.strip().startswith("- code: "):
            codes.append(line.strip()[len("- code: "):])
    return bool(codes) and all(code == "KM710" for code in codes)


def sections(path):
    kept, keep, skip_reason = [], False, False
    lines = open(path).read().split("\n")
    for i, line in enumerate(lines):
        if line and not line.startswith((" ", "#", "-")):
            keep = line in SECTIONS
        stripped = line.strip()
        if not keep or stripped.startswith("#"):
            continue
        if stripped == "- code: KM710":
            skip_reason = True
            continue
        if skip_reason and stripped.startswith("reason:"):
            skip_reason = False
            continue
        if stripped == "acknowledge:" and only_km710(lines, i):
            continue
        kept.append(line)
    return kept


a, b = sections(sys.argv[1]), sections(sys.argv[2])
if a != b:
    sys.stdout.writelines(line + "\n" for line in
                          list(difflib.unified_diff(a, b, "first", "second", lineterm=""))[:40])
    sys.exit(1)
