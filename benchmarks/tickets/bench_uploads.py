"""What checking one uploaded file costs (`niangjia.tickets.uploads.check_file`): time and peak memory.

    .venv/bin/python benchmarks/tickets/bench_uploads.py [--repeat 3]

Each case runs in a fresh process; the peak is the resident memory the check adds (Linux `VmHWM`, reset before
each run):
a 12-megapixel phone photo with GPS EXIF, a 40-megapixel JPEG and PNG (the pixel limit), a 48-megapixel
photo (refused before decoding), a 1 KB PNG declaring 10^10 pixels, a zip named .jpg, and an 8 MB PDF.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _photo(width: int, height: int, fmt: str, *, gps: bool = False) -> bytes:
    from PIL import Image

    noise = Image.effect_noise((width, height), 8).convert("L")
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    out = io.BytesIO()
    extra: dict[str, Any] = {}
    if gps:
        exif = Image.Exif()
        exif[0x0110] = "iPhone 15 Pro"
        exif[0x8825] = {1: "N", 2: (34.0, 16.0, 30.0), 3: "E", 4: (108.0, 56.0, 10.0)}
        extra["exif"] = exif.tobytes()
    image.save(out, fmt, **({"quality": 70} if fmt == "JPEG" else {"compress_level": 1}), **extra)
    return out.getvalue()


def _cases() -> dict[str, bytes]:
    from niangjia.tickets.tests.files import png_declaring, zip_file

    flat = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (8000, 5000), "white").save(flat, "PNG")
    return {
        "12 MP JPEG, GPS EXIF": _photo(4000, 3000, "JPEG", gps=True),
        "40 MP JPEG (the limit)": _photo(8000, 5000, "JPEG"),
        "40 MP PNG, flat (the limit)": flat.getvalue(),
        "48 MP JPEG (refused)": _photo(8000, 6000, "JPEG"),
        "9 MB file (refused)": b"\xff\xd8\xff" + b"\0" * (9 * 1024 * 1024),
        "PNG declaring 10^10 px": png_declaring(100_000, 100_000),
        "zip named .jpg": zip_file(),
        "8 MB PDF": b"%PDF-1.7\n" + b"0" * (8 * 1024 * 1024 - 16),
    }


def _measure(data: bytes, repeat: int, queue: Any) -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError

    from niangjia.tickets.uploads import check_file

    times, answer, peaks = [], "", []
    for _ in range(repeat):
        base = _reset_peak()
        started = time.perf_counter()
        try:
            checked = check_file(data)
            answer = f"stored {len(checked.content) // 1024} KB {checked.width}×{checked.height}"
        except ValidationError as exc:
            answer = "refused: " + exc.messages[0][:24]
        times.append(time.perf_counter() - started)
        peaks.append(_status("VmHWM") - base)
    queue.put((statistics.median(times), max(peaks) / 1024, answer))


def _status(field: str) -> int:
    """A line of /proc/self/status, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> int:
    """Reset the peak resident size to the current one (Linux: clear_refs 5); return the current size, kB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    import django

    django.setup()
    context = multiprocessing.get_context("spawn")
    print(f"{'case':<30} {'size':>9} {'median s':>9} {'+peak MB':>8}  answer")
    for name, data in _cases().items():
        queue = context.Queue()
        child = context.Process(target=_measure, args=(data, args.repeat, queue))
        child.start()
        seconds, peak, answer = queue.get()
        child.join()
        print(f"{name:<30} {len(data) / 1024 / 1024:>7.2f}MB {seconds:>9.3f} {peak:>8.0f}  {answer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
