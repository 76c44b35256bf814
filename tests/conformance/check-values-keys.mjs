// Usage: node check-values-keys.mjs KEYS_FILE FILE_OR_DIR...
// Checks that every key path of every Bitnami values document is one the chart's values.yaml has
// (KEYS_FILE, from bitnami-values-keys.mjs). A values document is a YAML document without
// apiVersion and kind (helm/values.yaml, `--only helm-values`), or the spec.values of a Flux
// HelmRelease; other documents are skipped. Exit 0: all known, 1: an unknown key or no values
// document at all, 2: usage or I/O error.
import fs from "node:fs";
import YAML from "yaml";
import { collectValuesFiles } from "./files.mjs";

const [keysFile, ...targets] = process.argv.slice(2);
if (!keysFile || targets.length === 0) {
  console.error("usage: node check-values-keys.mjs KEYS_FILE FILE_OR_DIR...");
  process.exit(2);
}

export function loadKeys(text) {
  const leaves = new Set();
  const open = new Set(); // paths below which anything goes
  const maps = new Set(); // intermediate maps
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const [path, mark] = line.split(" ");
    (mark ? open : leaves).add(path);
    const parts = path.split(".");
    for (let i = 1; i < parts.length; i++) maps.add(parts.slice(0, i).join("."));
  }
  return { leaves, open, maps };
}

// Key names may hold dots (overrideConfiguration keys), but those sit below an open path, where
// the walk stops before joining them.
export function unknownPaths(values, keys) {
  const bad = [];
  const walk = (node, at) => {
    if (at && keys.open.has(at)) return;
    const isMap = node !== null && typeof node === "object" && !Array.isArray(node);
    if (at && !isMap) {
      if (!keys.leaves.has(at)) bad.push(at);
      return;
    }
    if (at && !keys.maps.has(at)) {
      bad.push(at);
      return;
    }
    for (const [k, v] of Object.entries(node)) walk(v, at ? `${at}.${k}` : k);
  };
  walk(values, "");
  return bad;
}

const keys = loadKeys(fs.readFileSync(keysFile, "utf8"));
let checked = 0;
let failed = 0;
for (const target of targets) {
  for (const file of collectValuesFiles(target)) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"));
    docs.forEach((doc, i) => {
      const value = doc.toJS();
      if (value === null || typeof value !== "object") return;
      let values = null;
      if (value.kind === "HelmRelease") values = value.spec?.values ?? {};
      else if (value.apiVersion === undefined && value.kind === undefined) values = value;
      if (values === null) return;
      checked++;
      const bad = unknownPaths(values, keys);
      if (bad.length) {
        failed++;
        console.log(`${file}:doc${i + 1}: not in the chart's values: ${bad.join(", ")}`);
      }
    });
  }
}
if (checked === 0) {
  console.log("no values document found");
  process.exit(1);
}
console.log(`${checked} values documents checked, ${failed} with unknown keys`);
process.exit(failed ? 1 : 0);
