// Usage: node ci-formats.mjs KAFKAMESH REPO_ROOT
// Checks `validate --format sarif` and `--format github` against the formats' published rules:
//  - SARIF against the SARIF 2.1.0 JSON Schema and the SARIF SDK's validator rules (SARIF1xxx,
//    SARIF2xxx and the GitHub ingestion rules GHxxxx), both from @microsoft/sarif-multitool-linux;
//  - GitHub workflow commands against what GitHub's own toolkit (@actions/core) writes for the
//    same diagnostics, escaping included.
// Exit 0: all as expected, 1: not.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import * as core from "@actions/core";

const [kafkamesh, root] = process.argv.slice(2).map((p) => path.resolve(p));
const here = path.dirname(fileURLToPath(import.meta.url));
const multitoolDir = path.join(here, "node_modules", "@microsoft", "sarif-multitool-linux");
const multitool = path.join(multitoolDir, "Sarif.Multitool");
// SARIF2005 asks for the tool's informationUri: kafkamesh has no public home page to name yet.
const acceptedRules = new Set(["SARIF2005"]);

// Inputs with errors, warnings, notes with positions, a file-level error and no diagnostic.
const golden = path.join(root, "golden", "validate");
const cases = [
  { cwd: path.join(golden, "sarif-format"), args: ["topology.yaml", "team,ops:100%.yaml"] },
  { cwd: path.join(golden, "error.KM313-missing-section"), args: ["team.yaml"] },
  { cwd: path.join(golden, "error.KM102-duplicate-key"), args: ["topology.yaml"] },
  { cwd: path.join(golden, "error.KM002-cannot-read"), args: ["missing.yaml"] },
  { cwd: root, args: ["examples/multi-team"] },
];

let failures = 0;
const fail = (what, message) => {
  failures++;
  console.error(`FAIL ${what}: ${message}`);
};

function run(c, format) {
  const r = spawnSync(kafkamesh, ["validate", ...c.args, "--format", format], { cwd: c.cwd, encoding: "utf8" });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1 && r.status !== 3) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const schema = JSON.parse(fs.readFileSync(path.join(multitoolDir, "sarif-2.1.0.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
if ((fs.statSync(multitool).mode & 0o100) === 0) fs.chmodSync(multitool, 0o755); // npm ci may skip its postinstall chmod

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kafkamesh-sarif-"));
try {
  for (const [i, c] of cases.entries()) {
    const what = `sarif ${path.basename(c.cwd)} ${c.args.join(" ")}`;
    const text = run(c, "sarif");
    const log = JSON.parse(text);
    if (!validate(log)) {
      fail(what, validate.errors.map((e) => `${e.instancePath} ${e.message}`).join("; "));
      continue;
    }
    const input = path.join(scratch, `case${i}.sarif`);
    const output = path.join(scratch, `case${i}.validation.sarif`);
    fs.writeFileSync(input, text);
    execFileSync(multitool, ["validate", "--rule-kind", "Sarif;Gh", "--level", "Error;Warning", "--log", "ForceOverwrite", "-o", output, input], { stdio: "pipe" });
    const findings = JSON.parse(fs.readFileSync(output, "utf8")).runs.flatMap((r) => r.results ?? []);
    const problems = findings.filter((r) => !acceptedRules.has(r.ruleId));
    if (problems.length) fail(what, problems.map((r) => `${r.ruleId}: ${r.message.text ?? r.message.id}`).join("; "));
    else console.log(`ok ${what} (${log.runs[0].results.length} results)`);
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

// What @actions/core writes for one diagnostic of --format json.
function toolkitLine(d) {
  const message = [d.message, ...d.notes.map((n) => {
    const where = n.file ? (n.line ? `${n.file}:${n.line}:${n.column}` : n.file) : "";
    return where ? `${n.kind}: ${n.message} (${where})` : `${n.kind}: ${n.message}`;
  })].join("\n");
  const properties = { title: d.code };
  if (d.file) properties.file = d.file;
  if (d.line) { properties.startLine = d.line; properties.startColumn = d.column; }
  let written = "";
  const write = process.stdout.write;
  process.stdout.write = (chunk) => { written += chunk; return true; };
  try {
    (d.severity === "error" ? core.error : core.warning)(message, properties);
  } finally {
    process.stdout.write = write;
  }
  return written.replace(/\n$/, "");
}

// Property order is free in a workflow command; compare the sorted properties and the data.
const normalise = (line) => {
  const m = line.match(/^::(\w+) ([^:]*)::(.*)$/s);
  if (!m) return `unparsable: ${line}`;
  return `::${m[1]} ${m[2].split(",").sort().join(",")}::${m[3]}`;
};

for (const c of cases) {
  const what = `github ${path.basename(c.cwd)} ${c.args.join(" ")}`;
  const ours = run(c, "github").split("\n").filter(Boolean);
  const expected = JSON.parse(run(c, "json")).diagnostics.map(toolkitLine);
  if (ours.length !== expected.length) {
    fail(what, `${ours.length} lines, the toolkit writes ${expected.length}`);
    continue;
  }
  const bad = ours.map((line, i) => [normalise(line), normalise(expected[i])]).filter(([a, b]) => a !== b);
  if (bad.length) fail(what, bad.map(([a, b]) => `\n  ours:    ${a}\n  toolkit: ${b}`).join(""));
  else console.log(`ok ${what} (${ours.length} annotations)`);
}

process.exit(failures ? 1 : 0);
