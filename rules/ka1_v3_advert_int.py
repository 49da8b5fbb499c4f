"""KA137: a VRRPv3 `advert_int` that keepalived changes (range and 10 ms steps)."""

from __future__ import annotations

from collections.abc import Iterator

from kalint.diagnostic import Diagnostic, Severity
from kalint.model import Config
from kalint.rule import Rule
from kalint.runtime.loading import loaded_instances, vrrp_version

#: VRRPv3 adverts carry the interval in centiseconds in 12 bits (RFC 5798); keepalived
#: changes adver_int >= (1 << 12) centiseconds.
_LIMIT, _STEP = "40.96", "0.01"


class V3AdvertInt(Rule):
    """A VRRPv3 `advert_int` above 40.95 s or not in steps of 10 ms.

    VRRPv3 adverts carry the interval in centiseconds in 12 bits, so keepalived
    (vrrp.c) lowers 40.96 s and more to 40.95 s (`VRRPv3 advertisement interval 60.00s
    is out of range. Must be less than 40.96s. Setting to 40.95s`) and rounds other
    values to 10 ms (`must be in units of 10ms - rounding`). Peers configured with the
    written value then disagree with what this node sends.

    Bad:

        vrrp_instance VI_1 {
            version 3
            advert_int 60
        }

    Good:

        vrrp_instance VI_1 {
            version 3
            advert_int 40
        }
    """

    code = "KA137"
    name = "v3-advert-int"
    severity = Severity.WARNING
    summary = "VRRPv3 `advert_int` above 40.95 s or not in 10 ms steps, which keepalived changes"
    instance_local = True

    def check(self, config: Config) -> Iterator[Diagnostic]:
        for inst in loaded_instances(config):
            if inst.advert_int is None or vrrp_version(config, inst) != 3:
                continue
            from decimal import Decimal, InvalidOperation  # exact steps; only for VRRPv3 (not at start-up)

            word = inst.advert_int.word
            try:
                value = Decimal(word.text)
            except InvalidOperation:
                continue
            if value >= Decimal(_LIMIT):
                effect = "is above the 40.95 s a VRRPv3 advert can carry, so keepalived uses 40.95"
            elif value > 0 and value % Decimal(_STEP):
                rounded = value.quantize(Decimal(_STEP), rounding="ROUND_HALF_UP")
                effect = f"is not in steps of 10 ms, so keepalived rounds it to {rounded}"
            else:
                continue
            yield self.diagnostic(
                word.span,
                f"`{inst.name}` uses VRRPv3: advert_int {word.text} {effect}",
                help="use a value up to 40.95 in steps of 0.01",
            )
