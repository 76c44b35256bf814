// Run: node --test tests/conformance/selftest.mjs (plain node works too).
// A valid sample per supported kind must pass; each broken variant must fail with exactly
// the listed errors, so removing a check makes its case fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatError, parseDocuments, supportedKinds, validateDocument } from "./conformance.mjs";

const yaml = (text) => parseDocuments(text)[0].value;
const errorsOf = (doc) => validateDocument(doc).map(formatError);

const pod = "{strimzi.io/cluster: events, strimzi.io/kind: Kafka}";
const kafkaV1 = `
metadata: {name: events, namespace: kafka}
spec:
  kafka:
    version: 4.3.1
    metadataVersion: 4.3-IV0
    listeners:
      - {name: plain, port: 9092, type: internal, tls: false, authentication: {type: scram-sha-512}}
    authorization: {type: simple, superUsers: [ops-kafka-admin]}
    config: {allow.everyone.if.no.acl.found: false, min.insync.replicas: 2, auto.create.topics.enable: false}
  entityOperator: {topicOperator: {}, userOperator: {}}`;
const nodePool = `
metadata: {name: events-dual-role, namespace: kafka, labels: {strimzi.io/cluster: events}}
spec:
  replicas: 3
  roles: [controller, broker]
  storage:
    type: jbod
    volumes: [{id: 0, type: persistent-claim, size: 10Gi, class: fast, deleteClaim: false, kraftMetadata: shared}]
  template:
    pod:
      metadata:
        labels: {sidecar.istio.io/inject: "true"}
        annotations: {proxy.istio.io/config: '{"holdApplicationUntilProxyStarts": true}'}`;
const topic = `
metadata: {name: orders, namespace: kafka, labels: {strimzi.io/cluster: events}}
spec: {partitions: 6, replicas: 3, config: {retention.ms: 604800000, cleanup.policy: delete}}`;
const user = `
metadata: {name: shop-checkout, namespace: kafka, labels: {strimzi.io/cluster: events}}
spec:
  authentication: {type: scram-sha-512}
  authorization:
    type: simple
    acls:
      - {resource: {type: topic, name: orders, patternType: literal}, operations: [Write, Describe], host: "*", type: allow}
      - {resource: {type: group, name: checkout-, patternType: prefix}, operations: [Read]}
      - {resource: {type: cluster}, operations: [IdempotentWrite]}
  quotas: {producerByteRate: 1048576, consumerByteRate: 2097152, requestPercentage: 50, controllerMutationRate: 10.5}
  template: {secret: {metadata: {labels: {kafkamesh.io/service: shop.checkout}}}}`;

