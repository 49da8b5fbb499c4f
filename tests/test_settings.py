"""Configuration files, their discovery, and the flags that mirror them."""

from __future__ import annotations

from pathlib import Path

import pytest
from clihelp import CLEAN, SEED_BUG, kalint, write

from kalint.diagnostic import Severity
from kalint.settings import Overrides, Resolver, SettingsError

NAMES = {"undefined-track-script": "KA201", "unused-vrrp-script": "KA202", "unbalanced-braces": "KA001"}


def codes(run_stdout: str) -> list[str]:
    return [line.split()[1] for line in run_stdout.splitlines() if ": KA" in line]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository one level down, so a file written above it stays inside this test's
    own directory (not in the session's, where every later test would find it)."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    write(root / "lb" / "keepalived.conf", SEED_BUG)
    return root


def test_nearest_file_wins_without_merging(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.kalint]\nignore = ["KA201"]\nfail-on = "error"\n')
    write(repo / "lb" / ".kalint.toml", 'severity = { KA201 = "info" }\n')
    resolver = Resolver(rule_names=NAMES)
    settings = resolver.for_path(str(repo / "lb" / "keepalived.conf"))
    assert settings.path == str(repo / "lb" / ".kalint.toml")
    assert resolver.enabled("KA201", str(repo / "lb" / "keepalived.conf"))  # the parent's ignore is not merged
    assert resolver.fail_on(str(repo / "lb" / "keepalived.conf")) is Severity.WARNING
    assert not resolver.enabled("KA201", str(repo / "other.conf"))
    assert resolver.fail_on(str(repo / "other.conf")) is Severity.ERROR


def test_pyproject_without_table_is_skipped_and_search_stops_at_git(repo: Path) -> None:
    write(repo / "lb" / "pyproject.toml", "[project]\nname = 'x'\n")
    write(repo / "pyproject.toml", '[tool.kalint]\nselect = ["KA2"]\n')
    settings = Resolver(rule_names=NAMES).for_path(str(repo / "lb" / "keepalived.conf"))
    assert settings.select == ("KA2",)
    write(repo.parent / ".kalint.toml", 'ignore = ["KA2"]\n')  # above the repository: never read
    inner = repo / "sub"
    (inner / ".git").mkdir(parents=True)
    assert Resolver(rule_names=NAMES).for_path(str(inner / "x.conf")).path is None


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    write(tmp_path / ".kalint.toml", 'extend_select = ["KA2"]\n')
    with pytest.raises(SettingsError, match="unknown key `extend_select`; did you mean `extend-select`"):
        Resolver(rule_names=NAMES).for_path(str(tmp_path / "k.conf"))


def test_bad_values_are_errors(tmp_path: Path) -> None:
    for text, message in [
        ('fail-on = "fatal"\n', "unknown severity"),
        ("select = 3\n", "list of strings"),
        ('select = ["KA2O1"]\n', "did you mean `KA201`"),
        ("select = [\n", "invalid TOML"),
    ]:
        write(tmp_path / ".kalint.toml", text)
        with pytest.raises(SettingsError, match=message):
            Resolver(rule_names=NAMES).for_path(str(tmp_path / "k.conf"))


def test_specific_selector_wins_over_general() -> None:
    resolver = Resolver(Overrides(select=("KA201",), ignore=("KA2",)), isolated=True, rule_names=NAMES)
    assert resolver.enabled("KA201", "x.conf") and not resolver.enabled("KA202", "x.conf")
    resolver = Resolver(Overrides(ignore=("undefined-track-script",)), isolated=True, rule_names=NAMES)
    assert not resolver.enabled("KA201", "x.conf") and resolver.enabled("KA001", "x.conf")


def test_per_file_ignores_match_relative_globs_and_names(repo: Path) -> None:
    write(repo / ".kalint.toml", '[per-file-ignores]\n"lb/*.conf" = ["KA201"]\n"backup.conf" = ["KA2"]\n')
    resolver = Resolver(rule_names=NAMES)
    assert not resolver.enabled("KA201", str(repo / "lb" / "keepalived.conf"))
    assert resolver.enabled("KA202", str(repo / "lb" / "keepalived.conf"))
    assert not resolver.enabled("KA202", str(repo / "x" / "backup.conf"))


def test_cli_config_isolated_and_flags(repo: Path) -> None:
    write(repo / ".kalint.toml", 'ignore = ["KA2"]\n')
    conf = "lb/keepalived.conf"
    assert kalint(conf, cwd=repo).code == 0
    assert kalint("--isolated", conf, cwd=repo).code == 1
    write(repo / "strict.toml", 'select = ["ALL"]\n')
    assert kalint("--config", "strict.toml", conf, cwd=repo).code == 1
    assert kalint("--isolated", "--ignore", "KA201,KA202", conf, cwd=repo).code == 0
    run = kalint("--isolated", "--select", "KA202", "--no-show-source", conf, cwd=repo)
    assert codes(run.stdout) == ["KA202"]
    run = kalint("--isolated", "--severity", "KA2=info", conf, cwd=repo)
    assert run.code == 0 and "[info]" in run.stdout
    assert kalint("--isolated", "--severity", "KA2=info", "--fail-on", "info", conf, cwd=repo).code == 1
    bad = kalint("--isolated", "--select", "KA2O1", conf, cwd=repo)
    assert bad.code == 2 and "did you mean `KA201`" in bad.stderr


def test_severity_override_and_fail_on_from_file(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.kalint]\nfail-on = "error"\n[tool.kalint.severity]\nKA2 = "info"\nKA201 = "warning"\n')
    run = kalint("lb/keepalived.conf", cwd=repo)
    assert run.code == 0 and "KA201 [warning]" in run.stdout and "KA202 [info]" in run.stdout


def test_exclude_applies_to_directory_search(repo: Path) -> None:
    write(repo / "old" / "keepalived.conf", SEED_BUG)
    write(repo / "lb" / "keepalived.conf", CLEAN)
    write(repo / ".kalint.toml", 'exclude = ["old"]\n')
    assert kalint(".", cwd=repo).code == 0
    assert kalint("--isolated", ".", cwd=repo).code == 1
    assert kalint("--isolated", "--exclude", "old/", ".", cwd=repo).code == 0
    assert kalint("old/keepalived.conf", cwd=repo).code == 1  # named explicitly: linted


def test_target_version_from_file_reaches_the_model(repo: Path) -> None:
    from kalint.engine import Linter

    write(repo / ".kalint.toml", 'target-version = "2.2.7"\n')
    result = Linter().lint_paths([str(repo / "lb" / "keepalived.conf")])
    assert result.configs[0].config.target_version == "2.2.7"


def test_statistics(repo: Path) -> None:
    run = kalint("--isolated", "--statistics", "lb/keepalived.conf", cwd=repo)
    assert [line.split() for line in run.stdout.splitlines()] == [
        ["1", "KA201", "undefined-track-script", "error"],
        ["1", "KA202", "unused-vrrp-script", "warning"],
    ]


def test_show_settings_names_the_file_and_the_result(repo: Path) -> None:
    write(repo / "lb" / ".kalint.toml", '[severity]\nKA202 = "info"\n')
    run = kalint("--show-settings", "--ignore", "KA9", "lb/keepalived.conf", cwd=repo)
    assert run.code == 0
    lines = run.stdout.splitlines()
    assert lines[0] == f"lb/keepalived.conf: {repo / 'lb' / '.kalint.toml'}"
    assert '  ignore = ["KA9"]' in lines and '  severity = { "KA202" = "info" }' in lines


def test_pyproject_without_a_kalint_table_is_not_parsed(tmp_path) -> None:
    # Cold start: most pyproject.toml files are not kalint's; a broken one that does not
    # mention kalint must not stop kalint either.
    from kalint.settings import read_table

    other = tmp_path / "pyproject.toml"
    other.write_text("[project]\nname = 'x'\nthis is = not toml [\n")
    assert read_table(str(other)) is None
    other.write_text("[project.scripts]\nkalint = 'kalint.cli:run'\nthis is = not toml [\n")  # kalint's own
    assert read_table(str(other)) is None
    ours = tmp_path / "sub" / "pyproject.toml"
    ours.parent.mkdir()
    ours.write_text("[tool]\nkalint = {select = ['KA2']}\n")
    assert read_table(str(ours)) == {"select": ["KA2"]}


# -- which configs are peers ------------------------------------------------------------

PEER_B = CLEAN.replace("state MASTER", "state BACKUP").replace("priority 101", "priority 100")


def _peer_findings(run_stdout: str) -> list[dict]:
    import json

    return [d for d in json.loads(run_stdout)["diagnostics"] if d["peer_group"] is not None]


def _pair(root: Path, vrid_b: int = 51) -> Path:
    """Two HA peers of one VIP; lb-b on another VRID is a split brain."""
    write(root / "lb-a.conf", CLEAN)
    write(root / "lb-b.conf", PEER_B.replace("virtual_router_id 51", f"virtual_router_id {vrid_b}"))
    return root


def test_peer_findings_say_which_group_they_came_from(tmp_path: Path) -> None:
    _pair(tmp_path, vrid_b=52)
    run = kalint("--isolated", "--format", "json", ".", cwd=tmp_path)
    found = _peer_findings(run.stdout)
    assert any(d["code"] == "KA401" for d in found)
    assert {(d["peer_group"]["how"], tuple(sorted(d["peer_group"]["configs"]))) for d in found} == {
        ("automatic", ("./lb-a.conf", "./lb-b.conf"))}
    sarif = kalint("--isolated", "--format", "sarif", ".", cwd=tmp_path)
    import json

    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert {r["properties"]["peerGroup"]["how"] for r in results if r["ruleId"] == "KA401"} == {"automatic"}


def test_independent_and_no_peers_leave_configs_alone(tmp_path: Path) -> None:
    _pair(tmp_path, vrid_b=52)
    write(tmp_path / ".kalint.toml", '[peers]\nindependent = ["lb-b.conf"]\n')
    run = kalint("--format", "json", ".", cwd=tmp_path)
    assert not any(d["code"] == "KA401" for d in _peer_findings(run.stdout))
    assert {d["peer_group"]["how"] for d in _peer_findings(run.stdout)} <= {"independent", "automatic"}
    off = kalint("--isolated", "--no-peers", "--format", "json", ".", cwd=tmp_path)
    assert not any(d["code"] == "KA401" for d in _peer_findings(off.stdout))
    assert {d["peer_group"]["how"] for d in _peer_findings(off.stdout)} <= {"off"}


def test_declared_groups_decide_who_is_peer(tmp_path: Path) -> None:
    # lb-c is a third copy of lb-b: automatically it would be a peer of lb-a too
    _pair(tmp_path, vrid_b=52)
    write(tmp_path / "lb-c.conf", PEER_B)
    auto = kalint("--isolated", "--format", "json", ".", cwd=tmp_path)
    assert any("lb-c.conf" in c for d in _peer_findings(auto.stdout) for c in d["peer_group"]["configs"])
    write(tmp_path / ".kalint.toml", '[peers.groups]\nweb = ["lb-a.conf", "lb-b.conf"]\nlab = ["lb-c.conf"]\n')
    run = kalint("--format", "json", ".", cwd=tmp_path)
    groups = {(d["peer_group"]["name"], tuple(sorted(d["peer_group"]["configs"]))) for d in _peer_findings(run.stdout)}
    assert ("web", ("./lb-a.conf", "./lb-b.conf")) in groups
    assert all(name in ("web", "lab") for name, _ in groups)
    assert any(d["code"] == "KA401" and d["peer_group"]["name"] == "web" for d in _peer_findings(run.stdout))
    # a list of glob lists works too, named by position
    write(tmp_path / ".kalint.toml", '[peers]\ngroups = [["lb-a.conf", "lb-b.conf"], ["lb-c.conf"]]\n')
    listed = kalint("--format", "json", ".", cwd=tmp_path)
    assert {d["peer_group"]["name"] for d in _peer_findings(listed.stdout)} <= {"1", "2"}


@pytest.mark.parametrize(("text", "message"), [
    ("peers = 3\n", "`peers` must be a table"),
    ('[peers]\nindependant = ["x"]\n', "did you mean `peers.independent`"),
    ("[peers]\ngroups = 3\n", "`peers.groups` must be"),
    ("[peers.groups]\nweb = 3\n", "`peers.groups.web`: expected a list of strings"),
])
def test_bad_peers_settings_are_errors(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / ".kalint.toml", text)
    with pytest.raises(SettingsError, match=message):
        Resolver(rule_names=NAMES).for_path(str(tmp_path / "k.conf"))


def test_samples_in_one_directory_are_independent_once_declared(tmp_path: Path) -> None:
    from conftest import shared_dir

    shared = shared_dir()
    samples = shared / "corpus" / "samples" if shared else None
    if samples is None or not samples.is_dir():
        pytest.skip("../shared/corpus/samples is not present")
    split_brain = {"KA401", "KA404", "KA406"}  # the peer errors two unrelated samples trip
    auto = kalint("--isolated", "--format", "json", str(samples), cwd=tmp_path)
    assert {d["code"] for d in _peer_findings(auto.stdout) if d["severity"] == "error"} & split_brain
    settings = write(tmp_path / ".kalint.toml", '[peers]\nindependent = ["*"]\n')
    run = kalint("--config", str(settings), "--format", "json", str(samples), cwd=tmp_path)
    assert run.code in (0, 1) and not [d for d in _peer_findings(run.stdout) if d["code"] in split_brain]
    assert not [d for d in _peer_findings(run.stdout) if d["severity"] == "error"]
