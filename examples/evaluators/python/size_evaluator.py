#!/usr/bin/python3
"""An evaluator in another language: a plain Kafka client in Python.

Consumes mixrule-training-results (its own consumer group), and for every SUCCEEDED result publishes
an EvaluationResult to mixrule-evaluation-results under its own name ("py-size", version "1") with
the metric py_parameters_millions. The leaderboard merges it beside the built-in evaluators.
Message classes are generated at run time from proto/ only.

    sudo apt-get install python3-kafka python3-grpc-tools python3-cryptography
    ./mixrule principals add-evaluator py-size   # once: Kafka user + ACLs, signing key, evaluator name, settings
    examples/evaluators/python/size_evaluator.py --client-config .run/secrets/py-size.client.properties [--idle-exit 30]

The broker speaks SASL_SSL (SCRAM-SHA-512) by default: --client-config reads the Java properties that
`./mixrule principals add-evaluator` writes (bootstrap, user, password) and trusts the ca.pem beside it
(or --ca). Only against a stack started with MIXRULE_INSECURE=1: --bootstrap 127.0.0.1:19092 alone.

Every record is also signed (Ed25519, headers mixrule-principal and mixrule-signature over topic, key and value;
docs/security.md): the leaderboard believes it only once the principal's public key and the evaluator name
are registered to it, which add-evaluator does; the signing principal and private key file come from the same
settings file (mixrule.signing.principal, mixrule.signing.key-file) unless --principal and --key-file are given.
"""
import argparse
import importlib
import pathlib
import re
import struct
import sys
import tempfile
import time

from cryptography.hazmat.primitives.serialization import load_pem_private_key
from grpc_tools import protoc
from kafka import KafkaConsumer, KafkaProducer

ROOT = pathlib.Path(__file__).resolve().parents[3]


def messages():
    out = tempfile.mkdtemp(prefix="mixrule-py-")
    if protoc.main(["protoc", f"-I{ROOT / 'proto'}", f"--python_out={out}", str(ROOT / "proto/mixrule/v1/mixrule.proto")]):
        sys.exit("protoc failed on proto/")
    sys.path.insert(0, out)
    return importlib.import_module("mixrule.v1.mixrule_pb2")


def signed_headers(principal, key, topic, record_key, value):
    """The two headers the leaderboard verifies: len(topic) topic len(key) key value, lengths 4-byte big-endian."""
    t, k = topic.encode(), record_key.encode()
    payload = struct.pack(">i", len(t)) + t + struct.pack(">i", len(k)) + k + value
    return [("mixrule-principal", principal.encode()), ("mixrule-signature", key.sign(payload))]


def read_properties(path):
    """The Java properties file ./mixrule principals add-evaluator writes, as a dict ({} without one)."""
    props = {}
    if path:
        for line in pathlib.Path(path).read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#") and "=" in line:
                key, value = re.split(r"(?<!\\)=", line, maxsplit=1)
                props[key.strip()] = re.sub(r"\\(.)", r"\1", value.strip())
    return props


def client_settings(args, props):
    """kafka-python arguments: plain bootstrap, or SASL_SSL from the client properties."""
    if not args.client_config:
        return {"bootstrap_servers": args.bootstrap}
    jaas = props["sasl.jaas.config"]
    ca = args.ca or str(pathlib.Path(args.client_config).resolve().parent / "ca.pem")
    return {"bootstrap_servers": props["bootstrap.servers"], "security_protocol": props["security.protocol"],
            "sasl_mechanism": props["sasl.mechanism"], "ssl_cafile": ca,
            "sasl_plain_username": re.search(r'username="([^"]*)"', jaas).group(1),
            "sasl_plain_password": re.search(r'password="([^"]*)"', jaas).group(1)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap", default="127.0.0.1:19092")
    ap.add_argument("--client-config", help="Kafka client properties from ./mixrule principals add-evaluator")
    ap.add_argument("--ca", help="CA certificate (PEM) of the broker; default: ca.pem beside --client-config")
    ap.add_argument("--principal", help="the principal this evaluator signs as; default: mixrule.signing.principal "
                    "in --client-config")
    ap.add_argument("--key-file", help="its Ed25519 private key, PEM (PKCS#8); default: mixrule.signing.key-file "
                    "in --client-config")
    ap.add_argument("--idle-exit", type=float, default=0, help="stop after this many seconds without records (0 = never)")
    args = ap.parse_args()
    props = read_properties(args.client_config)
    principal = args.principal or props.get("mixrule.signing.principal")
    key_file = args.key_file or props.get("mixrule.signing.key-file")
    if not principal or not key_file:
        ap.error("no signing identity: give --principal and --key-file, or a --client-config that names them "
                 "(./mixrule principals add-evaluator py-size writes one)")
    pb = messages()
    key = load_pem_private_key(pathlib.Path(key_file).read_bytes(), password=None)
    kafka = client_settings(args, props)
    consumer = KafkaConsumer("mixrule-training-results", group_id="py-size", auto_offset_reset="earliest",
                             enable_auto_commit=False, **kafka)
    producer = KafkaProducer(**kafka)
    last = time.time()
    while not args.idle_exit or time.time() - last < args.idle_exit:
        for records in consumer.poll(timeout_ms=500).values():
            for rec in records:
                last = time.time()
                t = pb.TrainingResult()
                try:
                    t.ParseFromString(rec.value)
                except Exception as e:  # a malformed record is not ours to fix
                    print(f"skipping {rec.key}: {e}", file=sys.stderr)
                    continue
                if t.status != pb.TRAINING_STATUS_SUCCEEDED:
                    continue
                r = pb.EvaluationResult(genome_id=t.genome_id, experiment_id=t.experiment_id, dataset=t.dataset,
                                        evaluator=pb.EvaluatorId(name="py-size", version="1"), protocol="genome",
                                        status=pb.EVALUATION_STATUS_SUCCEEDED, examples=0,
                                        evaluated_at_ms=int(time.time() * 1000))
                r.metrics["py_parameters_millions"] = t.cost.parameters / 1e6
                value = r.SerializeToString()
                producer.send("mixrule-evaluation-results", key=t.genome_id.encode(), value=value,
                              headers=signed_headers(principal, key, "mixrule-evaluation-results", t.genome_id, value)).get(30)
                print(f"py-size {t.genome_id} {t.cost.parameters / 1e6:.4f}M", file=sys.stderr)
        consumer.commit()
    producer.flush()


if __name__ == "__main__":
    main()
