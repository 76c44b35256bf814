// Checks the rendered pictures of one example against what `kafkamesh access --format json`
// says the topology grants: the Graphviz SVG must hold an edge for every identity and topic (or
// prefix, or the cluster) the matrix joins, pointing from a writer to the topic and from the
// topic to a reader, and no such edge the matrix lacks; the Mermaid SVG must show every node.
//
// node check-svg.mjs ACCESS.json DOT.svg MERMAID.svg
import { readFileSync } from "node:fs";

const [accessFile, dotSvgFile, mermaidSvgFile] = process.argv.slice(2);
const access = JSON.parse(readFileSync(accessFile, "utf8"));
const dotSvg = readFileSync(dotSvgFile, "utf8");
const mermaidSvg = readFileSync(mermaidSvgFile, "utf8");

const unescape = (s) =>
  s.replace(/&#45;/g, "-").replace(/&gt;/g, ">").replace(/&lt;/g, "<").replace(/&amp;/g, "&")
   .replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));

// Graphviz writes each node and edge as a <g class="node|edge"> whose <title> is its id.
const titles = (cls) =>
  [...dotSvg.matchAll(new RegExp(`<g id="[^"]*" class="${cls}">\\s*<title>([^<]*)</title>`, "g"))]
    .map((m) => unescape(m[1]));
const nodes = new Set(titles("node"));
const edges = new Set(titles("edge"));

const failures = [];
const resourceKey = (row) =>
  row.resource_type === "*" || row.resource_type === "cluster" ? "cluster"
  : row.pattern === "prefix" ? `prefix:${row.name.replace(/\*$/, "")}`
  : `topic:${row.name}`;

// The matrix lists a declared topic that a prefix (or '*') grant reaches under the topic's own
// name; the picture draws the grant to the prefix, joined to the topic by a "covers" edge.
const reachedThrough = (res) => {
  const via = [res];
  for (const e of edges) {
    const [from, to] = e.split("->");
    if (to === res && (from.startsWith("prefix:") || from === "topic:*")) via.push(from);
  }
  return via;
};

const expected = new Set();
for (const row of access.rows) {
  if (!["topic", "cluster", "*"].includes(row.resource_type)) continue;
  const id = `id:${row.identity}`;
  const res = resourceKey(row);
  for (const key of [id, res]) {
    if (!nodes.has(key)) failures.push(`no node ${key} in the Graphviz picture`);
  }
  const via = reachedThrough(res);
  const writes = row.allowed.some((op) => op === "Write" || op === "All");
  const reads = row.allowed.includes("Read");
  const wanted = [];  // each: the edges of which one must be drawn
  if (row.resource_type === "*" || writes) wanted.push(via.map((r) => `${id}->${r}`));
  else if (reads) wanted.push(via.map((r) => `${r}->${id}`));
  else if (row.allowed.length > 0) wanted.push(via.flatMap((r) => [`${id}->${r}`, `${r}->${id}`]));
  if (row.denied.length > 0) wanted.push(via.map((r) => `${id}->${r}`));
  for (const one of wanted) {
    if (!one.some((e) => edges.has(e))) {
      failures.push(`none of ${one.join(", ")} in the Graphviz picture (access: ${JSON.stringify(row)})`);
    }
  }
  for (const r of via) {
    expected.add(`${id}->${r}`);
    expected.add(`${r}->${id}`);
  }
}
for (const e of edges) {
  const [from, to] = e.split("->");
  if (from.startsWith("prefix:") && to.startsWith("topic:")) continue;  // covers
  if (from.startsWith("topic:*") && to.startsWith("topic:")) continue;
  if (!expected.has(e)) failures.push(`edge ${e} in the Graphviz picture grants nothing in access`);
}
if (edges.size === 0) failures.push("the Graphviz picture has no edge");

// Mermaid draws labels as text (or HTML in a foreignObject): every node's label must be there.
const mermaidText = unescape(mermaidSvg.replace(/<[^>]+>/g, " "));
for (const key of nodes) {
  const label = key.startsWith("prefix:") ? `${key.slice(7)}*` : key.startsWith("topic:") ? key.slice(6) : null;
  if (label && !mermaidText.includes(label)) failures.push(`no node '${label}' in the Mermaid picture`);
}
const mermaidEdges = (mermaidSvg.match(/class="[^"]*edgeLabel[^"]*"/g) || []).length;
if (mermaidEdges < edges.size) {
  failures.push(`the Mermaid picture has ${mermaidEdges} edge labels, fewer than the ${edges.size} edges`);
}

if (failures.length > 0) {
  console.error(`check-svg: ${accessFile}:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log(`check-svg: ${nodes.size} nodes and ${edges.size} edges agree with the access matrix`);
