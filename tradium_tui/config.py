"""Settings: database URL, current user, home country, locale.

Precedence for every setting: command line > environment > config file > default.
The config file is TOML, found at ``$TRADIUM_CONFIG`` or ``/etc/tradium-tui/config.toml``.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "tradium-tui"
DEFAULT_CONFIG_FILE = Path("/etc/tradium-tui/config.toml")


class ConfigError(Exception):
    """The configuration cannot be used; the message is one clear sentence."""


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'tradium.db'}"


def demo_db_url() -> str:
    return f"sqlite:///{data_dir() / 'demo.db'}"


def os_login() -> str:
    """The operating-system login name (under SSH this is the SSH login)."""
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry, no LOGNAME: fall back to the uid
        return f"uid{os.getuid()}"


@dataclass
class Settings:
    db_url: str = field(default_factory=default_db_url)
    home_country: str = "NL"
    locale: str = "nl_NL"
    # The interface language (nl, fr, es, en); empty: the language of ``locale``.  A
    # user's own language (set by an admin) wins at login.  Formatting follows it too.
    language: str = ""
    various_customers_account: str = "1300"
    # Lock the identity to the OS login (set in the config file of a team server).
    lock_identity: bool = False
    # Optional online VAT check, "module:function" (e.g. the VIES checker); empty = offline only.
    vat_online_checker: str = ""
    # Years invoices (with their customer snapshot) are kept after their year ends.
    retention_years: int = 7
    # The seller's own VAT number (on reverse-charged documents) and VAT rates; empty rates
    # mean the home country's rates (services/vat.py).
    seller_vat_number: str = ""
    vat_standard_rate: str = ""
    vat_reduced_rate: str = ""
    # Import and export read and write only under this folder (empty: the user's home on a
    # server with lock_identity, anywhere otherwise); see services/transfer/paths.py.
    transfer_dir: str = ""
    config_file: Path | None = None
    # The most bytes an import reads from one file.
    import_max_bytes: int = 200 * 1024 * 1024
    # The [keymap] table as the file has it (binding id = "keys"); checked where it is
    # applied (tradium_tui/keymap.py), so a wrong entry is named and left out.
    keymap: object = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        settings = cls()
        env_path = os.environ.get("TRADIUM_CONFIG")
        candidate = path or (Path(env_path) if env_path else DEFAULT_CONFIG_FILE)
        if candidate.exists():
            import tomllib  # only with a config file

            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"The config file {candidate} cannot be read: {exc}.") from exc
            settings.config_file = candidate
            for key in (
                "db_url", "home_country", "locale", "various_customers_account", "vat_online_checker",
                "seller_vat_number", "vat_standard_rate", "vat_reduced_rate",
                "transfer_dir",
            ):
                if key in data:
                    setattr(settings, key, str(data[key]))
            if "retention_years" in data:
                try:
                    settings.retention_years = int(data["retention_years"])
                except (TypeError, ValueError):
                    raise ConfigError(
                        f"retention_years in {candidate} must be a whole number of years."
                    ) from None
                if settings.retention_years < 0:
                    raise ConfigError(f"retention_years in {candidate} cannot be negative.")
            if "import_max_bytes" in data:
                try:
                    settings.import_max_bytes = int(data["import_max_bytes"])
                except (TypeError, ValueError) as exc:
                    raise ConfigError(
                        f"The config file {candidate}: import_max_bytes must be a whole number."
                    ) from exc
            if "language" in data:
                settings.language = _checked_language(data["language"], candidate)
            if "lock_identity" in data:
                settings.lock_identity = bool(data["lock_identity"])
            if "keymap" in data:
                settings.keymap = data["keymap"]
        elif env_path:
            raise ConfigError(f"The config file {candidate} (from TRADIUM_CONFIG) does not exist.")
        if os.environ.get("TRADIUM_DB"):
            settings.db_url = os.environ["TRADIUM_DB"]
        if os.environ.get("TRADIUM_HOME_COUNTRY"):
            settings.home_country = os.environ["TRADIUM_HOME_COUNTRY"]
        if os.environ.get("TRADIUM_LOCALE"):
            settings.locale = os.environ["TRADIUM_LOCALE"]
        if os.environ.get("TRADIUM_LANGUAGE"):
            settings.language = _checked_language(os.environ["TRADIUM_LANGUAGE"],
                                                  "TRADIUM_LANGUAGE")
        settings.home_country = settings.home_country.upper()
        return settings

    def interface_language(self, user_language: str | None = None) -> str:
        """The language to speak: ``user_language`` (the user's own), else ``language``,
        else the language of ``locale``, else English."""
        from tradium_tui.i18n import choose_language

        return choose_language(user_language, self.language, self.locale)


def _checked_language(value: object, where: object) -> str:
    from tradium_tui.i18n import LANGUAGES, supported

    found = supported(value)
    if found is None or str(value).strip().lower() != found:
        raise ConfigError(
            f"language in {where} must be one of {', '.join(LANGUAGES)} "
            f"(not {str(value)[:20]!r})."
        )
    return found


_settings: Settings | None = None


def get_settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = Settings.load()
    return _settings


def set_settings(settings: Settings) -> None:
    global _settings
    _settings = settings
