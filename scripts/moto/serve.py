"""Runs moto server for stepdeck's integration tests, with stepdeck's own Rekognition
face-collection extension (stepdeck_rekognition.py, not part of moto) loaded, and its bulk
seeding routes (stepdeck_seed.py: POST /__stepdeck/seed/faces and /objects, for measuring at
scale; used by scripts/moto/seed_scale.py).

Usage: serve.py ENDPOINT_FILE   (started in the background by scripts/moto/start.sh)

Binds 127.0.0.1 on a port the kernel picks (no race between choosing a free port and binding
it), then writes `http://127.0.0.1:PORT` to ENDPOINT_FILE once the socket is listening. The
application is the same one `moto_server` runs (moto.server.main); only the port selection
and the extension differ.
"""

from __future__ import annotations

import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import stepdeck_rekognition  # noqa: E402  (needs the path above)
import stepdeck_seed  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: serve.py ENDPOINT_FILE")
    endpoint_file = sys.argv[1]
    stepdeck_rekognition.install()

    app = stepdeck_seed.wrap(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # moto builds URLs to itself (e.g. Lambda callbacks) from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(server.port)

    def stop(_signum: int, _frame: object) -> None:
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    temporary = endpoint_file + ".tmp"
    with open(temporary, "w") as out:
        out.write(f"http://127.0.0.1:{server.port}\n")
    os.replace(temporary, endpoint_file)  # readers never see a half-written file
    server.serve_forever()


if __name__ == "__main__":
    main()
