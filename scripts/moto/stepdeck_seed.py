"""Bulk seeding of a running moto server -- stepdeck's own test tooling, NOT part of moto.

Measuring the console at production scale needs 100,000 faces in a collection and 100,000
objects in a bucket. Over HTTP, IndexFaces runs at about 200 a second (each call decodes a
request, hashes an image and answers JSON), so seeding a collection would take minutes. This
module seeds inside the server process instead, storing faces exactly as `IndexFaces` of
stepdeck_rekognition.py stores them (a `StoredFace`: face id, image id, external image id,
a signature that drives SearchFaces' similarity, bounding box and confidence derived from it)
and objects through moto's own S3 backend (`put_object`, as PutObject does).

How it is reached: `serve.py` wraps moto's WSGI application with `wrap(app)`, which answers
two POST routes and hands every other request to moto unchanged. The server binds 127.0.0.1
only (serve.py), so these routes are reachable from this machine only.

    POST /__stepdeck/seed/faces    {"CollectionId": "rider-photos", "Count": 100000,
                                    "Users": 95000, "Seed": "scale", "Account": "123456789012",
                                    "Region": "us-east-1"}
    POST /__stepdeck/seed/objects  {"Bucket": "scale-thumbnails3bucket-1abc", "Count": 100000,
                                    "Prefix": "resized-", "Seed": "scale", ...}

Faces: face i belongs to user `user_{i % Users:06d}` (so with Users < Count, the first
Count - Users users have two faces: the duplicates view has groups); every second duplicate
is the same photo indexed twice (same signature: SearchFaces finds it at similarity 100), the
others a different photo. Every 25th face shares its image id with the face before it (two
faces in one photo). Ids are derived from Seed and i, so a seeding is reproducible; the
collection is created if missing, and faces are added to what it holds.

Objects: key `{Prefix}user_{i:06d}/photo-{i:06d}.jpg`, a small JPEG-looking body whose size
varies with i (100 to 1,123 bytes, so sorting by size means something). The bucket is created
if missing. Answers `{"Seeded": n, "Seconds": s}`.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from typing import Any, Callable, Iterable

import stepdeck_rekognition as rekognition

ROUTE = "/__stepdeck/seed/"
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()


def _uuid(*parts: object) -> str:
    return str(uuid.UUID(bytes=_digest(*parts)[:16], version=4))


def seed_faces(body: dict[str, Any]) -> int:
    from moto.rekognition.models import rekognition_backends

    collection_id = body.get("CollectionId", "rider-photos")
    count = int(body["Count"])
    users = int(body.get("Users") or max(1, count * 95 // 100))
    seed = str(body.get("Seed", "scale"))
    account = body.get("Account", DEFAULT_ACCOUNT)
    region = body.get("Region", DEFAULT_REGION)
    backend = rekognition_backends[account][region]
    faces = []
    image_id = ""
    for i in range(count):
        user = i % users
        if i >= users and i % 2 == 0:
            photo = f"{seed}/photo/{i - users}"  # the same photo indexed again
        else:
            photo = f"{seed}/photo/{i}"
        if i % 25 != 1 or not image_id:
            image_id = _uuid(seed, "image", i)
        faces.append(
            rekognition.StoredFace(
                face_id=_uuid(seed, "face", i),
                image_id=image_id,
                external_image_id=f"user_{user:06d}",
                signature=hashlib.sha256(photo.encode()).hexdigest(),
            )
        )
    with rekognition._lock(backend):
        collections = rekognition._collections(backend)
        collection = collections.get(collection_id)
        if collection is None:
            arn = f"aws:rekognition:{region}:{account}:collection/{collection_id}"
            collection = rekognition.FaceCollection(collection_id, arn)
            collections[collection_id] = collection
        for face in faces:
            collection.faces[face.face_id] = face
    return count


JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def seed_objects(body: dict[str, Any]) -> int:
    from moto.s3.models import s3_backends

    bucket = body["Bucket"]
    count = int(body["Count"])
    prefix = body.get("Prefix", "resized-")
    account = body.get("Account", DEFAULT_ACCOUNT)
    region = body.get("Region", DEFAULT_REGION)
    backend = s3_backends[account]["aws"]
    if bucket not in backend.buckets:
        backend.create_bucket(bucket, region)
    for i in range(count):
        size = 100 + (i * 7919) % 1024
        value = JPEG_HEAD + bytes(size - len(JPEG_HEAD) - 2) + b"\xff\xd9"
        backend.put_object(
            bucket,
            f"{prefix}user_{i:06d}/photo-{i:06d}.jpg",
            value,
            disable_notification=True,
        )
    return count


SEEDERS: dict[str, Callable[[dict[str, Any]], int]] = {
    "faces": seed_faces,
    "objects": seed_objects,
}


def wrap(app: Callable) -> Callable:
    """moto's WSGI app with the seeding routes in front of it."""

    def application(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(ROUTE):
            return app(environ, start_response)
        seeder = SEEDERS.get(path[len(ROUTE):])
        if seeder is None or environ.get("REQUEST_METHOD") != "POST":
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"message": "POST /__stepdeck/seed/faces or /__stepdeck/seed/objects"}']
        length = int(environ.get("CONTENT_LENGTH") or 0)
        started = time.monotonic()
        try:
            seeded = seeder(json.loads(environ["wsgi.input"].read(length) or b"{}"))
        except (KeyError, ValueError, TypeError) as error:
            start_response("400 Bad Request", [("Content-Type", "application/json")])
            return [json.dumps({"message": f"bad seeding request: {error!r}"}).encode()]
        answer = {"Seeded": seeded, "Seconds": round(time.monotonic() - started, 3)}
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(answer).encode()]

    return application
