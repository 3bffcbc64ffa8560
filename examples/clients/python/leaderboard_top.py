#!/usr/bin/python3
"""List the live leaderboard with a client built only from proto/.

Compiles proto/mixrule/v1/mixrule.proto at run time (grpc_tools) and calls Leaderboard.Top.
Needs Debian's python3-grpcio and python3-grpc-tools (sudo apt-get install python3-grpc-tools).

    examples/clients/python/leaderboard_top.py [--target 127.0.0.1:50051] [--dataset fashion-mnist] [--k 5]
        [--ca .run/secrets/ca.pem] [--token TOKEN] [--insecure]

gRPC is TLS by default: the CA PEM is --ca or MIXRULE_CA (default: the local stack's .run/secrets/ca.pem); the
bearer token, needed only when the leaderboard requires one, is --token or MIXRULE_TOKEN. --insecure talks plain
text to a stack started with MIXRULE_INSECURE=1 (development only).
"""
import argparse
import importlib
import os
import pathlib
import sys
import tempfile

from grpc_tools import protoc
import grpc

ROOT = pathlib.Path(__file__).resolve().parents[3]


def load_stubs():
    out = tempfile.mkdtemp(prefix="mixrule-py-")
    rc = protoc.main(["protoc", f"-I{ROOT / 'proto'}", f"--python_out={out}", f"--grpc_python_out={out}",
                      str(ROOT / "proto/mixrule/v1/mixrule.proto")])
    if rc != 0:
        sys.exit(f"protoc failed on {ROOT / 'proto'} (exit {rc})")
    sys.path.insert(0, out)
    return importlib.import_module("mixrule.v1.mixrule_pb2"), importlib.import_module("mixrule.v1.mixrule_pb2_grpc")


def open_channel(args):
    if args.insecure:
        print("WARNING: plain-text gRPC (development mode)", file=sys.stderr)
        return grpc.insecure_channel(args.target)
    try:
        ca = pathlib.Path(args.ca).read_bytes()
    except OSError as e:
        sys.exit(f"error: cannot read the CA certificate {args.ca} ({e.strerror}); start the stack with ./mixrule up "
                 "or pass --ca / MIXRULE_CA")
    creds = grpc.ssl_channel_credentials(root_certificates=ca)
    if args.token:
        creds = grpc.composite_channel_credentials(creds, grpc.access_token_call_credentials(args.token))
    return grpc.secure_channel(args.target, creds)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", default="127.0.0.1:50051")
    ap.add_argument("--dataset", default="fashion-mnist")
    ap.add_argument("--metric", default="test_accuracy")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--ca", default=os.environ.get("MIXRULE_CA", str(ROOT / ".run/secrets/ca.pem")))
    ap.add_argument("--token", default=os.environ.get("MIXRULE_TOKEN"))
    ap.add_argument("--insecure", action="store_true", help="plain text (a stack started with MIXRULE_INSECURE=1)")
    args = ap.parse_args()
    pb, pb_grpc = load_stubs()
    with open_channel(args) as channel:
        stub = pb_grpc.LeaderboardStub(channel)
        try:
            resp = stub.Top(pb.TopRequest(dataset=args.dataset, metric=args.metric, k=args.k), timeout=30)
        except grpc.RpcError as e:
            sys.exit(f"error: {e.code().name}: {e.details()}")
    for e in resp.entries:
        print(f"{e.rank:3d}  {e.genome_id}  {args.metric}={e.metrics.get(args.metric, float('nan')):.4f}  "
              f"rules={','.join(e.rules)}  {e.canonical}")
    print(f"{len(resp.entries)} of {resp.total} entries")


if __name__ == "__main__":
    main()
