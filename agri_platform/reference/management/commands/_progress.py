"""A small text progress bar for import commands (no extra dependency)."""

import sys


class ProgressBar:
    def __init__(self, stream=None, width: int = 30, label: str = "rows"):
        self.stream = stream or sys.stderr
        self.width = width
        self.label = label

    def __call__(self, done: int, total: int) -> None:
        total = max(total, 1)
        filled = int(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r[{bar}] {100 * done // total:3d}% {done}/{total} {self.label}{end}")
        self.stream.flush()
