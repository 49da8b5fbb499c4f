"""The lark grammar of keepalived.conf, shipped as package data (``keepalived.lark``)."""
