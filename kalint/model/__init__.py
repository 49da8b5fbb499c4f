"""Stage 3, tree to model: the objects keepalived builds, each value with its node.

(``kalint.model.schema`` holds what keepalived's parsers accept, keyword by keyword.)

The model reads the tree the way keepalived's handlers read it (the first or last of a
repeated keyword, per-entry weights in ``track_script``), without judging it: rules do
the judging, and they point at the nodes kept here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import lru_cache, partial, update_wrapper
from typing import Any, Generic, TypeVar

from kalint.records import dataclass, field
from kalint.runtime.addresses import address_int
from kalint.syntax.tree import Block, Document, Statement, Word
from kalint.text.expand import Expansion, IncludeRecord

T = TypeVar("T")
A = TypeVar("A")


@dataclass(slots=True)
class Setting(Generic[T]):
    """A keyword's value and the statement it came from."""

    value: T
    node: Statement

    @property
    def word(self) -> Word:
        """The first argument, or the keyword itself when there is none."""
        return self.node.words[1] if len(self.node.texts) > 1 else self.node.words[0]


@dataclass(slots=True)
class TrackRef:
    """One entry of a ``track_*`` block: ``name [weight N [reverse|noreverse]]``."""

    name: str
    node: Statement
    weight: int | None = None
    reverse: bool | None = None

    @property
    def word(self) -> Word:
        return self.node.words[0]


@dataclass(slots=True)
class VrrpScript:
    """A `vrrp_script` block."""

    name: str
    node: Block
    script: Setting[str] | None = None
    interval: Setting[float] | None = None
    timeout: Setting[float] | None = None
    weight: Setting[int] | None = None
    reverse: bool = False
    rise: Setting[int] | None = None
    fall: Setting[int] | None = None
    user: Setting[str] | None = None
    init_fail: Statement | None = None


@dataclass(slots=True)
class Tracker:
    """A named ``vrrp_track_process``, ``track_file`` or ``bfd_instance`` definition."""

    kind: str
    name: str
    node: Block
    weight: Setting[int] | None = None
    reverse: bool = False


@dataclass(slots=True)
class Address:
    """An address entry of a list block (``virtual_ipaddress``, ``unicast_peer``)."""

    address: str
    prefix: int | None
    node: Statement

    @property
    def word(self) -> Word:
        return self.node.words[0]


@dataclass(slots=True)
class VrrpInstance:
    """A `vrrp_instance` block: the values keepalived reads, each with its statement."""

    name: str
    node: Block
    state: Setting[str] | None = None
    interface: Setting[str] | None = None
    virtual_router_id: Setting[int] | None = None
    priority: Setting[int] | None = None
    #: A `priority` line was given, even one whose value is not a number.
    priority_given: bool = False
    advert_int: Setting[float] | None = None
    version: Setting[int] | None = None
    auth_type: Setting[str] | None = None
    auth_pass: Setting[str] | None = None
    authentication: Block | None = None
    virtual_ipaddress: Sequence[Address] = ()
    virtual_ipaddress_excluded: Sequence[Address] = ()
    track_script: Sequence[TrackRef] = ()
    track_interface: Sequence[TrackRef] = ()
    track_file: Sequence[TrackRef] = ()
    track_process: Sequence[TrackRef] = ()
    track_bfd: Sequence[TrackRef] = ()
    unicast_src_ip: Setting[str] | None = None
    unicast_peer: Sequence[Address] = ()
    mcast_src_ip: Setting[str] | None = None
    mcast_dst_ip: Setting[str] | None = None
    nopreempt: Statement | None = None
    preempt_delay: Setting[float] | None = None
    strict_mode: Statement | None = None
    dont_track_primary: Statement | None = None
    accept: Statement | None = None
    notify: dict[str, Setting[str]] = field(default_factory=dict)
    #: The statement whose word ``family_index`` fixed the instance's address family
    #: (keepalived takes the first address among the source, peers, multicast group and
    #: VIPs, in file order): kept as the statement, and the word made only when asked for
    #: (``family_word``), since the word nodes of a VIP line are 400 bytes per instance.
    family_node: Statement | None = None
    family_index: int = 0
    #: 4 or 6; keepalived's default without any address is IPv4.
    family: int = 4

    @property
    def family_word(self) -> Word | None:
        return self.family_node.words[self.family_index] if self.family_node is not None else None