const samples = {
  "v1/Namespace": `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled, kafkamesh.io/topology: shop}}`,
  "security.istio.io/v1/PeerAuthentication": `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: events-internal-ports, namespace: kafka}
spec:
  selector: {matchLabels: ${pod}}
  mtls: {mode: STRICT}
  portLevelMtls: {"9090": {mode: PERMISSIVE}, "9091": {mode: PERMISSIVE}, "8443": {mode: PERMISSIVE}}`,
  "security.istio.io/v1/AuthorizationPolicy": `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: events-clients, namespace: kafka}
spec:
  action: ALLOW
  selector: {matchLabels: ${pod}}
  rules:
    - from: [{source: {principals: [cluster.local/ns/shop/sa/checkout]}}]
      to: [{operation: {ports: ["9092"]}}]`,
  "networking.istio.io/v1/DestinationRule": `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: events-kafka, namespace: kafka}
spec:
  host: events-kafka-bootstrap.kafka.svc.cluster.local
  trafficPolicy:
    tls: {mode: ISTIO_MUTUAL}
    connectionPool: {tcp: {idleTimeout: 1h, tcpKeepalive: {time: 300s, interval: 60s}}}`,
  "networking.k8s.io/v1/NetworkPolicy": `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: events-ambient-hbone, namespace: kafka}
spec:
  podSelector: {matchLabels: ${pod}}
  policyTypes: [Ingress]
  ingress: [{ports: [{port: 15008, protocol: TCP}]}]`,
  "networking.istio.io/v1/Sidecar": `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: shop}
spec: {egress: [{hosts: ["./*", "kafka/*"]}]}`,
  "networking.istio.io/v1alpha3/EnvoyFilter": `
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: events-kafka-broker, namespace: kafka}
spec:
  workloadSelector: {labels: ${pod}}
  priority: 10
  configPatches:
    - applyTo: NETWORK_FILTER
      match:
        context: SIDECAR_INBOUND
        listener: {portNumber: 9092, filterChain: {filter: {name: envoy.filters.network.tcp_proxy}}}
      patch:
        operation: INSERT_BEFORE
        value:
          name: envoy.filters.network.kafka_broker
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.network.kafka_broker.v3.KafkaBroker
            stat_prefix: kafka`,
  "extensions.istio.io/v1alpha1/WasmPlugin": `
apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata: {name: events-identity, namespace: kafka}
spec:
  selector: {matchLabels: ${pod}}
  url: oci://registry.example.com/kafka-identity@sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef
  type: NETWORK
  failStrategy: FAIL_CLOSE
  match: [{mode: SERVER, ports: [{number: 9092}]}]
  pluginConfig: {principal: "{namespace}-{serviceAccount}", any: {nested: [{shape: 1}]}}`,
  "telemetry.istio.io/v1/Telemetry": `
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: events-access-logs, namespace: kafka}
spec:
  selector: {matchLabels: ${pod}}
  accessLogging: [{providers: [{name: envoy}]}]`,
  "kafka.strimzi.io/v1/Kafka": `apiVersion: kafka.strimzi.io/v1\nkind: Kafka${kafkaV1}`,
  "kafka.strimzi.io/v1beta2/Kafka": `apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka${kafkaV1.replace(
    "metadata: {name: events, namespace: kafka}",
    "metadata: {name: events, namespace: kafka, annotations: {strimzi.io/node-pools: enabled, strimzi.io/kraft: enabled}}",
  )}`,
  "kafka.strimzi.io/v1/KafkaNodePool": `apiVersion: kafka.strimzi.io/v1\nkind: KafkaNodePool${nodePool}`,
  "kafka.strimzi.io/v1beta2/KafkaNodePool": `apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaNodePool${nodePool}`,
  "kafka.strimzi.io/v1/KafkaTopic": `apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic${topic}`,
  "kafka.strimzi.io/v1beta2/KafkaTopic": `apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic${topic}`,
  "kafka.strimzi.io/v1/KafkaUser": `apiVersion: kafka.strimzi.io/v1\nkind: KafkaUser${user}`,
  "kafka.strimzi.io/v1beta2/KafkaUser": `apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaUser${user}`,
  "access.strimzi.io/v1alpha1/KafkaAccess": `
apiVersion: access.strimzi.io/v1alpha1
kind: KafkaAccess
metadata: {name: events, namespace: shop}
spec:
  kafka: {name: events, namespace: kafka, listener: plain}
  user: {kind: KafkaUser, apiGroup: kafka.strimzi.io, name: shop-checkout, namespace: kafka}`,
  "apps/v1/Deployment": `
apiVersion: apps/v1
kind: Deployment
metadata: {name: events-kafka-user-operator, namespace: kafka}
spec:
  replicas: 1
  strategy: {type: Recreate}
  selector: {matchLabels: {app.kubernetes.io/name: events-kafka-user-operator}}
  template:
    metadata: {labels: {app.kubernetes.io/name: events-kafka-user-operator}}
    spec:
      serviceAccountName: events-kafka-user-operator
      containers:
        - name: events-kafka-user-operator
          image: quay.io/strimzi/operator:1.2.0
          args: [/opt/strimzi/bin/user_operator_run.sh]
          env:
            - {name: STRIMZI_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
            - {name: STRIMZI_SASL_PASSWORD, valueFrom: {secretKeyRef: {name: events-kafka-user-passwords, key: system-user-password}}}
            - {name: STRIMZI_LABELS, value: "strimzi.io/cluster=events"}`,
  "v1/ServiceAccount": `
apiVersion: v1
kind: ServiceAccount
metadata: {name: events-kafka-user-operator, namespace: kafka}`,
  "rbac.authorization.k8s.io/v1/Role": `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: kafkamesh-credential-shop-checkout, namespace: kafka}
rules: [{apiGroups: [""], resources: [secrets], resourceNames: [kafkamesh-user-shop-checkout], verbs: [get]}]`,
  "rbac.authorization.k8s.io/v1/RoleBinding": `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: kafkamesh-credential-shop-checkout, namespace: kafka}
subjects: [{kind: ServiceAccount, name: checkout, namespace: shop}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: kafkamesh-credential-shop-checkout}`,
  "helm.toolkit.fluxcd.io/v2/HelmRelease": `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: kafka, namespace: kafka}
spec:
  releaseName: kafka
  chart: {spec: {chart: kafka, version: 32.4.4, sourceRef: {kind: HelmRepository, name: bitnami}}}
  values: {controller: {replicaCount: 3}}`,
  "source.toolkit.fluxcd.io/v1/HelmRepository": `
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: bitnami, namespace: kafka}
spec: {type: oci, url: "oci://registry-1.docker.io/bitnamicharts", interval: 1h}`,
};

