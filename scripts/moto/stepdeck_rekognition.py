"""Rekognition face collections for moto server -- stepdeck's own test tooling, NOT part of moto.

moto (5.2.x) implements a few Rekognition calls (DetectLabels, CompareFaces, ...) but none of
the face-collection API: CreateCollection, IndexFaces, ListFaces, ... answer HTTP 500 there.
stepdeck's console lists, searches and deletes faces of a collection, so its integration tests
need those operations on the same test server, speaking the real wire protocol (JSON 1.1,
`X-Amz-Target: RekognitionService.<Operation>`) so the Rust SDK client is exercised exactly as
against AWS.

How it is loaded: `scripts/moto/serve.py` imports this module before it starts moto's server.
`install()` adds one handler method per operation to moto's `RekognitionResponse` (moto
dispatches a JSON request to the method named after the operation in snake_case) and keeps
the collections on moto's per-account, per-region `RekognitionBackend` instances, so that
`POST /moto-api/reset` clears them like any other moto state. Errors are raised as moto's
`JsonRESTError`, which serialises to the AWS JSON error shape (`__type`, `message`, HTTP 400).

What it cannot do is vision. IndexFaces "detects" exactly one face in any JPEG or PNG image
and derives it deterministically from a SHA-256 of the image bytes: the face's signature is
the digest, its bounding box and confidence come from the digest's bytes. Consequently
indexing the same image twice yields two faces with the same signature, which SearchFaces /
SearchFacesByImage report with similarity 100; faces of different images match with a low
similarity (below 40), i.e. not at the default threshold of 80. Images given as
`S3Object` are read from moto's own S3 backend (same account), as Rekognition reads S3.

Implemented: CreateCollection, DescribeCollection, ListCollections, DeleteCollection,
IndexFaces, ListFaces, SearchFaces, SearchFacesByImage, DeleteFaces. Not implemented: users
(CreateUser, AssociateFaces, ...), face attributes beyond a bounding box and confidence.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
import uuid
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.rekognition.models import RekognitionBackend
from moto.rekognition.responses import RekognitionResponse

FACE_MODEL_VERSION = "7.0"
DEFAULT_FACE_MATCH_THRESHOLD = 80.0
MAX_LIST_FACES_RESULTS = 4096
MAX_DELETE_FACE_IDS = 4096
COLLECTION_ID_PATTERN = re.compile(r"^[a-zA-Z0-9_.\-]{1,255}$")
EXTERNAL_IMAGE_ID_PATTERN = re.compile(r"^[a-zA-Z0-9_.\-:]{1,255}$")
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class ResourceNotFoundException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ResourceNotFoundException", message)


class ResourceAlreadyExistsException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ResourceAlreadyExistsException", message)


class InvalidParameterException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidParameterException", message)


class InvalidImageFormatException(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("InvalidImageFormatException", "Request has invalid image format")


class InvalidS3ObjectException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidS3ObjectException", message)


class InvalidPaginationTokenException(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("InvalidPaginationTokenException", "Invalid pagination token")


# --------------------------------------------------------------------------------------------
# The model: collections of faces, kept on moto's RekognitionBackend instance.
# --------------------------------------------------------------------------------------------


class StoredFace:
    def __init__(
        self,
        face_id: str,
        image_id: str,
        external_image_id: str | None,
        signature: str,
    ) -> None:
        self.face_id = face_id
        self.image_id = image_id
        self.external_image_id = external_image_id
        self.signature = signature
        digest = bytes.fromhex(signature)
        # A plausible, deterministic box: a face filling 20-50 % of the image, inside it.
        width = 0.2 + digest[0] / 255 * 0.3
        height = 0.2 + digest[1] / 255 * 0.3
        self.bounding_box = {
            "Width": round(width, 6),
            "Height": round(height, 6),
            "Left": round(digest[2] / 255 * (1 - width), 6),
            "Top": round(digest[3] / 255 * (1 - height), 6),
        }
        self.confidence = round(99.0 + digest[4] / 255, 6)

    def to_face(self) -> dict[str, Any]:
        face: dict[str, Any] = {
            "FaceId": self.face_id,
            "BoundingBox": self.bounding_box,
            "ImageId": self.image_id,
            "Confidence": self.confidence,
            "IndexFacesModelVersion": FACE_MODEL_VERSION,
        }
        if self.external_image_id is not None:
            face["ExternalImageId"] = self.external_image_id
        return face


class FaceCollection:
    def __init__(self, collection_id: str, arn: str) -> None:
        self.collection_id = collection_id
        self.arn = arn
        self.created = time.time()
        # FaceId -> face; ListFaces pages in FaceId order, as Rekognition does.
        self.faces: dict[str, StoredFace] = {}


def _collections(backend: RekognitionBackend) -> dict[str, FaceCollection]:
    # Stored in the backend's __dict__ so moto's reset (which empties __dict__) clears it.
    return backend.__dict__.setdefault("stepdeck_face_collections", {})


def _lock(backend: RekognitionBackend) -> threading.Lock:
    return backend.__dict__.setdefault("stepdeck_face_collections_lock", threading.Lock())


def _collection(backend: RekognitionBackend, collection_id: str) -> FaceCollection:
    collection = _collections(backend).get(collection_id)
    if collection is None:
        raise ResourceNotFoundException(f"The collection id: {collection_id} does not exist")
    return collection


def face_signature(image: bytes) -> str:
    """The fake face of an image: a digest of its bytes (see the module doc)."""
    return hashlib.sha256(image).hexdigest()


def similarity(a: str, b: str) -> float:
    """100 for the same signature; otherwise a deterministic value below 40."""
    if a == b:
        return 100.0
    low, high = sorted((a, b))
    mixed = hashlib.sha256((low + high).encode()).digest()
    return round(mixed[0] / 255 * 39.0, 4)


# --------------------------------------------------------------------------------------------
# Request helpers
# --------------------------------------------------------------------------------------------


def _body(response: RekognitionResponse) -> dict[str, Any]:
    try:
        body = json.loads(response.body or "{}")
    except ValueError as error:
        raise InvalidParameterException(f"Request body is not valid JSON: {error}")
    if not isinstance(body, dict):
        raise InvalidParameterException("Request body must be a JSON object")
    return body


def _collection_id(body: dict[str, Any]) -> str:
    collection_id = body.get("CollectionId")
    if not isinstance(collection_id, str) or not COLLECTION_ID_PATTERN.match(collection_id):
        raise InvalidParameterException(
            "CollectionId must match [a-zA-Z0-9_.\\-]+ and be 1 to 255 characters long"
        )
    return collection_id


def _max_results(body: dict[str, Any], default: int, maximum: int) -> int:
    value = body.get("MaxResults", default)
    if not isinstance(value, int) or value < 0 or value > maximum:
        raise InvalidParameterException(f"MaxResults must be between 0 and {maximum}")
    return value or default


def _image_bytes(response: RekognitionResponse, body: dict[str, Any]) -> bytes:
    image = body.get("Image")
    if not isinstance(image, dict):
        raise InvalidParameterException("Image is required")
    if "Bytes" in image:
        try:
            data = base64.b64decode(image["Bytes"], validate=True)
        except (ValueError, TypeError):
            raise InvalidImageFormatException()
    elif "S3Object" in image:
        data = _read_s3_object(response, image["S3Object"] or {})
    else:
        raise InvalidParameterException("Image must have Bytes or S3Object")
    if not (data.startswith(JPEG_MAGIC) or data.startswith(PNG_MAGIC)):
        raise InvalidImageFormatException()
    return data


def _read_s3_object(response: RekognitionResponse, s3_object: dict[str, Any]) -> bytes:
    from moto.s3.models import s3_backends

    bucket, key = s3_object.get("Bucket"), s3_object.get("Name")
    if not bucket or not key:
        raise InvalidParameterException("S3Object needs Bucket and Name")
    backend = s3_backends[response.current_account][response.partition]
    try:
        stored = backend.get_object(bucket, key, version_id=s3_object.get("Version"))
    except Exception:  # moto raises its own S3 errors (MissingBucket, MissingKey, ...)
        stored = None
    if stored is None:
        raise InvalidS3ObjectException("Unable to get object metadata from S3. Check object key, region and/or access permissions.")
    return bytes(stored.value)


def _ok(payload: dict[str, Any]) -> str:
    return json.dumps(payload)


# --------------------------------------------------------------------------------------------
# Operations (one method each on moto's RekognitionResponse)
# --------------------------------------------------------------------------------------------


def create_collection(self: RekognitionResponse) -> str:
    body = _body(self)
    collection_id = _collection_id(body)
    backend = self.rekognition_backend
    with _lock(backend):
        collections = _collections(backend)
        if collection_id in collections:
            raise ResourceAlreadyExistsException(
                f"The collection id: {collection_id} already exists"
            )
        # Rekognition really returns the ARN without its `arn:` prefix here.
        arn = f"aws:rekognition:{self.region}:{self.current_account}:collection/{collection_id}"
        collections[collection_id] = FaceCollection(collection_id, arn)
    return _ok({"StatusCode": 200, "CollectionArn": arn, "FaceModelVersion": FACE_MODEL_VERSION})


def describe_collection(self: RekognitionResponse) -> str:
    body = _body(self)
    backend = self.rekognition_backend
    with _lock(backend):
        collection = _collection(backend, _collection_id(body))
        return _ok(
            {
                "FaceCount": len(collection.faces),
                "FaceModelVersion": FACE_MODEL_VERSION,
                "CollectionARN": f"arn:{collection.arn}",
                "CreationTimestamp": collection.created,
                "UserCount": 0,
            }
        )


def list_collections(self: RekognitionResponse) -> str:
    body = _body(self)
    limit = _max_results(body, default=1000, maximum=4096)
    backend = self.rekognition_backend
    with _lock(backend):
        ids = sorted(_collections(backend))
    token = body.get("NextToken")
    if token is not None:
        ids = [i for i in ids if i > _decode_token(token)]
    page, rest = ids[:limit], ids[limit:]
    result: dict[str, Any] = {
        "CollectionIds": page,
        "FaceModelVersions": [FACE_MODEL_VERSION] * len(page),
    }
    if rest:
        result["NextToken"] = _encode_token(page[-1])
    return _ok(result)


def delete_collection(self: RekognitionResponse) -> str:
    body = _body(self)
    collection_id = _collection_id(body)
    backend = self.rekognition_backend
    with _lock(backend):
        _collection(backend, collection_id)
        del _collections(backend)[collection_id]
    return _ok({"StatusCode": 200})


def index_faces(self: RekognitionResponse) -> str:
    body = _body(self)
    collection_id = _collection_id(body)
    external_image_id = body.get("ExternalImageId")
    if external_image_id is not None and not (
        isinstance(external_image_id, str) and EXTERNAL_IMAGE_ID_PATTERN.match(external_image_id)
    ):
        raise InvalidParameterException("ExternalImageId must match [a-zA-Z0-9_.\\-:]+")
    max_faces = body.get("MaxFaces", 1)
    if not isinstance(max_faces, int) or max_faces < 1:
        raise InvalidParameterException("MaxFaces must be at least 1")
    image = _image_bytes(self, body)
    backend = self.rekognition_backend
    with _lock(backend):
        collection = _collection(backend, collection_id)
        face = StoredFace(
            face_id=str(uuid.uuid4()),
            image_id=str(uuid.uuid4()),
            external_image_id=external_image_id,
            signature=face_signature(image),
        )
        collection.faces[face.face_id] = face
    detail = {
        "BoundingBox": face.bounding_box,
        "Confidence": face.confidence,
    }
    return _ok(
        {
            "FaceRecords": [{"Face": face.to_face(), "FaceDetail": detail}],
            "FaceModelVersion": FACE_MODEL_VERSION,
            "UnindexedFaces": [],
        }
    )


def list_faces(self: RekognitionResponse) -> str:
    body = _body(self)
    collection_id = _collection_id(body)
    limit = _max_results(body, default=1000, maximum=MAX_LIST_FACES_RESULTS)
    wanted = body.get("FaceIds")
    backend = self.rekognition_backend
    with _lock(backend):
        collection = _collection(backend, collection_id)
        faces = sorted(collection.faces.values(), key=lambda f: f.face_id)
    if wanted:
        faces = [f for f in faces if f.face_id in set(wanted)]
    token = body.get("NextToken")
    if token is not None:
        after = _decode_token(token)
        faces = [f for f in faces if f.face_id > after]
    page, rest = faces[:limit], faces[limit:]
    result: dict[str, Any] = {
        "Faces": [f.to_face() for f in page],
        "FaceModelVersion": FACE_MODEL_VERSION,
    }
    if rest:
        result["NextToken"] = _encode_token(page[-1].face_id)
    return _ok(result)


def _matches(
    collection: FaceCollection,
    signature: str,
    exclude_face_id: str | None,
    body: dict[str, Any],
) -> list[dict[str, Any]]:
    threshold = body.get("FaceMatchThreshold", DEFAULT_FACE_MATCH_THRESHOLD)
    if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
        raise InvalidParameterException("FaceMatchThreshold must be between 0 and 100")
    max_faces = body.get("MaxFaces", 80)
    if not isinstance(max_faces, int) or not 1 <= max_faces <= 4096:
        raise InvalidParameterException("MaxFaces must be between 1 and 4096")
    scored = [
        (similarity(signature, face.signature), face)
        for face in collection.faces.values()
        if face.face_id != exclude_face_id
    ]
    scored = [(s, f) for s, f in scored if s >= threshold]
    scored.sort(key=lambda pair: (-pair[0], pair[1].face_id))
    return [{"Similarity": s, "Face": f.to_face()} for s, f in scored[:max_faces]]


def search_faces(self: RekognitionResponse) -> str:
    body = _body(self)
    collection_id = _collection_id(body)
    face_id = body.get("FaceId")
    if not isinstance(face_id, str):
        raise InvalidParameterException("FaceId is required")
    backend = self.rekognition_backend
    with _lock(backend):
        collection = _collection(backend, collection_id)
        searched = collection.faces.get(face_id)
        if searched is None:
            raise InvalidParameterException(f"FaceId {face_id} does not exist in the collection")
        matches = _matches(collection, searched.signature, face_id, body)
    return _ok(
        {"SearchedFaceId": face_id, "FaceMatches": matches, "FaceModelVersion": FACE_MODEL_VERSION}
    )


def search_faces_by_image(self: RekognitionResponse) -> str:
    body = _body(self)
    collection_id = _collection_id(body)
    image = _image_bytes(self, body)
    probe = StoredFace("", "", None, face_signature(image))
    backend = self.rekognition_backend
    with _lock(backend):
        collection = _collection(backend, collection_id)
        matches = _matches(collection, probe.signature, None, body)
    return _ok(
        {
            "SearchedFaceBoundingBox": probe.bounding_box,
            "SearchedFaceConfidence": probe.confidence,
            "FaceMatches": matches,
            "FaceModelVersion": FACE_MODEL_VERSION,
        }
    )


def delete_faces(self: RekognitionResponse) -> str:
    body = _body(self)
    collection_id = _collection_id(body)
    face_ids = body.get("FaceIds")
    if not isinstance(face_ids, list) or not 1 <= len(face_ids) <= MAX_DELETE_FACE_IDS:
        raise InvalidParameterException(
            f"FaceIds must list between 1 and {MAX_DELETE_FACE_IDS} face ids"
        )
    backend = self.rekognition_backend
    deleted: list[str] = []
    unsuccessful: list[dict[str, Any]] = []
    with _lock(backend):
        collection = _collection(backend, collection_id)
        for face_id in face_ids:
            if collection.faces.pop(face_id, None) is not None:
                deleted.append(face_id)
            else:
                unsuccessful.append({"FaceId": face_id, "Reasons": ["FACE_NOT_FOUND"]})
    return _ok({"DeletedFaces": deleted, "UnsuccessfulFaceDeletions": unsuccessful})


def _encode_token(last_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode()


def _decode_token(token: Any) -> str:
    try:
        return json.loads(base64.urlsafe_b64decode(str(token).encode()))["after"]
    except (ValueError, KeyError, TypeError):
        raise InvalidPaginationTokenException()


OPERATIONS = {
    "create_collection": create_collection,
    "describe_collection": describe_collection,
    "list_collections": list_collections,
    "delete_collection": delete_collection,
    "index_faces": index_faces,
    "list_faces": list_faces,
    "search_faces": search_faces,
    "search_faces_by_image": search_faces_by_image,
    "delete_faces": delete_faces,
}


def install() -> None:
    """Adds the operations to moto's Rekognition request handler (idempotent)."""
    for name, handler in OPERATIONS.items():
        existing = RekognitionResponse.__dict__.get(name)
        if existing is not None and existing is not handler:
            # A newer moto implements this itself: fail loudly rather than shadow it silently.
            raise RuntimeError(
                f"moto's RekognitionResponse already defines {name}; review stepdeck_rekognition.py"
            )
        setattr(RekognitionResponse, name, handler)
