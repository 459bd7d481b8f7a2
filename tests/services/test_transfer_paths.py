"""Where import and export may read and write (services/transfer/paths.py), on the
command line: the config file never, outside the allowed folder never, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradium_tui import config
from tradium_tui.config import Settings
from tradium_tui.models import Role, User
from tradium_tui.services.transfer import paths as transfer_paths
from tradium_tui.services.transfer.paths import TransferPathRefused

SECRET = 'db_url = "postgresql://tradium:s3cr3t-pass@db.example:5432/tradium"\n'


def test_no_folder_limit_on_a_personal_machine(tmp_path):
    policy = transfer_paths.policy_for(Settings())
    assert policy.allowed is None
    assert transfer_paths.check_export(Settings(), tmp_path / "out.csv") == tmp_path / "out.csv"


def test_a_shared_server_limits_to_home_or_the_configured_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert transfer_paths.policy_for(Settings(lock_identity=True)).allowed == (tmp_path / "home").resolve()
    settings = Settings(lock_identity=True, transfer_dir=str(tmp_path / "exchange"))
    assert transfer_paths.policy_for(settings).allowed == (tmp_path / "exchange").resolve()
    transfer_paths.check_import(settings, tmp_path / "exchange" / "in" / "c.csv")
    with pytest.raises(TransferPathRefused, match="outside"):
        transfer_paths.check_import(settings, tmp_path / "home" / "c.csv")
    with pytest.raises(TransferPathRefused, match="outside"):
        transfer_paths.check_export(settings, tmp_path / "exchange" / ".." / "c.csv")


def test_the_config_file_is_refused_by_any_name(tmp_path):
    cfg = tmp_path / "etc" / "config.toml"
    cfg.parent.mkdir()
    cfg.write_text(SECRET)
    link = tmp_path / "looks-like-data.csv"
    link.symlink_to(cfg)
    settings = Settings(config_file=cfg)
    for path in (cfg, link, tmp_path / "etc" / ".." / "etc" / "config.toml"):
        with pytest.raises(TransferPathRefused, match="config file"):
            transfer_paths.check_import(settings, path)
        with pytest.raises(TransferPathRefused, match="config file"):
            transfer_paths.check_export(settings, path)


def test_only_data_files_are_imported(tmp_path):
    for name in ("passwd", "notes.toml", "key.pem", "x.csv.bak"):
        with pytest.raises(TransferPathRefused, match="not a data file"):
            transfer_paths.check_import(Settings(), tmp_path / name)
    for name in ("a.csv", "a.TXT", "a.xlsx", "a.jsonl", "a.json", "a.tsv"):
        transfer_paths.check_import(Settings(), tmp_path / name)


@pytest.fixture
def server(cli_runner, tmp_path, monkeypatch):
    """The command line as on a team server: a config file holding a secret, one folder."""
    User.create(username="founder", role=Role.get(Role.name == "admin"))
    cfg = tmp_path / "etc" / "config.toml"
    cfg.parent.mkdir()
    cfg.write_text(SECRET)
    allowed = tmp_path / "exchange"
    allowed.mkdir()
    monkeypatch.setattr(config, "_settings", Settings(config_file=cfg, transfer_dir=str(allowed)))
    return cli_runner, cfg, allowed


@pytest.mark.parametrize("what", ["customers", "orders"])
def test_importing_the_config_file_shows_nothing_of_it(server, what):
    run, cfg, allowed = server
    link = allowed / "config.csv"
    link.symlink_to(cfg)
    for path in (cfg, link):
        for extra in ((), ("--dry-run",)):
            code, out, err = run("import", what, str(path), *extra)
            assert code == 2, (out, err)
            assert "config file" in err
            assert "s3cr3t" not in out + err and "db_url" not in out + err
            assert len(err.strip().splitlines()) == 1


def test_import_and_export_outside_the_folder_exit_2(server, tmp_path):
    run, _cfg, allowed = server
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "c.csv").write_text("name\nOutside BV\n")
    code, out, err = run("import", "customers", str(outside / "c.csv"))
    assert code == 2 and "outside" in err and "Outside BV" not in out + err
    code, _out, err = run("export", "customers", str(outside / "new.csv"))
    assert code == 2 and "outside" in err
    assert not (outside / "new.csv").exists()
    code, _out, err = run("export", "customers", str(allowed / "new.csv"))
    assert code == 0, err
    assert Path(allowed / "new.csv").read_text(encoding="utf-8-sig").startswith("number")


def test_a_symlink_out_of_the_folder_is_refused(server, tmp_path):
    run, _cfg, allowed = server
    (tmp_path / "secret.csv").write_text("name\nHidden BV\n")
    (allowed / "in.csv").symlink_to(tmp_path / "secret.csv")
    code, out, err = run("import", "customers", str(allowed / "in.csv"), "--dry-run")
    assert code == 2 and "outside" in err and "Hidden BV" not in out + err
