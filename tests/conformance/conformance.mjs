// Checks Kubernetes documents the way `kubectl apply --validate=strict` would: upstream
// schema, no unknown fields, and every CEL rule (x-kubernetes-validations) of the CRDs.
import fs from "node:fs";
import Ajv from "ajv";
import YAML from "yaml";
import { AuthorizationPolicy, PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1";
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule";
import { Sidecar } from "@kubernetes-models/istio/networking.istio.io/v1/Sidecar";
import { EnvoyFilter } from "@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter";
import { WasmPlugin } from "@kubernetes-models/istio/extensions.istio.io/v1alpha1/WasmPlugin";
import { Telemetry } from "@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import * as strimziV1 from "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1";
import * as strimziV1beta2 from "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2";
import { celRules, loadCrdSchemas } from "./cel.mjs";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";

const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addVocabulary(["x-kubernetes-preserve-unknown-fields"]);

const DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
const DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const QUALIFIED_NAME = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

const labels = {
  type: "object",
  propertyNames: { pattern: QUALIFIED_NAME },
  additionalProperties: { type: "string", maxLength: 63, pattern: "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$" },
};
const annotations = { type: "object", propertyNames: { pattern: QUALIFIED_NAME }, additionalProperties: { type: "string" } };

const objectMeta = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: {
    name: { type: "string", maxLength: 253, pattern: DNS_SUBDOMAIN },
    namespace: { type: "string", maxLength: 63, pattern: DNS_LABEL },
    labels,
    annotations,
  },
};

const namespaceSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: "v1" },
    kind: { const: "Namespace" },
    metadata: {
      type: "object",
      required: ["name"],
      additionalProperties: false,
      properties: { name: { type: "string", maxLength: 63, pattern: DNS_LABEL }, labels, annotations },
    },
  },
};

// A schema object that lists properties and neither allows additional ones nor preserves
// unknown fields rejects anything else: the API server prunes it, strict validation fails.
function closed(schema) {
  if (!schema || typeof schema !== "object") return schema;
  const out = { ...schema };
  if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, closed(v)]));
  if (out.items) out.items = closed(out.items);
  if (typeof out.additionalProperties === "object") out.additionalProperties = closed(out.additionalProperties);
  for (const kw of ["allOf", "anyOf", "oneOf"]) if (out[kw]) out[kw] = out[kw].map(closed);
  if (out.not) out.not = closed(out.not);
  if (out.properties && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function crdSchema(openAPIV3Schema, apiVersion, kind) {
  const schema = closed(openAPIV3Schema);
  schema.properties = { apiVersion: { const: apiVersion }, kind: { const: kind }, metadata: objectMeta, ...schema.properties };
  schema.required = [...new Set([...(schema.required ?? []), "apiVersion", "kind", "metadata"])];
  return schema;
}

const jsonPointer = (parts) => parts.map((p) => "/" + String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("");

function ajvKind(schema) {
  const check = ajv.compile(schema);
  return (doc) => (check(doc) ? [] : check.errors);
}

// The npm models ship precompiled validators without the schemas. Every known property is
// read by them, even when absent, so an object where some keys were read and others not
// holds unknown fields. Objects read through a key loop (maps) or not at all (free-form)
// have no unknown fields.
function tracked(value, at, records) {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v, i) => tracked(v, [...at, i], records));
  const read = new Set();
  records.push({ at, keys: Object.keys(value), read });
  const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tracked(v, [...at, k], records)]));
  const note = (key) => typeof key === "string" && read.add(key);
  return new Proxy(copy, {
    get: (target, key, receiver) => (note(key), Reflect.get(target, key, receiver)),
    has: (target, key) => (note(key), Reflect.has(target, key)),
  });
}

const metadataCheck = ajvKind({ type: "object", required: ["metadata"], properties: { metadata: objectMeta } });

function modelKind(Model) {
  return (doc) => {
    const { metadata, ...rest } = doc;
    const errors = metadataCheck({ metadata });
    const records = [];
    try {
      Model.prototype.validate.call(tracked(rest, [], records));
    } catch (e) {
      if (!Array.isArray(e.errors)) throw e;
      errors.push(...e.errors);
    }
    for (const { at, keys, read } of records) {
      if (read.size === 0) continue;
      for (const key of keys.filter((k) => !read.has(k))) {
        errors.push({ instancePath: jsonPointer(at), keyword: "additionalProperties", params: { additionalProperty: key }, message: "must NOT have additional properties" });
      }
    }
    return errors;
  };
}

