"""Files the upload tests send: photos with and without EXIF, a decompression bomb, a zip, a PDF."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

GPS_IFD = 0x8825


def jpeg(width: int = 640, height: int = 480, *, colour: str = "red", gps: bool = False, orientation: int = 0) -> bytes:
    """A JPEG; with `gps`, EXIF naming the camera and a place in 西安 (and XMP and a comment)."""
    image = Image.new("RGB", (width, height), colour)
    image.paste("blue", (0, 0, width // 2, height // 4))  # so a turn is visible
    exif = Image.Exif()
    extra: dict[str, object] = {}
    if gps:
        exif[0x010F] = "Apple"  # Make
        exif[0x0110] = "iPhone 15 Pro"  # Model
        exif[GPS_IFD] = {1: "N", 2: (34.0, 16.0, 30.0), 3: "E", 4: (108.0, 56.0, 10.0)}
        extra = {"xmp": b"<x:xmpmeta>34.275 108.933</x:xmpmeta>", "comment": b"Xi'an"}
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), **extra)
    return out.getvalue()


def png(width: int = 64, height: int = 48, *, alpha: bool = False) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", (width, height), (0, 128, 0, 0) if alpha else "green")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def webp(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "yellow").save(out, "WEBP")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares `width` × `height` pixels (a decompression bomb's calling card)."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + _chunk(b"IDAT", zlib.compress(b"\0" * 512)) + _chunk(b"IEND", b"")


def zip_file() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "x" * 1000)
    return out.getvalue()


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
