"""Configuration: ``[tool.kalint]`` in pyproject.toml or a ``.kalint.toml``, plus CLI flags.

Each linted file takes the settings of the nearest configuration file found walking up
from its directory (``.kalint.toml`` before ``pyproject.toml`` in the same directory; a
``pyproject.toml`` without ``[tool.kalint]`` does not count), stopping after the
directory that holds ``.git``. Nothing is merged between levels: nearest wins, as in
ruff. ``--config FILE`` uses one file for everything; ``--isolated`` uses none. CLI flags
are applied on top of whichever file was chosen (``--select`` replaces, ``--ignore`` and
``--extend-select`` add).

Rule selectors are codes (``KA201``), code prefixes (``KA2``, ``KA``), rule names
(``undefined-track-script``) or ``ALL``. When both a select and an ignore selector
match a code, the more specific one wins; on a tie the code is ignored.

tomllib is imported only when a configuration file is actually read.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from kalint.diagnostic import Diagnostic, Severity
from kalint.records import dataclass, field

KALINT_TOML = ".kalint.toml"
PYPROJECT = "pyproject.toml"
KEYS = (
    "select", "ignore", "extend-select", "per-file-ignores", "severity", "target-version", "fail-on", "exclude",
    "peers", "template", "per-file-template", "cache-dir",
)
PEERS_KEYS = ("groups", "independent")
ALL = "ALL"


class SettingsError(Exception):
    """A configuration file or flag kalint cannot use (exit 2)."""


@dataclass(slots=True, frozen=True)
class Settings:
    """The settings of one configuration file (or the defaults), with CLI flags applied."""

    #: The file they came from; None for the defaults.
    path: str | None = None
    #: Directory that ``per-file-ignores`` and ``exclude`` globs are relative to.
    base: str = "."
    select: tuple[str, ...] = (ALL,)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    target_version: str | None = None
    fail_on: Severity | None = None
    exclude: tuple[str, ...] = ()
    #: ``cache-dir``: where ``kalint check`` keeps its result cache (kalint.resultcache).
    cache_dir: str | None = None
    #: ``template``: the template engine of every file ("auto": detect; see docs/templates.md).
    template: str | None = None
    #: ``per-file-template``: (glob, engine) pairs; the first glob matching a file wins.
    per_file_template: tuple[tuple[str, str], ...] = ()
    #: ``[peers] groups``: (name, globs) of configs declared HA peers of each other.
    peer_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: ``[peers] independent``: globs of configs that are nobody's peers.
    independent: tuple[str, ...] = ()

    def peers_of(self, path: str) -> str | None:
        """How ``path``'s peers are chosen: the name of the declared group it is in,
        ``INDEPENDENT``, or None (found automatically). The first matching glob wins."""
        for name, globs in self.peer_groups:
            if any(matches(glob, path, self.base) for glob in globs):
                return name
        if any(matches(glob, path, self.base) for glob in self.independent):
            return INDEPENDENT
        return None


#: ``Settings.peers_of`` for a config that is nobody's peer.
INDEPENDENT = ""


@dataclass(slots=True)
class Overrides:
    """What the command line says; None or empty means "not given"."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_on: Severity | None = None
    exclude: tuple[str, ...] = ()

    def apply(self, settings: Settings) -> Settings:
        return Settings(
            path=settings.path,
            base=settings.base,
            select=self.select if self.select is not None else settings.select,
            ignore=settings.ignore + self.ignore,
            extend_select=settings.extend_select + self.extend_select,
            per_file_ignores=settings.per_file_ignores,
            severity=settings.severity + self.severity,
            target_version=settings.target_version,
            fail_on=self.fail_on or settings.fail_on,
            exclude=settings.exclude + self.exclude,
            peer_groups=settings.peer_groups,
            independent=settings.independent,
            template=settings.template,
            per_file_template=settings.per_file_template,
            cache_dir=settings.cache_dir,
        )


# -- reading files ----------------------------------------------------------------------


#: `[tool.kalint]`, `[tool.kalint.severity]`, `tool.kalint.select = ...` or, under
#: `[tool]`, a `kalint = {...}` key (an inline table is one line): anything else, such as
#: a `kalint = "kalint.cli:entry"` script, has no kalint table to read.
_KALINT_TABLE = re.compile(rb"""tool\s*\.\s*["']?kalint\b|^\s*["']?kalint["']?\s*=\s*\{""", re.MULTILINE)


