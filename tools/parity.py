#!/usr/bin/env python3
"""keepalived's own configuration messages, as data, and the page that maps them to kalint.

Two subcommands:

``extract`` reads keepalived's source (a git directory and tags, or one unpacked source
tree) and writes ``docs/parity/messages.json``: one entry per distinct (file, function,
message) with the message's format string (adjacent C string literals joined, printf
placeholders kept, a macro between literals such as ``PRIu64`` written ``<PRIu64>``, an
argument that is no literal at all written ``<name>``), the call (``report_config_error``
or ``log_message``), its first argument (the error kind or log priority) and the line
of its first occurrence in each release that has it. CI needs no source tree: the
data is committed.

Which calls are listed:

- every ``report_config_error(`` call inside a function under ``lib/`` or
  ``keepalived/`` (keepalived's own channel for configuration problems);
- the *config-time* ``log_message(`` calls. A call is config-time when the function
  containing it (a) also calls ``report_config_error`` (a function that checks
  configuration), or (b) is a keyword handler, i.e. named as the handler argument of an
  ``install_keyword``/``install_keyword_root``/``install_keyword_quoted``/
  ``install_sublevel_end_handler``/``install_root_end_handler``/``install_level_end_handler``
  call anywhere in the release, or (c) is defined in a ``*_parser.c`` file. Functions a
  handler merely calls are *not* followed: from the handlers, keepalived's call graph
  reaches its run-time code within a few steps (the netlink, socket and scheduler code
  every part shares), so following it would list run-time messages as config messages.
  The price is that a helper that only logs (no ``report_config_error``) and is called
  only from handlers is missed; such helpers are rare since keepalived 2.1 moved config
  messages to ``report_config_error``.

``doc`` writes ``docs/parity.md`` from that data and the hand-kept
``docs/parity/mapping.toml`` (``--check`` only says whether the page is current).

Usage:
  python3 tools/parity.py extract --git-dir KEEPALIVED_GIT [--tags v2.2.7 v2.3.4]
  python3 tools/parity.py extract --source-tree DIR --tag 2.2.7
  python3 tools/parity.py doc [--check]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

from csource import IDENT, c_token_lines, functions, past_close, split_args
from parity_doc import check_doc, write_doc

TAGS = ("v2.2.7", "v2.3.4")
ROOTS = ("lib", "keepalived")
REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
MESSAGES = os.path.join(REPO, "docs", "parity", "messages.json")
CALLS = ("report_config_error", "log_message")
HANDLER_INSTALLS = {"install_keyword": 1, "install_keyword_root": 1, "install_keyword_quoted": 1,
                    "install_sublevel_end_handler": 0, "install_root_end_handler": 0,
                    "install_level_end_handler": 0}


@dataclass(frozen=True)
class Call:
    """One message call found in one release."""

    file: str
    function: str
    call: str
    kind: str
    message: str
    line: int


def format_string(arg: list[str]) -> str:
    """The format argument as text: literals joined, anything else as ``<tokens>``."""
    out: list[str] = []
    pending: list[str] = []
    for tok in arg:
        if tok.startswith('"'):
            if pending:
                out.append(f"<{''.join(pending)}>")
                pending = []
            out.append(tok[1:-1].replace('\\"', '"'))
        else:
            pending.append(tok)
    if pending:
        out.append(f"<{''.join(pending)}>")
    return "".join(out)


def _handlers(files: dict[str, list[str]]) -> set[str]:
    """Names of every function some install call registers as a handler."""
    found: set[str] = set()
    for toks in files.values():
        for i, tok in enumerate(toks[:-1]):
            if tok in HANDLER_INSTALLS and toks[i + 1] == "(":
                args = split_args(toks[i + 2:past_close(toks, i + 1) - 1])
                index = HANDLER_INSTALLS[tok]
                if len(args) > index:
                    found.update(t for t in args[index] if IDENT.fullmatch(t))
    return found


def _calls_in(body: list[str]) -> Iterator[tuple[int, str, list[list[str]]]]:
    for i, tok in enumerate(body[:-1]):
        if tok in CALLS and body[i + 1] == "(" and (i == 0 or body[i - 1] not in (".", "->")):
            yield i, tok, split_args(body[i + 2:past_close(body, i + 1) - 1])


def release_calls(read: Callable[[], dict[str, str]]) -> list[Call]:
    """Every listed call of one release, given its C files' text by path."""
    texts = read()
    tokens: dict[str, tuple[list[str], list[int]]] = {path: c_token_lines(text) for path, text in texts.items()}
    handlers = _handlers({path: toks for path, (toks, _) in tokens.items()})
    found: list[Call] = []
    for path, (toks, lines) in sorted(tokens.items()):
        for name, func in functions(toks, path).items():
            calls = list(_calls_in(func.body))
            config_time = (any(call == "report_config_error" for _, call, _ in calls) or name in handlers
                           or path.endswith("_parser.c"))
            for i, call, args in calls:
                if len(args) < 2 or (call == "log_message" and not config_time):
                    continue
                found.append(Call(path, name, call, "".join(args[0]), format_string(args[1]),
                                  lines[func.start + i]))
    return found


