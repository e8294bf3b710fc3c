#!/usr/bin/env bash
# Entry point of the kafka service in docker-compose.yml (apache/kafka image): the same
# single-node KRaft setup as scripts/services, with PLAINTEXT on 9092 and SASL_SSL
# (SCRAM-SHA-256) on 9094. TLS material lives in /etc/kafka/secrets, a host directory: the
# CA certificate there (ca.pem) is what clients trust (KAFKA_SSL_CA_FILE).
set -euo pipefail

SECRETS=/etc/kafka/secrets
DATA=/var/lib/kafka/data
CONFIG=/tmp/cqrs-server.properties
KEYSTORE_PASSWORD=cqrs-keystore
SCRAM_USER=${KAFKA_SASL_USERNAME:-cqrs}
SCRAM_PASSWORD=${KAFKA_SASL_PASSWORD:-cqrs-secret}
KEYTOOL=keytool
command -v keytool >/dev/null 2>&1 || KEYTOOL=/opt/java/openjdk/bin/keytool

# Same file names and password as scripts/services, so either can create them.
if [[ ! -f $SECRETS/broker.p12 || ! -f $SECRETS/ca.pem ]]; then
  echo "generating a CA and broker certificate in $SECRETS"
  work=$(mktemp -d)
  "$KEYTOOL" -genkeypair -alias ca -dname "CN=cqrs-services local CA" -ext bc:c -keyalg RSA -keysize 2048 \
    -validity 3650 -keystore "$work/ca.p12" -storetype PKCS12 -storepass "$KEYSTORE_PASSWORD"
  "$KEYTOOL" -exportcert -rfc -alias ca -keystore "$work/ca.p12" -storepass "$KEYSTORE_PASSWORD" -file "$work/ca.pem"
  "$KEYTOOL" -genkeypair -alias broker -dname "CN=localhost" -keyalg RSA -keysize 2048 -validity 3650 \
    -keystore "$work/broker.p12" -storetype PKCS12 -storepass "$KEYSTORE_PASSWORD"
  "$KEYTOOL" -certreq -alias broker -keystore "$work/broker.p12" -storepass "$KEYSTORE_PASSWORD" -file "$work/broker.csr"
  "$KEYTOOL" -gencert -rfc -alias ca -keystore "$work/ca.p12" -storepass "$KEYSTORE_PASSWORD" -validity 3650 \
    -ext "SAN=dns:localhost,ip:127.0.0.1" -ext "EKU=serverAuth" -ext "KU=digitalSignature,keyEncipherment" \
    -infile "$work/broker.csr" -outfile "$work/broker.pem"
  "$KEYTOOL" -importcert -noprompt -alias ca -file "$work/ca.pem" -keystore "$work/broker.p12" -storepass "$KEYSTORE_PASSWORD"
  "$KEYTOOL" -importcert -alias broker -file "$work/broker.pem" -keystore "$work/broker.p12" -storepass "$KEYSTORE_PASSWORD"
  mkdir -p "$SECRETS"
  cp "$work/ca.pem" "$work/broker.pem" "$work/broker.p12" "$SECRETS/"
  chmod 644 "$SECRETS/ca.pem"
  rm -rf "$work"
fi

cat >"$CONFIG" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://localhost:9093,SASL_SSL://0.0.0.0:9094
advertised.listeners=PLAINTEXT://127.0.0.1:9092,SASL_SSL://127.0.0.1:9094
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-256
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$SECRETS/broker.p12
ssl.keystore.password=$KEYSTORE_PASSWORD
ssl.key.password=$KEYSTORE_PASSWORD
log.dirs=$DATA
num.partitions=3
default.replication.factor=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS

if [[ ! -f $DATA/meta.properties ]]; then
  /opt/kafka/bin/kafka-storage.sh format --config "$CONFIG" \
    --cluster-id "$(/opt/kafka/bin/kafka-storage.sh random-uuid)" \
    --add-scram "SCRAM-SHA-256=[name=$SCRAM_USER,password=$SCRAM_PASSWORD]"
fi
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}
exec /opt/kafka/bin/kafka-server-start.sh "$CONFIG"