@dataclass(slots=True)
class SyncGroup:
    """A `vrrp_sync_group` block."""

    name: str
    node: Block
    members: list[Word] = field(default_factory=list)
    track_script: Sequence[TrackRef] = ()
    track_interface: Sequence[TrackRef] = ()
    track_file: Sequence[TrackRef] = ()
    track_process: Sequence[TrackRef] = ()
    track_bfd: Sequence[TrackRef] = ()
    sync_group_tracking_weight: Statement | None = None
    notify: dict[str, Setting[str]] = field(default_factory=dict)


@dataclass(slots=True)
class RealServer:
    """A `real_server` of a virtual server."""

    address: str
    port: str | None
    node: Block | Statement
    weight: Setting[int] | None = None
    checkers: Sequence[Block] = ()
    delay_loop: Setting[float] | None = None
    connect_timeout: Setting[float] | None = None


@dataclass(slots=True)
class VirtualServer:
    """``virtual_server IP PORT``, ``virtual_server fwmark N`` or ``virtual_server group NAME``."""

    key: tuple[str, ...]
    node: Block
    protocol: Setting[str] | None = None
    lb_algo: Setting[str] | None = None
    lb_kind: Setting[str] | None = None
    delay_loop: Setting[float] | None = None
    connect_timeout: Setting[float] | None = None
    real_servers: list[RealServer] = field(default_factory=list)
    sorry_server: Statement | None = None
    checkers: list[Block] = field(default_factory=list)

    @property
    def group(self) -> str | None:
        """The ``virtual_server_group`` name for ``virtual_server group NAME``."""
        return self.key[1] if len(self.key) > 1 and self.key[0] == "group" else None


@dataclass(slots=True)
class GlobalDefs:
    """The `global_defs` block: the last value of each keyword."""

    node: Block | None = None
    settings: dict[str, Statement] = field(default_factory=dict)

    def get(self, keyword: str) -> Statement | None:
        return self.settings.get(keyword)

    def has(self, keyword: str) -> bool:
        return keyword in self.settings

    def text(self, keyword: str) -> str | None:
        """The first argument of a global setting, if it is given with one."""
        stmt = self.settings.get(keyword)
        return stmt.texts[1] if stmt is not None and len(stmt.texts) > 1 else None


class Analysis(Generic[A]):
    """A function of a config that several rules read, computed once per config
    (``Config.analysis``): decorate the function, call the result with the config.

    Rules name the analyses they read (``Rule.analyses``), so that the engine forgets
    each one once the last rule reading it is done: the placement replay, the route walks
    and the LVS services of a 100 MB config are over 100 MB each, and need not all be
    alive at once.
    """

    def __init__(self, compute: Callable[[Config], A]) -> None:
        update_wrapper(self, compute)
        self.compute = compute

    def __call__(self, config: Config) -> A:
        return config.analysis(self.compute)


