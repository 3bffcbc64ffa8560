#!/bin/sh
# Kafka channel security for docker-compose and k8s (docs/security.md, "Kafka"): runs in the apache/kafka image.
#   kafka-security.sh secrets DIR HOST...  make once into DIR: a CA, a server certificate for HOST... (PKCS12
#                                          server.p12, truststore.p12), one random password per principal
#                                          (DIR/<principal>.password, DIR/stores.password); kept if present
#   kafka-security.sh service-secrets ROOT  (docker-compose) from ROOT/kafka, give each service ROOT/<service>/ with
#                                          only its own kafka.properties (password, trust store password) and the
#                                          trust store, owned by the images' uid 1001, 0700/0600
#   kafka-security.sh broker-config DIR   write the broker's JAAS file and DIR/broker.env (store passwords, KAFKA_OPTS)
#                                          from the password files, for its start command to source
#   kafka-security.sh format              format the broker's storage (once) with a SCRAM-SHA-512 user per
#                                          principal; passwords from $SECRETS_DIR/<principal>.password
#   kafka-security.sh setup BOOTSTRAP     as admin: create the topics, (re)store the services' credentials,
#                                          set the ACLs below (idempotent)
# The ACL lines below are the table of dev.mixrule.kafka.KafkaAccess (DeploymentFilesTest keeps them equal).
set -eu
PRINCIPALS="broker admin sampler trainer evaluator leaderboard"
SERVICES="sampler trainer evaluator leaderboard"
TOPICS="mixrule-candidates mixrule-training-results mixrule-evaluation-results mixrule-training-progress mixrule-control mixrule-dead-letter"
RESULTS_TOPICS="mixrule-training-results mixrule-evaluation-results"
SECRETS_DIR=${SECRETS_DIR:-/etc/mixrule/kafka}
BIN=/opt/kafka/bin

acls() {
cat <<'ACLS'
sampler WRITE topic LITERAL mixrule-candidates
sampler WRITE topic LITERAL mixrule-control
sampler READ topic LITERAL mixrule-training-results
sampler READ topic LITERAL mixrule-evaluation-results
sampler READ topic LITERAL mixrule-training-progress
sampler READ group LITERAL sampler-service
trainer READ topic LITERAL mixrule-candidates
trainer READ topic LITERAL mixrule-control
trainer WRITE topic LITERAL mixrule-training-results
trainer WRITE topic LITERAL mixrule-training-progress
trainer READ group LITERAL trainer-service
trainer READ group PREFIXED trainer-control-
evaluator READ topic LITERAL mixrule-training-results
evaluator WRITE topic LITERAL mixrule-evaluation-results
evaluator READ group LITERAL evaluator-service
leaderboard READ topic LITERAL mixrule-training-results
leaderboard READ topic LITERAL mixrule-evaluation-results
leaderboard READ group LITERAL leaderboard-service
sampler WRITE topic LITERAL mixrule-dead-letter
trainer WRITE topic LITERAL mixrule-dead-letter
evaluator WRITE topic LITERAL mixrule-dead-letter
leaderboard WRITE topic LITERAL mixrule-dead-letter
ACLS
}

pw() { cat "$SECRETS_DIR/$1.password"; }
random() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

