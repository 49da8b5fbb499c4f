"""kalint: a static analyzer for keepalived configuration."""

__version__ = "0.1.0"
