#!/usr/bin/python3
"""An evaluator in another language: a plain Kafka client in Python.

Consumes mixrule-training-results (its own consumer group), and for every SUCCEEDED result publishes
an EvaluationResult to mixrule-evaluation-results under its own name ("py-size", version "1") with
the metric py_parameters_millions. The leaderboard merges it beside the built-in evaluators.
Message classes are generated at run time from proto/ only.

Every record is signed (Ed25519, headers mixrule-principal and mixrule-signature over topic, key and value;
docs/security.md): the leaderboard believes it only once the principal's public key and the evaluator name
are registered (./mixrule principals add, ./mixrule evaluators register). The local stack makes and registers
the "examples" principal's key in .run/secrets/signing-examples.key.

    sudo apt-get install python3-kafka python3-grpc-tools python3-cryptography
    examples/evaluators/python/size_evaluator.py --bootstrap 127.0.0.1:19092 --principal examples \
        --key-file .run/secrets/signing-examples.key [--idle-exit 30]
"""
import argparse
import importlib
import pathlib
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap", default="127.0.0.1:19092")
    ap.add_argument("--idle-exit", type=float, default=0, help="stop after this many seconds without records (0 = never)")
    ap.add_argument("--principal", required=True, help="the principal this evaluator signs as")
    ap.add_argument("--key-file", required=True, help="its Ed25519 private key, PEM (PKCS#8)")
    args = ap.parse_args()
    key = load_pem_private_key(pathlib.Path(args.key_file).read_bytes(), password=None)
    pb = messages()
    consumer = KafkaConsumer("mixrule-training-results", bootstrap_servers=args.bootstrap, group_id="py-size",
                             auto_offset_reset="earliest", enable_auto_commit=False)
    producer = KafkaProducer(bootstrap_servers=args.bootstrap)
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
                              headers=signed_headers(args.principal, key, "mixrule-evaluation-results", t.genome_id, value)).get(30)
                print(f"py-size {t.genome_id} {t.cost.parameters / 1e6:.4f}M", file=sys.stderr)
        consumer.commit()
    producer.flush()


if __name__ == "__main__":
    main()
