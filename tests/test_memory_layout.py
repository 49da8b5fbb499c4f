"""What keeps a large config's tree, model and runtime model small (docs/performance.md,
eighth session), and that the values stay right while it does."""

from __future__ import annotations

from kalint import model
from kalint.runtime import loading
from kalint.syntax import parser
from kalint.syntax.tree import Block, Statement
from kalint.text import expand
from kalint.text.source import SourceFile


def _document(text: str) -> parser.Document:
    return parser.parse(expand.expand(SourceFile("t.conf", text)))


def _padded_instance(padding: int) -> str:
    """A config whose instance block starts past line ``padding`` (line numbers above 256
    are objects of their own), its `{` on the next line and its `}` far below."""
    lines = ["global_defs {", *[f"    notification_email_from a{n}@example.com" for n in range(padding)], "}"]
    lines += ["vrrp_instance VI_1", "{", "    interface eth0", "    virtual_ipaddress {", "        192.0.2.1/24",
              "    }", *["    advert_int 1" for _ in range(200)], "}"]
    return "\n".join(lines) + "\n"


def test_positions_of_nested_statements_and_braces_are_their_lines() -> None:
    doc = _document(_padded_instance(400))
    text = _padded_instance(400).splitlines()
    seen = 0
    for stmt in doc.walk():  # (spans: positions in the file, not in the expanded text)
        span = stmt.header_span
        assert text[span.line - 1][span.column - 1:].startswith(stmt.keyword)
        if isinstance(stmt, Block):
            opening, closing = stmt.open_brace.span, stmt.close_brace.span if stmt.close_brace else None
            assert text[opening.line - 1][opening.column - 1] == "{"
            assert closing is not None and text[closing.line - 1][closing.column - 1] == "}"
            assert (stmt.open_line, stmt.end_line) == (opening.line, closing.line)  # no include: the same lines
        seen += 1
    assert seen > 600
    instance = next(s for s in doc.items if s.keyword == "vrrp_instance")
    assert isinstance(instance, Block)
    assert (instance.line, instance.open_line, instance.end_line) == (403, 404, 609)
    assert instance.close_brace is not None and instance.close_brace.span.line == 609
    assert instance.open_brace.span.line == 404


def test_a_statement_in_a_block_keeps_no_line_number_of_its_own() -> None:
    """Its line is kept as the distance from its block's: a small int, shared by all."""
    doc = _document(_padded_instance(400))
    nested = [s for s in doc.walk() if s.parent is not None and not isinstance(s, Block)]
    assert nested and all(s.line > 256 for s in nested[-200:])
    assert all(s._line == s.line - s.parent.line and 0 < s._line <= 256 for s in nested[-200:])
    blocks = [s for s in doc.walk() if isinstance(s, Block)]
    assert all(isinstance(b.children, tuple) for b in blocks)


def test_the_model_makes_no_word_nodes_for_the_address_that_fixes_the_family() -> None:
    config = model.build(_document(_padded_instance(3)), None)
    (inst,) = config.vrrp_instances
    assert inst.family == 4 and isinstance(inst.family_node, Statement)
    assert not isinstance(inst.family_node._words, list)  # no word nodes yet
    word = inst.family_word
    assert word is not None and word.text == "192.0.2.1/24" and word.span.line == 10


_TWO_INSTANCES = """\
vrrp_instance A {
    interface eth0
    advert_int 1
    virtual_ipaddress {
        192.0.2.1/24
    }
    track_interface {
        eth1
    }
    track_interface {
        eth2 weight 10
    }
}
vrrp_instance B {
    interface eth0
    advert_int 1
    virtual_ipaddress {
        192.0.2.2/24
        2001:db8::1
    }
    unicast_peer {
        198.51.100.2
    }
}
"""


def test_empty_entry_lists_are_one_shared_tuple_and_filled_ones_add_up() -> None:
    config = model.build(_document(_TWO_INSTANCES), None)
    a, b = config.vrrp_instances
    assert a.unicast_peer == () and a.unicast_peer is b.track_interface  # nothing made per instance
    assert [ref.name for ref in a.track_interface] == ["eth1", "eth2"]  # a second block adds to the first
    assert [ref.weight for ref in a.track_interface] == [None, 10]
    assert [addr.address for addr in b.virtual_ipaddress] == ["192.0.2.2", "2001:db8::1"]
    assert a.advert_int is not None and b.advert_int is not None
    assert a.advert_int.value == 1.0 and a.advert_int.value is b.advert_int.value  # one float for one text


def test_address_sets_are_shared_where_they_are_equal() -> None:
    config = model.build(_document(_TWO_INSTANCES), None)
    a, b = loading.load(config)
    assert a.unicast_peers == frozenset() and a.unicast_peers is loading._NO_ADDRESSES
    assert a.vips == a.vip_words == frozenset({"192.0.2.1"}) and a.vips is a.vip_words
    assert b.vips == frozenset({"192.0.2.2"})  # the IPv6 VIP is not the instance's family
    assert b.vip_words == frozenset({"192.0.2.2", "2001:db8::1"}) and b.vips is not b.vip_words
    assert b.unicast_peers == frozenset({"198.51.100.2"})
    assert a.dropped == a.unresolved == a.siblings == () and a.dropped is b.unresolved  # no list per instance


def test_a_real_server_keeps_its_checkers_in_order() -> None:
    config = model.build(_document("""\
virtual_server 192.0.2.10 80 {
    real_server 192.0.2.11 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 3
        }
        HTTP_GET {
            url {
                path /
            }
        }
    }
    real_server 192.0.2.12 80 {
        weight 1
    }
}
"""), None)
    first, second = config.virtual_servers[0].real_servers
    assert [c.keyword for c in first.checkers] == ["TCP_CHECK", "HTTP_GET"] and type(first.checkers) is tuple
    assert second.checkers == ()