def _mentions_kalint(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return bool(_KALINT_TABLE.search(handle.read()))
    except OSError:
        return True  # let the parser report it


def _load_toml(path: str) -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: invalid TOML: {exc}") from None


def read_table(path: str) -> dict[str, Any] | None:
    """The kalint table of a file: ``[tool.kalint]`` of a pyproject.toml (None when it has
    none), the whole document otherwise."""
    if os.path.basename(path) == PYPROJECT and not _mentions_kalint(path):
        return None  # most pyproject.toml files are not kalint's: no TOML parser needed
    document = _load_toml(path)
    if os.path.basename(path) != PYPROJECT:
        return document
    tool = document.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("kalint"), dict):
        return tool["kalint"]
    return None


def _closest(word: str, choices: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def _strings(where: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"{where}: expected a list of strings")
    return tuple(value)


def _severity(where: str, value: Any) -> Severity:
    if not isinstance(value, str):
        raise SettingsError(f"{where}: expected \"error\", \"warning\" or \"info\"")
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise SettingsError(f"{where}: {exc}") from None


def _target_version(path: str, value: Any) -> str:
    from kalint.model import schema  # the known releases; only when a file names one

    if not isinstance(value, str):
        raise SettingsError(f"{path}: `target-version` must be a string such as \"2.2.7\"")
    try:
        return schema.known_version(value)
    except ValueError as exc:
        raise SettingsError(f"{path}: `target-version`: {exc}") from None


def _template(where: str, value: Any) -> str:
    from kalint.templates.detect import CHOICES

    if value not in CHOICES:
        raise SettingsError(f"{where} must be one of {', '.join(CHOICES)}")
    return str(value)


def parse_table(table: dict[str, Any], path: str) -> Settings:
    """Validate a kalint table; every problem names the file and the key."""
    for key in table:
        if key not in KEYS:
            hint = _closest(key.replace("_", "-"), KEYS)
            suggestion = f"; did you mean `{hint}`?" if hint else f"; known keys: {', '.join(KEYS)}"
            raise SettingsError(f"{path}: unknown key `{key}`{suggestion}")
    values: dict[str, Any] = {"path": path, "base": os.path.dirname(os.path.abspath(path))}
    for key in ("select", "ignore", "extend-select", "exclude"):
        if key in table:
            values[key.replace("-", "_")] = _strings(f"{path}: `{key}`", table[key])
    for key, shape, convert in (
        ("per-file-ignores", "glob = [codes]", _strings),
        ("severity", 'CODE = "error" | "warning" | "info"', _severity),
        ("per-file-template", 'glob = "engine"', _template),
    ):
        if key in table:
            values[key.replace("-", "_")] = _mapping(path, key, table[key], shape, convert)
    if "target-version" in table:
        values["target_version"] = _target_version(path, table["target-version"])
    if "template" in table:
        values["template"] = _template(f"{path}: `template`", table["template"])
    if "cache-dir" in table:
        if not isinstance(table["cache-dir"], str) or not table["cache-dir"]:
            raise SettingsError(f"{path}: `cache-dir` must be a directory name")
        values["cache_dir"] = os.path.join(values["base"], os.path.expanduser(table["cache-dir"]))
    if "fail-on" in table:
        values["fail_on"] = _severity(f"{path}: `fail-on`", table["fail-on"])
    if "peers" in table:
        values.update(_peers(path, table["peers"]))
    return Settings(**values)


def _mapping(path: str, key: str, mapping: Any, shape: str, convert: Callable[[str, Any], Any]) -> tuple:
    """A table of name = value (``per-file-ignores``, ``severity``, ``per-file-template``),
    each value checked by ``convert``, which names the key in its error."""
    if not isinstance(mapping, dict):
        raise SettingsError(f"{path}: `{key}` must be a table of {shape}")
    return tuple((name, convert(f"{path}: `{key}.{name}`", value)) for name, value in mapping.items())


def _peers(path: str, table: Any) -> dict[str, Any]:
    """``[peers]``: ``groups`` (a table of name = [globs], or a list of glob lists, named
    by position) and ``independent`` (globs)."""
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: `peers` must be a table with `groups` and/or `independent`")
    for key in table:
        if key not in PEERS_KEYS:
            hint = _closest(key, PEERS_KEYS)
            raise SettingsError(f"{path}: unknown key `peers.{key}`" + (f"; did you mean `peers.{hint}`?" if hint else
                                                                        f"; known keys: {', '.join(PEERS_KEYS)}"))
    groups = table.get("groups", {})
    if isinstance(groups, list):
        groups = {str(number): globs for number, globs in enumerate(groups, start=1)}
    if not isinstance(groups, dict):
        raise SettingsError(f"{path}: `peers.groups` must be a table of name = [globs] or a list of glob lists")
    found: dict[str, Any] = {
        "peer_groups": tuple((str(name), _strings(f"{path}: `peers.groups.{name}`", globs))
                             for name, globs in groups.items()),
    }
    if "independent" in table:
        found["independent"] = _strings(f"{path}: `peers.independent`", table["independent"])
    return found


def load_file(path: str) -> Settings:
    """``--config FILE``: a pyproject.toml without ``[tool.kalint]`` means the defaults."""
    table = read_table(path)
    return parse_table(table or {}, path)


# -- selection --------------------------------------------------------------------------


@dataclass(slots=True)
class _Selection:
    """select / ignore / per-file-ignores of one Settings, resolved against the rules."""

    settings: Settings
    names: dict[str, str]
    _enabled: dict[str, bool] = field(default_factory=dict)
    _file_ignores: dict[str, frozenset[str]] = field(default_factory=dict)

    def specificity(self, selector: str, code: str) -> int:
        """How precisely ``selector`` names ``code``: -1 when it does not."""
        if selector == ALL:
            return 0
        if self.names.get(selector) == code:
            return len(code) + 1
        return len(selector) if code.startswith(selector.upper()) else -1

    def _best(self, selectors: Iterable[str], code: str) -> int:
        return max((self.specificity(s, code) for s in selectors), default=-1)

    def enabled(self, code: str) -> bool:
        known = self._enabled.get(code)
        if known is None:
            s = self.settings
            chosen = self._best(s.select + s.extend_select, code)
            known = self._enabled[code] = chosen >= 0 and chosen > self._best(s.ignore, code)
        return known

    def ignored_in(self, path: str, code: str) -> bool:
        ignored = self._file_ignores.get(path)
        if ignored is None:
            ignored = self._file_ignores[path] = self._per_file(path)
        return code in ignored or any(self.specificity(s, code) >= 0 for s in ignored)

    def _per_file(self, path: str) -> frozenset[str]:
        found: set[str] = set()
        for glob, codes in self.settings.per_file_ignores:
            if matches(glob, path, self.settings.base):
                found.update(codes)
        return frozenset(found)


def matches(glob: str, path: str, base: str) -> bool:
    """A glob relative to ``base`` matches a file, a directory above it, or its name."""
    rel = os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
    glob = glob.rstrip("/")
    if fnmatch.fnmatchcase(os.path.basename(path), glob):
        return True
    parts = rel.split("/")
    return any(fnmatch.fnmatchcase("/".join(parts[:i]), glob) for i in range(1, len(parts) + 1))


# -- resolving per file -----------------------------------------------------------------


class Resolver:
    """Settings for each file: discovery, ``--config``, ``--isolated`` and CLI flags."""

    def __init__(
        self,
        overrides: Overrides | None = None,
        config_file: str | None = None,
        isolated: bool = False,
        rule_names: dict[str, str] | None = None,
    ) -> None:
        self.overrides = overrides or Overrides()
        self.rule_names = rule_names or {}
        self._fixed: Settings | None = None
        if isolated:
            self._fixed = self.overrides.apply(Settings(base=os.getcwd()))
        elif config_file is not None:
            self._fixed = self.overrides.apply(load_file(config_file))
        self._by_dir: dict[str, Settings] = {}
        #: (working directory, a path's folder as written) → its settings.
        self._by_folder: dict[tuple[str, str], Settings] = {}
        self._selections: dict[int, _Selection] = {}
        #: (code, path) → (selected, severity override): findings repeat both a lot.
        self._verdicts: dict[tuple[str, str], tuple[bool, Severity | None]] = {}
        if self._fixed is not None:
            self.validate(self._fixed)
        self.validate(self.overrides.apply(Settings()))  # the flags alone: named "command line"

    def for_path(self, path: str) -> Settings:
        if self._fixed is not None:
            return self._fixed
        cwd = os.getcwd()
        key = (cwd, os.path.dirname(path) if path != "<stdin>" else "")
        found = self._by_folder.get(key)  # a run asks for each config's settings several times
        if found is None:
            found = self._by_folder[key] = self._for_dir(os.path.normpath(os.path.join(cwd, key[1])))
        return found

    def _for_dir(self, directory: str) -> Settings:
        found = self._by_dir.get(directory)
        if found is not None:
            return found
        settings: Settings | None = None
        for name in (KALINT_TOML, PYPROJECT):
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                table = read_table(candidate)
                if table is not None:
                    settings = self.overrides.apply(parse_table(table, candidate))
                    self.validate(settings)
                    break
        if settings is None:
            parent = os.path.dirname(directory)
            at_top = parent == directory or os.path.exists(os.path.join(directory, ".git"))
            settings = self.overrides.apply(Settings(base=directory)) if at_top else self._for_dir(parent)
        self._by_dir[directory] = settings
        return settings

    def validate(self, settings: Settings) -> None:
        """Selectors must name a rule, a prefix of one, or ALL (did-you-mean otherwise)."""
        if not self.rule_names:
            return
        codes = set(self.rule_names.values())
        where = settings.path or "command line"
        selectors = [*settings.select, *settings.ignore, *settings.extend_select]
        selectors += [c for _, codes_ in settings.per_file_ignores for c in codes_]
        selectors += [c for c, _ in settings.severity]
        for selector in selectors:
            if selector == ALL or selector in self.rule_names or any(c.startswith(selector.upper()) for c in codes):
                continue
            hint = _suggest_selector(selector, codes, self.rule_names)
            raise SettingsError(
                f"{where}: `{selector}` is no rule code, code prefix or rule name"
                + (f"; did you mean `{hint}`?" if hint else "")
            )

    def selection(self, settings: Settings) -> _Selection:
        selection = self._selections.get(id(settings))
        if selection is None:
            selection = self._selections[id(settings)] = _Selection(settings, self.rule_names)
        return selection

    def enabled(self, code: str, path: str) -> bool:
        """Is ``code`` reported in ``path`` (select, ignore and per-file-ignores)?"""
        selection = self.selection(self.for_path(path))
        return selection.enabled(code) and not selection.ignored_in(path, code)

    def apply(self, diag: Diagnostic) -> Diagnostic | None:
        """The diagnostic with its severity override, or None when it is not selected."""
        key = (diag.code, diag.span.path)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._verdict(*key)
        selected, level = verdict
        if not selected:
            return None
        return diag.with_(severity=level) if level is not None and level != diag.severity else diag

    def _verdict(self, code: str, path: str) -> tuple[bool, Severity | None]:
        if not self.enabled(code, path):
            return False, None
        selection = self.selection(self.for_path(path))
        best, level = 0, None
        for selector, wanted in selection.settings.severity:  # most specific wins, later on a tie
            specificity = selection.specificity(selector, code)
            if specificity >= best:
                best, level = specificity, wanted
        return True, level

    def template(self, path: str) -> str | None:
        """The template engine the settings name for ``path`` (None: detect it)."""
        settings = self.for_path(path)
        for glob, engine in settings.per_file_template:
            if matches(glob, path, settings.base):
                return engine
        return settings.template

    def fail_on(self, path: str) -> Severity:
        return self.for_path(path).fail_on or Severity.WARNING

    def excluded(self, path: str) -> bool:
        settings = self.for_path(path)
        return any(matches(glob, path, settings.base) for glob in settings.exclude)


_LOOKALIKES = str.maketrans("OIL", "011")


def _suggest_selector(selector: str, codes: set[str], names: Iterable[str]) -> str | None:
    """Typed codes go wrong by case and look-alike letters (KA2O1); names by spelling."""
    upper = selector.upper()
    fixed = upper[:2] + upper[2:].translate(_LOOKALIKES)
    if fixed in codes or any(c.startswith(fixed) for c in codes):
        return fixed
    return _closest(selector, [*codes, *names])


def split_codes(values: Iterable[str]) -> tuple[str, ...]:
    """``--select KA1,KA2 --select KA3`` → (KA1, KA2, KA3)."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def parse_severity_overrides(values: Iterable[str]) -> tuple[tuple[str, Severity], ...]:
    """``--severity KA202=error`` pairs."""
    pairs = []
    for value in values:
        code, sep, level = value.partition("=")
        if not sep:
            raise SettingsError(f"--severity {value!r}: expected CODE=error|warning|info")
        try:
            pairs.append((code.strip(), Severity.parse(level.strip())))
        except ValueError as exc:
            raise SettingsError(f"--severity {value!r}: {exc}") from None
    return tuple(pairs)
