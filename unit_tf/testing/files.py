"""Files that exercise the input checks: what a decompression bomb looks like to a header."""

import struct
import zlib


def png_header_only(height, width):
    """A PNG whose header declares height x width RGB pixels, with a token IDAT: what a
    decompression bomb looks like to a header check (decoding it would allocate H*W*3 bytes)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
