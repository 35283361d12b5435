"""An independent safetensors reader for the Lanes tests: standard library and numpy only.

Usage: python3 read_safetensors.py FILE
Prints one JSON object: {"metadata": {...}, "tensors": {name: {"dtype", "shape", "values"}}}.
Float values are given as the integer bit patterns of their little-endian encoding, so the
Java test compares them exactly. Exits with status 1 and a message if the layout is wrong.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": ("<f4", "<u4"), "F64": ("<f8", "<u8"), "I32": ("<i4", None), "I64": ("<i8", None)}


def main(path):
    with open(path, "rb") as f:
        blob = f.read()
    (header_length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + header_length].decode("utf-8"))
    data = blob[8 + header_length:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    expected_begin = 0
    for name, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"]):
        begin, end = entry["data_offsets"]
        if begin != expected_begin:
            sys.exit(f"{name}: begins at {begin}, expected {expected_begin}")
        expected_begin = end
        value_type, bits_type = DTYPES[entry["dtype"]]
        array = np.frombuffer(data[begin:end], dtype=value_type).reshape(entry["shape"])
        shown = array.view(bits_type) if bits_type else array
        tensors[name] = {"dtype": entry["dtype"], "shape": list(array.shape),
                         "values": [int(v) for v in shown.reshape(-1)]}
    if expected_begin != len(data):
        sys.exit(f"tensors cover {expected_begin} of {len(data)} data bytes")
    if (8 + header_length) % 8 != 0:
        sys.exit(f"data starts at byte {8 + header_length}, not 8-byte aligned")
    json.dump({"metadata": metadata, "tensors": tensors}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
