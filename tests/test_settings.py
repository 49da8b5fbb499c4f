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
    (tmp_path / ".git").mkdir()
    write(tmp_path / "lb" / "keepalived.conf", SEED_BUG)
    return tmp_path


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
    ours = tmp_path / "sub" / "pyproject.toml"
    ours.parent.mkdir()
    ours.write_text("[tool]\nkalint = {select = ['KA2']}\n")
    assert read_table(str(ours)) == {"select": ["KA2"]}
