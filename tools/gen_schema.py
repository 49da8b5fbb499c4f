#!/usr/bin/env python3
"""Regenerate kalint/model/keywords_data.py from the keyword fact sheet.

The fact sheet (``reference/keywords.json`` in the shared material) lists every keyword
path of keepalived 2.2.7 … 2.3.4 with the facts read from keepalived's parsers. kalint
keeps its own compact form: one tuple per path with the argument counts worked out from
the synopsis, the value type reduced to what kalint checks, the duplicate policy read
from each handler (``DUPLICATES`` below, checked against the v2.2.7 source), and a
one-sentence doc string.

Usage: python3 tools/gen_schema.py [KEYWORDS_JSON] > kalint/model/keywords_data.py
"""

from __future__ import annotations

import json
import os
import pprint
import re
import sys

# Value types kalint checks, from the fact sheet's types.
TYPES = {
    "none": "none", "bool_flag": "bool", "uint": "int", "int": "int", "float": "decimal",
    "port": "int", "ip": "ip", "enum": "enum", "name": "word", "string": "word",
    "path": "word", "script": "script", "mixed": "any",
}

# Which value keepalived keeps when a single-valued keyword is given twice in one block
# (default "last": the handler simply stores again). Read from the handlers of v2.2.7:
# "first" = the handler says "already specified - ignoring" (or silently returns);
# "master" = vrrp_state_handler: MASTER wins whatever the order, an invalid word resets
# to BACKUP; "unset1"/"unset0" = track_file / vrrp_track_process weight: the first value
# is kept unless it was the default (1 / 0) or invalid.
FIRST_NAMES = {
    "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify_deleted",
    "notify_master_rx_lower_pri", "notify_up", "notify_down", "quorum_up", "quorum_down",
    "startup_script", "shutdown_script", "notify_fifo", "notify_fifo_script", "vrrp_notify_fifo",
    "vrrp_notify_fifo_script", "lvs_notify_fifo", "lvs_notify_fifo_script",
}
FIRST_PATHS = {
    "net_namespace", "net_namespace_ipvs", "instance", "global_defs.lvs_sync_daemon",
    "global_defs.vrrp_iptables", "global_defs.nftables", "global_defs.nftables_ipvs",
    "global_defs.snmp_socket", "global_defs.vmac_prefix", "global_defs.vmac_addr_prefix",
    "global_defs.config_copy_directory", "vrrp_instance.lvs_sync_daemon_interface",
    "vrrp_instance.vrf", "vrrp_track_process.process", "track_file.file", "vrrp_track_file.file",
    "track_group.group", "vrrp_sync_group.group",
}
SPECIAL_DUPLICATES = {
    "vrrp_instance.state": "master",
    "track_file.weight": "unset1",
    "vrrp_track_file.weight": "unset1",
    "vrrp_track_process.weight": "unset0",
}

# Deprecations the fact sheet records only in its notes: path -> replacement advice.
EXTRA_DEPRECATED = {
    "vrrp_track_file": "track_file",
    "vrrp_instance.linkbeat_use_polling": "a root `linkbeat_interfaces { ... }` block",
    "vrrp_instance.lvs_sync_daemon_interface": "`lvs_sync_daemon` in global_defs",
    "vrrp_sync_group.global_tracking": "track_interface/track_script/track_file on the sync group",
    "virtual_server.real_server.SMTP_CHECK.host": "one SMTP_CHECK block per host",
}

_TOKEN = re.compile(r"<[^>]*>|\[|\]|\.\.\.|\||\{|\}|[^\s\[\]<>|{}]+")
_RANGE = re.compile(r"(-?\d+)\.\.(-?\d+)")


def arg_counts(synopsis: str) -> tuple[int, int | None]:
    """(fewest, most) words after the keyword from a synopsis like ``<a> [<b> [<c>]]``.

    ``a|b`` separates alternatives, ``[...]`` is optional, ``...`` repeats (no maximum).
    """
    if "{" in synopsis:  # list blocks: only the words before the brace are arguments
        synopsis = synopsis.split("{", 1)[0]
    tokens = _TOKEN.findall(synopsis)
    required, most, _ = _sequence(tokens, 0)
    return required, most


