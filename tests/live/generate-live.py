# Writes the exported state of a running Strimzi platform, chosen by a seed, for the adoption
# round trip (round-trip.sh): KafkaUsers of every kind import must keep (tls users on a SCRAM
# listener, SCRAM-only users with no grant, quota-only users, users whose password comes from a
# Secret of their own), ACLs restricted to a host, consumer groups several users read, topics
# whose names are not Kubernetes names
# (their KafkaTopics named otherwise), and the client AuthorizationPolicy admitting every user.
# With --tokens it also writes kafka-acls.sh output holding token ACLs, which import refuses.
#   python3 generate-live.py SEED OUT_DIR [--tokens]
import random
import sys

seed = int(sys.argv[1])
out_dir = sys.argv[2]
tokens = "--tokens" in sys.argv[3:]
rng = random.Random(seed)

namespaces = ["shop", "billing", "analytics", "ops"]
accounts = ["checkout", "ledger", "reporter", "totals", "audit", "pricing", "search", "mailer"]
# Valid Kafka topic names, some of them no valid Kubernetes name (upper case, '_').
topic_names = ["orders", "payments", "Orders_V1", "audit_log", "clicks.EU", "invoices",
               "Shipments", "fx_rates"]


def k8s_name(topic):
    """The KafkaTopic name an operator gave a topic: the topic itself when Kubernetes takes it,
    else a lower-cased form with a suffix of the operator's choice."""
    if topic == topic.lower() and "_" not in topic:
        return topic
    return "{}-{:06x}".format(topic.lower().replace("_", "-").replace(".", "-"),
                              rng.randrange(1 << 24))


topics = rng.sample(topic_names, rng.randint(3, 6))
secret_prefix = rng.choice(["", "user-"])
lines = ["apiVersion: v1", "kind: List", "items:"]


def doc(text):
    for i, line in enumerate(text.strip("\n").split("\n")):
        lines.append(("- " if i == 0 else "  ") + line)


doc(f"""
apiVersion: kafka.strimzi.io/v1
kind: Kafka
metadata: {{name: events, namespace: kafka}}
spec:
  kafka:
    version: 4.1.0
    listeners:
    - {{name: plain, port: 9092, type: internal, tls: false, authentication: {{type: scram-sha-512}}}}
    - {{name: tls, port: 9093, type: internal, tls: true, authentication: {{type: tls}}}}
    authorization: {{type: simple}}
  entityOperator:
    userOperator: {{secretPrefix: "{secret_prefix}"}}
""")
doc("""
apiVersion: kafka.strimzi.io/v1
kind: KafkaNodePool
metadata: {name: brokers, namespace: kafka, labels: {strimzi.io/cluster: events}}
spec:
  replicas: 3
  roles: [broker, controller]
""")
for t in topics:
    doc(f"""
apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata: {{name: {k8s_name(t)}, namespace: kafka, labels: {{strimzi.io/cluster: events}}}}
spec:
  topicName: {t}
  partitions: {rng.choice([1, 3, 6, 12])}
  replicas: 3
""")

identities = rng.sample([(n, a) for n in namespaces for a in accounts], rng.randint(3, 8))
principals = []
for ns, sa in identities:
    user = f"{ns}-{sa}"
    principals.append(f"cluster.local/ns/{ns}/sa/{sa}")
    kind = rng.choice(["tls", "scram", "scram", "scram-only", "quota-only"])
    auth = "{type: tls}" if kind == "tls" else "{type: scram-sha-512}"
    if kind != "tls" and rng.random() < 0.3:
        auth = ("\n    type: scram-sha-512\n    password:\n      valueFrom:\n"
                f"        secretKeyRef: {{name: {user}-login, key: pw}}")
    spec = f"  authentication: {auth}\n"
    if kind in ("tls", "scram"):
        acls = []
        for t in rng.sample(topics, rng.randint(1, min(3, len(topics)))):
            ops = rng.choice([["Write", "Describe"], ["Read", "Describe"]])
            host = "10.0.%d.%d" % (rng.randrange(256), rng.randrange(256)) \
                if rng.random() < 0.15 else "*"
            acls.append(f"  - resource: {{type: topic, name: {t}, patternType: literal}}\n"
                        f"    operations: [{', '.join(ops)}]\n    host: \"{host}\"")
            if ops[0] == "Read":
                # A group of the user's own, or one named after the service account, which users
                # of the same account in other namespaces may read too (a shared group).
                group = user if rng.random() < 0.6 else sa
                acls.append(f"  - resource: {{type: group, name: {group}, patternType: literal}}\n"
                            "    operations: [Read]")
        if rng.random() < 0.3:
            acls.append(f"  - resource: {{type: topic, name: {sa}-, patternType: prefix}}\n"
                        "    operations: [Read, Describe]")
        spec += "  authorization:\n    type: simple\n    acls:\n" + "\n".join(
            "  " + line for a in acls for line in a.split("\n"))
        spec += "\n"
    if kind == "quota-only" or rng.random() < 0.2:
        spec += f"  quotas: {{consumerByteRate: {rng.choice([1048576, 2097152])}}}\n"
    doc(f"""
apiVersion: kafka.strimzi.io/v1
kind: KafkaUser
metadata: {{name: {user}, namespace: kafka, labels: {{strimzi.io/cluster: events}}}}
spec:
{spec}""")

doc("""
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: kafka-clients, namespace: kafka}
spec:
  selector:
    matchLabels: {strimzi.io/cluster: events, strimzi.io/kind: Kafka}
  action: ALLOW
  rules:
  - from:
    - source:
        principals: [""" + ", ".join(principals) + """]
    to:
    - operation:
        ports: ["9092"]
""")
with open(f"{out_dir}/live.yaml", "w") as f:
    f.write("\n".join(lines) + "\n")

if tokens:
    who = f"User:{identities[0][0]}-{identities[0][1]}"
    entries = [("DELEGATION_TOKEN", "*", "DESCRIBE"), ("USER", who[5:], "CREATE_TOKENS"),
               ("CLUSTER", "kafka-cluster", "DESCRIBE_TOKENS")]
    with open(f"{out_dir}/acls.txt", "w") as f:
        for rtype, name, op in rng.sample(entries, rng.randint(1, 3)):
            f.write(f"Current ACLs for resource `ResourcePattern(resourceType={rtype}, "
                    f"name={name}, patternType=LITERAL)`: \n"
                    f" \t(principal={who}, host=*, operation={op}, permissionType=ALLOW) \n\n")