const sample = (key) => yaml(samples[key]);
const variant = (key, change) => {
  const doc = sample(key);
  change(doc);
  return doc;
};

test("every supported kind has a sample", () => {
  assert.deepEqual(Object.keys(samples).sort(), supportedKinds().sort());
});

for (const key of Object.keys(samples)) {
  test(`valid: ${key}`, () => assert.deepEqual(errorsOf(sample(key)), []));
}

test("valid: v1beta2 KafkaUser still has the deprecated singular operation", () => {
  const doc = variant("kafka.strimzi.io/v1beta2/KafkaUser", (d) => {
    d.spec.authorization.acls = [{ resource: { type: "topic", name: "orders" }, operation: "Read" }];
  });
  assert.deepEqual(errorsOf(doc), []);
});

const AP = "security.istio.io/v1/AuthorizationPolicy";
const PA = "security.istio.io/v1/PeerAuthentication";
const KU = "kafka.strimzi.io/v1/KafkaUser";
const ONE_TARGET = "/spec only one of targetRefs or selector can be set";
const targetRefs = [{ group: "", kind: "Service", name: "events-kafka-bootstrap" }];

const HR = "helm.toolkit.fluxcd.io/v2/HelmRelease";
const DEP = "apps/v1/Deployment";
const RB = "rbac.authorization.k8s.io/v1/RoleBinding";

