// Evaluates the `x-kubernetes-validations` CEL rules of CustomResourceDefinitions the way the
// API server does on create: every rule on every schema node that is present in the document,
// with `self` bound to that node. Rules that compare with `oldSelf` (transition rules) only run
// on update and are skipped. The Kubernetes CEL library functions the rules call (isURL, url,
// getScheme) are implemented here with the semantics of Go's net/url, which Kubernetes uses
// (k8s.io/apiserver/pkg/cel/library/urls.go: ParseRequestURI to validate, Parse to convert).
import fs from "node:fs";
import YAML from "yaml";
import { CelScalar, celFunc, celMethod, isCelError, mapType, plan, parse, celEnv } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

// ---------------------------------------------------------------------------------------------
// Go net/url, as far as the rules need it: the scheme, and whether the string parses at all.

const isAlpha = (c) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
const isDigit = (c) => c >= "0" && c <= "9";

// getScheme in net/url: a scheme is letters, then letters, digits, '+', '-', '.', up to ':'.
function splitScheme(raw) {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (isAlpha(c)) continue;
    if (isDigit(c) || c === "+" || c === "-" || c === ".") {
      if (i === 0) return { scheme: "", rest: raw };
      continue;
    }
    if (c === ":") {
      if (i === 0) return null; // "missing protocol scheme"
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: "", rest: raw };
  }
  return { scheme: "", rest: raw };
}

// shouldEscape(c, encodeHost) is false for these (plus letters and digits).
const HOST_CHARS = new Set("-_.~!$&'()*+,;=:[]<>\"");
const USERINFO_CHARS = new Set("-._:~!$&'()*+,;=%@");

function validPercentEscapes(s) {
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "%") continue;
    if (!/^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) return false;
    i += 2;
  }
  return true;
}

function validHost(host) {
  if (host.startsWith("[")) {
    const end = host.lastIndexOf("]");
    if (end < 0) return false;
    const port = host.slice(end + 1);
    return port === "" || /^:[0-9]*$/.test(port);
  }
  const colon = host.lastIndexOf(":");
  if (colon >= 0 && !/^:[0-9]*$/.test(host.slice(colon))) return false; // invalid port after host
  if (!validPercentEscapes(host)) return false;
  for (const c of host) {
    if (c.charCodeAt(0) >= 0x80 || isAlpha(c) || isDigit(c) || c === "%") continue;
    if (!HOST_CHARS.has(c)) return false;
  }
  return true;
}

function validAuthority(authority) {
  const at = authority.lastIndexOf("@");
  const host = at < 0 ? authority : authority.slice(at + 1);
  if (at >= 0) {
    for (const c of authority.slice(0, at)) {
      if (!(isAlpha(c) || isDigit(c) || USERINFO_CHARS.has(c))) return false;
    }
  }
  return validHost(host);
}

/// net/url's parse: the URL's scheme, or null when Go returns an error.
function goParse(raw, viaRequest) {
  if (/[\x00-\x1f\x7f]/.test(raw)) return null;
  if (raw === "" && viaRequest) return null;
  if (raw === "*") return { scheme: "" };
  const split = splitScheme(raw);
  if (!split) return null;
  const scheme = split.scheme.toLowerCase();
  let rest = split.rest;
  if (rest.endsWith("?") && rest.split("?").length === 2) rest = rest.slice(0, -1);
  else if (rest.includes("?")) rest = rest.slice(0, rest.indexOf("?"));
  if (!rest.startsWith("/")) {
    if (scheme !== "") return { scheme }; // opaque URL such as mailto:x
    if (viaRequest) return null; // invalid URI for request
    const colon = rest.indexOf(":");
    const slash = rest.indexOf("/");
    if (colon >= 0 && (slash < 0 || colon < slash)) return null; // first path segment has a colon
  }
  if ((scheme !== "" || (!viaRequest && !rest.startsWith("///"))) && rest.startsWith("//")) {
    const after = rest.slice(2);
    const slash = after.indexOf("/");
    const authority = slash < 0 ? after : after.slice(0, slash);
    if (!validAuthority(authority)) return null;
    rest = slash < 0 ? "" : after.slice(slash);
  }
  return validPercentEscapes(rest) ? { scheme } : null;
}

