"""Single-config semantics: the seed's findings and kalint.runtime's loading and arithmetic."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import require_shared
from kalint.engine import Linter, LintOptions
from kalint.model import Config
from kalint.runtime.loading import Peer, Track, base_priority, load
from kalint.runtime.priority import extremes


def _declared(peer: Peer) -> list[Track]:
    """The trackers kept from the config's entries (not the implicit own interface)."""
    return [t for t in peer.trackers if t.ref is not None]


def _config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "keepalived.conf"
    path.write_text(text)
    result = Linter(LintOptions()).lint_paths([str(path)])
    return result.configs[0].config


def test_seed_single_config_findings() -> None:
    seed = require_shared("seed")
    for name in ("master.conf", "backup.conf"):
        result = Linter(LintOptions()).lint_paths([str(seed / name)])
        codes = Counter(d.code for d in result.diagnostics)
        assert codes["KA201"] == 1  # maintenance_mode is no vrrp_script
        assert codes["KA202"] == 1  # check_test_mode is never tracked
        assert codes["KA307"] == 2  # check_test, check_test_processes: weight 0 means FAULT
        security = [d for d in result.diagnostics if d.code == "KA601"]
        assert len(security) == 1
        assert "no `enable_script_security` and no `script_user`" in security[0].message


SCRIPTS = """
vrrp_script chk {
    script "/usr/bin/true"
    weight -20
}
vrrp_script down {
    script "/usr/bin/true"
}
"""


def test_owner_drops_weighted_trackers(tmp_path: Path) -> None:
    config = _config(tmp_path, SCRIPTS + """
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 1
    track_script {
        chk
        down
    }
}
""")
    inst = config.vrrp_instances[0]
    assert base_priority(inst) == 255  # state MASTER without priority
    (peer,) = load(config)
    assert [(t.name, t.weight) for t in _declared(peer)] == [("down", 0)]
    assert [(d.track.name, d.reason) for d in peer.dropped] == [("chk", "owner")]


def test_sync_group_strips_member_weights_but_applies_group_trackers(tmp_path: Path) -> None:
    config = _config(tmp_path, SCRIPTS + """
vrrp_sync_group G {
    group {
        VI_1
        VI_2
    }
    track_script {
        down weight -30
    }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
    priority 100
    track_script {
        chk
    }
    track_interface {
        eth1 weight -10
    }
}
""")
    (peer,) = load(config)
    # the interface keeps its weight: keepalived zeroes only the instance's copy, after the
    # interface's own tracking list took it (a real 2.2.7 member went 90 -> 30)
    assert [(t.kind, t.name, t.weight) for t in _declared(peer)] == [("interface", "eth1", -10), ("script", "down", -30)]
    assert [(d.track.name, d.became_fault) for d in peer.dropped] == [("chk", False)]


@pytest.mark.parametrize(
    ("entry", "weight"),
    [("chk weight 254", 253), ("chk weight -254", -253), ("chk weight 300", -20), ("chk", -20)],
)
def test_track_script_weight_ranges(tmp_path: Path, entry: str, weight: int) -> None:
    config = _config(tmp_path, SCRIPTS + f"""
vrrp_instance VI_1 {{
    interface eth0
    virtual_router_id 1
    priority 100
    track_script {{
        {entry}
    }}
}}
""")
    (peer,) = load(config)
    assert _declared(peer)[0].weight == weight


def test_extremes_follow_the_sign_and_direction(tmp_path: Path) -> None:
    config = _config(tmp_path, """
vrrp_script bonus {
    script "/usr/bin/true"
    weight 50
}
vrrp_script penalty {
    script "/usr/bin/true"
    weight -30
}
vrrp_script flipped {
    script "/usr/bin/true"
    weight 10 reverse
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
    priority 101
    track_script {
        bonus
        penalty
        flipped
    }
}
""")
    (peer,) = load(config)
    # 101 + 50 while `bonus` passes; -30 when `penalty` fails; `weight 10 reverse` is -10 while OK.
    assert extremes(peer) == (151, 61)


#: Findings of the single-config semantic rules on keepalived's own samples, each defended:
#: - KA601: these samples run scripts without `enable_script_security`; keepalived itself prints
#:   `SECURITY VIOLATION` for them once the scripts exist (the samples predate the option).
#: - KA307 (info): `check_VI_0` has no weight, so its failure means FAULT; true, and only a note.
#: - KA604: `check_VI_0` has `timeout 10` with the default 1 s interval: a hung check overlaps.
SAMPLE_FINDINGS = Counter({
    ("keepalived.conf.misc_check", "KA601"): 1,
    ("keepalived.conf.misc_check_arg", "KA601"): 1,
    ("keepalived.conf.quorum", "KA601"): 1,
    ("keepalived.conf.vrrp.localcheck", "KA601"): 1,
    ("keepalived.conf.vrrp.scripts", "KA601"): 1,
    ("keepalived.conf.vrrp.sync", "KA601"): 1,
    ("keepalived.conf.conditional_conf", "KA307"): 1,
    ("keepalived.conf.conditional_conf", "KA604"): 1,
    # keepalived -t itself reports both (corpus/oracle.tsv): `Initial state master is
    # incompatible with AH authentication - clearing` and, with no @id matching, `No
    # script set for vrrp_script check_VI_0 - removing`.
    ("keepalived.conf.SSL_GET", "KA320"): 1,
    ("keepalived.conf.conditional_conf", "KA605"): 1,
    # keepalived -t prints these itself: `protocol specified for fwmark - protocol will be
    # ignored` (KA509), `"gw"`/`"or" for routes is deprecated` (KA342), `Invalid rule to
    # address 192.168.x./24` (KA340).
    ("keepalived.conf.fwmark", "KA509"): 1,
    ("keepalived.conf.vrrp.routes", "KA342"): 2,
    ("keepalived.conf.vrrp.rules", "KA340"): 2,
    # KA516: LVS-only samples (info: no vrrp_instance), and keepalived.conf.sample, whose
    # virtual servers 10.10.10.2/.3 are none of its VIPs 192.168.200.16-18 (warning).
    **{(f"keepalived.conf.{name}", "KA516"): 1 for name in (
        "HTTP_GET.port", "IPv6", "PING_CHECK", "SMTP_CHECK", "UDP_CHECK", "inhibit", "misc_check",
        "misc_check_arg", "quorum", "sample", "status_code", "virtual_server_group", "virtualhost")},
    ("keepalived.conf.SSL_GET", "KA516"): 2,
})


def _single_config_semantics(code: str) -> bool:
    """KA203-KA299, KA301-KA349, KA5xx, KA6xx (the peer rules are tested elsewhere)."""
    return "KA203" <= code <= "KA299" or "KA301" <= code <= "KA349" or code[:3] in ("KA5", "KA6")


def test_samples_only_defended_findings() -> None:
    samples = require_shared("corpus", "samples")
    found: Counter[tuple[str, str]] = Counter()
    for path in sorted(samples.iterdir()):
        result = Linter(LintOptions(config_ids=("nomatch",))).lint_paths([str(path)])
        for d in result.diagnostics:
            if _single_config_semantics(d.code):
                found[(path.name, d.code)] += 1
    assert found == SAMPLE_FINDINGS