def git_reader(git_dir: str, tag: str) -> Callable[[], dict[str, str]]:
    def read() -> dict[str, str]:
        def git(*args: str) -> str:
            return subprocess.run(["git", "--git-dir", git_dir, *args], capture_output=True, text=True,
                                  errors="replace", check=True).stdout
        paths = [p for p in git("ls-tree", "-r", "--name-only", tag, "--", *ROOTS).split() if p.endswith(".c")]
        return {p: git("show", f"{tag}:{p}") for p in paths}
    return read


def tree_reader(root: str) -> Callable[[], dict[str, str]]:
    def read() -> dict[str, str]:
        texts = {}
        for top in ROOTS:
            for folder, _, names in os.walk(os.path.join(root, top)):
                for name in names:
                    if name.endswith(".c"):
                        path = os.path.join(folder, name)
                        with open(path, encoding="utf-8", errors="replace") as fh:
                            texts[os.path.relpath(path, root).replace(os.sep, "/")] = fh.read()
        return texts
    return read


def message_id(file: str, function: str, message: str) -> str:
    """A short id that stays the same while file, function and message do."""
    return hashlib.sha1(f"{file}\0{function}\0{message}".encode()).hexdigest()[:10]


def merge(per_release: dict[str, list[Call]]) -> list[dict[str, object]]:
    """One entry per (file, function, message), with its first line in each release."""
    entries: dict[tuple[str, str, str], dict[str, object]] = {}
    for version, calls in per_release.items():
        for call in calls:
            key = (call.file, call.function, call.message)
            entry = entries.setdefault(key, {
                "id": message_id(*key), "file": call.file, "function": call.function, "call": call.call,
                "kind": call.kind, "message": call.message, "lines": {}})
            lines = entry["lines"]
            assert isinstance(lines, dict)
            lines[version] = min(lines.get(version, call.line), call.line)
    return [entries[key] for key in sorted(entries)]


def extract(args: argparse.Namespace) -> int:
    if args.source_tree:
        per_release = {args.tag.lstrip("v"): release_calls(tree_reader(args.source_tree))}
    elif args.git_dir:
        per_release = {tag.lstrip("v"): release_calls(git_reader(args.git_dir, tag)) for tag in args.tags}
    else:
        raise SystemExit("parity.py extract: give --git-dir or --source-tree")
    entries = merge(per_release)
    data = {"versions": list(per_release), "messages": entries}
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    counts = {v: len([e for e in entries if v in cast("dict[str, int]", e["lines"])]) for v in per_release}
    print(f"parity: {len(entries)} messages ({', '.join(f'{v}: {n}' for v, n in counts.items())}) -> {args.output}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ext = sub.add_parser("extract", help="read keepalived's source, write docs/parity/messages.json")
    ext.add_argument("--git-dir", help="a keepalived git repository (bare is fine)")
    ext.add_argument("--tags", nargs="+", default=list(TAGS), help="releases to read (with --git-dir)")
    ext.add_argument("--source-tree", help="an unpacked keepalived source tree instead")
    ext.add_argument("--tag", default="unknown", help="the release the source tree is (with --source-tree)")
    ext.add_argument("--output", default=MESSAGES)
    doc = sub.add_parser("doc", help="write docs/parity.md from the data and docs/parity/mapping.toml")
    doc.add_argument("--check", action="store_true", help="only say whether docs/parity.md is current")
    args = parser.parse_args(argv)
    if args.command == "extract":
        return extract(args)
    if args.check:
        problems = check_doc()
        for problem in problems:
            print(f"parity: {problem}", file=sys.stderr)
        return 1 if problems else 0
    write_doc()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
