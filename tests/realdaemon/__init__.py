"""Real-daemon harness: kalint's failover predictions checked against real keepalived.

``harness`` builds throw-away network namespaces, runs keepalived in them, drives failures
and observes who holds the VIPs; ``scenarios`` names the situations to drive;
``random_configs`` generates random peer configs for the property-based part. The tests
live in ``tests/test_real_daemon.py`` and are marked ``realdaemon``.
"""
