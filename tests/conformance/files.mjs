// The YAML files under a path: a file as given, a directory walked in sorted order for
// *.yaml, without kustomization.yaml files, helm/ folders and the CI examples (examples/ci/).
import fs from "node:fs";
import path from "node:path";

export function collectFiles(target) {
  if (!fs.statSync(target).isDirectory()) return [target];
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "helm" && entry.name !== "ci") walk(p);
      } else if (entry.name.endsWith(".yaml") && entry.name !== "kustomization.yaml") {
        out.push(p);
      }
    }
  };
  walk(target);
  return out;
}

// The YAML files under a path that may hold Helm values: every *.yaml, helm/ folders included,
// kustomization.yaml and the topology inputs of golden cases (topology*.yaml) left out.
export function collectValuesFiles(target) {
  if (!fs.statSync(target).isDirectory()) return [target];
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".yaml") && entry.name !== "kustomization.yaml") out.push(p);
    }
  };
  walk(target);
  return out;
}
