// Usage: node schema-test.mjs [FILE_OR_DIR...]
// Tests schema/topology.schema.json. The files given and tests/schema/valid must validate;
// each tests/schema/invalid file must be rejected with the error its "# expect: PATH KEYWORD"
// line names, and with no error outside PATH. Exit 0: all as expected, 1: not, 2: usage or I/O.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import YAML from "yaml";
import { collectFiles } from "./files.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const schemaFile = path.join(root, "schema", "topology.schema.json");
const fixtures = path.join(root, "tests", "schema");

function fail(message) {
  console.error(`schema-test: ${message}`);
  process.exit(2);
}

function read(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    fail(`cannot read ${file}: ${e.code ?? e.message}`);
  }
}

function files(target) {
  try {
    const found = collectFiles(target);
    if (found.length === 0) fail(`no *.yaml files in ${target}`);
    return found;
  } catch (e) {
    fail(`cannot read ${target}: ${e.code ?? e.message}`);
  }
}

const schema = JSON.parse(read(schemaFile));
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);

const show = (e) => `${e.instancePath || "/"} ${e.message}${e.keyword === "additionalProperties" ? ` (${e.params.additionalProperty})` : ""}`;

function errorsOf(text) {
  const docs = YAML.parseAllDocuments(text);
  if (docs.length === 0) return { problem: "no YAML document" };
  const parseError = docs.flatMap((d) => d.errors)[0];
  if (parseError) return { problem: `invalid YAML: ${parseError.message.split("\n")[0]}` };
  return { errors: docs.flatMap((d) => (validate(d.toJS()) ? [] : validate.errors)) };
}

function modelineProblem(file, text) {
  const m = text.match(/^# yaml-language-server: \$schema=(\S+)/);
  if (!m || path.resolve(path.dirname(file), m[1]) === schemaFile) return null;
  return `modeline points at ${m[1]}, not at schema/topology.schema.json`;
}

function expectValid(file) {
  const text = read(file);
  const { problem, errors } = errorsOf(text);
  if (problem) return problem;
  if (errors.length) return errors.map(show).join("; ");
  return modelineProblem(file, text);
}

function expectInvalid(file) {
  const text = read(file);
  const m = text.match(/^# expect: (\/\S*) (\w+)$/m);
  if (!m) return { problem: 'no "# expect: PATH KEYWORD" line' };
  const at = m[1] === "/" ? "" : m[1];
  const { problem, errors } = errorsOf(text);
  if (problem) return { problem };
  if (errors.length === 0) return { problem: `accepted, expected ${m[1]} ${m[2]}` };
  const hit = errors.find((e) => e.instancePath === at && e.keyword === m[2]);
  const stray = errors.filter((e) => e.instancePath !== at && !e.instancePath.startsWith(`${at}/`));
  if (!hit || stray.length) return { problem: `expected ${m[1]} ${m[2]}, got ${errors.map(show).join("; ")}` };
  return { detail: show(hit) };
}

function undocumented(node, at, out) {
  if (!node || typeof node !== "object") return out;
  for (const [name, prop] of Object.entries(node.properties ?? {})) {
    if (typeof prop.description !== "string") out.push(`${at}/properties/${name}`);
  }
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) value.forEach((v, i) => undocumented(v, `${at}/${key}/${i}`, out));
    else if (typeof value === "object") undocumented(value, `${at}/${key}`, out);
  }
  return out;
}

const results = [];
const missing = undocumented(schema, "#", []);
results.push([path.relative(root, schemaFile), missing.length ? `properties without a description: ${missing.join(", ")}` : null, "every property is described"]);

// Editors show a property's examples on hover: every property has some, and each is valid.
function exampleProblems(node, at, out) {
  if (!node || typeof node !== "object") return out;
  for (const [name, prop] of Object.entries(node.properties ?? {})) {
    const where = `${at}/properties/${name}`;
    if (!Array.isArray(prop.examples) || prop.examples.length === 0) {
      out.push(`${where} has no examples`);
      continue;
    }
    const check = examplesAjv.compile({ $ref: `topology${where}` });
    prop.examples.forEach((example, i) => {
      if (!check(example)) out.push(`${where}/examples/${i} ${check.errors.map(show).join("; ")}`);
    });
  }
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) value.forEach((v, i) => exampleProblems(v, `${at}/${key}/${i}`, out));
    else if (typeof value === "object") exampleProblems(value, `${at}/${key}`, out);
  }
  return out;
}
const examplesAjv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
examplesAjv.addSchema(schema, "topology");
const badExamples = exampleProblems(schema, "#", []);
results.push([path.relative(root, schemaFile), badExamples.length ? badExamples.join("\n  ") : null, "every property has valid examples"]);
for (const file of [...files(path.join(fixtures, "valid")), ...process.argv.slice(2).flatMap(files)]) {
  results.push([file, expectValid(file)]);
}
for (const file of files(path.join(fixtures, "invalid"))) {
  const { problem, detail } = expectInvalid(file);
  results.push([file, problem, detail && `rejected: ${detail}`]);
}

let failed = 0;
for (const [file, problem, detail] of results) {
  const name = path.relative(process.cwd(), path.resolve(file));
  if (problem) failed++;
  console.log(problem ? `FAIL ${name}: ${problem}` : `ok   ${name}${detail ? `: ${detail}` : ""}`);
}
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