@dataclass(slots=True)
class Config:
    """Everything one config (a main file and what it includes) defines."""

    document: Document
    global_defs: GlobalDefs = field(default_factory=GlobalDefs)
    vrrp_scripts: list[VrrpScript] = field(default_factory=list)
    vrrp_instances: list[VrrpInstance] = field(default_factory=list)
    sync_groups: list[SyncGroup] = field(default_factory=list)
    virtual_servers: list[VirtualServer] = field(default_factory=list)
    virtual_server_groups: list[Block] = field(default_factory=list)
    trackers: list[Tracker] = field(default_factory=list)
    #: ``FILE_CHECK { track_file NAME }`` and ``BFD_CHECK { name NAME }`` references,
    #: as (tracker kind, the word naming it).
    checker_tracker_refs: list[tuple[str, Word]] = field(default_factory=list)
    config_id: str | None = None
    #: The keepalived release the config targets (``--target-version``); None: newest.
    target_version: str | None = None
    #: Analyses computed once and shared by every rule that asks (``analysis``).
    _analyses: dict[Callable[[Config], Any], Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def path(self) -> str:
        return self.document.path

    def analysis(self, compute: Callable[[Config], A]) -> A:
        """``compute(self)``, computed on first use and kept while the config lives.

        Analyses several rules need (the runtime model, the placement replay) are
        functions of the config; each rule asks for the one it needs by naming the
        function, and the first one pays. Nothing is cached across configs.
        """
        try:
            return self._analyses[compute]
        except KeyError:
            result = self._analyses[compute] = compute(self)
            return result

    def keep_analyses(self, kept: Collection[Callable[[Config], Any]]) -> None:
        """Forget every analysis but ``kept``: once the config rules are done, what only
        they read (the placement replay, the LVS services, the route walks: about an
        eighth of the peak memory on a large config) need not stay to the end."""
        self.forget([c for c in self._analyses if c not in kept])

    def forget(self, computes: Iterable[Callable[[Config], Any]]) -> None:
        """Drop the analyses of ``computes`` (asked again, one is computed again)."""
        for compute in computes:
            self._analyses.pop(compute, None)

    @property
    def expansion(self) -> Expansion:
        return self.document.expansion

    @property
    def includes(self) -> list[IncludeRecord]:
        return self.expansion.includes

    def script(self, name: str) -> VrrpScript | None:
        return next((s for s in self.vrrp_scripts if s.name == name), None)

    def instance(self, name: str) -> VrrpInstance | None:
        return next((i for i in self.vrrp_instances if i.name == name), None)

    def sync_group_index(self) -> dict[str, SyncGroup]:
        """Instance name -> the first sync group listing it (keepalived ignores later ones)."""
        index: dict[str, SyncGroup] = {}
        for group in self.sync_groups:
            for member in group.members:
                index.setdefault(member.text, group)
        return index

    def trackers_of(self, kind: str) -> list[Tracker]:
        return [t for t in self.trackers if t.kind == kind]

    def track_owners(self) -> list[VrrpInstance | SyncGroup]:
        """The blocks that hold ``track_*`` entries: instances, then sync groups."""
        return [*self.vrrp_instances, *self.sync_groups]

    def all_track_script_refs(self) -> Iterator[tuple[VrrpInstance | SyncGroup, TrackRef]]:
        for owner in self.track_owners():
            for ref in owner.track_script:
                yield owner, ref


# -- building -----------------------------------------------------------------------------

_TRACK_BLOCKS = ("track_script", "track_interface", "track_file", "track_process", "track_bfd")
_NOTIFY = (
    "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop",
    "notify_deleted", "notify_master_rx_lower_pri",
)
#: Root keywords that define the named trackers instances refer to.
TRACKER_DEFINITIONS = {
    "vrrp_track_file": "track_file",
    "track_file": "track_file",
    "vrrp_track_process": "track_process",
    "bfd_instance": "track_bfd",
}


def to_int(text: str) -> int | None:
    try:
        return int(text, 10)
    except ValueError:
        return None


def to_float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def _setting_int(stmt: Statement) -> Setting[int] | None:
    if len(stmt.texts) < 2:
        return None
    value = to_int(stmt.texts[1])
    return Setting(value, stmt) if value is not None else None


#: The float read from each value text, shared (``_setting_float``): a large config
#: repeats `delay_loop 6` and `connect_timeout 3` for every server, and each float is an
#: object of 24 bytes. Bounded, so distinct texts cost at most this many.
_shared_float = lru_cache(maxsize=4096)(to_float)


def _setting_float(stmt: Statement) -> Setting[float] | None:
    if len(stmt.texts) < 2:
        return None
    value = _shared_float(stmt.texts[1])
    return Setting(value, stmt) if value is not None else None


def _setting_str(stmt: Statement) -> Setting[str] | None:
    if len(stmt.texts) < 2:
        return None
    return Setting(stmt.texts[1], stmt)


def parse_track_ref(stmt: Statement) -> TrackRef:
    """``name [weight N] [reverse|noreverse]`` as the track_* handlers read it."""
    words = list(stmt.texts)
    ref = TrackRef(words[0], stmt)
    i = 1
    while i < len(words):
        if words[i] == "weight" and i + 1 < len(words):
            ref.weight = to_int(words[i + 1])
            i += 2
            continue
        if words[i] == "reverse":
            ref.reverse = True
        elif words[i] == "noreverse":
            ref.reverse = False
        i += 1
    return ref


def address_family(text: str) -> int | None:
    """4 or 6 for an address (with or without ``/prefix``), None when keepalived's
    inet_pton rejects it (an IPv6 `%zone` too, which ``ipaddress`` accepts)."""
    parsed = address_int(text.partition("/")[0])
    return parsed[0] if parsed is not None else None


def parse_address(stmt: Statement) -> Address:
    text = stmt.texts[0]
    address, _, prefix = text.partition("/")
    return Address(address, to_int(prefix) if prefix else None, stmt)


def _list_entries(block: Block) -> Iterator[Statement]:
    """Entries of a list block: every non-empty statement inside (nested blocks too)."""
    for child in block.children:
        if child.texts:
            yield child


def _block_name(block: Block) -> str:
    return block.texts[1] if len(block.texts) > 1 else ""


#: Objects built from top-level blocks, by the block's identity (with the block, so that
#: the identity stays its own): ``build`` reads and refills one.
Built = dict[int, tuple[Block, Any]]


def build(document: Document, config_id: str | None = None, built: Built | None = None) -> Config:
    """The model of ``document``. With ``built`` (what earlier builds left there), the
    object of a block built before is that object again (each is a function of its
    block's nodes alone and nothing changes it once built); ``built`` is then left
    holding this build's blocks. The language server's analyses share the nodes of the
    blocks an edit did not touch (``kalint.incremental``)."""
    config = Config(document=document, config_id=config_id)
    fresh: Built = {}

    def part(item: Block, make: Callable[[Block], T]) -> T:
        if built is None:
            return make(item)
        found = built.get(id(item))
        if found is None or found[0] is not item:
            found = (item, make(item))
        fresh[id(item)] = found
        return found[1]

    for item in document.items:
        if not isinstance(item, Block):
            continue
        keyword = item.keyword
        if keyword == "global_defs":
            _build_global_defs(config, item)
        elif keyword == "vrrp_script":
            config.vrrp_scripts.append(part(item, _build_script))
        elif keyword == "vrrp_instance":
            config.vrrp_instances.append(part(item, _build_instance))
        elif keyword == "vrrp_sync_group":
            config.sync_groups.append(part(item, _build_sync_group))
        elif keyword == "virtual_server":
            config.virtual_servers.append(part(item, _build_virtual_server))
        elif keyword == "virtual_server_group":
            config.virtual_server_groups.append(item)
        elif keyword in TRACKER_DEFINITIONS:
            config.trackers.append(part(item, partial(_build_tracker, TRACKER_DEFINITIONS[keyword])))
    _collect_checker_refs(config)
    if built is not None:
        built.clear()
        built.update(fresh)
    return config


def _build_global_defs(config: Config, block: Block) -> None:
    defs = config.global_defs
    if defs.node is None:
        defs.node = block
    for child in block.children:
        if child.texts:
            defs.settings[child.keyword] = child


def _build_script(block: Block) -> VrrpScript:
    script = VrrpScript(_block_name(block), block)
    for child in block.children:
        keyword = child.keyword
        if keyword == "script" and script.script is None:
            script.script = _setting_str(child)
        elif keyword == "interval":
            script.interval = _setting_float(child) or script.interval
        elif keyword == "timeout":
            script.timeout = _setting_float(child) or script.timeout
        elif keyword == "weight":
            script.weight = _setting_int(child) or script.weight
            script.reverse = len(child.texts) > 2 and child.texts[2] == "reverse"
        elif keyword == "rise":
            script.rise = _setting_int(child) or script.rise
        elif keyword == "fall":
            script.fall = _setting_int(child) or script.fall
        elif keyword == "user":
            script.user = _setting_str(child)
        elif keyword == "init_fail":
            script.init_fail = child
    return script


def _build_tracker(kind: str, block: Block) -> Tracker:
    tracker = Tracker(kind, _block_name(block), block)
    for child in block.children:
        if child.keyword == "weight":
            tracker.weight = _setting_int(child) or tracker.weight
            tracker.reverse = len(child.texts) > 2 and child.texts[2] == "reverse"
    return tracker


def _add_track_block(owner: VrrpInstance | SyncGroup, child: Block) -> None:
    _add_entries(owner, child.keyword, [parse_track_ref(entry) for entry in _list_entries(child)])


def _add_entries(owner: object, name: str, entries: list[Any]) -> None:
    """Append to one of the entry lists of an instance or sync group (``track_script``,
    ``virtual_ipaddress``...). Each starts as the shared empty tuple: an instance has eight,
    most of them empty, and an empty list is 56 bytes."""
    setattr(owner, name, [*getattr(owner, name), *entries])


def _build_instance(block: Block) -> VrrpInstance:  # noqa: C901 (a flat dispatch on the keyword)
    inst = VrrpInstance(_block_name(block), block)
    for child in block.children:
        keyword = child.keyword
        if isinstance(child, Block) and keyword in _TRACK_BLOCKS:
            _add_track_block(inst, child)
        elif keyword == "state":
            # vrrp_parser.c: MASTER wins whatever the order of repeated `state` lines.
            if inst.state is None or inst.state.value != "MASTER":
                inst.state = _setting_str(child) or inst.state
        elif keyword == "interface":
            inst.interface = _setting_str(child)
        elif keyword == "virtual_router_id":
            inst.virtual_router_id = _setting_int(child)
        elif keyword == "priority":
            inst.priority = _setting_int(child)
            inst.priority_given = True
        elif keyword == "advert_int":
            inst.advert_int = _setting_float(child)
        elif keyword == "version":
            inst.version = _setting_int(child)
        elif keyword == "authentication" and isinstance(child, Block):
            inst.authentication = child
            for entry in child.children:
                if entry.keyword == "auth_type":
                    inst.auth_type = _setting_str(entry)
                elif entry.keyword == "auth_pass":
                    inst.auth_pass = _setting_str(entry)
        elif keyword in ("virtual_ipaddress", "virtual_ipaddress_excluded", "unicast_peer") and isinstance(child, Block):
            addresses = [parse_address(e) for e in _list_entries(child)]
            _add_entries(inst, keyword, addresses)
            if keyword != "virtual_ipaddress_excluded":
                for address in addresses:
                    _fix_family(inst, address.node, 0)
        elif keyword in ("unicast_src_ip", "mcast_src_ip", "mcast_dst_ip"):
            setattr(inst, keyword, _setting_str(child))
            if len(child.texts) > 1:
                _fix_family(inst, child, 1)
        elif keyword == "native_ipv6" and inst.family_node is None:
            inst.family, inst.family_node = 6, child
        elif keyword == "nopreempt":
            inst.nopreempt = child
        elif keyword == "preempt_delay":
            inst.preempt_delay = _setting_float(child)
        elif keyword == "strict_mode":
            inst.strict_mode = child
        elif keyword == "dont_track_primary":
            inst.dont_track_primary = child
        elif keyword == "accept":
            inst.accept = child
        elif keyword in _NOTIFY and keyword not in inst.notify:
            setting = _setting_str(child)
            if setting is not None:
                inst.notify[keyword] = setting
    return inst


def _fix_family(inst: VrrpInstance, stmt: Statement, at: int) -> None:
    """The first address of an instance (``stmt``'s word ``at``) sets its family
    (vrrp_parser.c, vrrp_data.c)."""
    if inst.family_node is None:
        family = address_family(stmt.texts[at])
        if family is not None:
            inst.family, inst.family_node, inst.family_index = family, stmt, at


def _build_sync_group(block: Block) -> SyncGroup:
    group = SyncGroup(_block_name(block), block)
    for child in block.children:
        keyword = child.keyword
        if keyword == "group" and isinstance(child, Block):
            for entry in child.children:
                group.members.extend(entry.words)
        elif isinstance(child, Block) and keyword in _TRACK_BLOCKS:
            _add_track_block(group, child)
        elif keyword in ("sync_group_tracking_weight", "global_tracking"):
            group.sync_group_tracking_weight = child
        elif keyword in _NOTIFY and keyword not in group.notify:
            setting = _setting_str(child)
            if setting is not None:
                group.notify[keyword] = setting
    return group


def _build_virtual_server(block: Block) -> VirtualServer:
    vs = VirtualServer(tuple(block.texts[1:]), block)
    for child in block.children:
        keyword = child.keyword
        if keyword == "protocol":
            vs.protocol = _setting_str(child)
        elif keyword == "lb_algo":
            vs.lb_algo = _setting_str(child)
        elif keyword == "lb_kind":
            vs.lb_kind = _setting_str(child)
        elif keyword == "delay_loop":
            vs.delay_loop = _setting_float(child)
        elif keyword == "connect_timeout":
            vs.connect_timeout = _setting_float(child)
        elif keyword == "sorry_server":
            vs.sorry_server = child
        elif keyword == "real_server":
            vs.real_servers.append(_build_real_server(child))
    return vs


#: Checker keywords whose body names a tracker definition, and the naming keyword.
_CHECKER_TRACKER_REFS = {"FILE_CHECK": ("track_file", "track_file"), "BFD_CHECK": ("name", "track_bfd")}


def _build_real_server(node: Statement) -> RealServer:
    words = node.texts[1:]
    real = RealServer(words[0] if words else "", words[1] if len(words) > 1 else None, node)
    if isinstance(node, Block):
        checkers = []
        for child in node.children:
            if child.keyword == "weight":
                real.weight = _setting_int(child)
            elif child.keyword == "delay_loop":
                real.delay_loop = _setting_float(child)
            elif child.keyword == "connect_timeout":
                real.connect_timeout = _setting_float(child)
            elif isinstance(child, Block) and (child.keyword.endswith("_CHECK") or child.keyword in ("HTTP_GET", "SSL_GET")):
                checkers.append(child)
        real.checkers = tuple(checkers)  # exactly sized: a large config has four servers an instance
    return real


def _collect_checker_refs(config: Config) -> None:
    for vs in config.virtual_servers:
        for real in vs.real_servers:
            for checker in real.checkers:
                naming = _CHECKER_TRACKER_REFS.get(checker.keyword)
                if naming is None:
                    continue
                for stmt in checker.find(naming[0]):
                    if len(stmt.texts) > 1:
                        config.checker_tracker_refs.append((naming[1], stmt.words[1]))
