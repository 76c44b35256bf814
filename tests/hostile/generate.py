#!/usr/bin/env python3
"""Writes the hostile corpus: cases/<name>.yaml and expectations.tsv (file, code, exit).

Each case is a topology someone could put in a pull request; run.sh compiles each and
requires its diagnostic code, its exit code and an empty stdout. Regenerate with
`python3 tests/hostile/generate.py` and review the diff like a golden update.
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")

HEADER = """apiVersion: kafkamesh.io/v1alpha1
kind: Topology
metadata: {name: shop}
kafka: {name: events, namespace: kafka}
namespaces: [{name: shop}]
topics: [{name: orders}]
"""

cases = []  # (name, bytes, code, exit)


def add(name, text, code, exit_code=1):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    cases.append((name, data, code, exit_code))


def service(fields):
    return HEADER + "services:\n  - {name: checkout, namespace: shop, " + fields + "}\n"


def quoted(s):
    """A YAML double-quoted scalar holding s exactly."""
    out = '"'
    for ch in s:
        if ch == '"' or ch == "\\":
            out += "\\" + ch
        elif ch == "\n":
            out += "\\n"
        elif ch == "\t":
            out += "\\t"
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out += "\\x%02x" % ord(ch)
        else:
            out += ch
    return out + '"'


# Strings that try to leave their scalar, their line, their shell word or their reviewer.
HOSTILE = {
    "newline": "checkout\nadmin",
    "cr": "checkout\radmin",
    "quote": 'check"out',
    "single-quote": "check'out",
    "command-substitution": "$(id)",
    "backticks": "`id`",
    "document-marker": "---",  # a valid topic name: it must come out quoted, not rejected
    "document-end": "x\n...\n---",
    "comment": "checkout #admin",
    "colon": "a: b",
    "cyrillic-lookalike": "\u0441heckout",
    "fullwidth": "\uff43heckout",
    "space": "check out",
    "slash": "shop/checkout",
    "semicolon": "a;rm -rf /",
    "too-long": "a" * 254,
    "empty": "",
    "nul-escape": "check\x00out",
    "escape-sequence": "\x1b[31mred",
    "uppercase": "Checkout",
}

# --- input structure and limits (KM1xx) -----------------------------------------------------
add("empty", "", "KM104")
add("only-whitespace", "   \n\n  \n", "KM104")
add("only-comments", "# nothing\n# here\n", "KM104")
add("bom-only", b"\xef\xbb\xbf", "KM104")
add("two-documents", HEADER + "---\n" + HEADER, "KM103")
add("document-then-secret", HEADER + "---\napiVersion: v1\nkind: Secret\n", "KM103")
add("document-end-then-more", HEADER + "...\n---\nkind: Secret\n", "KM103")
add("deep-flow-sequences", "a: " + "[" * 20000 + "]" * 20000 + "\n", "KM105")
add("deep-flow-mappings", "a: " + "{a: " * 20000 + "b" + "}" * 20000 + "\n", "KM105")
add("deep-unclosed", "a: " + "[" * 20000 + "\n", "KM105")
add("deep-block", "".join("  " * i + "k:\n" for i in range(100)), "KM105")
add("deep-block-sequences", "".join("  " * i + "-\n" for i in range(100)), "KM105")
lol = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
prev = "a"
for i, n in enumerate("bcdefghij"):
    lol += "%s: &%s [%s]\n" % (n, n, ",".join(["*" + prev] * 10))
    prev = n
add("billion-laughs", lol, "KM105")
add("alias-byte-bomb", 'a: &a "' + "x" * 16000 + '"\nb: [' + ", ".join(["*a"] * 4000) + "]\n", "KM105")
chain = "a0: &a0 " + "[" * 60 + "]" * 60 + "\n"
for i in range(1, 4):
    chain += "a%d: &a%d " % (i, i) + "[" * 60 + "*a%d" % (i - 1) + "]" * 60 + "\n"
add("alias-depth-chain", chain, "KM105")
add("self-alias", HEADER + "extra: &x [1, *x]\n", "KM101")
add("unknown-alias", HEADER + "extra: *nothing\n", "KM101")
# KM106 (a file over 32 MiB) is covered by golden/validate/error.KM106-file-too-large, which
# reads /dev/zero, and by the example of its long help: such a file is not kept in the corpus.
add("long-string-value", service("user: " + quoted("u" * 17000)), "KM108")
add("long-string-key", HEADER + "? " + "k" * 17000 + "\n: 1\n", "KM108")
add("long-block-scalar", HEADER + "note: |\n" + ("  " + "y" * 1000 + "\n") * 20, "KM108")
add("utf16-le", HEADER.encode("utf-16-le"), "KM109")
add("utf16-be-bom", b"\xfe\xff" + HEADER.encode("utf-16-be"), "KM109")
add("utf16-le-bom", b"\xff\xfe" + HEADER.encode("utf-16-le"), "KM109")
add("utf32-bom", b"\x00\x00\xfe\xff" + HEADER.encode("utf-32-be"), "KM109")
add("latin1-byte", HEADER.encode() + b"# caf\xe9\n", "KM109")
add("lone-continuation", HEADER.encode() + b"# \x80\n", "KM109")
add("overlong-slash", HEADER.encode() + b"# \xc0\xaf\n", "KM109")
add("encoded-surrogate", HEADER.encode() + b"# \xed\xa0\x80\n", "KM109")
add("truncated-sequence", HEADER.encode() + b"# \xe2\x82", "KM109")
add("byte-ff", HEADER.encode() + b"# \xff\n", "KM109")
add("beyond-unicode", HEADER.encode() + b"# \xf4\x90\x80\x80\n", "KM109")
add("raw-nul", HEADER + "# a\x00b\n", "KM110")
add("raw-escape", HEADER + "# \x1b[2J\n", "KM110")
add("raw-bell", HEADER + "# \x07\n", "KM110")
add("raw-backspace-in-name", service('user: "shop-checkout\x08\x08\x08admin"'), "KM110")
add("raw-del", HEADER + "# \x7f\n", "KM110")
add("raw-c1-control", HEADER + "# \u0090\n", "KM110")
add("noncharacter-fffe", HEADER + "# \ufffe\n", "KM110")
add("right-to-left-override", HEADER + "# \u202e ]nimda[ :selor\n", "KM111")
add("left-to-right-isolate", service("produces: [orders]") + "# \u2066x\u2069\n", "KM111")
add("zero-width-space-in-name", service("user: shop-\u200bcheckout"), "KM111")
add("zero-width-joiner", HEADER + "# a\u200db\n", "KM111")
add("bom-in-the-middle", HEADER + "# \ufeff\n", "KM111")
add("arabic-letter-mark", HEADER + "# \u061c\n", "KM111")
add("word-joiner", HEADER + "# \u2060\n", "KM111")
add("tab-indent-mapping", HEADER + "services:\n\t- name: checkout\n", "KM112")
add("tab-indent-nested", HEADER.replace("metadata: {name: shop}", "metadata:\n\tname: shop"), "KM112")
add("tab-after-spaces", HEADER + "services:\n  - name: checkout\n  \tnamespace: shop\n", "KM112")
add("duplicate-top-level", HEADER + "topics: [{name: payments}]\n", "KM102")
add("duplicate-in-flow", service("produces: [orders], produces: []"), "KM102")
add("duplicate-nested", HEADER.replace("{name: events, namespace: kafka}", "{name: events, namespace: kafka, name: other}"), "KM102")
add("unclosed-quote", HEADER + 'services: [{name: "checkout}]\n', "KM101")
# yaml-cpp 0.7 reports empty documents without end after a stray flow indicator: a hang before.
add("stray-comma-first", ', grop: "checkout\\nadmmin"}]}\n', "KM101")
add("stray-comma-after-comment", "# team file\n\n  , x\n", "KM101")
add("unclosed-flow", HEADER + "services: [{name: checkout\n", "KM101")
add("bad-indentation", HEADER + "services:\n  - name: a\n   namespace: b\n", "KM101")
add("scalar-root", "just a string\n", "KM202")
add("sequence-root", "- a\n- b\n", "KM202")
add("null-root", "~\n", "KM202")
add("merge-key", HEADER + "base: &b {name: x}\nmetadata2: {<<: *b}\n", "KM201")
add("tagged-binary", HEADER.replace("{name: shop}", "{name: !!binary c2hvcA==}"), "KM205")

# --- names against their destination --------------------------------------------------------
for label, value in HOSTILE.items():
    if label == "empty":
        continue
    add("service-name-" + label, HEADER + "services:\n  - {name: %s, namespace: shop}\n" % quoted(value), "KM205")
for label in ["newline", "command-substitution", "cyrillic-lookalike", "too-long", "uppercase", "document-marker"]:
    add("namespace-name-" + label, HEADER.replace("namespaces: [{name: shop}]", "namespaces: [{name: %s}]" % quoted(HOSTILE[label])), "KM205")
for label in ["newline", "space", "command-substitution", "backticks", "cyrillic-lookalike", "slash", "comment"]:
    add("topic-name-" + label, HEADER.replace("topics: [{name: orders}]", "topics: [{name: %s}]" % quoted(HOSTILE[label])), "KM205")
add("topic-name-dot", HEADER.replace("topics: [{name: orders}]", "topics: [{name: '.'}]"), "KM205")
add("topic-name-250", HEADER.replace("topics: [{name: orders}]", "topics: [{name: %s}]" % ("t" * 250)), "KM205")
for label in ["newline", "quote", "command-substitution", "cyrillic-lookalike", "uppercase", "space", "slash"]:
    add("user-" + label, service("user: " + quoted(HOSTILE[label])), "KM205")
add("user-wildcard", service('user: "*"'), "KM205")
for label in ["newline", "command-substitution", "backticks", "cyrillic-lookalike", "space", "slash", "semicolon", "comment", "escape-sequence"]:
    add("group-" + label, service("consumes: [{topic: orders, group: %s}]" % quoted(HOSTILE[label])), "KM532")
for label in ["newline", "command-substitution", "cyrillic-lookalike", "space"]:
    add("transactional-id-" + label, service("produces: [orders], transactionalId: " + quoted(HOSTILE[label])), "KM532")
for label in ["command-substitution", "space", "cyrillic-lookalike"]:
    add("application-id-" + label, service("kind: streams, consumes: [orders], applicationId: " + quoted(HOSTILE[label])), "KM532")
add("connect-group-id-shell", service("kind: connect, connect: {groupId: " + quoted("$(id)") + "}"), "KM532")
add("prefix-reference-space", service('produces: ["ord ers*"]'), "KM532")
for label in ["newline", "command-substitution", "cyrillic-lookalike"]:
    add("role-group-" + label, HEADER + "roles:\n  - name: r\n    grants:\n      - {groups: [%s], operations: [Read]}\n" % quoted(HOSTILE[label]), "KM532")
add("role-topic-backticks", HEADER + "roles:\n  - name: r\n    grants:\n      - {topics: [%s], operations: [Read]}\n" % quoted("`id`*"), "KM532")
add("config-value-newline", HEADER.replace("topics: [{name: orders}]", "topics: [{name: orders, config: {cleanup.policy: %s}}]" % quoted("delete\nsuper.users=User:mallory")), "KM533")
add("config-value-cr", HEADER.replace("topics: [{name: orders}]", "topics: [{name: orders, config: {cleanup.policy: %s}}]" % quoted("delete\rx")), "KM533")
add("config-key-newline", HEADER.replace("topics: [{name: orders}]", "topics: [{name: orders, config: {%s: 1}}]" % quoted("retention.ms\nsuper.users")), "KM533")
add("config-key-equals", HEADER.replace("{name: events, namespace: kafka}", "{name: events, namespace: kafka, config: {%s: 1}}" % quoted("a=b")), "KM533")
add("broker-config-value-newline", HEADER.replace("{name: events, namespace: kafka}", "{name: events, namespace: kafka, config: {log.retention.hours: %s}}" % quoted("1\nallow.everyone.if.no.acl.found=true")), "KM533")
add("cluster-name-too-long", HEADER.replace("name: events", "name: " + "e" * 48), "KM531")
add("bitnami-release-too-long", HEADER.replace("{name: events, namespace: kafka}", "{name: events, namespace: kafka, distribution: bitnami, bitnami: {release: %s}}" % ("r" * 44)), "KM531")
# Strings the Bitnami chart passes through Helm's tpl (overrideConfiguration, pod annotations).
BITNAMI = "{name: events, namespace: kafka, distribution: bitnami"
TEMPLATES = {
    "lookup": '{{ (lookup "v1" "Secret" "kafka" "events-user-passwords").data }}',
    "values": "{{ .Values.sasl.client.passwords }}",
    "printf-newline": '1{{ printf "%c" 10 }}authorizer.class.name=',
    "open-only": "1{{",
    "close-only": "1}}",
    "spaced": "x {{- /* */ -}} y",
}
for label, text in TEMPLATES.items():
    add("bitnami-config-value-template-" + label, HEADER.replace("{name: events, namespace: kafka", BITNAMI + ", config: {group.consumer.migration.policy: %s}" % quoted(text)), "KM506")
# A key or an image with braces is already refused as a config name (KM533) or image reference
# (KM534) before the chart's own check (KM506) would see it.
add("bitnami-config-key-template", HEADER.replace("{name: events, namespace: kafka", BITNAMI + ", config: {%s: 1}" % quoted("{{.Release.Name}}")), "KM533")
add("bitnami-image-shell", HEADER.replace("{name: events, namespace: kafka", BITNAMI + ", bitnami: {image: %s}" % quoted("docker.io/x/kafka:1 {{.Values}}")), "KM534")
add("bitnami-operator-image-newline", HEADER.replace("{name: events, namespace: kafka", BITNAMI + ", bitnami: {operatorImage: %s}" % quoted("quay.io/strimzi/operator:1.2.0\nx")), "KM534")
add("bitnami-proxy-image-template", HEADER.replace("{name: events, namespace: kafka", BITNAMI).replace("metadata:", "mesh: {filters: {kafkaMetrics: {proxyImage: %s}}}\nmetadata:" % quoted("ghcr.io/x/{{.Release.Name}}:1")), "KM534")
for label, image in {"shell": "ghcr.io/x/y:1; curl evil", "uppercase": "ghcr.io/Example/y:1", "newline": "ghcr.io/x/y:1\nz", "empty-tag": "ghcr.io/x/y:", "short-digest": "ghcr.io/x/y@sha256:abc"}.items():
    add("image-" + label, HEADER.replace("metadata:", "mesh: {filters: {kafkaMetrics: {proxyImage: %s}}}\nmetadata:" % quoted(image)), "KM534")
add("namespace-label-value-newline", HEADER.replace("namespaces: [{name: shop}]", "namespaces: [{name: shop, labels: {team: %s}}]" % quoted("a\nb")), "KM205")
add("namespace-label-key-shell", HEADER.replace("namespaces: [{name: shop}]", "namespaces: [{name: shop, labels: {%s: x}}]" % quoted("$(id)")), "KM205")

# --- fail closed: nothing may widen who is admitted ----------------------------------------
add("service-account-wildcard", service('serviceAccount: "*"'), "KM205")
add("namespace-wildcard", HEADER.replace("namespaces: [{name: shop}]", 'namespaces: [{name: "*"}]'), "KM205")
add("trust-domain-wildcard", HEADER.replace("metadata:", 'mesh: {trustDomain: "*"}\nmetadata:'), "KM205")
add("trust-domain-path", HEADER.replace("metadata:", 'mesh: {trustDomain: "cluster.local/ns/kafka/sa/x"}\nmetadata:'), "KM205")
add("service-account-path", service('serviceAccount: "x/sa/admin"'), "KM205")
add("super-user-wildcard", HEADER.replace("{name: events, namespace: kafka}", '{name: events, namespace: kafka, superUsers: ["*"]}'), "KM205")
add("super-user-unknown", HEADER.replace("{name: events, namespace: kafka}", '{name: events, namespace: kafka, superUsers: ["shop/admin"]}'), "KM305")
add("wildcard-in-middle", service('produces: ["or*ers"]'), "KM308")
add("allow-everyone-config", HEADER.replace("{name: events, namespace: kafka}", "{name: events, namespace: kafka, config: {allow.everyone.if.no.acl.found: true}}"), "KM314")
add("super-users-config", HEADER.replace("{name: events, namespace: kafka}", '{name: events, namespace: kafka, config: {super.users: "User:mallory"}}'), "KM314")
add("authorizer-config", HEADER.replace("{name: events, namespace: kafka}", '{name: events, namespace: kafka, config: {authorizer.class.name: "x"}}'), "KM314")


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    names = set()
    with open(os.path.join(HERE, "expectations.tsv"), "w") as manifest:
        manifest.write("# case\tcode\texit (stdout must be empty)\n")
        for name, data, code, exit_code in cases:
            assert name not in names, name
            names.add(name)
            with open(os.path.join(OUT, name + ".yaml"), "wb") as f:
                f.write(data)
            manifest.write("%s.yaml\t%s\t%d\n" % (name, code, exit_code))
    print("%d cases" % len(cases))


if __name__ == "__main__":
    main()
