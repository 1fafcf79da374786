"""Seeds a RUNNING moto server (scripts/moto/start.sh) with many faces and objects, fast, for
measuring the console at production scale (issue #17).

Usage:
    target/moto-venv/bin/python scripts/moto/seed_scale.py [--faces 100000] [--objects 100000]
        [--collection rider-photos] [--bucket scale-thumbnails3bucket-1abc] [--users N]
        [--http-sample 2000] [--endpoint URL]

Faces and objects are stored inside the server process (stepdeck_seed.py's routes, loaded
by serve.py): as IndexFaces and PutObject would store them, without 100,000 HTTP calls.
`--http-sample N` also puts N objects over HTTP (S3 PutObject, 16 threads, into
`<bucket>-http`) to say what the HTTP path would have cost. Prints one line per step with
its time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def post(endpoint: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(endpoint + path, data=json.dumps(body).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        return json.loads(answer.read())


def http_sample(endpoint: str, bucket: str, count: int) -> float:
    import boto3

    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="AKIASEED", aws_secret_access_key="seed")
    s3.create_bucket(Bucket=bucket)
    body = b"\xff\xd8\xff\xe0" + bytes(600) + b"\xff\xd9"
    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: s3.put_object(Bucket=bucket, Key=f"resized-{i:06d}.jpg",
                                              Body=body), range(count)))
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--faces", type=int, default=100_000)
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=0, help="default: 95 %% of the faces")
    parser.add_argument("--collection", default="rider-photos")
    parser.add_argument("--bucket", default="scale-thumbnails3bucket-1abc")
    parser.add_argument("--http-sample", type=int, default=0)
    parser.add_argument("--endpoint")
    args = parser.parse_args()
    endpoint = args.endpoint or open(os.path.join(ROOT, "target", "moto.endpoint")).read().strip()
    if args.faces:
        started = time.monotonic()
        answer = post(endpoint, "/__stepdeck/seed/faces",
                      {"CollectionId": args.collection, "Count": args.faces,
                       "Users": args.users or None})
        print(f"faces: {answer['Seeded']:,} into {args.collection} in "
              f"{time.monotonic() - started:.2f} s ({answer['Seconds']:.2f} s in moto)")
    if args.objects:
        started = time.monotonic()
        answer = post(endpoint, "/__stepdeck/seed/objects",
                      {"Bucket": args.bucket, "Count": args.objects})
        print(f"objects: {answer['Seeded']:,} into {args.bucket} in "
              f"{time.monotonic() - started:.2f} s ({answer['Seconds']:.2f} s in moto)")
    if args.http_sample:
        took = http_sample(endpoint, args.bucket + "-http", args.http_sample)
        print(f"over HTTP for comparison: {args.http_sample:,} PutObject (16 threads) in "
              f"{took:.2f} s = {args.http_sample / took:.0f}/s")


if __name__ == "__main__":
    sys.exit(main())