secrets() {
  dir=$1; shift
  mkdir -p "$dir"; chmod 700 "$dir"
  for p in $PRINCIPALS stores; do
    [ -s "$dir/$p.password" ] || { random > "$dir/$p.password"; chmod 600 "$dir/$p.password"; }
  done
  [ -s "$dir/truststore.p12" ] && return 0
  s=$(cat "$dir/stores.password"); san=""
  for h in "$@"; do san="${san:+$san,}dns:$h"; done
  keytool -genkeypair -alias ca -keyalg EC -groupname secp256r1 -validity 3650 -dname "CN=mixrule Kafka CA" \
    -ext bc:c -keystore "$dir/ca.p12" -storetype PKCS12 -storepass "$s"
  keytool -exportcert -rfc -alias ca -keystore "$dir/ca.p12" -storepass "$s" -file "$dir/ca.pem"
  keytool -genkeypair -alias server -keyalg EC -groupname secp256r1 -validity 825 -dname "CN=$1" \
    -keystore "$dir/server.p12" -storetype PKCS12 -storepass "$s"
  keytool -certreq -alias server -keystore "$dir/server.p12" -storepass "$s" -file "$dir/server.csr"
  keytool -gencert -rfc -alias ca -keystore "$dir/ca.p12" -storepass "$s" -infile "$dir/server.csr" \
    -outfile "$dir/server.pem" -validity 825 -ext "SAN=$san" -ext EKU=serverAuth,clientAuth
  keytool -importcert -noprompt -alias ca -keystore "$dir/server.p12" -storepass "$s" -file "$dir/ca.pem"
  keytool -importcert -noprompt -alias server -keystore "$dir/server.p12" -storepass "$s" -file "$dir/server.pem"
  keytool -importcert -noprompt -alias ca -keystore "$dir/truststore.p12" -storetype PKCS12 -storepass "$s" -file "$dir/ca.pem"
  rm -f "$dir/server.csr" "$dir/server.pem" "$dir/ca.p12"  # the CA key is not kept: delete DIR to re-issue
  # readable by the broker's user (another uid than root); only the Kafka containers mount DIR (compose: subpath
  # kafka), the services get their own directories (service-secrets)
  chmod 644 "$dir"/*; chmod 755 "$dir"
}

service_secrets() {
  root=$1; s=$(cat "$root/kafka/stores.password")
  for p in $SERVICES; do
    d="$root/$p"; mkdir -p "$d"
    printf 'mixrule.kafka.password=%s\nmixrule.kafka.truststore-password=%s\n' "$(cat "$root/kafka/$p.password")" "$s" > "$d/kafka.properties"
    cp "$root/kafka/truststore.p12" "$d/truststore.p12"
    if [ "$(id -u)" = 0 ]; then chown -R 1001:1001 "$d"; fi  # compose runs this as root; a test may not
    chmod 700 "$d"; chmod 600 "$d/kafka.properties" "$d/truststore.p12"
  done
  echo "service secrets in $root/{$(echo $SERVICES | tr ' ' ',')}"
}

broker_config() {
  out=$1; mkdir -p "$out"; b=$(pw broker); s=$(pw stores)
  cat > "$out/broker-jaas.conf" <<JAAS
sasl_ssl.KafkaServer {
  org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="$b";
};
controller.KafkaServer {
  org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$b" user_broker="$b";
};
JAAS
  printf 'export KAFKA_SSL_KEYSTORE_PASSWORD=%s KAFKA_SSL_KEY_PASSWORD=%s KAFKA_SSL_TRUSTSTORE_PASSWORD=%s\nexport KAFKA_OPTS="-Djava.security.auth.login.config=%s"\n' \
    "$s" "$s" "$s" "$out/broker-jaas.conf" > "$out/broker.env"
  chmod 600 "$out/broker-jaas.conf" "$out/broker.env"
}

format() {
  data=${KAFKA_LOG_DIRS:-/var/lib/kafka/data}
  [ -f "$data/meta.properties" ] && { echo "storage in $data already formatted"; return 0; }
  cfg=/tmp/format.properties
  printf 'process.roles=broker,controller\nnode.id=%s\ncontroller.quorum.voters=%s\ncontroller.listener.names=CONTROLLER\nlisteners=SASL_SSL://:9092,CONTROLLER://:9093\nlistener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_SSL:SASL_SSL\ninter.broker.listener.name=SASL_SSL\nlog.dirs=%s\n' \
    "${KAFKA_NODE_ID:-1}" "$KAFKA_CONTROLLER_QUORUM_VOTERS" "$data" > "$cfg"
  set -- "$BIN/kafka-storage.sh" format -t "${CLUSTER_ID:-$(random | head -c 22)}" -c "$cfg"
  for p in $PRINCIPALS; do set -- "$@" --add-scram "SCRAM-SHA-512=[name=$p,password=$(pw "$p")]"; done
  "$@"
}

setup() {
  b=$1; cfg=/tmp/admin.properties
  printf 'security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nssl.truststore.type=PKCS12\nssl.truststore.location=%s\nssl.truststore.password=%s\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="%s";\n' \
    "$SECRETS_DIR/truststore.p12" "$(pw stores)" "$(pw admin)" > "$cfg"
  until "$BIN/kafka-topics.sh" --bootstrap-server "$b" --command-config "$cfg" --list >/dev/null 2>&1; do
    echo "waiting for $b"; sleep 3; done
  for t in $TOPICS; do "$BIN/kafka-topics.sh" --bootstrap-server "$b" --command-config "$cfg" --create --if-not-exists --topic "$t"; done
  # the results topics are the leaderboard's source of record (leaderboard rebuild replays them): kept forever,
  # also on a broker whose default retention is not -1
  for t in $RESULTS_TOPICS; do
    "$BIN/kafka-configs.sh" --bootstrap-server "$b" --command-config "$cfg" --alter --entity-type topics --entity-name "$t" \
      --add-config retention.ms=-1
  done
  for p in $SERVICES; do
    "$BIN/kafka-configs.sh" --bootstrap-server "$b" --command-config "$cfg" --alter --entity-type users --entity-name "$p" \
      --add-config "SCRAM-SHA-512=[password=$(pw "$p")]"
  done
  acls | while read -r who op type pattern name; do
    "$BIN/kafka-acls.sh" --bootstrap-server "$b" --command-config "$cfg" --add --allow-principal "User:$who" \
      --operation "$op" "--$type" "$name" --resource-pattern-type "$pattern" >/dev/null
  done
  echo "kafka: topics, SCRAM users and ACLs set"
}

cmd=${1:-}; [ $# -gt 0 ] && shift
case "$cmd" in
  secrets) secrets "$@" ;;
  service-secrets) service_secrets "$@" ;;
  broker-config) broker_config "$@" ;;
  format) format ;;
  setup) setup "$@" ;;
  acls) acls ;;
  *) echo "usage: $0 secrets DIR HOST... | service-secrets ROOT | broker-config DIR | format | setup BOOTSTRAP | acls" >&2; exit 2 ;;
esac