const invalid = [
  ["unchecked kind: metadata still checked", variant(HR, (d) => (d.metadata.name = "Kafka")), ['/metadata/name must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"']],
  ["unchecked kind: spec required", variant(HR, (d) => delete d.spec), ["/ must have required property 'spec'"]],
  ["unknown field in a Deployment's container", variant(DEP, (d) => (d.spec.template.spec.containers[0].envs = [])), ["/spec/template/spec/containers/0 must NOT have additional properties (envs)"]],
  ["Deployment without a selector", variant(DEP, (d) => delete d.spec.selector), ["/spec must have required property selector"]],
  ["RoleBinding without roleRef", variant(RB, (d) => delete d.roleRef), ["/ must have required property roleRef"]],
  ["unknown field at spec level", variant(AP, (d) => (d.spec.actions = "ALLOW")), ["/spec must NOT have additional properties (actions)"]],
  ["unknown top-level field", variant(KU, (d) => (d.specs = {})), ["/ must NOT have additional properties (specs)"]],
  [
    "unknown field in KafkaUser acls[].resource",
    variant(KU, (d) => (d.spec.authorization.acls[0].resource.pattern = "prefix")),
    ["/spec/authorization/acls/0/resource must NOT have additional properties (pattern)"],
  ],
  [
    "unknown field in a Kafka listener",
    variant("kafka.strimzi.io/v1/Kafka", (d) => (d.spec.kafka.listeners[0].protocol = "PLAINTEXT")),
    ["/spec/kafka/listeners/0 must NOT have additional properties (protocol)"],
  ],
  [
    "removed singular operation in KafkaUser v1 acls",
    variant(KU, (d) => (d.spec.authorization.acls[1].operation = "Read")),
    ["/spec/authorization/acls/1 must NOT have additional properties (operation)"],
  ],
  [
    "v1beta2 only field in Kafka v1",
    variant("kafka.strimzi.io/v1/Kafka", (d) => (d.spec.kafka.replicas = 3)),
    ["/spec/kafka must NOT have additional properties (replicas)"],
  ],
  [
    "integer port in AuthorizationPolicy",
    variant(AP, (d) => (d.spec.rules[0].to[0].operation.ports = [9092])),
    ["/spec/rules/0/to/0/operation/ports/0 must be string"],
  ],
  [
    "missing required KafkaUser acls[].operations",
    variant(KU, (d) => delete d.spec.authorization.acls[0].operations),
    ["/spec/authorization/acls/0 must have required property operations"],
  ],
  [
    "missing required KafkaNodePool roles",
    variant("kafka.strimzi.io/v1/KafkaNodePool", (d) => delete d.spec.roles),
    ["/spec must have required property roles"],
  ],
  [
    "bad enum in PeerAuthentication",
    variant(PA, (d) => (d.spec.mtls.mode = "strict")),
    ["/spec/mtls/mode must be equal to one of the allowed values (UNSET, DISABLE, PERMISSIVE, STRICT)"],
  ],
  [
    "minimum on KafkaTopic partitions",
    variant("kafka.strimzi.io/v1/KafkaTopic", (d) => (d.spec.partitions = 0)),
    ["/spec/partitions must be >= 1"],
  ],
  [
    "pattern on Kafka listener name",
    variant("kafka.strimzi.io/v1/Kafka", (d) => (d.spec.kafka.listeners[0].name = "plain-text")),
    ['/spec/kafka/listeners/0/name must match pattern "^[a-z0-9]{1,11}$"'],
  ],
  ["unknown kind", variant(AP, (d) => (d.kind = "AuthorisationPolicy")), ["/ unknown apiVersion/kind security.istio.io/v1/AuthorisationPolicy"]],
  [
    "apiVersion not emitted by kafkamesh",
    variant(AP, (d) => (d.apiVersion = "security.istio.io/v1beta1")),
    ["/ unknown apiVersion/kind security.istio.io/v1beta1/AuthorizationPolicy"],
  ],
  ["unknown metadata field", variant(AP, (d) => (d.metadata.label = {})), ["/metadata must NOT have additional properties (label)"]],
  ["missing metadata.name", variant(KU, (d) => delete d.metadata.name), ["/metadata must have required property 'name'"]],
  [
    "YAML 1.1 boolean as label value",
    yaml(samples["v1/Namespace"].replace("istio-injection: enabled", "istio-injection: on")),
    ["/metadata/labels/istio-injection must be string"],
  ],
  ["unknown field in KafkaAccess", variant("access.strimzi.io/v1alpha1/KafkaAccess", (d) => (d.spec.user.group = "x")), ["/spec/user must NOT have additional properties (group)"]],
  ["Namespace with spec", variant("v1/Namespace", (d) => (d.spec = {})), ["/ must NOT have additional properties (spec)"]],
  [
    "CEL: portLevelMtls without selector",
    variant(PA, (d) => delete d.spec.selector),
    ["/spec portLevelMtls requires selector"],
  ],
  [
    "CEL: portLevelMtls with empty matchLabels",
    variant(PA, (d) => (d.spec.selector.matchLabels = {})),
    ["/spec portLevelMtls requires selector"],
  ],
  ["CEL: AuthorizationPolicy selector and targetRefs", variant(AP, (d) => (d.spec.targetRefs = targetRefs)), [ONE_TARGET]],
  ["CEL: WasmPlugin selector and targetRefs", variant("extensions.istio.io/v1alpha1/WasmPlugin", (d) => (d.spec.targetRefs = targetRefs)), [ONE_TARGET]],
  ["CEL: Telemetry selector and targetRefs", variant("telemetry.istio.io/v1/Telemetry", (d) => (d.spec.targetRefs = targetRefs)), [ONE_TARGET]],
  [
    "CEL: serviceAccounts with principals",
    variant(AP, (d) => (d.spec.rules[0].from[0].source.serviceAccounts = ["shop/checkout"])),
    ["/spec/rules/0/from/0/source Cannot set serviceAccounts with namespaces or principals"],
  ],
  [
    "CEL: serviceAccounts with namespaces",
    variant(AP, (d) => (d.spec.rules[0].from[0].source = { serviceAccounts: ["shop/checkout"], namespaces: ["shop"] })),
    ["/spec/rules/0/from/0/source Cannot set serviceAccounts with namespaces or principals"],
  ],
  // Planted violations of CRD rules that the npm models do not carry: each comes from the
  // x-kubernetes-validations of the upstream CRDs, evaluated by cel.mjs.
  [
    "CEL: WasmPlugin url that Go's url.ParseRequestURI rejects",
    variant("extensions.istio.io/v1alpha1/WasmPlugin", (d) => (d.spec.url = "kafka-identity@sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef")),
    ["/spec/url url must have schema one of [http, https, file, oci]"],
  ],
  [
    "CEL: WasmPlugin url with a scheme Istio does not fetch",
    variant("extensions.istio.io/v1alpha1/WasmPlugin", (d) => (d.spec.url = "ftp://registry.example.com/kafka-identity")),
    ["/spec/url url must have schema one of [http, https, file, oci]"],
  ],
  [
    "CEL: portLevelMtls port 0",
    variant(PA, (d) => (d.spec.portLevelMtls = { 0: { mode: "PERMISSIVE" } })),
    ["/spec/portLevelMtls port must be between 1-65535"],
  ],
  [
    "CEL: DestinationRule keepalive below 1ms",
    variant("networking.istio.io/v1/DestinationRule", (d) => (d.spec.trafficPolicy.connectionPool.tcp.tcpKeepalive.time = "100us")),
    ["/spec/trafficPolicy/connectionPool/tcp/tcpKeepalive/time must be a valid duration greater than 1ms"],
  ],
  [
    "CEL: wildcard in a selector label value",
    variant(AP, (d) => (d.spec.selector.matchLabels["strimzi.io/cluster"] = "ev*")),
    ["/spec/selector/matchLabels/strimzi.io~1cluster wildcard not allowed in label value match"],
  ],
  [
    "CEL: EnvoyFilter selector and targetRefs",
    variant("networking.istio.io/v1alpha3/EnvoyFilter", (d) => (d.spec.targetRefs = targetRefs)),
    ["/spec only one of targetRefs or workloadSelector can be set"],
  ],
  [
    // The npm model of KafkaUser predates these fields, so it also reports them as unknown.
    "CEL: Strimzi KafkaUser renewalDays not below validityDays",
    variant(KU, (d) => (d.spec.authentication = { type: "tls", validityDays: 30, renewalDays: 30 })),
    (errors) => errors.includes("/spec/authentication 'renewalDays' must be less than 'validityDays'."),
  ],
  ["NetworkPolicy port as a list", variant("networking.k8s.io/v1/NetworkPolicy", (d) => (d.spec.ingress[0].ports[0].port = [15008])), null],
];

for (const [name, doc, expected] of invalid) {
  test(`invalid: ${name}`, () => {
    if (Array.isArray(expected)) assert.deepEqual(errorsOf(doc), expected);
    else if (expected) assert.ok(expected(errorsOf(doc)), errorsOf(doc).join("\n"));
    else assert.notDeepEqual(errorsOf(doc), []);
  });
}