def _sequence(tokens: list[str], i: int) -> tuple[int, int | None, int]:
    """Counts for tokens[i:] up to a closing ``]``: min over alternatives, max over them."""
    alternatives: list[tuple[int, int | None]] = []
    required, most = 0, 0
    while i < len(tokens) and tokens[i] != "]":
        tok = tokens[i]
        i += 1
        if tok == "|":
            alternatives.append((required, most))
            required, most = 0, 0
        elif tok == "[":
            _, inner, i = _sequence(tokens, i)
            i += 1  # the "]"
            most = None if most is None or inner is None else most + inner
        elif tok == "...":
            most = None
        else:
            required += 1
            most = None if most is None else most + 1
    alternatives.append((required, most))
    fewest = min(r for r, _ in alternatives)
    maxima = [m for _, m in alternatives]
    return fewest, None if None in maxima else max(maxima), i


def first_sentence(note: str) -> str:
    m = re.match(r"(.+?[.!?])(\s|$)", note)
    return (m.group(1) if m else note).strip()


def convert(entry: dict) -> tuple:
    path = entry["path"]
    name = path.rsplit(".", 1)[-1]
    kind = {"statement": "S", "block": "B", "list_block": "L"}[entry["kind"]]
    vtype = TYPES[entry["type"]]
    lo, hi = entry.get("min"), entry.get("max")
    if vtype == "int" and (lo is None or hi is None):
        m = _RANGE.search(entry["args"])
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
    if entry["type"] == "mixed" or entry["kind"] != "statement":
        lo = hi = None  # ranges of composite values are not checked per word
    enum = tuple(entry.get("enum") or ()) if vtype in ("enum", "bool") else ()
    nmin, nmax = arg_counts(entry["args"])
    if vtype in ("any", "script"):
        nmax = None  # composite syntax / `<user> <group>` handled by their own rules
    flags = ""
    if entry["repeatable"]:
        flags += "r"
    if enum and not entry.get("case_sensitive", True):
        flags += "i"
    since = entry["since"].removeprefix("<=")
    deprecated = None
    if "deprecated" in entry:
        alias = entry.get("alias_of")
        deprecated = alias.rsplit(".", 1)[-1] if alias else entry["deprecated"].rsplit("use ", 1)[-1]
    deprecated = EXTRA_DEPRECATED.get(path, deprecated)
    if path in SPECIAL_DUPLICATES:
        dup = SPECIAL_DUPLICATES[path]
    elif path in FIRST_PATHS or name in FIRST_NAMES:
        dup = "first"
    else:
        dup = "last"
    doc = first_sentence(entry.get("note", ""))
    return (path, kind, entry["args"], vtype, lo, hi, enum, nmin, nmax, flags, since,
            entry.get("alias_of"), deprecated, dup, doc)


HEADER = '''"""keepalived's keywords as data (generated by tools/gen_schema.py; edit that, not this).

One tuple per keyword path, in the field order of ``FIELDS``; ``kalint.model.schema`` turns
them into ``KeywordSpec`` objects. kind: S statement, B block, L list block (its lines
are entries, not keywords). flags: r repeatable, i enum compared case-insensitively.
"""

# fmt: off
'''


def main(argv: list[str]) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(os.environ.get("KALINT_SHARED", os.path.join(here, "..", "..", "shared")),
                           "reference", "keywords.json")
    with open(argv[1] if len(argv) > 1 else default, encoding="utf-8") as fh:
        sheet = json.load(fh)
    rows = [convert(e) for e in sheet["keywords"]]
    out = [HEADER]
    out.append(f"VERSIONS = {tuple(sheet['versions'])!r}\n\n")
    out.append('FIELDS = ("path", "kind", "synopsis", "type", "min", "max", "enum", "nargs_min", '
               '"nargs_max", "flags", "since", "alias_of", "deprecated", "duplicate", "doc")\n\n')
    out.append("KEYWORDS = (\n")
    for row in rows:
        out.append("    " + pprint.pformat(row, width=10_000, compact=True) + ",\n")
    out.append(")\n")
    sys.stdout.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
