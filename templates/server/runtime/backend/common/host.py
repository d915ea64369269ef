"""Facts of the host the stub runs on, as the broker reads them."""

from __future__ import annotations


def memory() -> tuple[int, int]:
    """The host's (total, used) memory in bytes; (0, 0) off Linux, like the broker."""
    info: dict[str, int] = {}
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                key, _, rest = line.partition(":")
                info[key] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        return 0, 0
    total = info.get("MemTotal", 0)
    return total, total - info.get("MemAvailable", total)