/// url.ParseRequestURI: what Kubernetes' isURL() accepts.
export const parseRequestURI = (s) => goParse(s, true);
/// url.Parse, after the fragment is cut off.
const parseURL = (s) => {
  const hash = s.indexOf("#");
  return goParse(hash < 0 ? s : s.slice(0, hash), false);
};

// A Kubernetes URL value is represented as a map holding its scheme; getScheme() reads it.
const URL_TYPE = mapType(CelScalar.STRING, CelScalar.STRING);
const kubernetesUrls = [
  celFunc("isURL", [CelScalar.STRING], CelScalar.BOOL, (s) => parseRequestURI(s) !== null),
  celFunc("url", [CelScalar.STRING], URL_TYPE, (s) => {
    const u = parseRequestURI(s) && parseURL(s);
    if (!u) throw new Error(`URL parse error during conversion from string: ${s}`);
    return new Map([["scheme", u.scheme]]);
  }),
  celMethod("getScheme", URL_TYPE, [], CelScalar.STRING, function () {
    return this.get("scheme");
  }),
];

// ---------------------------------------------------------------------------------------------
// Documents to CEL values, typed by the schema: integers become CEL ints, objects maps.

function toCel(value, schema) {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => toCel(v, schema?.items));
  if (typeof value === "object") {
    return new Map(
      Object.entries(value).map(([k, v]) => {
        const sub = schema?.properties?.[k] ?? (typeof schema?.additionalProperties === "object" ? schema.additionalProperties : undefined);
        return [k, toCel(v, sub)];
      }),
    );
  }
  if (typeof value === "number" && schema?.type === "integer" && Number.isInteger(value)) return BigInt(value);
  return value;
}

const env = celEnv({ funcs: [...strings, ...kubernetesUrls] });
const compiled = new Map();

function compile(rule) {
  if (!compiled.has(rule)) compiled.set(rule, plan(env, parse(rule)));
  return compiled.get(rule);
}

/// Evaluates one rule on `self`: true, false, or an error message.
export function evaluateRule(rule, self) {
  let result;
  try {
    result = compile(rule)({ self });
  } catch (e) {
    return `evaluation error: ${e.message}`;
  }
  if (isCelError(result)) return `evaluation error: ${result.message}`;
  return result === true;
}

// ---------------------------------------------------------------------------------------------
// The rules of a CRD version, checked along the schema.

const jsonPointer = (parts) => parts.map((p) => "/" + String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("");

function check(value, schema, at, errors, counter) {
  if (!schema || value === null || value === undefined) return;
  for (const v of schema["x-kubernetes-validations"] ?? []) {
    if (/\boldSelf\b/.test(v.rule)) continue;
    counter.rules++;
    const ok = evaluateRule(v.rule, toCel(value, schema));
    if (ok !== true) {
      const message = ok === false ? (v.message ?? `failed rule: ${v.rule}`) : ok;
      errors.push({ instancePath: jsonPointer(at), keyword: "x-kubernetes-validations", params: { rule: v.rule }, message });
    }
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => check(item, schema.items, [...at, i], errors, counter));
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
      check(v, sub, [...at, k], errors, counter);
    }
  }
}

/// Every rule count evaluated so far, for the summary of a run.
export const evaluated = { rules: 0 };

/// Reads the CRDs of a YAML file: "group/version/Kind" -> openAPIV3Schema.
export function loadCrdSchemas(file) {
  const out = new Map();
  for (const d of YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))) {
    const crd = d.toJS();
    if (crd?.kind !== "CustomResourceDefinition") continue;
    for (const version of crd.spec.versions ?? []) {
      const schema = version.schema?.openAPIV3Schema;
      if (schema) out.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, schema);
    }
  }
  return out;
}

/// A check for validateDocument: the CEL rules of this schema on a document.
export function celRules(schema) {
  return (doc) => {
    const errors = [];
    check(doc, schema, [], errors, evaluated);
    return errors;
  };
}
