"""Which files a PATH argument means: a file, ``-`` (stdin) or a directory to search."""

from __future__ import annotations

import os
import re

from kalint.text.source import SourceError, read_regular

_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"})
#: A config's name, or a template's (``vrrp_instance.conf.erb``, ``ha.j2``): kalint reads templates.
_CONFIG_NAME = re.compile(r"(?:\.conf|\.cfg)$|keepalived|\.(?:j2|jinja2?|erb|epp|tmpl|gotmpl|tpl)$", re.IGNORECASE)
#: A top-level block keyword keepalived knows, at the start of a line.
_CONFIG_CONTENT = re.compile(
    rb"(?m)^[ \t]*(?:@\^?\S+[ \t]+)?(?:global_defs|vrrp_instance|vrrp_script|vrrp_sync_group|virtual_server"
    rb"|virtual_server_group|static_ipaddress|static_routes|vrrp_track_process|vrrp_track_file|bfd_instance)\b"
)
_SNIFF = 65536


def looks_like_config(path: str) -> bool:
    """A file in a searched directory counts when its name and its text say keepalived."""
    if not _CONFIG_NAME.search(os.path.basename(path)):
        return False
    try:
        head = read_regular(path, _SNIFF)
    except (OSError, SourceError):
        return False
    return bool(_CONFIG_CONTENT.search(head))


def find_configs(directory: str) -> list[str]:
    """keepalived configs under ``directory``, sorted, skipping VCS and virtualenv folders."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            path = os.path.join(root, name)
            if os.path.isfile(path) and looks_like_config(path):
                found.append(path)
    return found
