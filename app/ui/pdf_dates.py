"""Make a written PDF reproducible: its dates become a given moment, its ids derive from a key.

Qt's PDF writer stamps the time of writing (Info dictionary and XMP) and a random document id
(XMP and the trailer's /ID). Each is replaced by a value of exactly the same length, so the
cross-reference offsets stay valid.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

_INFO_DATE = re.compile(rb"\(D:(\d{14})(Z|[+-]\d\d'\d\d')\)")
_XMP_DATE = re.compile(rb'="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)([+-]\d\d:\d\d|Z)"')
_UUID = re.compile(rb"uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
NAMESPACE = uuid.UUID("6f1d3c2a-5b8e-4c7f-9a41-2e0d8b7c6a55")


def _info_date(moment: datetime, suffix: bytes) -> bytes:
    stamp = moment.strftime("%Y%m%d%H%M%S").encode()
    return b"(D:" + stamp + (b"Z" if suffix == b"Z" else b"+00'00'") + b")"


def _xmp_date(moment: datetime, suffix: bytes) -> bytes:
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S").encode()
    return b'="' + stamp + (b"Z" if suffix == b"Z" else b"+00:00") + b'"'


def pin_pdf(path: Path, moment: datetime | None, key: str) -> None:
    """Date the file ``moment`` (UTC) and give it ids derived from ``key``; no-op for ``None``."""
    if moment is None:
        return
    moment = moment.astimezone(UTC)
    data = path.read_bytes()
    data = _INFO_DATE.sub(lambda m: _info_date(moment, m.group(2)), data)
    data = _XMP_DATE.sub(lambda m: _xmp_date(moment, m.group(2)), data)
    stable = str(uuid.uuid5(NAMESPACE, key)).encode()
    for found in set(_UUID.findall(data)):
        data = data.replace(found, stable)
        data = data.replace(found.hex().encode(), stable.hex().encode())
    path.write_bytes(data)
