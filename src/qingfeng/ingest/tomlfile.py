"""Settings files (thresholds, webhooks) in TOML, in whatever encoding the editor saved them."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from qingfeng.ingest import encoding
from qingfeng.ingest.csvfile import open_input
from qingfeng.ingest.errors import InputError, InputProblem


def read_toml(path: Path) -> dict[str, Any]:
    where = str(path)
    with open_input(path, where) as raw:
        data = raw.read()
    name = encoding.sniff(data[: encoding.HEAD], where)
    try:
        return tomllib.loads(data.decode(name))
    except UnicodeError:  # a decode error, or UTF-16 with no BOM to say its byte order
        raise encoding.bad_encoding(where, None, name) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(InputProblem.of(where, None, None, "toml", detail=str(error))) from None
