# Plants one drift of each kind into the compiled documents of golden/drift/*/topology.yaml.
import sys, re
text = open(sys.argv[1]).read()
docs = text.split('---\n')
out = []
for d in docs:
    if not d.strip():
        continue
    if 'kind: KafkaUser\n' in d and 'name: shop-checkout\n' in d:
        # extra grant (risk), a grant removed, a quota changed
        d = d.replace('producerByteRate: 1048576', 'producerByteRate: 2097152')
        d = re.sub(r'      - resource:\n          type: transactionalId\n(.*\n)*?        type: allow\n', '', d, count=1)
        d = d.replace('    acls:\n', '    acls:\n      - resource:\n          type: topic\n          name: payments\n          patternType: literal\n        operations:\n          - Write\n        host: "*"\n        type: allow\n', 1)
    if 'kind: KafkaUser\n' in d and 'name: analytics-reporting\n' in d:
        continue  # a declared KafkaUser missing
    if 'kind: KafkaTopic\n' in d and 'name: totals\n' in d:
        continue  # a declared topic missing
    if 'kind: KafkaTopic\n' in d and 'name: orders\n' in d:
        d = d.replace('partitions: 6', 'partitions: 12')
    if 'kind: KafkaTopic\n' in d and 'name: payments\n' in d:
        d = d.rstrip('\n') + '\n  config:\n    cleanup.policy: compact\n'
    if 'kind: PeerAuthentication\n' in d and 'name: default\n' in d and 'namespace: kafka\n' in d:
        d = d.replace('mode: STRICT', 'mode: PERMISSIVE')
    if 'kind: AuthorizationPolicy\n' in d and '- "9092"' in d:
        d = d.replace('              - cluster.local/ns/ops/sa/kafka-admin\n', '')
        d = d.replace('            principals:\n', '            principals:\n              - cluster.local/ns/shop/sa/rogue\n', 1)
    if d.startswith('apiVersion: kafka.strimzi.io/v1\nkind: Kafka\n'):
        d = d.replace('superUsers:\n', 'superUsers:\n        - legacy-billing\n', 1)
    out.append(d)
out.append('''apiVersion: kafka.strimzi.io/v1
kind: KafkaUser
metadata:
  name: legacy-billing
  namespace: kafka
spec:
  authentication:
    type: scram-sha-512
  authorization:
    type: simple
    acls:
      - resource: {type: topic, name: orders}
        operations: [Read, Describe]
''')
out.append('''apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata:
  name: scratch
  namespace: kafka
spec:
  partitions: 1
  replicas: 1
''')
sys.stdout.write(''.join('---\n' + d for d in out))
