// Usage: node validate.mjs FILE_OR_DIR...
// Validates every document of every *.yaml given (directories recursively, without
// kustomization.yaml and helm/). Exit 0: all valid, 1: some invalid, 2: usage or I/O error.
import fs from "node:fs";
import { formatError, parseDocuments, validateDocument } from "./conformance.mjs";
import { collectFiles } from "./files.mjs";

function fail(message) {
  console.error(`validate: ${message}`);
  process.exit(2);
}

const describe = (doc) => {
  const ok = doc !== null && typeof doc === "object";
  const part = (v) => (typeof v === "string" && v !== "" ? v : "-");
  return [part(ok && doc.kind), part(ok && doc.metadata?.namespace), part(ok && doc.metadata?.name)].join("/");
};

const args = process.argv.slice(2);
if (args.length === 0 || args.some((a) => a.startsWith("-"))) fail("usage: node validate.mjs FILE_OR_DIR...");

let passed = 0;
let failed = 0;
for (const arg of args) {
  let files;
  try {
    files = collectFiles(arg);
  } catch (e) {
    fail(`cannot read ${arg}: ${e.code ?? e.message}`);
  }
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      fail(`cannot read ${file}: ${e.code ?? e.message}`);
    }
    for (const doc of parseDocuments(text)) {
      if (doc.empty && !doc.error) continue;
      const errors = doc.error ? [`/ invalid YAML: ${doc.error}`] : validateDocument(doc.value).map(formatError);
      if (errors.length === 0) {
        passed++;
        continue;
      }
      failed++;
      console.log(`${file}:doc${doc.index} ${describe(doc.value)}: ${errors.join("; ")}`);
    }
  }
}
if (passed + failed === 0) fail(`no documents found in ${args.join(" ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
