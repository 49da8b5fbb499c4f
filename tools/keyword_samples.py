"""Plausible values for every keyword, for configs that probe a real keepalived.

Shared by the keyword probe test and tools/probe_missing_argument.py: a probe config must
be accepted up to the line under test, so each enclosing keyword gets a value keepalived
reads without complaint.
"""

from __future__ import annotations

from kalint.model import schema

#: Values for keywords whose arguments are composite or must be well formed.
SAMPLES = {
    "virtual_server": "192.0.2.1 80", "real_server": "192.0.2.2 80", "sorry_server": "192.0.2.3 80",
    "smtp_server": "192.0.2.1", "lvs_sync_daemon": "eth0", "vrrp_rx_bufs_policy": "MTU", "umask": "0022",
    "lvs_timeouts": "tcp 10", "status_code": "200", "vrrp_garp_extra_if": "5", "vrrp_vmac_garp_intvl": "5",
    "garp_extra_if": "5", "vmac_garp_intvl": "5", "lb_kind": "NAT", "lvs_method": "NAT",
    "persistence_granularity": "255.255.255.255", "fwmark": "1", "virtual_server_group": "x",
}
BY_TYPE = {"decimal": "1", "ip": "192.0.2.1", "word": "x", "script": "/bin/true", "any": "x"}
#: Registered in 2.2.7 but compiled out of the Debian build (needs libipset).
COMPILED_OUT = {"vrrp_ipsets"}


def sample(spec: schema.KeywordSpec) -> str:
    """A value keepalived accepts for ``spec`` ("" for keywords that take none)."""
    if spec.name in SAMPLES:
        return SAMPLES[spec.name]
    if spec.type == "int":
        low = spec.min if spec.min is not None else 1
        return str(int(max(low, 1) if spec.max is None or spec.max >= 1 else low))
    if spec.type == "enum":
        return spec.enum[0]
    if spec.nargs_min == 0 or spec.type in ("none", "bool"):
        return ""
    return BY_TYPE[spec.type]
