#!/usr/bin/env python3
"""Regenerate kalint/model/keywords_data.py from keepalived's own source.

Two kinds of facts go into the data, from two places:

- read from keepalived's keyword registration (``install_keyword_root``,
  ``install_keyword``/``install_keyword_quoted``, ``install_sublevel``/
  ``install_sublevel_end`` and the helper functions that wrap them) in each tagged
  release of a keepalived git repository: every keyword path, the release that first
  has it, whether it opens a block of keywords, and aliases (two names at one place
  whose handler is the same function, or one handler that only calls the other);
- what each handler does with its arguments (argument counts, value type, range,
  which of two values it keeps, a one-sentence doc): that needs a reader of the C
  code, so it is kept by hand in ``HAND`` below.

Value kinds are checked against the source too, by construction: for every release the
tool reads how each handler reads its first argument (read_int/unsigned/decimal_unsigned
_strvec, read_timer, check_true_false; ranges evaluated from the release's #defines) and
reports every release where ``HAND``'s kind or range for that release (``older`` holds
what held before a change) differs. The reader's decimal places and its ignore_error
argument (``lenient``: outside ``-t`` an invalid number's leading part is used) are
written into the data from the newest release.

The tool merges the two and reports every path one side has and the other lacks, so
a new keepalived release shows what ``HAND`` is missing. CI never runs it (it needs
keepalived's git history); tests/test_keywords.py checks that keywords_data.py agrees
with ``HAND``.

Usage:
  python3 tools/gen_schema.py --git-dir KEEPALIVED_GIT [--tags v2.2.7 ... v2.3.4] > kalint/model/keywords_data.py
  python3 tools/gen_schema.py --git-dir KEEPALIVED_GIT --check   # differences from today's file
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

from csource import IDENT, Function, c_tokens, functions, past_close, split_args

TAGS = ("v2.2.7", "v2.2.8", "v2.3.0", "v2.3.1", "v2.3.2", "v2.3.3", "v2.3.4")
DATA_FILE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kalint", "model",
                                          "keywords_data.py"))

#: The fields of ``Keyword`` in keywords_data.py after ``path``, their annotation and
#: default; a row leaves out every field equal to its default. ``since`` always comes from
#: the source; its default in keywords_data.py is the oldest release read.
FIELDS: tuple[tuple[str, str, Any], ...] = (
    ("kind", "str", "statement"), ("synopsis", "str", ""), ("type", "str", "none"),
    ("min", "float | None", None), ("max", "float | None", None), ("enum", "tuple[str, ...]", ()),
    ("nargs_min", "int", 0), ("nargs_max", "int | None", 0), ("repeatable", "bool", False),
    ("enum_case_sensitive", "bool", True), ("since", "str", None), ("alias_of", "str | None", None),
    ("deprecated", "str | None", None), ("duplicate", "str", "last"), ("doc", "str", ""),
    ("older", "tuple[tuple[str, str, float | None, float | None], ...]", ()),
    ("places", "int", 0), ("lenient", "bool", False),
)
#: Facts that come from the source, never from ``HAND``. ``places`` (decimal places a
#: decimal reader keeps) and ``lenient`` (its ignore_error argument: outside `-t` a
#: running keepalived uses an invalid number's leading part when that is in range) are
#: the newest release's.
FROM_SOURCE = ("since", "alias_of", "places", "lenient")

#: Where keepalived's processes build their keyword tables (main.c and the three
#: children); the union of what they register is every keyword a config may use.
ENTRY_POINTS = ("global_init_keywords", "vrrp_init_keywords", "check_init_keywords", "bfd_init_keywords")

#: Of two names sharing one handler, neither deprecated, the one kalint calls the
#: keyword (else the one registered first). The source cannot say which is preferred.
PREFERRED = {"virtual_server.lvs_sched", "virtual_server.lvs_method"}

# Hand-kept facts per keyword path, read from each handler of the releases above:
# fields left out take the defaults of FIELDS. ``kind`` is "block" when the source
# nests keywords under the path (the tool checks it) and "list" when the handler reads
# the following ``{ ... }`` lines as entries. ``duplicate`` says which value keepalived
# keeps when a single-valued keyword is given twice in one block: "last" (the handler
# stores again), "first" (it says "already specified - ignoring" or silently returns),
# "master" (vrrp_state_handler: MASTER wins whatever the order, an invalid word resets to
# BACKUP), "unset1"/"unset0" (track_file / vrrp_track_process weight: the first value is
# kept unless it was the default 1 / 0 or invalid).
#: Value kinds the tool reads from handlers (see ``_READERS``).
READ_KINDS = ("int", "decimal", "bool")
#: Paths whose range HAND keeps narrower than the reader's, with why.
NARROWER = {
    f"global_defs.{proc}_rt_priority": "read as any int, then clamped with a message to SCHED_RR's 1..99"
    for proc in ("vrrp", "checker", "bfd")
}
#: Paths HAND gives a value kind whose handler reads it without the readers the tool knows.
READ_OTHERWISE = {
    **{f"global_defs.{proc}_cpu_affinity": "a list of CPU numbers (strtoul per word)" for proc in ("vrrp", "checker", "bfd")},
    **{f"virtual_server.real_server.{check}.url.regex_{what}": "strtoul() with its own end check"
       for check in ("HTTP_GET", "SSL_GET") for what in ("min_offset", "max_offset", "stack")},
}

# fmt: off
HAND: dict[str, dict[str, Any]] = {
    'linkbeat_use_polling': {'doc': 'Root-level keyword (not inside global_defs).'},
    'net_namespace': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'duplicate': 'first', 'doc': 'Root-level keyword.'},
    'net_namespace_ipvs': {'synopsis': '[<name>]', 'type': 'word', 'nargs_max': 1, 'duplicate': 'first', 'doc': 'Root-level keyword.'},
    'namespace_with_ipsets': {'doc': 'Root-level keyword.'},
    'use_pid_dir': {'doc': 'Root-level keyword.'},
    'instance': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'duplicate': 'first', 'doc': 'Root-level keyword.'},
    'child_wait_time': {'synopsis': '<seconds>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Root-level keyword.'},
    'global_defs': {'kind': 'block', 'doc': 'Root block of global settings.'},
    'global_defs.process_names': {'doc': 'Sets the default process names keepalived_vrrp / keepalived_lvs / keepalived_bfd.'},
    'global_defs.process_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Missing argument makes keepalived exit (null strvec slot).'},
    'global_defs.vrrp_process_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.checker_process_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.lvs_process_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'deprecated': 'checker_process_name'},
    'global_defs.bfd_process_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.use_symlink_paths': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.router_id': {'synopsis': '<string>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Defaults to the host name.'},
    'global_defs.notification_email_from': {'synopsis': '<email>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': "Extra words are reported ('emailfrom - ignoring extra entries ...')."},
    'global_defs.smtp_server': {'synopsis': '<ip|hostname> [<port>]', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'doc': 'Port defaults to 25.'},
    'global_defs.smtp_helo_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.smtp_connect_timeout': {'synopsis': '<seconds>', 'type': 'int', 'min': 0, 'max': 4294, 'nargs_min': 1, 'nargs_max': 1, 'doc': '0 is accepted for backward compatibility but is reported and changed to 1.'},
    'global_defs.notification_email': {'kind': 'list', 'synopsis': '{ <email> ... }', 'type': 'word', 'repeatable': True, 'doc': 'List block: each word in the block is one e-mail address.'},
    'global_defs.smtp_alert': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.startup_script': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'global_defs.startup_script_timeout': {'synopsis': '<seconds>', 'type': 'int', 'min': 1, 'max': 1000, 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.shutdown_script': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'global_defs.shutdown_script_timeout': {'synopsis': '<seconds>', 'type': 'int', 'min': 1, 'max': 1000, 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.max_auto_priority': {'synopsis': '[<int -1..99>]', 'type': 'int', 'min': -1, 'max': 99, 'nargs_max': 1, 'doc': 'Max is sched_get_priority_max(SCHED_RR), 99 on Linux; -1 disables; no argument means the maximum.'},
    'global_defs.min_auto_priority_delay': {'synopsis': '<microseconds>', 'type': 'int', 'min': 1, 'max': 10000000, 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.smtp_alert_vrrp': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.smtp_alert_checker': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.checker_log_all_failures': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.dynamic_interfaces': {'synopsis': '[allow_if_changes]', 'type': 'enum', 'enum': ('allow_if_changes',), 'nargs_max': 1, 'doc': "Any other word is reported ('Unknown dynamic_interfaces option')."},
    'global_defs.no_email_faults': {},
    'global_defs.default_interface': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.disable_local_igmp': {'doc': 'Reports an error if the kernel lacks /proc/sys/net/ipv4/igmp_link_local_mcast_reports.'},
    'global_defs.v3_checksum_as_v2': {},
    'global_defs.lvs_timeouts': {'synopsis': '[tcp <sec>] [tcpfin <sec>] [udp <sec>]', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'At least one option/value pair is required.'},
    'global_defs.lvs_flush': {},
    'global_defs.lvs_flush_on_stop': {'synopsis': '[VS]', 'type': 'enum', 'enum': ('VS',), 'nargs_max': 1, 'doc': "No argument = full flush; 'VS' = only keepalived's virtual servers."},
    'global_defs.lvs_flush_onstop': {'synopsis': '[VS]', 'type': 'enum', 'enum': ('VS',), 'nargs_max': 1, 'deprecated': 'lvs_flush_on_stop', 'doc': "No argument = full flush; 'VS' = only keepalived's virtual servers."},
    'global_defs.lvs_sync_daemon': {'synopsis': '<interface> [inst <vrrp_instance>] [id <0..255>] [maxlen <1..65507>] [port <1..65535>] [ttl <1..255>] [group <mcast ip>]', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'Old form \'<interface> <vrrp_instance> [<syncid>]\' is still accepted (the positional syncid is reported: \'Please use keyword "id" before lvs_sync_daemon SYNCID\').'},
    'global_defs.vrrp_mcast_group4': {'synopsis': '<ipv4 multicast address>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Must be IPv4 and multicast, else reported and skipped.'},
    'global_defs.vrrp_mcast_group6': {'synopsis': '<ipv6 multicast address>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Must be IPv6 multicast; a warning if not link-local (ff02::/16).'},
    'global_defs.vrrp_garp_master_delay': {'synopsis': '<seconds>', 'type': 'int', 'min': 0, 'max': 4294, 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.vrrp_garp_master_repeat': {'synopsis': '<count>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': '0 is reported and changed to 1.'},
    'global_defs.vrrp_garp_master_refresh': {'synopsis': '<seconds>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': '0 = no refresh.'},
    'global_defs.vrrp_garp_master_refresh_repeat': {'synopsis': '<count>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': '0 is reported and changed to 1.'},
    'global_defs.vrrp_garp_lower_prio_delay': {'synopsis': '<seconds>', 'type': 'int', 'min': 0, 'max': 4294, 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.vrrp_garp_lower_prio_repeat': {'synopsis': '<count>', 'type': 'int', 'min': 0, 'max': 2147483647, 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.vrrp_down_timer_adverts': {'synopsis': '<count>', 'type': 'int', 'min': 1, 'max': 100, 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.vrrp_garp_interval': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': "Decimal seconds with up to 6 decimal places (read_decimal_unsigned_strvec, shift 6); >= 1 s logs 'is very large'."},
    'global_defs.vrrp_gna_interval': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': "Decimal seconds with up to 6 decimal places; >= 1 s logs 'is very large'."},
    'global_defs.vrrp_min_garp': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted.'},
    'global_defs.vrrp_garp_extra_if': {'synopsis': '<seconds 1..86400> [all]', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'doc': "Words may come in any order; 'all' is literal."},
    'global_defs.vrrp_vmac_garp_intvl': {'synopsis': '<seconds 1..86400> [all]', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'deprecated': 'vrrp_garp_extra_if', 'doc': "Words may come in any order; 'all' is literal."},
    'global_defs.vrrp_lower_prio_no_advert': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.vrrp_higher_prio_send_advert': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.vrrp_version': {'synopsis': '2|3', 'type': 'int', 'min': 2, 'max': 3, 'nargs_min': 1, 'nargs_max': 1, 'doc': "Message on error: 'VRRP Error: Version must be either 2 or 3'."},
    'global_defs.vrrp_iptables': {'synopsis': '[<in_chain> [<out_chain>]]', 'type': 'word', 'nargs_max': 2, 'duplicate': 'first', 'doc': 'No argument = chains INPUT/OUTPUT.'},
    'global_defs.vrrp_ipsets': {'synopsis': '[<set4> [<set6> [<set_if6> [<igmp> [<mld> [<nd>]]]]]]', 'type': 'word', 'nargs_max': 6, 'doc': 'No argument disables ipsets.'},
    'global_defs.nftables': {'synopsis': '[<table>]', 'type': 'word', 'nargs_max': 1, 'duplicate': 'first', 'doc': "Table name defaults to 'keepalived'."},
    'global_defs.nftables_priority': {'synopsis': '<int>', 'type': 'int', 'min': -2147483648, 'max': 2147483647, 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.nftables_ifindex': {},
    'global_defs.vrrp_check_unicast_src': {},
    'global_defs.vrrp_skip_check_adv_addr': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': "no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted In <=2.2.7 the handler ignores any argument: 'vrrp_skip_check_adv_addr false' still enables it (boolean argument honoured since 2.3.0).", 'older': (('2.3.0', 'none', None, None),)},
    'global_defs.vrrp_strict': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted. Before 2.3.0 the handler takes no value: `vrrp_strict false` still turns strict mode on.', 'older': (('2.3.0', 'none', None, None),)},
    'global_defs.vrrp_priority': {'synopsis': '<int -20..19>', 'type': 'int', 'min': -20, 'max': 19, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Process nice value; read with read_int_strvec(-20, 19).'},
    'global_defs.vrrp_no_swap': {},
    'global_defs.vrrp_rt_priority': {'synopsis': '<int 1..99>', 'type': 'int', 'min': 1, 'max': 99, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Read as any int, then clamped (with a message) to sched_get_priority_min/max(SCHED_RR), i.e.'},
    'global_defs.vrrp_cpu_affinity': {'synopsis': '<cpu> [<cpu> ...]', 'type': 'int', 'nargs_min': 1, 'nargs_max': None, 'doc': 'One or more CPU numbers, each 0..(number of online CPUs - 1); one bad number clears the whole set.'},
    'global_defs.vrrp_rlimit_rttime': {'synopsis': '<microseconds>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Real-time CPU limit in microseconds (RLIMIT_RTTIME), 1..4294967295; 1 is raised to 2.'},
    'global_defs.vrrp_rlimit_rtime': {'synopsis': '<microseconds>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'deprecated': 'vrrp_rlimit_rttime', 'doc': 'Real-time CPU limit in microseconds (RLIMIT_RTTIME), 1..4294967295; 1 is raised to 2.'},
    'global_defs.nftables_ipvs': {'synopsis': '[<table>]', 'type': 'word', 'nargs_max': 1, 'duplicate': 'first', 'doc': "Table name defaults to 'keepalived_ipvs'."},
    'global_defs.nftables_ipvs_priority': {'synopsis': '<int>', 'type': 'int', 'min': -2147483648, 'max': 2147483647, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'In <=2.2.7 also required _WITH_VRRP_ (registered inside the VRRP #ifdef).'},
    'global_defs.nftables_ipvs_start_fwmark': {'synopsis': '<fwmark>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'In <=2.2.7 also required _WITH_VRRP_ (registered inside the VRRP #ifdef).'},
    'global_defs.nftables_counters': {'doc': 'In <=2.2.7 the condition was _WITH_VRRP_ && _WITH_NFTABLES_.'},
    'global_defs.notify_fifo': {'synopsis': '<fifo path> [<user> [<group>]]', 'type': 'word', 'nargs_min': 1, 'nargs_max': 3, 'duplicate': 'first', 'doc': 'FIFO path, optionally followed by user [group] that owns it.'},
    'global_defs.notify_fifo_script': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'global_defs.vrrp_notify_fifo': {'synopsis': '<fifo path> [<user> [<group>]]', 'type': 'word', 'nargs_min': 1, 'nargs_max': 3, 'duplicate': 'first', 'doc': 'FIFO path, optionally followed by user [group] that owns it.'},
    'global_defs.vrrp_notify_fifo_script': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'global_defs.vrrp_notify_priority_changes': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.fifo_write_vrrp_states_on_reload': {},
    'global_defs.lvs_notify_fifo': {'synopsis': '<fifo path> [<user> [<group>]]', 'type': 'word', 'nargs_min': 1, 'nargs_max': 3, 'duplicate': 'first', 'doc': 'FIFO path, optionally followed by user [group] that owns it.'},
    'global_defs.lvs_notify_fifo_script': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'global_defs.checker_priority': {'synopsis': '<int -20..19>', 'type': 'int', 'min': -20, 'max': 19, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Process nice value; read with read_int_strvec(-20, 19).'},
    'global_defs.checker_no_swap': {},
    'global_defs.checker_rt_priority': {'synopsis': '<int 1..99>', 'type': 'int', 'min': 1, 'max': 99, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Read as any int, then clamped (with a message) to sched_get_priority_min/max(SCHED_RR), i.e.'},
    'global_defs.checker_cpu_affinity': {'synopsis': '<cpu> [<cpu> ...]', 'type': 'int', 'nargs_min': 1, 'nargs_max': None, 'doc': 'One or more CPU numbers, each 0..(number of online CPUs - 1); one bad number clears the whole set.'},
    'global_defs.checker_rlimit_rttime': {'synopsis': '<microseconds>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Real-time CPU limit in microseconds (RLIMIT_RTTIME), 1..4294967295; 1 is raised to 2.'},
    'global_defs.checker_rlimit_rtime': {'synopsis': '<microseconds>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'deprecated': 'checker_rlimit_rttime', 'doc': 'Real-time CPU limit in microseconds (RLIMIT_RTTIME), 1..4294967295; 1 is raised to 2.'},
    'global_defs.bfd_priority': {'synopsis': '<int -20..19>', 'type': 'int', 'min': -20, 'max': 19, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Process nice value; read with read_int_strvec(-20, 19).'},
    'global_defs.bfd_no_swap': {},
    'global_defs.bfd_rt_priority': {'synopsis': '<int 1..99>', 'type': 'int', 'min': 1, 'max': 99, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Read as any int, then clamped (with a message) to sched_get_priority_min/max(SCHED_RR), i.e.'},
    'global_defs.bfd_cpu_affinity': {'synopsis': '<cpu> [<cpu> ...]', 'type': 'int', 'nargs_min': 1, 'nargs_max': None, 'doc': 'One or more CPU numbers, each 0..(number of online CPUs - 1); one bad number clears the whole set.'},
    'global_defs.bfd_rlimit_rttime': {'synopsis': '<microseconds>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Real-time CPU limit in microseconds (RLIMIT_RTTIME), 1..4294967295; 1 is raised to 2.'},
    'global_defs.bfd_rlimit_rtime': {'synopsis': '<microseconds>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'deprecated': 'bfd_rlimit_rttime', 'doc': 'Real-time CPU limit in microseconds (RLIMIT_RTTIME), 1..4294967295; 1 is raised to 2.'},
    'global_defs.snmp_socket': {'synopsis': '<agentx socket>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'duplicate': 'first', 'doc': 'e.g.'},
    'global_defs.enable_traps': {},
    'global_defs.enable_snmp_vrrp': {},
    'global_defs.enable_snmp_keepalived': {'deprecated': 'enable_snmp_vrrp'},
    'global_defs.enable_snmp_rfc': {'doc': 'Enables both RFC MIBs (rfcv2 and rfcv3) that are compiled in.'},
    'global_defs.enable_snmp_rfcv2': {},
    'global_defs.enable_snmp_rfcv3': {},
    'global_defs.enable_snmp_checker': {},
    'global_defs.snmp_vs_stats_update_interval': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0.001, 'max': 30, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer: decimal seconds, 0.001..30.'},
    'global_defs.snmp_rs_stats_update_interval': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0.001, 'max': 30, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer: decimal seconds, 0.001..30.'},
    'global_defs.enable_dbus': {},
    'global_defs.dbus_service_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.dbus_no_interface_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.script_user': {'synopsis': '<user> [<group>]', 'type': 'word', 'nargs_min': 1, 'nargs_max': 2, 'doc': "Default user/group for scripts; the user must exist on the host ('Error setting global script uid/gid')."},
    'global_defs.enable_script_security': {},
    'global_defs.vrrp_netlink_cmd_rcv_bufs': {'synopsis': '<bytes>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Netlink socket receive buffer size in bytes.'},
    'global_defs.vrrp_netlink_cmd_rcv_bufs_force': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.vrrp_netlink_monitor_rcv_bufs': {'synopsis': '<bytes>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Netlink socket receive buffer size in bytes.'},
    'global_defs.vrrp_netlink_monitor_rcv_bufs_force': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.process_monitor_rcv_bufs': {'synopsis': '<bytes>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Netlink socket receive buffer size in bytes.'},
    'global_defs.process_monitor_rcv_bufs_force': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.lvs_netlink_cmd_rcv_bufs': {'synopsis': '<bytes>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Netlink socket receive buffer size in bytes.'},
    'global_defs.lvs_netlink_cmd_rcv_bufs_force': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.lvs_netlink_monitor_rcv_bufs': {'synopsis': '<bytes>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Netlink socket receive buffer size in bytes.'},
    'global_defs.lvs_netlink_monitor_rcv_bufs_force': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.rs_init_notifies': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.no_checker_emails': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.vrrp_rx_bufs_policy': {'synopsis': 'MTU|ADVERT|<bytes>', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'doc': 'MTU/ADVERT compared case-insensitively (strcasecmp); otherwise a size 0..UINT_MAX (always read from the first argument).'},
    'global_defs.vrrp_rx_bufs_multiplier': {'synopsis': '<n>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one argument.'},
    'global_defs.vrrp_startup_delay': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0.001, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': "Decimal seconds, up to 6 decimal places; >= 60 s logs 'is very large'."},
    'global_defs.log_unknown_vrids': {},
    'global_defs.vrrp_owner_ignore_adverts': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.vmac_prefix': {'synopsis': '<prefix>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'duplicate': 'first', 'doc': "Prefix for automatically named VMAC interfaces (default 'vrrp')."},
    'global_defs.vmac_addr_prefix': {'synopsis': '<prefix>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'duplicate': 'first', 'doc': 'Prefix for VMAC interfaces that use use_vmac_addr.'},
    'global_defs.umask': {'synopsis': '<number>|<BIT>[|<BIT>...]', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'doc': "Numeric (strtol base 0, so 022 is octal) or symbolic bits joined by '|' (words may be split by spaces)."},
    'global_defs.random_seed': {'synopsis': '<n>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Seeds ${_RANDOM}; only affects lines after it.'},
    'global_defs.reload_check_config': {'synopsis': '[<log file>]', 'type': 'word', 'nargs_max': 1, 'doc': 'Check the new config before reloading; no argument logs to /dev/null.'},
    'global_defs.reload_time_file': {'synopsis': '<file>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one argument.'},
    'global_defs.reload_repeat': {},
    'global_defs.reload_file': {'synopsis': '[<file>]', 'type': 'word', 'nargs_max': 1, 'doc': 'Defaults to /run/keepalived/reload (DEFAULT_RELOAD_FILE).'},
    'global_defs.include_check': {'synopsis': '[[+|-]read|match|wildcard_match|brace_match ...]', 'type': 'enum', 'enum': ('read', 'match', 'wildcard_match', 'brace_match'), 'nargs_max': None, 'doc': 'Controls which include problems are errors (see syntax.md).'},
    'global_defs.config_save_dir': {'synopsis': '<directory>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'The parent process creates the directory if missing; each process saves its consolidated config copy there (debugging).'},
    'global_defs.tmp_config_directory': {'synopsis': '<directory>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Where the consolidated config copy is written when memfd is unusable.'},
    'global_defs.data_use_instance': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'global_defs.json_version': {'synopsis': '1|2', 'type': 'int', 'min': 1, 'max': 2, 'nargs_min': 1, 'nargs_max': 1},
    'global_defs.iproute_usr_dir': {'synopsis': '<directory>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one argument; where iproute2 rt_* files are looked up (usr).'},
    'global_defs.iproute_etc_dir': {'synopsis': '<directory>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one argument.'},
    'global_defs.state_dump_file': {'synopsis': '<file>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one non-empty argument.'},
    'global_defs.stats_dump_file': {'synopsis': '<file>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one non-empty argument.'},
    'global_defs.json_dump_file': {'synopsis': '<file>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one non-empty argument.'},
    'track_group': {'kind': 'block', 'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'repeatable': True, 'doc': "Exactly one name, else the block is skipped ('track_group must have a name - skipping')."},
    'track_group.group': {'kind': 'list', 'synopsis': '{ <vrrp_instance name> ... }', 'type': 'word', 'duplicate': 'first', 'doc': 'List block of vrrp_instance names.'},
    'static_ipaddress': {'kind': 'list', 'synopsis': '{ <ip>[/<prefix>] [dev <if>] [scope <scope>] [brd|broadcast <ip>|+|-] [label <label>] [peer <ip>] [home] [-nodad] [mngtmpaddr] [noprefixroute] [autojoin] [no_track] [preferred_lft forever|<0..4294967295>] [track_group <track_group name>] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': "Each line is one address (syntax modelled on 'ip address add'); unknown words are reported 'Unknown configuration entry ..."},
    'static_routes': {'kind': 'list', 'synopsis': '{ [inet|inet6] [<type>] [to] <dst>[/<prefix>]|default [src <ip>] [from <ip>[/<prefix>]] [via [inet|inet6] <ip>] [dev|oif <if>] [onlink] [table <id|name>] [metric|priority|preference <n>] [scope <scope>] [protocol <proto>] [tos|dsfield <n>] [realms ...] [mtu [lock] <n>] [hoplimit <n>] [advmss [lock] <n>] [rtt ...] [rttvar ...] [reordering ...] [window <n>] [cwnd ...] [ssthresh ...] [rto_min ...] [initcwnd <n>] [initrwnd <n>] [features ecn] [quickack 0|1] [congctl [lock] <alg>] [pref low|medium|high] [ttl-propagate enabled|disabled] [fastopen_no_cookie 0|1] [expires <sec>] [encap ...] [vrf <name>] [nexthop ...] [no_track] [track_group <g>] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': "Each line is one route, syntax modelled on 'ip route add' ('gw' is accepted but reported deprecated - use 'via')."},
    'static_rules': {'kind': 'list', 'synopsis': '{ [inet|inet6] [not] [from <ip>[/<prefix>]|all] [to <ip>[/<prefix>]|all] [priority|preference|order <n>] [table|lookup <id|name>] [tos|dsfield <n>] [fwmark <n>[/<mask>]] [realms [<from>/]<to>] [suppress_prefixlength|sup_pl <n>] [suppress_ifgroup|sup_group <g>] [iif|dev <if>] [oif <if>] [tunnel-id <n>] [uidrange <a>-<b>] [l3mdev] [protocol <p>] [ipproto <p>] [sport <a>[-<b>]] [dport <a>[-<b>]] [type <type>] [goto <n>] [nop] [no_track] [track_group <g>] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': "Each line is one policy rule, syntax modelled on 'ip rule add'."},
    'vrrp_sync_group': {'kind': 'block', 'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'repeatable': True, 'doc': 'Exactly one name, else the block is skipped.'},
    'vrrp_sync_group.group': {'kind': 'list', 'synopsis': '{ <vrrp_instance name> ... }', 'type': 'word', 'duplicate': 'first', 'doc': 'List block of vrrp_instance names.'},
    'vrrp_sync_group.track_interface': {'kind': 'list', 'synopsis': '{ <interface> [weight <-253..253> [reverse]] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block; one tracked object per line.'},
    'vrrp_sync_group.track_script': {'kind': 'list', 'synopsis': '{ <vrrp_script name> [weight <-253..253> [reverse|noreverse]] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block; one tracked object per line.'},
    'vrrp_sync_group.track_file': {'kind': 'list', 'synopsis': '{ <track_file name> [weight <-254..254> [reverse|noreverse]] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block; one tracked object per line.'},
    'vrrp_sync_group.track_process': {'kind': 'list', 'synopsis': '{ <vrrp_track_process name> [weight <-254..254> [reverse|noreverse]] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block; one tracked object per line.'},
    'vrrp_sync_group.track_bfd': {'kind': 'list', 'synopsis': '{ <bfd_instance name> [weight <-253..253> [reverse|noreverse]] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block; one tracked object per line.'},
    'vrrp_sync_group.notify_backup': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_sync_group.notify_master': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_sync_group.notify_fault': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_sync_group.notify_stop': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_sync_group.notify': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_sync_group.smtp_alert': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'vrrp_sync_group.global_tracking': {'deprecated': 'track_interface/track_script/track_file on the sync group'},
    'vrrp_sync_group.sync_group_tracking_weight': {'doc': 'Members keep their own tracking weights instead of the group going to FAULT.'},
    'vrrp_sync_group.notify_priority_changes': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'garp_group': {'kind': 'block', 'repeatable': True, 'doc': 'No name.'},
    'garp_group.garp_interval': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': "Decimal seconds, up to 6 decimals; >= 1 s logs 'is very large'.", 'older': (('2.3.2', 'decimal', 0, 2147.483647),)},
    'garp_group.gna_interval': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': "Decimal seconds, up to 6 decimals; >= 1 s logs 'is very large'.", 'older': (('2.3.2', 'decimal', 0, 2147.483647),)},
    'garp_group.interface': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'repeatable': True, 'doc': 'Interface must exist (unless dynamic_interfaces) and not be a VMAC; one garp_group per interface.'},
    'garp_group.interfaces': {'kind': 'list', 'synopsis': '{ <interface> ... }', 'type': 'word', 'repeatable': True, 'doc': 'List block of interface names.'},
    'linkbeat_interfaces': {'kind': 'list', 'synopsis': '{ <interface> ... }', 'type': 'word', 'repeatable': True, 'doc': 'Root-level list block of interfaces to monitor with linkbeat (polling) instead of netlink.'},
    'vrrp_instance': {'kind': 'block', 'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'repeatable': True, 'doc': "Exactly one name, else the block is skipped ('vrrp_instance must have a name'); duplicate names are reported and the block skipped."},
    'vrrp_instance.use_vmac': {'synopsis': '[[name] <ifname>] [<MAC>] [netlink_notify_msg] [group <ifgroup>]', 'type': 'any', 'nargs_max': None, 'doc': "Words in any order: a word containing ':' is the VMAC MAC address (a 5-octet prefix means 'append the VRID'); 'group' needs a name from iproute2 rt_group; any other word is the interface name (must be a valid device name < 16 chars, unique across instances)."},
    'vrrp_instance.use_vmac_addr': {},
    'vrrp_instance.vmac_xmit_base': {'doc': 'Send adverts on the base interface instead of the VMAC.'},
    'vrrp_instance.use_ipvlan': {'synopsis': '[[name] <ifname>] [<ip>[/<prefix>]] [bridge|private|vepa] [group <ifgroup>]', 'type': 'any', 'nargs_max': None, 'duplicate': 'first', 'doc': 'Words in any order; a valid IP address is the ipvlan address (also used as source address); one of bridge/private/vepa; any other word is the interface name (< 16 chars).'},
    'vrrp_instance.unicast_peer': {'kind': 'list', 'synopsis': '{ <ip> [min_ttl <0..255>] [max_ttl <0..255>] ... }', 'type': 'ip', 'repeatable': True, 'doc': 'List block, one peer per line.'},
    'vrrp_instance.unicast_fault_no_peer': {},
    'vrrp_instance.check_unicast_src': {},
    'vrrp_instance.old_unicast_checksum': {'synopsis': '[never]', 'type': 'enum', 'enum': ('never',), 'nargs_max': 1},
    'vrrp_instance.native_ipv6': {'doc': 'Forces IPv6 and VRRP version 3; error if the instance already has IPv4 addresses.'},
    'vrrp_instance.state': {'synopsis': 'MASTER|BACKUP', 'type': 'enum', 'enum': ('MASTER', 'BACKUP'), 'nargs_min': 1, 'nargs_max': 1, 'duplicate': 'master', 'doc': "Case-sensitive (strcmp): 'master' is reported '(inst) unknown state 'master', defaulting to BACKUP'."},
    'vrrp_instance.interface': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Name must be < 16 chars (IFNAMSIZ).'},
    'vrrp_instance.vrf': {'synopsis': '<vrf interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'duplicate': 'first', 'doc': "< 16 chars; cannot be combined with 'interface'."},
    'vrrp_instance.dont_track_primary': {},
    'vrrp_instance.track_interface': {'kind': 'list', 'synopsis': '{ <interface> [weight <-253..253> [reverse]] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block; one tracked object per line.'},
    'vrrp_instance.track_script': {'kind': 'list', 'synopsis': '{ <vrrp_script name> [weight <-253..253> [reverse|noreverse]] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block; one tracked object per line.'},
    'vrrp_instance.track_file': {'kind': 'list', 'synopsis': '{ <track_file name> [weight <-254..254> [reverse|noreverse]] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block; one tracked object per line.'},
    'vrrp_instance.track_process': {'kind': 'list', 'synopsis': '{ <vrrp_track_process name> [weight <-254..254> [reverse|noreverse]] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block; one tracked object per line.'},
    'vrrp_instance.track_bfd': {'kind': 'list', 'synopsis': '{ <bfd_instance name> [weight <-253..253> [reverse|noreverse]] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block; one tracked object per line.'},
    'vrrp_instance.mcast_src_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Must be the same address family as the instance.'},
    'vrrp_instance.unicast_src_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Same as mcast_src_ip but also marks the instance as unicast.'},
    'vrrp_instance.mcast_dst_ip': {'synopsis': '<multicast ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'IPv4 multicast or IPv6 link-local multicast; must match the instance family.'},
    'vrrp_instance.track_src_ip': {},
    'vrrp_instance.virtual_router_id': {'synopsis': '<1..255>', 'type': 'int', 'min': 1, 'max': 255, 'nargs_min': 1, 'nargs_max': 1, 'doc': "Out of range: '(inst): VRID '%s' not valid - must be between 1 & 255' and the VRID stays unset (the instance is later rejected)."},
    'vrrp_instance.unicast_ttl': {'synopsis': '<0..255>', 'type': 'int', 'min': 0, 'max': 255, 'nargs_min': 1, 'nargs_max': 1},
    'vrrp_instance.version': {'synopsis': '2|3', 'type': 'int', 'min': 2, 'max': 3, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Conflicts with a version deduced earlier (e.g.'},
    'vrrp_instance.priority': {'synopsis': '<1..255>', 'type': 'int', 'min': 1, 'max': 255, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Out of range or not a number: reported and the priority is set to 100.'},
    'vrrp_instance.advert_int': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0.01, 'max': 255, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Decimal seconds, up to 6 decimals, 0.01..255 (VRRPv2 really only supports whole seconds, checked later).'},
    'vrrp_instance.virtual_ipaddress': {'kind': 'list', 'synopsis': '{ <ip>[/<prefix>] [dev <if>] [scope <scope>] [brd|broadcast <ip>|+|-] [label <label>] [peer <ip>] [home] [-nodad] [mngtmpaddr] [noprefixroute] [autojoin] [no_track] [preferred_lft forever|<n>] [use_vmac] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': "List block, one address per line (like 'ip address add')."},
    'vrrp_instance.virtual_ipaddress_excluded': {'kind': 'list', 'synopsis': '{ <ip>[/<prefix>] [dev <if>] [scope ...] [label ...] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'Same entry syntax as virtual_ipaddress; these addresses are not sent in adverts and may be of the other address family.'},
    'vrrp_instance.no_virtual_ipaddress': {'doc': 'Allows an instance with no virtual_ipaddress without a warning.'},
    'vrrp_instance.promote_secondaries': {},
    'vrrp_instance.linkbeat_use_polling': {'deprecated': 'a root `linkbeat_interfaces { ... }` block'},
    'vrrp_instance.v3_checksum_as_v2': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'vrrp_instance.virtual_routes': {'kind': 'list', 'synopsis': '{ [inet|inet6] [<type>] <dst>[/<prefix>]|default [src <ip>] [via <ip>] [dev <if>] [table <t>] [metric <n>] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block, one route per line, same syntax as static_routes entries (without track_group).'},
    'vrrp_instance.virtual_rules': {'kind': 'list', 'synopsis': '{ [from <ip>[/<p>]|all] [to <ip>[/<p>]] [table <t>] [priority <n>] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'List block, one rule per line, same syntax as static_rules entries (without track_group).'},
    'vrrp_instance.accept': {'doc': 'Only has an effect when built with iptables/nftables (_WITH_FIREWALL_); otherwise silently accepted.'},
    'vrrp_instance.no_accept': {},
    'vrrp_instance.skip_check_adv_addr': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': "Any valid boolean word turns the option ON - even 'false'/'off'/'no' (handler sets the flag whenever check_true_false() >= 0)."},
    'vrrp_instance.strict_mode': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'vrrp_instance.preempt': {'doc': 'Backwards compatibility only: clears a previous nopreempt; preempting is already the default.'},
    'vrrp_instance.nopreempt': {'doc': 'Only effective when the initial state is BACKUP (checked later).'},
    'vrrp_instance.preempt_delay': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'max': 1000, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Decimal seconds 0..1000 (TIMER_MAX_SEC); invalid: reported and set to 0.'},
    'vrrp_instance.debug': {'synopsis': '<0..4>', 'type': 'int', 'min': 0, 'max': 4, 'nargs_min': 1, 'nargs_max': 1},
    'vrrp_instance.notify_backup': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_instance.notify_master': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_instance.notify_fault': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_instance.notify_stop': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_instance.notify_deleted': {'synopsis': '[<script> [<user> [<group>]]]', 'type': 'script', 'nargs_max': None, 'duplicate': 'first', 'doc': "Without a script: send a 'deleted' notification (fifo) instead of 'stop'."},
    'vrrp_instance.notify': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_instance.notify_master_rx_lower_pri': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'vrrp_instance.smtp_alert': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'vrrp_instance.notify_priority_changes': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'vrrp_instance.lvs_sync_daemon_interface': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'deprecated': '`lvs_sync_daemon` in global_defs', 'duplicate': 'first'},
    'vrrp_instance.garp_master_delay': {'synopsis': '<seconds>', 'type': 'int', 'min': 0, 'max': 4294, 'nargs_min': 1, 'nargs_max': 1},
    'vrrp_instance.garp_master_refresh': {'synopsis': '<seconds>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': '0 = no refresh.'},
    'vrrp_instance.garp_master_repeat': {'synopsis': '<count>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': '0 is reported and changed to 1.'},
    'vrrp_instance.garp_master_refresh_repeat': {'synopsis': '<count>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': '0 is reported and changed to 1.'},
    'vrrp_instance.garp_lower_prio_delay': {'synopsis': '<seconds>', 'type': 'int', 'min': 0, 'max': 4294, 'nargs_min': 1, 'nargs_max': 1},
    'vrrp_instance.garp_lower_prio_repeat': {'synopsis': '<count>', 'type': 'int', 'min': 0, 'max': 2147483647, 'nargs_min': 1, 'nargs_max': 1},
    'vrrp_instance.down_timer_adverts': {'synopsis': '<1..100>', 'type': 'int', 'min': 1, 'max': 100, 'nargs_min': 1, 'nargs_max': 1},
    'vrrp_instance.timer_expired_backup': {'synopsis': '[<highest other priority 1..254>]', 'type': 'int', 'min': 1, 'max': 254, 'nargs_max': 1, 'doc': 'No argument = 254.'},
    'vrrp_instance.thread_timer_expired': {'synopsis': '[<1..254>]', 'type': 'int', 'min': 1, 'max': 254, 'nargs_max': 1, 'deprecated': 'timer_expired_backup'},
    'vrrp_instance.garp_extra_if': {'synopsis': '<seconds 0..86400> [all]', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'doc': 'Words in any order; without a time the keyword is reported and ignored.'},
    'vrrp_instance.vmac_garp_intvl': {'synopsis': '<seconds 0..86400> [all]', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'deprecated': 'garp_extra_if', 'doc': 'Words in any order; without a time the keyword is reported and ignored.'},
    'vrrp_instance.lower_prio_no_advert': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'vrrp_instance.higher_prio_send_advert': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'vrrp_instance.owner_ignore_adverts': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'vrrp_instance.kernel_rx_buf_size': {'synopsis': '<bytes>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one argument.'},
    'vrrp_instance.authentication': {'kind': 'block', 'doc': 'Sub-block holding auth_type/auth_pass.'},
    'vrrp_instance.authentication.auth_type': {'synopsis': 'PASS|AH', 'type': 'enum', 'enum': ('PASS', 'AH'), 'nargs_min': 1, 'nargs_max': 1, 'doc': "Case-sensitive; anything else is reported '(inst) unknown authentication type'."},
    'vrrp_instance.authentication.auth_pass': {'synopsis': '<password>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': "Only the first 8 characters are used (sizeof auth_data): longer passwords are truncated with 'Truncating auth_pass to 8 characters' (verified on 2.2.7)."},
    'vrrp_script': {'kind': 'block', 'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'repeatable': True},
    'vrrp_script.script': {'synopsis': '<command>', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'doc': 'Only the first word after the keyword is used: quote the whole command line ("/path/check arg1 arg2"); it is re-split honouring quotes and backslash escapes.'},
    'vrrp_script.interval': {'synopsis': '<seconds, up to 3 decimals>', 'type': 'decimal', 'min': 0, 'max': 4294, 'nargs_min': 1, 'nargs_max': 1, 'doc': '0 is reported and changed to 1 s. Whole seconds only before 2.3.2 (read_unsigned_strvec).', 'older': (('2.3.2', 'int', 0, 4294),)},
    'vrrp_script.timeout': {'synopsis': '<seconds, up to 3 decimals>', 'type': 'decimal', 'min': 0, 'max': 4294, 'nargs_min': 1, 'nargs_max': 1, 'doc': '0 is reported and changed to 1 s. Whole seconds only before 2.3.2 (read_unsigned_strvec).', 'older': (('2.3.2', 'int', 0, 4294),)},
    'vrrp_script.weight': {'synopsis': '<-253..253> [reverse]', 'type': 'int', 'min': -253, 'max': 253, 'nargs_min': 1, 'nargs_max': 2, 'doc': "Out of range is reported ('vrrp_script %s weight %s must be in [-253, 253]')."},
    'vrrp_script.rise': {'synopsis': '<1..2147483647>', 'type': 'int', 'min': 1, 'max': 2147483647, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Invalid: reported and set to 1.'},
    'vrrp_script.fall': {'synopsis': '<1..2147483647>', 'type': 'int', 'min': 1, 'max': 2147483647, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Invalid: reported and set to 1.'},
    'vrrp_script.user': {'synopsis': '<user> [<group>]', 'type': 'word', 'nargs_min': 1, 'nargs_max': 2, 'doc': 'User (and group) must exist, else the script is removed.'},
    'vrrp_script.init_fail': {},
    'vrrp_track_process': {'kind': 'block', 'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'repeatable': True, 'doc': "Reports 'no kernel support for track_process (CONFIG_PROC_EVENTS)' if the kernel lacks proc events."},
    'vrrp_track_process.process': {'synopsis': '<process name or path> [<param> ...]', 'type': 'word', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'With parameters, they must match the command line (param_match exact by default) and full_command is implied.'},
    'vrrp_track_process.param_match': {'synopsis': '[initial|partial]', 'type': 'enum', 'enum': ('initial', 'partial'), 'nargs_max': 1, 'doc': 'No argument = exact match.'},
    'vrrp_track_process.weight': {'synopsis': '<-254..254> [reverse]', 'type': 'int', 'min': -254, 'max': 254, 'nargs_min': 1, 'nargs_max': 2, 'duplicate': 'unset0', 'doc': 'A second weight is reported and ignored.'},
    'vrrp_track_process.quorum': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Must not exceed quorum_max (order matters).'},
    'vrrp_track_process.quorum_max': {'synopsis': '<0..65535>', 'type': 'int', 'min': 0, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'vrrp_track_process.delay': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 3600, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Sets both terminate_delay and fork_delay.'},
    'vrrp_track_process.terminate_delay': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 3600, 'nargs_min': 1, 'nargs_max': 1},
    'vrrp_track_process.fork_delay': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 3600, 'nargs_min': 1, 'nargs_max': 1},
    'vrrp_track_process.full_command': {},
    'interface_up_down_delays': {'kind': 'list', 'synopsis': '{ <interface> <down delay> [<up delay>] ... }', 'type': 'any', 'nargs_max': None, 'repeatable': True, 'doc': 'Root-level list block.'},
    'SSL': {'kind': 'block', 'doc': 'Root-level block with the SSL context for SSL_GET checkers.'},
    'SSL.password': {'synopsis': '<password>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': "A second value is reported ('Duplicate SSL - overwriting ...') and replaces the first."},
    'SSL.ca': {'synopsis': '<file>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'SSL.certificate': {'synopsis': '<file>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'SSL.key': {'synopsis': '<file>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server_group': {'kind': 'list', 'synopsis': '<name> { <ip>[-<last>|/<prefix>] [<port>] | fwmark <n> [inet|inet6] ... }', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'repeatable': True, 'doc': 'Root-level list block with a name.'},
    'virtual_server': {'kind': 'block', 'synopsis': '<ip> <port> | <ip> | fwmark <0..4294967295> | group <virtual_server_group name>', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'repeatable': True, 'doc': "An invalid address/port skips the whole block ('Invalid virtual server IP address/port ..."},
    'virtual_server.ip_family': {'synopsis': 'inet|inet6', 'type': 'enum', 'enum': ('inet', 'inet6'), 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Needed for fwmark/group virtual servers; must match the address family otherwise.'},
    'virtual_server.retry': {'synopsis': '<1..4294967295>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Default for the checkers of all real servers.'},
    'virtual_server.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.connect_timeout': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.inhibit_on_failure': {'doc': 'Default inhibit_on_failure for real servers.'},
    'virtual_server.lb_algo': {'synopsis': 'rr|wrr|lc|wlc|lblc|sh|mh|dh|fo|ovf|lblcr|sed|nq|twos', 'type': 'enum', 'enum': ('rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos'), 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Older name of lvs_sched (same handler); the man page documents only lvs_sched.'},
    'virtual_server.lvs_sched': {'synopsis': 'rr|wrr|lc|wlc|lblc|sh|mh|dh|fo|ovf|lblcr|sed|nq|twos', 'type': 'enum', 'enum': ('rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos'), 'nargs_min': 1, 'nargs_max': 1, 'doc': "Anything else: 'Invalid lvs_scheduler '%s' - ignoring'."},
    'virtual_server.hashed': {'doc': "Accepted but has no effect: with lvs_sched sh/mh it is silently ignored, otherwise it is reported as 'hashed only applies to sh scheduler - ignoring' (handler has no branch for it)."},
    'virtual_server.ops': {'doc': 'One-packet scheduling (IP_VS_SVC_F_ONEPACKET), for UDP.'},
    'virtual_server.flag-1': {'doc': 'Scheduler flag 1 (IP_VS_SVC_F_SCHED1).'},
    'virtual_server.flag-2': {'doc': 'Scheduler flag 2.'},
    'virtual_server.flag-3': {'doc': 'Scheduler flag 3.'},
    'virtual_server.sh-port': {'doc': "Only effective when 'lvs_sched sh' (or lb_algo sh) appears BEFORE it in the block; with lvs_sched mh before it, it is silently ignored; with any other or no scheduler yet it is reported as 'sh-port only applies to sh scheduler - ignoring' (verified on 2.2.7)."},
    'virtual_server.sh-fallback': {'doc': "Only effective when 'lvs_sched sh' (or lb_algo sh) appears BEFORE it in the block; with lvs_sched mh before it, it is silently ignored; with any other or no scheduler yet it is reported as 'sh-fallback only applies to sh scheduler - ignoring' (verified on 2.2.7)."},
    'virtual_server.mh-port': {'doc': "Only effective when 'lvs_sched mh' (or lb_algo mh) appears BEFORE it in the block; with lvs_sched sh before it, it is silently ignored; with any other or no scheduler yet it is reported as 'mh-port only applies to sh scheduler - ignoring' (verified on 2.2.7)."},
    'virtual_server.mh-fallback': {'doc': "Only effective when 'lvs_sched mh' (or lb_algo mh) appears BEFORE it in the block; with lvs_sched sh before it, it is silently ignored; with any other or no scheduler yet it is reported as 'mh-fallback only applies to sh scheduler - ignoring' (verified on 2.2.7)."},
    'virtual_server.lb_kind': {'synopsis': 'NAT|DR|TUN [type ipip|gue|gre] [port <1..65535>] [nocsum|csum|remcsum]', 'type': 'enum', 'enum': ('NAT', 'DR', 'TUN'), 'nargs_min': 1, 'nargs_max': 6, 'doc': 'Older name of lvs_method (same handler); the man page documents only lvs_method.'},
    'virtual_server.lvs_method': {'synopsis': 'NAT|DR|TUN [type ipip|gue|gre] [port <1..65535>] [nocsum|csum|remcsum]', 'type': 'enum', 'enum': ('NAT', 'DR', 'TUN'), 'nargs_min': 1, 'nargs_max': 6, 'doc': 'Method words are case-sensitive (strcmp).'},
    'virtual_server.persistence_engine': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'IPVS persistence engine (e.g.'},
    'virtual_server.persistence_timeout': {'synopsis': '[<seconds 1..2678400>]', 'type': 'int', 'min': 1, 'max': 2678400, 'nargs_max': 1, 'doc': 'No argument = 360 s.'},
    'virtual_server.persistence_granularity': {'synopsis': '<IPv4 netmask> | <IPv6 prefix 1..128>', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'doc': 'IPv4: a dotted netmask; IPv6: prefix length 1..128.'},
    'virtual_server.protocol': {'synopsis': 'TCP|UDP|SCTP', 'type': 'enum', 'enum': ('TCP', 'UDP', 'SCTP'), 'nargs_min': 1, 'nargs_max': 1, 'enum_case_sensitive': False, 'doc': 'Compared case-insensitively (strcasecmp).'},
    'virtual_server.ha_suspend': {},
    'virtual_server.smtp_alert': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.virtualhost': {'synopsis': '<hostname>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Default Host: header for HTTP_GET/SSL_GET checkers.'},
    'virtual_server.snmp_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one argument.'},
    'virtual_server.alpha': {},
    'virtual_server.omega': {},
    'virtual_server.quorum_up': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'virtual_server.quorum_down': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'virtual_server.quorum': {'synopsis': '<1..4294967295>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Invalid: reported and set to 1.'},
    'virtual_server.hysteresis': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.weight': {'synopsis': '<1..2147483647>', 'type': 'int', 'min': 1, 'max': 2147483647, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Weight of this virtual server in a virtual_server_group / quorum calculation (IPVS_WEIGHT_MAX = INT32_MAX).'},
    'virtual_server.sorry_server': {'synopsis': '<ip> [<port>]', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'doc': 'Port 0 or missing = no port.'},
    'virtual_server.sorry_server_inhibit': {'doc': "Must come after sorry_server, else 'Ignoring sorry_server inhibit used before or without sorry_server'."},
    'virtual_server.sorry_server_lvs_method': {'synopsis': 'NAT|DR|TUN [type ipip|gue|gre] [port <1..65535>] [nocsum|csum|remcsum]', 'type': 'enum', 'enum': ('NAT', 'DR', 'TUN'), 'nargs_min': 1, 'nargs_max': 6, 'doc': 'Must come after sorry_server.'},
    'virtual_server.real_server': {'kind': 'block', 'synopsis': '<ip> [<port>]', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'repeatable': True, 'doc': 'Port 1..65535; 0 or missing = no port.'},
    'virtual_server.real_server.weight': {'synopsis': '<0..2147483647>', 'type': 'int', 'min': 0, 'max': 2147483647, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.lvs_method': {'synopsis': 'NAT|DR|TUN [type ipip|gue|gre] [port <1..65535>] [nocsum|csum|remcsum]', 'type': 'enum', 'enum': ('NAT', 'DR', 'TUN'), 'nargs_min': 1, 'nargs_max': 6, 'doc': 'Method words are case-sensitive (strcmp).'},
    'virtual_server.real_server.uthreshold': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.lthreshold': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.inhibit_on_failure': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.notify_up': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'virtual_server.real_server.notify_down': {'synopsis': '<script> [<user> [<group>]]', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'duplicate': 'first', 'doc': 'The command and its arguments must be ONE word: quote it ("/path/script arg1 arg2"); it is re-split honouring single/double quotes and backslash escapes (notify_script_init).'},
    'virtual_server.real_server.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.retry': {'synopsis': '<1..4294967295>', 'type': 'int', 'min': 1, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.connect_timeout': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.smtp_alert': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.virtualhost': {'synopsis': '<hostname>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'A second value is reported and replaces the first.'},
    'virtual_server.real_server.snmp_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one argument.'},
    'virtual_server.real_server.MISC_CHECK': {'kind': 'block', 'repeatable': True, 'doc': 'Checker block; a real_server may have several checkers (all must succeed).'},
    'virtual_server.real_server.MISC_CHECK.retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.MISC_CHECK.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.MISC_CHECK.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.MISC_CHECK.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.MISC_CHECK.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.MISC_CHECK.log_all_failures': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.MISC_CHECK.misc_path': {'synopsis': '<command>', 'type': 'script', 'nargs_min': 1, 'nargs_max': None, 'doc': 'Only the first word after the keyword is used: quote the whole command line ("/path/check arg1 arg2"); it is re-split honouring quotes and backslash escapes.'},
    'virtual_server.real_server.MISC_CHECK.misc_timeout': {'synopsis': '<seconds>', 'type': 'int', 'min': 0, 'max': 4294, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.MISC_CHECK.misc_dynamic': {'doc': 'Exit codes 2..255 set the real server weight to exit code - 2.'},
    'virtual_server.real_server.MISC_CHECK.user': {'synopsis': '<user> [<group>]', 'type': 'word', 'nargs_min': 1, 'nargs_max': 2, 'doc': 'User must exist, else the checker is removed.'},
    'virtual_server.real_server.SMTP_CHECK': {'kind': 'block', 'repeatable': True, 'doc': 'Checker block; a real_server may have several checkers (all must succeed).'},
    'virtual_server.real_server.SMTP_CHECK.helo_name': {'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'A second value is reported and replaces the first.'},
    'virtual_server.real_server.SMTP_CHECK.connect_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Defaults to the real server address; must match the family of bindto.'},
    'virtual_server.real_server.SMTP_CHECK.connect_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SMTP_CHECK.bindto': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Source address; must match the family of connect_ip.'},
    'virtual_server.real_server.SMTP_CHECK.bind_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SMTP_CHECK.bind_if': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Needed for link-local IPv6 bindto; < 16 chars.'},
    'virtual_server.real_server.SMTP_CHECK.connect_timeout': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SMTP_CHECK.fwmark': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'SO_MARK set on the checker socket.'},
    'virtual_server.real_server.SMTP_CHECK.retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SMTP_CHECK.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SMTP_CHECK.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SMTP_CHECK.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SMTP_CHECK.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.SMTP_CHECK.log_all_failures': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.SMTP_CHECK.host': {'kind': 'block', 'repeatable': True, 'deprecated': 'one SMTP_CHECK block per host', 'doc': 'Legacy sub-block (source comment: deprecated, kept for compatibility); takes the connection keywords; defaults to the real server address.'},
    'virtual_server.real_server.SMTP_CHECK.host.connect_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Defaults to the real server address; must match the family of bindto.'},
    'virtual_server.real_server.SMTP_CHECK.host.connect_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SMTP_CHECK.host.bindto': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Source address; must match the family of connect_ip.'},
    'virtual_server.real_server.SMTP_CHECK.host.bind_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SMTP_CHECK.host.bind_if': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Needed for link-local IPv6 bindto; < 16 chars.'},
    'virtual_server.real_server.SMTP_CHECK.host.connect_timeout': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SMTP_CHECK.host.fwmark': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'SO_MARK set on the checker socket.'},
    'virtual_server.real_server.SMTP_CHECK.host.retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SMTP_CHECK.host.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SMTP_CHECK.host.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SMTP_CHECK.host.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SMTP_CHECK.host.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.SMTP_CHECK.host.log_all_failures': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.TCP_CHECK': {'kind': 'block', 'repeatable': True, 'doc': 'Checker block; a real_server may have several checkers (all must succeed).'},
    'virtual_server.real_server.TCP_CHECK.connect_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Defaults to the real server address; must match the family of bindto.'},
    'virtual_server.real_server.TCP_CHECK.connect_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.TCP_CHECK.bindto': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Source address; must match the family of connect_ip.'},
    'virtual_server.real_server.TCP_CHECK.bind_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.TCP_CHECK.bind_if': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Needed for link-local IPv6 bindto; < 16 chars.'},
    'virtual_server.real_server.TCP_CHECK.connect_timeout': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.TCP_CHECK.fwmark': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'SO_MARK set on the checker socket.'},
    'virtual_server.real_server.TCP_CHECK.retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.TCP_CHECK.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.TCP_CHECK.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.TCP_CHECK.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.TCP_CHECK.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.TCP_CHECK.log_all_failures': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.PING_CHECK': {'kind': 'block', 'repeatable': True, 'doc': 'Checker block; a real_server may have several checkers (all must succeed).'},
    'virtual_server.real_server.PING_CHECK.connect_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Defaults to the real server address; must match the family of bindto.'},
    'virtual_server.real_server.PING_CHECK.connect_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.PING_CHECK.bindto': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Source address; must match the family of connect_ip.'},
    'virtual_server.real_server.PING_CHECK.bind_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.PING_CHECK.bind_if': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Needed for link-local IPv6 bindto; < 16 chars.'},
    'virtual_server.real_server.PING_CHECK.connect_timeout': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.PING_CHECK.fwmark': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'SO_MARK set on the checker socket.'},
    'virtual_server.real_server.PING_CHECK.retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.PING_CHECK.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.PING_CHECK.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.PING_CHECK.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.PING_CHECK.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.PING_CHECK.log_all_failures': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.UDP_CHECK': {'kind': 'block', 'repeatable': True, 'doc': 'Checker block; a real_server may have several checkers (all must succeed).'},
    'virtual_server.real_server.UDP_CHECK.connect_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Defaults to the real server address; must match the family of bindto.'},
    'virtual_server.real_server.UDP_CHECK.connect_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.UDP_CHECK.bindto': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Source address; must match the family of connect_ip.'},
    'virtual_server.real_server.UDP_CHECK.bind_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.UDP_CHECK.bind_if': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Needed for link-local IPv6 bindto; < 16 chars.'},
    'virtual_server.real_server.UDP_CHECK.connect_timeout': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.UDP_CHECK.fwmark': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'SO_MARK set on the checker socket.'},
    'virtual_server.real_server.UDP_CHECK.retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.UDP_CHECK.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.UDP_CHECK.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.UDP_CHECK.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.UDP_CHECK.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.UDP_CHECK.log_all_failures': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.UDP_CHECK.payload': {'synopsis': '<hex bytes>', 'type': 'word', 'nargs_min': 1, 'nargs_max': None, 'doc': 'Hex string; spaces allowed between bytes (all words are joined).'},
    'virtual_server.real_server.UDP_CHECK.require_reply': {'synopsis': '[<hex bytes>]', 'type': 'word', 'nargs_max': None, 'doc': "Optional expected reply as hex; 'x'/'X' nibbles are wildcards."},
    'virtual_server.real_server.UDP_CHECK.min_reply_length': {'synopsis': '<0..65535>', 'type': 'int', 'min': 0, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.UDP_CHECK.max_reply_length': {'synopsis': '<0..65535>', 'type': 'int', 'min': 0, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.HTTP_GET': {'kind': 'block', 'repeatable': True, 'doc': 'Checker block; a real_server may have several checkers (all must succeed).'},
    'virtual_server.real_server.HTTP_GET.connect_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Defaults to the real server address; must match the family of bindto.'},
    'virtual_server.real_server.HTTP_GET.connect_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.HTTP_GET.bindto': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Source address; must match the family of connect_ip.'},
    'virtual_server.real_server.HTTP_GET.bind_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.HTTP_GET.bind_if': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Needed for link-local IPv6 bindto; < 16 chars.'},
    'virtual_server.real_server.HTTP_GET.connect_timeout': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.HTTP_GET.fwmark': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'SO_MARK set on the checker socket.'},
    'virtual_server.real_server.HTTP_GET.retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.HTTP_GET.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.HTTP_GET.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.HTTP_GET.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.HTTP_GET.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.HTTP_GET.log_all_failures': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.HTTP_GET.nb_get_retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'deprecated': 'retry'},
    'virtual_server.real_server.HTTP_GET.virtualhost': {'synopsis': '<hostname>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Host: header for all urls of this checker.'},
    'virtual_server.real_server.HTTP_GET.http_protocol': {'synopsis': '1.0|1.1|1.0C|1.0c', 'type': 'enum', 'enum': ('1.0', '1.1', '1.0C', '1.0c'), 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.HTTP_GET.enable_sni': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.HTTP_GET.fast_recovery': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.HTTP_GET.url': {'kind': 'block', 'repeatable': True, 'doc': 'Several url blocks per checker; each needs a path (checked at the end of the block).'},
    'virtual_server.real_server.HTTP_GET.url.path': {'synopsis': '<url path>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': "A second path is reported ('Duplicate path - overwriting ...') and replaces the first."},
    'virtual_server.real_server.HTTP_GET.url.digest': {'synopsis': '<32 hex digits>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'MD5 of the page body: exactly 32 hex characters, else reported and ignored.'},
    'virtual_server.real_server.HTTP_GET.url.status_code': {'synopsis': '<code>|<code>-<code> ...', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'repeatable': True, 'doc': 'One or more codes or ranges, each 100..599; invalid entries are reported individually.'},
    'virtual_server.real_server.HTTP_GET.url.virtualhost': {'synopsis': '<hostname>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.HTTP_GET.url.regex': {'synopsis': '<regex>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Read with quote and escape processing (alloc_strvec_quoted_escaped): exactly one (quoted) word.'},
    'virtual_server.real_server.HTTP_GET.url.regex_no_match': {},
    'virtual_server.real_server.HTTP_GET.url.regex_options': {'synopsis': '<option> ...', 'type': 'enum', 'enum': ('allow_empty_class', 'alt_bsux', 'auto_callout', 'caseless', 'dollar_endonly', 'dotall', 'dupnames', 'extended', 'firstline', 'match_unset_backref', 'multiline', 'never_ucp', 'never_utf', 'no_auto_capture', 'no_auto_possess', 'no_dotstar_anchor', 'no_start_optimize', 'ucp', 'ungreedy', 'utf', 'never_backslash_c', 'alt_circumflex', 'alt_verbnames', 'use_offset_limit'), 'nargs_min': 1, 'nargs_max': None, 'repeatable': True, 'doc': 'Unknown option words are silently ignored.'},
    'virtual_server.real_server.HTTP_GET.url.regex_min_offset': {'synopsis': '<offset>', 'type': 'int', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Parsed with strtoul; errors are only logged (not config errors).'},
    'virtual_server.real_server.HTTP_GET.url.regex_max_offset': {'synopsis': '<offset>', 'type': 'int', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Parsed with strtoul; errors are only logged.'},
    'virtual_server.real_server.HTTP_GET.url.regex_stack': {'synopsis': '<start> <max>', 'type': 'int', 'nargs_min': 2, 'nargs_max': 2, 'doc': 'PCRE2 JIT stack sizes; start must not exceed max; errors only logged.'},
    'virtual_server.real_server.SSL_GET': {'kind': 'block', 'repeatable': True, 'doc': 'Checker block; a real_server may have several checkers (all must succeed).'},
    'virtual_server.real_server.SSL_GET.connect_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Defaults to the real server address; must match the family of bindto.'},
    'virtual_server.real_server.SSL_GET.connect_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SSL_GET.bindto': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Source address; must match the family of connect_ip.'},
    'virtual_server.real_server.SSL_GET.bind_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SSL_GET.bind_if': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Needed for link-local IPv6 bindto; < 16 chars.'},
    'virtual_server.real_server.SSL_GET.connect_timeout': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SSL_GET.fwmark': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'SO_MARK set on the checker socket.'},
    'virtual_server.real_server.SSL_GET.retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SSL_GET.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SSL_GET.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SSL_GET.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.SSL_GET.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.SSL_GET.log_all_failures': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.SSL_GET.nb_get_retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'deprecated': 'retry'},
    'virtual_server.real_server.SSL_GET.virtualhost': {'synopsis': '<hostname>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Host: header for all urls of this checker.'},
    'virtual_server.real_server.SSL_GET.http_protocol': {'synopsis': '1.0|1.1|1.0C|1.0c', 'type': 'enum', 'enum': ('1.0', '1.1', '1.0C', '1.0c'), 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SSL_GET.enable_sni': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.SSL_GET.fast_recovery': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.SSL_GET.tls_compliant': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.SSL_GET.url': {'kind': 'block', 'repeatable': True, 'doc': 'Several url blocks per checker; each needs a path (checked at the end of the block).'},
    'virtual_server.real_server.SSL_GET.url.path': {'synopsis': '<url path>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': "A second path is reported ('Duplicate path - overwriting ...') and replaces the first."},
    'virtual_server.real_server.SSL_GET.url.digest': {'synopsis': '<32 hex digits>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'MD5 of the page body: exactly 32 hex characters, else reported and ignored.'},
    'virtual_server.real_server.SSL_GET.url.status_code': {'synopsis': '<code>|<code>-<code> ...', 'type': 'any', 'nargs_min': 1, 'nargs_max': None, 'repeatable': True, 'doc': 'One or more codes or ranges, each 100..599; invalid entries are reported individually.'},
    'virtual_server.real_server.SSL_GET.url.virtualhost': {'synopsis': '<hostname>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.SSL_GET.url.regex': {'synopsis': '<regex>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Read with quote and escape processing (alloc_strvec_quoted_escaped): exactly one (quoted) word.'},
    'virtual_server.real_server.SSL_GET.url.regex_no_match': {},
    'virtual_server.real_server.SSL_GET.url.regex_options': {'synopsis': '<option> ...', 'type': 'enum', 'enum': ('allow_empty_class', 'alt_bsux', 'auto_callout', 'caseless', 'dollar_endonly', 'dotall', 'dupnames', 'extended', 'firstline', 'match_unset_backref', 'multiline', 'never_ucp', 'never_utf', 'no_auto_capture', 'no_auto_possess', 'no_dotstar_anchor', 'no_start_optimize', 'ucp', 'ungreedy', 'utf', 'never_backslash_c', 'alt_circumflex', 'alt_verbnames', 'use_offset_limit'), 'nargs_min': 1, 'nargs_max': None, 'repeatable': True, 'doc': 'Unknown option words are silently ignored.'},
    'virtual_server.real_server.SSL_GET.url.regex_min_offset': {'synopsis': '<offset>', 'type': 'int', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Parsed with strtoul; errors are only logged (not config errors).'},
    'virtual_server.real_server.SSL_GET.url.regex_max_offset': {'synopsis': '<offset>', 'type': 'int', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Parsed with strtoul; errors are only logged.'},
    'virtual_server.real_server.SSL_GET.url.regex_stack': {'synopsis': '<start> <max>', 'type': 'int', 'nargs_min': 2, 'nargs_max': 2, 'doc': 'PCRE2 JIT stack sizes; start must not exceed max; errors only logged.'},
    'virtual_server.real_server.SSL_GET.url.tls_compliant': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.DNS_CHECK': {'kind': 'block', 'repeatable': True, 'doc': 'Checker block; a real_server may have several checkers (all must succeed).'},
    'virtual_server.real_server.DNS_CHECK.connect_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Defaults to the real server address; must match the family of bindto.'},
    'virtual_server.real_server.DNS_CHECK.connect_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.DNS_CHECK.bindto': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Source address; must match the family of connect_ip.'},
    'virtual_server.real_server.DNS_CHECK.bind_port': {'synopsis': '<1..65535>', 'type': 'int', 'min': 1, 'max': 65535, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.DNS_CHECK.bind_if': {'synopsis': '<interface>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Needed for link-local IPv6 bindto; < 16 chars.'},
    'virtual_server.real_server.DNS_CHECK.connect_timeout': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'max': 4294.967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.DNS_CHECK.fwmark': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'SO_MARK set on the checker socket.'},
    'virtual_server.real_server.DNS_CHECK.retry': {'synopsis': '<0..4294967295>', 'type': 'int', 'min': 0, 'max': 4294967295, 'nargs_min': 1, 'nargs_max': 1},
    'virtual_server.real_server.DNS_CHECK.delay_before_retry': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.DNS_CHECK.warmup': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 0, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.DNS_CHECK.delay_loop': {'synopsis': '<seconds, decimal>', 'type': 'decimal', 'min': 1e-06, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'read_timer(): decimal seconds with up to 6 decimal places.'},
    'virtual_server.real_server.DNS_CHECK.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.DNS_CHECK.log_all_failures': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'virtual_server.real_server.DNS_CHECK.type': {'synopsis': 'A|NS|CNAME|SOA|MX|TXT|AAAA|RRSIG|DNSKEY', 'type': 'enum', 'enum': ('A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA', 'RRSIG', 'DNSKEY'), 'nargs_min': 1, 'nargs_max': 1, 'enum_case_sensitive': False, 'doc': 'Compared case-insensitively (strcasecmp).'},
    'virtual_server.real_server.DNS_CHECK.name': {'synopsis': '<domain name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Empty labels (e.g.'},
    'virtual_server.real_server.FILE_CHECK': {'kind': 'block', 'repeatable': True, 'doc': 'Checker block; a real_server may have several checkers (all must succeed).'},
    'virtual_server.real_server.FILE_CHECK.track_file': {'synopsis': '<track_file name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': "Must name a root-level track_file block defined earlier ('track_file %s not found')."},
    'virtual_server.real_server.FILE_CHECK.weight': {'synopsis': '<-2147483647..2147483647> [reverse|noreverse]', 'type': 'int', 'min': -2147483647, 'max': 2147483647, 'nargs_min': 1, 'nargs_max': 2},
    'virtual_server.real_server.BFD_CHECK': {'kind': 'block', 'repeatable': True, 'doc': 'Checker block; a real_server may have several checkers (all must succeed).'},
    'virtual_server.real_server.BFD_CHECK.name': {'synopsis': '<bfd_instance name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Exactly one name of a bfd_instance, < 32 chars; otherwise the checker is removed.'},
    'virtual_server.real_server.BFD_CHECK.alpha': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted'},
    'bfd_instance': {'kind': 'block', 'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'repeatable': True, 'doc': 'Name must be < 32 chars (BFD_INAME_MAX) and unique, else the block is skipped.'},
    'bfd_instance.source_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1},
    'bfd_instance.neighbor_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Mandatory.'},
    'bfd_instance.neighbour_ip': {'synopsis': '<ip>', 'type': 'ip', 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Mandatory.'},
    'bfd_instance.min_rx': {'synopsis': '<milliseconds, up to 3 decimals>', 'type': 'decimal', 'min': 1, 'max': 4294967, 'nargs_min': 1, 'nargs_max': 1, 'doc': "> 10000 ms logs 'larger than max sensible'."},
    'bfd_instance.min_tx': {'synopsis': '<milliseconds, up to 3 decimals>', 'type': 'decimal', 'min': 1, 'max': 4294967, 'nargs_min': 1, 'nargs_max': 1, 'doc': "> 10000 ms logs 'larger than max sensible'."},
    'bfd_instance.idle_tx': {'synopsis': '<milliseconds, up to 3 decimals>', 'type': 'decimal', 'min': 1000, 'max': 4294967, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Default 1000 ms.'},
    'bfd_instance.multiplier': {'synopsis': '<1..255>', 'type': 'int', 'min': 1, 'max': 255, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Default 5.'},
    'bfd_instance.passive': {},
    'bfd_instance.ttl': {'synopsis': '<1..255>', 'type': 'int', 'min': 1, 'max': 255, 'nargs_min': 1, 'nargs_max': 1},
    'bfd_instance.hoplimit': {'synopsis': '<1..255>', 'type': 'int', 'min': 1, 'max': 255, 'nargs_min': 1, 'nargs_max': 1, 'doc': 'Synonym of ttl (IPv6 wording); same handler.'},
    'bfd_instance.max_hops': {'synopsis': '<-1..255>', 'type': 'int', 'min': -1, 'max': 255, 'nargs_min': 1, 'nargs_max': 1, 'doc': '-1 = do not check the received TTL.'},
    'bfd_instance.multihop': {'synopsis': '[on|off|true|false|yes|no]', 'type': 'bool', 'enum': ('true', 'on', 'yes', 'false', 'off', 'no'), 'nargs_max': 1, 'doc': 'no argument means on; the value is checked by check_true_false(): only the lower-case words true/on/yes and false/off/no are accepted Multihop uses port 4784 instead of 3784.'},
    'bfd_instance.weight': {'synopsis': '<-253..253> [reverse]', 'type': 'int', 'min': -253, 'max': 253, 'nargs_min': 1, 'nargs_max': 2, 'doc': 'Only used by the VRRP process (track_bfd default weight).'},
    'bfd_instance.vrrp': {'doc': 'Send events only to the VRRP process (default: every process that tracks it).'},
    'bfd_instance.checker': {'doc': 'Send events only to the checker process.'},
    'track_file': {'kind': 'block', 'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'repeatable': True, 'doc': 'Root-level block defining a tracked file, referenced by track_file blocks in vrrp_instance/vrrp_sync_group and by FILE_CHECK.'},
    'track_file.file': {'synopsis': '<path>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'duplicate': 'first', 'doc': "The file must contain an integer; a second 'file' is reported and ignored."},
    'track_file.weight': {'synopsis': '<-254..254> [reverse]', 'type': 'int', 'min': -254, 'max': 254, 'nargs_min': 1, 'nargs_max': 2, 'duplicate': 'unset1', 'doc': 'Default 1.'},
    'track_file.init_file': {'synopsis': '[<int>] [overwrite]', 'type': 'any', 'nargs_max': None, 'doc': "Create the file if missing with the given value (default 0); 'overwrite' writes it even if it exists."},
    'vrrp_track_file': {'kind': 'block', 'synopsis': '<name>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'repeatable': True, 'deprecated': 'track_file'},
    'vrrp_track_file.file': {'synopsis': '<path>', 'type': 'word', 'nargs_min': 1, 'nargs_max': 1, 'duplicate': 'first', 'doc': "The file must contain an integer; a second 'file' is reported and ignored."},
    'vrrp_track_file.weight': {'synopsis': '<-254..254> [reverse]', 'type': 'int', 'min': -254, 'max': 254, 'nargs_min': 1, 'nargs_max': 2, 'duplicate': 'unset1', 'doc': 'Default 1.'},
    'vrrp_track_file.init_file': {'synopsis': '[<int>] [overwrite]', 'type': 'any', 'nargs_max': None, 'doc': "Create the file if missing with the given value (default 0); 'overwrite' writes it even if it exists."},
}
# fmt: on


# --- reading keepalived's keyword registration -------------------------------------

_INSTALLS = ("install_keyword_root", "install_keyword", "install_keyword_quoted")


@dataclass
class Release:
    """The keywords one release registers, in registration order."""

    handlers: dict[str, list[str]] = field(default_factory=dict)  # path -> handler ids (handler_id)
    functions: dict[str, list[Function]] = field(default_factory=dict)  # name -> definitions
    _last: list[str] = field(default_factory=list, init=False)  # the newest keyword at each level
    _sublevel: int = field(default=0, init=False)

    def lookup(self, name: str, file: str) -> Function | None:
        """The function ``name`` as code in ``file`` sees it: its own static one first
        (handlers like vrrp_track_file_handler exist in several files)."""
        found = self.functions.get(name, [])
        return next((f for f in found if f.file == file), found[0] if found else None)

    def handler_id(self, name: str, file: str) -> str:
        """``file:name`` of the handler ``name`` used in ``file`` (``NULL`` stays as it is)."""
        func = self.lookup(name, file)
        return f"{func.file}:{name}" if func else name

    def install(self, name: str, handler: str, root: bool) -> None:
        """Mirror keyword_alloc_sub(): a keyword goes under the newest one ``sublevel`` deep."""
        if root:
            self._last, self._sublevel = [name], 0
        elif self._last:
            self._last = self._last[:self._sublevel + 1] + [name]
        else:
            raise ValueError(f"keyword {name!r} installed before any root keyword")
        known = self.handlers.setdefault(".".join(self._last), [])
        if handler not in known:
            known.append(handler)

    def run(self, func: Function, env: dict[str, list[str]], depth: int = 0) -> None:
        """Follow the calls in ``func`` that register keywords.

        ``env`` binds parameters to the caller's argument tokens, so that helpers like
        install_http_ssl_check_keyword("SSL_GET") or install_checker_common_keywords(false)
        register what they register for that caller.
        """
        body = func.body
        i = 0
        while i + 1 < len(body):
            if body[i] == "if" and body[i + 1] == "(":
                end = past_close(body, i + 1)
                verdict = self._condition(body[i + 2:end - 1], env)
                i = end
                if verdict is False:
                    i = self._skip_statement(body, i)
                    if i < len(body) and body[i] == "else":
                        i += 1
                continue
            if IDENT.fullmatch(body[i]) and i + 1 < len(body) and body[i + 1] == "(":
                end = past_close(body, i + 1)
                self._call(func.file, body[i], split_args(body[i + 2:end - 1]), env, depth)
                i = end
                continue
            i += 1

    def _call(self, file: str, name: str, args: list[list[str]], env: dict[str, list[str]], depth: int) -> None:
        if name in _INSTALLS:
            word = _value(args[0], env)
            if not word.startswith('"'):
                raise ValueError(f"cannot tell which keyword {name}({' '.join(args[0])}) installs")
            handler = self.handler_id(_value(args[1], env), file)
            self.install(word[1:-1], handler, name == "install_keyword_root")
        elif name == "install_sublevel":
            self._sublevel += 1
        elif name == "install_sublevel_end":
            self._sublevel -= 1
        elif (func := self.lookup(name, file)) is not None and depth < 20:  # 20: far deeper than keepalived nests
            self.run(func, {p: [_value(a, env)] for p, a in zip(func.params, args)}, depth + 1)

    @staticmethod
    def _condition(cond: list[str], env: dict[str, list[str]]) -> bool | None:
        """``param``, ``!param`` or ``!strcmp(param, "WORD")`` on a bound parameter, else None
        (unknown: both branches run, as for #if)."""
        text = "".join(cond)
        flag = re.fullmatch(r"(!?)(\w+)", text)
        if flag and flag.group(2) in env and _value(env[flag.group(2)], {}) in ("true", "false"):
            return (_value(env[flag.group(2)], {}) == "true") != bool(flag.group(1))
        same = re.fullmatch(r'(!?)strcmp\((\w+),("[^"]*")\)', text)
        if same and same.group(2) in env and _value(env[same.group(2)], {}).startswith('"'):
            return (_value(env[same.group(2)], {}) == same.group(3)) == bool(same.group(1))
        return None

    @staticmethod
    def _skip_statement(body: list[str], i: int) -> int:
        if i < len(body) and body[i] == "{":
            return past_close(body, i)
        while i < len(body) and body[i] != ";":
            i = past_close(body, i) if body[i] in ("(", "{", "[") else i + 1
        return i + 1


def _value(arg: list[str], env: dict[str, list[str]]) -> str:
    """An argument as one word: a string literal, a handler name or a parameter's binding."""
    if "?" in arg and ":" in arg:  # want_handler ? handler : ignore_handler: the real handler
        arg = arg[arg.index("?") + 1:arg.index(":")]
    arg = [t for t in arg if t not in ("&", "(", ")")]
    if len(arg) == 1 and arg[0] in env:
        return " ".join(env[arg[0]])
    return " ".join(arg)


def read_release(git_dir: str, tag: str) -> Release:
    """The keyword registrations of one tagged release of keepalived."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "--git-dir", git_dir, *args], capture_output=True, text=True,
                              errors="replace", check=True).stdout

    release = Release()
    for blob in git("grep", "-l", "-E", r"install_keyword|_init_keywords", tag, "--", "*.c").split():
        for name, func in functions(c_tokens(git("show", blob)), blob.split(":", 1)[1]).items():
            release.functions.setdefault(name, []).append(func)
    for entry in ENTRY_POINTS:
        for func in release.functions.get(entry, []):
            release.run(func, {})
    if not release.handlers:
        raise SystemExit(f"{tag}: no keyword registrations found")
    return release


# --- reading what each handler does with its first argument ------------------------

#: keepalived's reader functions: the value kind, and where the minimum, maximum and
#: decimal shift are among the call's arguments (the first two are ``strvec, index``).
#: ``timer`` is read_timer(): decimal seconds in microseconds.
_READERS: dict[str, tuple[str, int, int, int | None]] = {
    "read_int_strvec": ("int", 3, 4, None),
    "read_unsigned_strvec": ("int", 3, 4, None),
    "read_unsigned64_strvec": ("int", 3, 4, None),
    "read_unsigned_base_strvec": ("int", 4, 5, None),
    "read_decimal_unsigned_strvec": ("decimal", 3, 4, 5),
    "read_timer": ("timer", 3, 4, None),
}
#: The C limits the ranges use (from <limits.h>/<stdint.h>, not keepalived's source).
_C_LIMITS = {
    "UINT_MAX": 4294967295, "INT_MAX": 2147483647, "INT_MIN": -2147483648, "UINT32_MAX": 4294967295,
    "INT32_MAX": 2147483647, "INT32_MIN": -2147483648, "UINT16_MAX": 65535, "UINT8_MAX": 255,
    "UINT64_MAX": 18446744073709551615,
}
_DEFINE = re.compile(r"^\s*#\s*define\s+([A-Z_][A-Z0-9_]*)[ \t]+(.+)$", re.MULTILINE)
_TIMER_HZ = 1000000


@dataclass(frozen=True)
class Reading:
    """How a handler reads its first argument: ``int``, ``decimal`` or ``bool``, with the
    range in the unit a config writes (None: not a constant the tool can evaluate)."""

    type: str
    min: float | None = None
    max: float | None = None
    places: int = 0  # decimal places kept (the reader's shift)
    lenient: bool = False  # ignore_error: outside -t an invalid number's leading part is used


def _evaluate(toks: list[str], consts: dict[str, str], depth: int = 0) -> float | None:
    """A constant integer expression of C tokens (``UINT_MAX / TIMER_HZ``, ``3600U * TIMER_HZ``)."""
    words = []
    for tok in toks:
        if tok in _C_LIMITS:
            words.append(str(_C_LIMITS[tok]))
        elif tok in consts and depth < 10:
            value = _evaluate(c_tokens(consts[tok]), consts, depth + 1)
            if value is None:
                return None
            words.append(repr(value))
        elif re.fullmatch(r"\d+[UuLl]*", tok):
            words.append(tok.rstrip("UuLl"))
        elif tok in ("+", "-", "*", "/", "(", ")"):
            words.append("//" if tok == "/" else tok)
        else:
            return None
    try:
        return _arith(ast.parse(" ".join(words), mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError):
        return None


def _arith(node: ast.expr) -> int:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_arith(node.operand)
    if isinstance(node, ast.BinOp):
        left, right = _arith(node.left), _arith(node.right)
        ops = {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}
        if isinstance(node.op, ast.FloorDiv):
            return int(left / right)  # C truncates toward zero
        if type(node.op) in ops:
            return ops[type(node.op)]
    raise ValueError("not a constant expression")


def _first_reading(func: Function, release: Release, consts: dict[str, str], depth: int = 0) -> Reading | None:
    """The first read of ``strvec`` slot 1 in ``func`` (or in a function it hands
    ``strvec`` to), as a Reading."""
    body = func.body
    for i, tok in enumerate(body[:-1]):
        if body[i + 1] != "(":
            continue
        args = split_args(body[i + 2:past_close(body, i + 1) - 1])
        if tok in _READERS and len(args) > 2 and args[:2] == [["strvec"], ["1"]]:
            kind, lo, hi, shift = _READERS[tok]
            low = _evaluate(args[lo], consts) if len(args) > lo else None
            high = _evaluate(args[hi], consts) if len(args) > hi else None
            if kind == "timer" and high == 0:  # read_timer(): 0 means TIMER_MAXIMUM, no real limit
                high = None
            places = 6 if kind == "timer" else int(_evaluate(args[shift], consts) or 0) if shift else 0
            lenient = args[-1] == ["true"]
            return Reading("decimal" if kind == "timer" else kind, _scaled(low, 10 ** places),
                           _scaled(high, 10 ** places), places, lenient)
        if tok == "check_true_false" and "".join(args[0] if args else []) in ("strvec_slot(strvec,1)",
                                                                                "vector_slot(strvec,1)"):
            return Reading("bool")
        called = release.lookup(tok, func.file)
        if called is not None and ["strvec"] in args and depth < 3 and called is not func:
            found = _first_reading(called, release, consts, depth + 1)
            if found:
                return found
    return None


def _scaled(value: float | None, scale: int) -> float | None:
    if value is None:
        return None
    return value // scale if value % scale == 0 else value / scale


def read_readings(git_dir: str, tag: str, release: Release) -> dict[str, Reading]:
    """How each keyword's handler in ``release`` reads its first argument, by path."""
    text = subprocess.run(["git", "--git-dir", git_dir, "grep", "-h", "-E", r"^\s*#\s*define\s+[A-Z_][A-Z0-9_]*\s",
                           tag, "--", "*.h", "*.c"], capture_output=True, text=True, errors="replace").stdout
    consts: dict[str, str] = {}
    for name, value in _DEFINE.findall(text):
        consts.setdefault(name, re.sub(r"/\*.*?(\*/|$)|//.*", "", value).strip())
    found: dict[str, Reading] = {}
    for path, handlers in release.handlers.items():
        for handler in handlers:
            func = _definition(handler, release)
            reading = _first_reading(func, release, consts) if func else None
            if reading:
                found[path] = reading
                break
    return found


# --- merging with HAND -------------------------------------------------------------

@dataclass
class Source:
    """What the releases say: paths in registration order, first release, aliases, blocks."""

    since: dict[str, str]
    removed: dict[str, str]
    aliases: dict[str, str]
    blocks: set[str]
    readings: dict[str, dict[str, Reading]] = field(default_factory=dict)  # version -> path -> Reading


def read_source(git_dir: str, tags: tuple[str, ...]) -> Source:
    since: dict[str, str] = {}
    removed: dict[str, str] = {}
    newest: dict[str, Release] = {}
    readings: dict[str, dict[str, Reading]] = {}
    for tag in tags:
        release = read_release(git_dir, tag)
        readings[tag.lstrip("v")] = read_readings(git_dir, tag, release)
        for path in release.handlers:
            since.setdefault(path, tag.lstrip("v"))
            newest[path] = release
            removed.pop(path, None)
        for path in since.keys() - release.handlers.keys():
            removed.setdefault(path, tag.lstrip("v"))
    # registration order of the newest release, then what it no longer has
    order = list(release.handlers) + [p for p in since if p not in release.handlers]
    since = {path: since[path] for path in order}
    blocks = {path.rpartition(".")[0] for path in since} - {""}
    aliases: dict[str, str] = {}
    for path in since:
        alias = _alias_target(path, newest[path])
        if alias:
            aliases[path] = alias
    return Source(since, removed, aliases, blocks, readings)


def _alias_target(path: str, release: Release) -> str | None:
    """The sibling ``path`` is another name for, judged from the handlers.

    Another name: a sibling registered with the same handler function, or one whose
    handler the handler of ``path`` calls after at most logging (keepalived's
    deprecated names warn and call the new handler). A handler that reads the keyword's
    own name (``strvec_slot(strvec, 0)``) may treat the names differently (lvs flags,
    HTTP_GET/SSL_GET), so sharing it makes an alias only of a name HAND calls
    deprecated. Of two names sharing one handler the deprecated one is the alias; else
    the one not in PREFERRED; else the later registered.
    """
    parent = path.rpartition(".")[0]
    mine = [h for h in release.handlers[path] if h != "NULL"]
    reads_name = any(_reads_own_name(_definition(h, release)) for h in mine)
    for other in release.handlers:
        if other == path or other.rpartition(".")[0] != parent:
            continue
        theirs = release.handlers[other]
        if set(mine) & set(theirs):
            if (not reads_name or HAND.get(path, {}).get("deprecated")) and _is_alias_of(path, other, release):
                return other
        elif any(_calls(_definition(h, release), theirs, release) for h in mine):
            return other
    return None


def _definition(handler: str, release: Release) -> Function | None:
    file, _, name = handler.rpartition(":")
    return release.lookup(name, file)


def _reads_own_name(func: Function | None) -> bool:
    body = func.body if func else []
    return any(body[i:i + 6] == ["strvec_slot", "(", "strvec", ",", "0", ")"] for i, tok in enumerate(body)
               if tok == "strvec_slot")


def _calls(func: Function | None, handlers: list[str], release: Release) -> bool:
    """Whether ``func`` only hands its strvec on to one of ``handlers``, besides logging
    (a wrapper that also sets something, like unicast_src_ip's, is not another name)."""
    if func is None:
        return False
    body = func.body
    rest: list[str] = []
    i = 0
    while i < len(body):
        if body[i] in ("log_message", "report_config_error"):
            i = past_close(body, i + 1) + 1  # the call and its ";"
        else:
            rest.append(body[i])
            i += 1
    called = re.fullmatch(r"(\w+)\(strvec\);", "".join(rest).replace("if(!strvec)return;", ""))
    return called is not None and release.handler_id(called.group(1), func.file) in handlers


def _is_alias_of(path: str, other: str, release: Release) -> bool:
    deprecated = [bool(HAND.get(p, {}).get("deprecated")) for p in (path, other)]
    if deprecated[0] != deprecated[1]:
        return deprecated[0]
    if (path in PREFERRED) != (other in PREFERRED):
        return other in PREFERRED
    order = list(release.handlers)
    return order.index(path) > order.index(other)


def merge(source: Source, versions: tuple[str, ...]) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of keywords_data.py, and the problems found on the way."""
    problems = [f"{p}: in the source, not in HAND" for p in source.since if p not in HAND]
    problems += [f"{p}: in HAND, not in the source" for p in HAND if p not in source.since]
    problems += [f"{p}: removed in {v} (keywords_data.py has no field for that)" for p, v in source.removed.items()]
    rows = []
    for path in source.since:
        if path not in HAND:
            continue
        row: dict[str, Any] = {"path": path, **{name: default for name, _, default in FIELDS}}
        reading = next((found[path] for found in reversed(source.readings.values()) if path in found), None)
        row.update(HAND[path], since=source.since[path], alias_of=source.aliases.get(path),
                   places=reading.places if reading else 0, lenient=reading.lenient if reading else False)
        if (row["kind"] == "block") != (path in source.blocks):
            problems.append(f"{path}: HAND says kind {row['kind']!r}; the source "
                            f"{'nests' if path in source.blocks else 'does not nest'} keywords under it")
            row["kind"] = "block" if path in source.blocks else "statement"
        rows.append(row)
    problems += value_problems(rows, source.readings)
    return rows, problems


def value_in(row: dict[str, Any], version: str) -> tuple[str, float | None, float | None]:
    """The value kind and range ``row`` gives for ``version`` (``older`` holds what held
    before a release; kalint.model.schema.value_spec reads it the same way)."""
    key = _version_key(version)
    for until, kind, low, high in row["older"]:
        if key < _version_key(until):
            return kind, low, high
    return row["type"], row["min"], row["max"]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def value_problems(rows: list[dict[str, Any]], readings: dict[str, dict[str, Reading]]) -> list[str]:
    """Every release and path where the handler reads a value unlike HAND says, so that
    value kinds and ranges agree with each release by construction."""
    problems = []
    for version, found in readings.items():
        for row in rows:
            path = row["path"]
            if row["since"] and _version_key(version) < _version_key(row["since"]):
                continue
            kind, low, high = value_in(row, version)
            reading = found.get(path)
            if reading is None:
                if kind in READ_KINDS and path not in READ_OTHERWISE:
                    problems.append(f"{path}: {version}'s handler reads no {kind}, HAND says {kind}")
                continue
            if kind in ("any", "enum") or path in NARROWER:
                continue
            if kind != reading.type:
                problems.append(f"{path}: {version}'s handler reads {_shown(reading.type, reading.min, reading.max)}, "
                                f"HAND says {_shown(kind, low, high)}")
            elif kind != "bool" and any(seen is not None and seen != said
                                        for seen, said in ((reading.min, low), (reading.max, high))):
                problems.append(f"{path}: {version}'s handler reads {_shown(reading.type, reading.min, reading.max)}, "
                                f"HAND says {_shown(kind, low, high)}")
    return problems


def _shown(kind: str, low: float | None, high: float | None) -> str:
    return kind if kind in ("bool", "none") else f"{kind} {low}..{high}"


# --- writing keywords_data.py ------------------------------------------------------

HEADER = '''"""keepalived's keywords as data (generated by tools/gen_schema.py; edit that, not this).

Paths, the release that first has each, blocks and aliases are read from keepalived's
source; the rest is the tool's hand-kept table. A row leaves out every field equal to
its default in ``Keyword``; ``kalint.model.schema.KeywordSpec`` documents the fields.
"""

from typing import NamedTuple

'''


def render(rows: list[dict[str, Any]], versions: tuple[str, ...]) -> str:
    out = [HEADER, f"VERSIONS = {versions!r}\n\n\n", "class Keyword(NamedTuple):\n",
           '    """One keyword path (kalint.model.schema.KeywordSpec says what each field means)."""\n\n',
           "    path: str\n"]
    defaults = {name: default for name, _, default in FIELDS} | {"since": versions[0]}
    for name, annotation, _ in FIELDS:
        out.append(f"    {name}: {annotation} = {defaults[name]!r}\n")
    out.append("\n\n# fmt: off\nKEYWORDS = (\n")
    for row in rows:
        args = [f"path={row['path']!r}"]
        args += [f"{name}={row[name]!r}" for name, *_ in FIELDS if row[name] != defaults[name]]
        out.append(f"    Keyword({', '.join(args)}),\n")
    out.append(")\n")
    return "".join(out)


# --- checking ----------------------------------------------------------------------

def differences(expected: list[dict[str, Any]], current: list[dict[str, Any]],
                fields: tuple[str, ...]) -> list[str]:
    """Every path one list has and the other lacks, and every field of ``fields`` they
    disagree on (expected value first)."""
    want = {row["path"]: row for row in expected}
    have = {row["path"]: row for row in current}
    found = [f"{p}: new (not in keywords_data.py)" for p in want if p not in have]
    found += [f"{p}: gone (only in keywords_data.py)" for p in have if p not in want]
    for path in want.keys() & have.keys():
        found += [f"{path}: {name} {want[path][name]!r}, keywords_data.py has {have[path][name]!r}"
                  for name in fields if want[path][name] != have[path][name]]
    return sorted(found)


def hand_rows() -> list[dict[str, Any]]:
    """HAND with the defaults filled in, for comparing with keywords_data.py."""
    defaults = {name: default for name, _, default in FIELDS}
    return [{"path": path, **defaults, **facts} for path, facts in HAND.items()]


def load_current(path: str = DATA_FILE) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """VERSIONS and the rows of a keywords_data.py, without importing kalint."""
    spec = importlib.util.spec_from_file_location("keywords_data", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.VERSIONS, [row._asdict() for row in module.KEYWORDS]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--git-dir", required=True, help="a keepalived git repository (bare is fine)")
    parser.add_argument("--tags", nargs="+", default=TAGS, help="releases to read, oldest first")
    parser.add_argument("--check", action="store_true",
                        help="print how the source and HAND differ from keywords_data.py instead of writing it")
    args = parser.parse_args(argv)
    versions = tuple(tag.lstrip("v") for tag in args.tags)
    rows, problems = merge(read_source(args.git_dir, tuple(args.tags)), versions)
    for problem in problems:
        print(f"gen_schema: {problem}", file=sys.stderr)
    if not args.check:
        sys.stdout.write(render(rows, versions))
        return 1 if problems else 0
    current_versions, current = load_current()
    found = differences(rows, current, tuple(name for name, *_ in FIELDS))
    if versions != current_versions:
        found.insert(0, f"VERSIONS {versions!r}, keywords_data.py has {current_versions!r}")
    print("\n".join(found) or "keywords_data.py agrees with the source and HAND")
    return 1 if found or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
