"""keepalived's VRRP runtime, as one model (semantics.md §1–§10).

Every statement kalint makes about what keepalived will *do* comes from here: the rules,
``kalint simulate`` and the language server's hover read this package and nothing else.

- ``loading``: what keepalived does to the text while it reads and completes it (base
  priority, owner 255, state corrections, strict mode, tracker resolution in file order,
  sync-group weight stripping): one :class:`~kalint.runtime.loading.Peer` per instance.
- ``priority``: effective priority and FAULT under a set of failed checks.
- ``adverts``: which node accepts whose adverts, and who wins between two masters.
- ``election``: who is MASTER, with sync groups moving their members together, from
  every start order.
- ``timing``: timers (skew, master-down interval, VRRPv3's adopted interval) and takeover
  times as a range from typical to worst case.
- ``grouping``: which configs are HA peers and which instances form one virtual router.
- ``failover``: the scenario table (every check failing, every node down, every node's
  own interface down) built from the above.
"""
