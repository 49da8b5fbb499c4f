"""KA341 depends on --target-version (keepalived tracks routes without `dev` since 2.3.2),
which fixture files cannot set; checked against keepalived 2.2.7 (`Warning - cannot track
route ... with no interface specified, not tracking`) and the 2.3.2 source."""

from __future__ import annotations

from kalint.engine import Linter, LintOptions
from kalint.settings import Resolver

TEXT = """\
static_routes {
    198.51.100.0/24 via 192.0.2.1
    198.51.100.0/24 via 192.0.2.1 dev eth0
    203.0.113.0/24 via 192.0.2.1 no_track
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
    priority 100
    virtual_ipaddress {
        192.0.2.10
    }
    virtual_routes {
        default via 192.0.2.1
    }
}
"""


def _lines(tmp_path, version: str | None) -> list[tuple[int, str]]:
    path = tmp_path / "keepalived.conf"
    path.write_text(TEXT)
    options = LintOptions(settings=Resolver(isolated=True), target_version=version)
    found = Linter(options).lint_paths([str(path)]).diagnostics
    return [(d.span.line, str(d.severity)) for d in found if d.code == "KA341"]


def test_route_without_interface_is_untracked_before_2_3_2(tmp_path) -> None:
    assert [line for line, _ in _lines(tmp_path, "2.2.7")] == [2, 14]
    assert [line for line, _ in _lines(tmp_path, "2.3.1")] == [2, 14]


def test_route_without_interface_is_tracked_since_2_3_2(tmp_path) -> None:
    assert _lines(tmp_path, "2.3.2") == []
    assert _lines(tmp_path, None) == []