// The CRDs whose CEL rules are evaluated: the upstream files, unchanged (schemas/).
const crds = new Map(
  ["istio-1.31.0-alpha.0-crds.yaml", "strimzi-1.2-040-Crd-kafka.yaml", "strimzi-1.2-044-Crd-kafkauser.yaml"].flatMap((f) => [
    ...loadCrdSchemas(new URL(`./schemas/${f}`, import.meta.url)),
  ]),
);
function cel(kind) {
  const schema = crds.get(kind);
  if (!schema) throw new Error(`no CRD for ${kind}`);
  return celRules(schema);
}

/// Kinds whose spec is not checked against a schema (Flux, with --helm-release flux).
export function uncheckedKinds() {
  return ["helm.toolkit.fluxcd.io/v2/HelmRelease", "source.toolkit.fluxcd.io/v1/HelmRepository"];
}

const metadataOnly = ajvKind({ type: "object", required: ["metadata", "spec"], properties: { metadata: objectMeta, spec: { type: "object" } } });

const kafkaAccess = JSON.parse(fs.readFileSync(new URL("./schemas/kafkaaccess-v1alpha1.json", import.meta.url), "utf8"));

const kinds = new Map([
  ["v1/Namespace", [ajvKind(namespaceSchema)]],
  ["networking.k8s.io/v1/NetworkPolicy", [modelKind(NetworkPolicy)]],
  ...[
    ["security.istio.io/v1/PeerAuthentication", PeerAuthentication],
    ["security.istio.io/v1/AuthorizationPolicy", AuthorizationPolicy],
    ["networking.istio.io/v1/DestinationRule", DestinationRule],
    ["networking.istio.io/v1/Sidecar", Sidecar],
    ["networking.istio.io/v1alpha3/EnvoyFilter", EnvoyFilter],
    ["extensions.istio.io/v1alpha1/WasmPlugin", WasmPlugin],
    ["telemetry.istio.io/v1/Telemetry", Telemetry],
  ].map(([kind, Model]) => [kind, [modelKind(Model), cel(kind)]]),
  ...["Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"].flatMap((k) =>
    [
      [`kafka.strimzi.io/v1/${k}`, strimziV1[k]],
      [`kafka.strimzi.io/v1beta2/${k}`, strimziV1beta2[k]],
    ].map(([kind, Model]) => [kind, crds.has(kind) ? [modelKind(Model), cel(kind)] : [modelKind(Model)]]),
  ),
  // The standalone Strimzi operators of distribution bitnami, and the credential access rules.
  ["apps/v1/Deployment", [modelKind(Deployment)]],
  ["v1/ServiceAccount", [modelKind(ServiceAccount)]],
  ["rbac.authorization.k8s.io/v1/Role", [modelKind(Role)]],
  ["rbac.authorization.k8s.io/v1/RoleBinding", [modelKind(RoleBinding)]],
  ["access.strimzi.io/v1alpha1/KafkaAccess", [ajvKind(crdSchema(kafkaAccess, "access.strimzi.io/v1alpha1", "KafkaAccess"))]],
  // No upstream schema of these is pinned here: only their metadata is checked. kafkamesh's unit
  // tests pin the shape of their spec (tests/unit/bitnami_values_test.cpp).
  ...uncheckedKinds().map((k) => [k, [metadataOnly]]),
]);

export const supportedKinds = () => [...kinds.keys()];

export function validateDocument(doc) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    return [{ instancePath: "", keyword: "type", params: {}, message: "document must be a mapping" }];
  }
  const checks = kinds.get(`${doc.apiVersion}/${doc.kind}`);
  if (!checks) return [{ instancePath: "", keyword: "kind", params: {}, message: `unknown apiVersion/kind ${doc.apiVersion}/${doc.kind}` }];
  return checks.flatMap((check) => check(doc));
}

export function formatError(e) {
  let message = e.message;
  if (e.keyword === "additionalProperties") message += ` (${e.params.additionalProperty})`;
  if (e.keyword === "enum") message += ` (${e.params.allowedValues.join(", ")})`;
  if (e.keyword === "const") message += ` (${e.params.allowedValue})`;
  return `${e.instancePath || "/"} ${message}`;
}

// YAML 1.1 as kubectl reads it (yes/on/y are booleans, 0777 is octal), without the
// sexagesimal numbers and timestamps that Go's YAML decoder leaves as strings.
const yamlOptions = {
  version: "1.1",
  customTags: (tags) => tags.filter((t) => t.tag !== "tag:yaml.org,2002:timestamp" && t.format !== "TIME"),
};

export function parseDocuments(text) {
  return YAML.parseAllDocuments(text, yamlOptions).map((d, i) => {
    const error = d.errors[0]?.message.split("\n")[0].replace(/:$/, "");
    const value = error ? undefined : d.toJS();
    return { index: i + 1, error, value, empty: !error && value == null };
  });
}
