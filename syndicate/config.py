"""Settings from environment variables, an optional TOML file, and zero-configuration defaults.

Precedence: environment variable > config file > default. The config file is
``$SYNDICATE_CONFIG`` if set, else ``{data_dir}/syndicate.toml`` if it exists.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from syndicate import languages

ENV_PREFIX = "SYNDICATE_"
DEFAULT_PORT = 8080
# A UNIX socket path must fit in sun_path (108 bytes on Linux, including the NUL).
MAX_SOCKET_PATH = 100


class ConfigError(ValueError):
    """A setting has a value the service cannot use; the message names the setting and the value."""


@dataclass(frozen=True)
class Settings:
    """Every setting of one installation, validated; build it with :func:`load`.

    Units: times are in seconds, sizes in bytes, counts are plain integers. Language codes are
    lower-case ISO 639-1 (``en``, ``ru``, ``ja``, optionally with a ``-`` subtag). ``base_url``
    is absolute, ASCII and has no trailing slash; ``data_dir`` is absolute.
    """

    data_dir: Path
    redis_url: str  # redis-py spelling: redis://, rediss:// or unix://
    database_url: str  # an SQLAlchemy URL
    base_url: str
    targets: tuple[str, ...]  # target languages, in feed order; never contains source_lang
    source_lang: str = "en"
    source_tz: str = "UTC"  # IANA zone name, for date lines without an offset
    max_input_bytes: int = 2_000_000
    beam_size: int = 4
    compute_type: str = "int8"  # CTranslate2 compute type
    worker_concurrency: int = 1  # worker processes per Celery worker
    feed_size: int = 50  # entries per feed document (and per RFC 5005 archive page)
    port: int = DEFAULT_PORT
    publisher: str = "syndicate"
    # Most queued articles of one language a worker takes into one model call.
    batch_articles: int = 8
    # CTranslate2 translator replicas per worker process (0: one per available core); each
    # batch of max_batch_size sentences runs on one replica with threads/replicas threads.
    # Small parallel batches beat one big batch on a CPU (see benchmarks/translate.py).
    inter_threads: int = 0
    max_batch_size: int = 16
    glossary_path: Path | None = None
    # WebSub hub URL: advertised in every feed and pinged after each publish.
    websub_hub: str | None = None
    # What to do with a lead the scraper cut mid-word: trim, keep or reject.
    lead_policy: str = "trim"
    min_body_words: int = 25
    # True when redis_url points at the private Redis that `syndicate up` starts.
    embedded_redis: bool = True
    # A translation task running longer than this is killed (a soft limit fires 10% earlier).
    task_time_limit: int = 300
    # Redis hands an unacknowledged task to another worker after this long; this bounds how long
    # a task held by a worker that died whole (SIGKILL, power loss) waits. 0: derived, see below.
    visibility_timeout: int = 0
    # How long a SQLite write waits for another process's lock before giving up with an error.
    database_busy_timeout: int = 30
    # Worker, server and sweeper log lines: "text" or "json" (one object per line).
    log_format: str = "text"
    # Target languages whose new translations wait in state review for `syndicate approve`.
    review: tuple[str, ...] = ()
    # Hours after which a translation still in review is published without review (0: never).
    review_grace_hours: float = 0.0

    @property
    def review_grace(self) -> timedelta | None:
        """How long a translation waits in review before it is published unreviewed; None: forever."""
        return timedelta(hours=self.review_grace_hours) if self.review_grace_hours > 0 else None

    @property
    def effective_visibility_timeout(self) -> int:
        """Above twice the hard limit, so a task still running is never handed out again."""
        return self.visibility_timeout or 2 * self.task_time_limit + 60

    @property
    def soft_time_limit(self) -> int:
        """Seconds before Celery's soft time limit fires: 10% (at least 1 s) before the hard one."""
        return max(1, self.task_time_limit - max(1, self.task_time_limit // 10))

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language that gets feeds: the source first, then the targets."""
        return (self.source_lang, *self.targets)

    @property
    def feeds_dir(self) -> Path:
        """The public directory the feeds and pages are written to and served from."""
        return self.data_dir / "public"

    @property
    def packages_dir(self) -> Path:
        """Installed Argos packages (one folder per package, as argostranslate lays them out)."""
        return self.data_dir / "argos-packages"

    @property
    def redis_dir(self) -> Path:
        """Working directory of the embedded Redis (its AOF)."""
        return self.data_dir / "redis"

    @property
    def redis_socket(self) -> Path:
        """The embedded Redis's UNIX socket (at most MAX_SOCKET_PATH bytes, checked by load)."""
        return self.data_dir / "redis.sock"

    @property
    def zone(self) -> ZoneInfo:
        """``source_tz`` as a time zone; load has checked that it exists."""
        return ZoneInfo(self.source_tz)

    def threads_per_process(self) -> int:
        """CPU threads per worker process, so that threads x processes never exceed the cores."""
        cores = available_cores()
        return max(1, cores // max(1, self.worker_concurrency))

    def intra_threads(self) -> int:
        """CPU threads of each CTranslate2 translator replica (intra_threads), at least 1."""
        return max(1, self.threads_per_process() // self.effective_inter_threads())

    def effective_inter_threads(self) -> int:
        """Translator replicas per worker process: ``inter_threads`` capped at the process's
        threads, or one per thread when it is 0. Two single-thread replicas beat one two-thread
        batch on 2 cores (``benchmarks/translate.py``, figures in the README)."""
        per_process = self.threads_per_process()
        return per_process if self.inter_threads == 0 else max(1, min(self.inter_threads, per_process))


def available_cores() -> int:
    """Cores this process may run on: a container pinned to some CPUs (compose ``cpuset``, or
    ``taskset``) sees only those, where os.cpu_count() would report the whole host."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_data_dir() -> Path:
    """The user data folder (``~/.local/share/syndicate`` on Linux), per platformdirs."""
    return Path(platformdirs.user_data_dir("syndicate", appauthor=False))


def _read_file(path: Path) -> dict[str, object]:
    """The top-level table of a TOML config file. Raises ConfigError when it is not TOML."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def load(env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from ``env`` (default ``os.environ``), the config file and the defaults.

    A key is read from ``SYNDICATE_{KEY}`` in ``env`` (an empty value counts as unset), then from
    ``key`` in the config file, then from its default. Raises ConfigError, naming the setting, for
    a missing ``SYNDICATE_CONFIG`` file, invalid TOML, a non-integer or too small number, an
    unknown time zone, a language code not in the language registry
    (:mod:`syndicate.languages`), no targets, the source among the targets, a ``lead_policy``
    or ``log_format`` outside its choices, a ``review`` language not among the targets, a
    ``review_grace`` that is not a non-negative number of hours, a base URL that is not
    absolute http(s), or a data directory whose Redis socket path would not fit ``sun_path``.
    """
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get(ENV_PREFIX + "DATA_DIR") or default_data_dir()).expanduser().absolute()

    file_path = env.get(ENV_PREFIX + "CONFIG")
    if file_path:
        if not Path(file_path).is_file():
            raise ConfigError(f"SYNDICATE_CONFIG={file_path}: no such file")
        file_values = _read_file(Path(file_path))
    elif (data_dir / "syndicate.toml").is_file():
        file_values = _read_file(data_dir / "syndicate.toml")
    else:
        file_values = {}

    def get_optional(name: str) -> str | None:
        value = env.get(ENV_PREFIX + name.upper())
        if value not in (None, ""):
            return value
        if name in file_values:
            return str(file_values[name])
        return None

    def source(name: str) -> str:
        """Where a value came from, as the operator wrote it: the variable or the file's key."""
        variable = ENV_PREFIX + name.upper()
        return variable if env.get(variable) not in (None, "") else f"{name} (config file)"

    def get(name: str, default: str) -> str:
        value = get_optional(name)
        return default if value is None else value

    def get_int(name: str, default: int, minimum: int = 1) -> int:
        raw = get(name, str(default))
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{source(name)}: expected an integer, got {raw!r}") from None
        if value < minimum:
            raise ConfigError(f"{source(name)}: must be at least {minimum}, got {value}")
        return value

    redis_url = get_optional("redis_url")
    embedded = redis_url is None
    if redis_url is None:
        socket_path = data_dir / "redis.sock"
        if len(str(socket_path)) > MAX_SOCKET_PATH:
            raise ConfigError(
                f"data directory path too long for the embedded Redis socket ({socket_path}); "
                "use a shorter SYNDICATE_DATA_DIR or set SYNDICATE_REDIS_URL"
            )
        redis_url = f"unix://{socket_path}"

    source_lang = (get("source_lang", "en") or "en").strip().lower()
    targets = tuple(t.strip().lower() for t in (get("targets", "ru,ja") or "").split(",") if t.strip())
    if not targets:
        raise ConfigError("targets: at least one target language is needed (e.g. ru,ja)")
    if source_lang in targets:
        raise ConfigError(f"targets: {source_lang} is the source language")
    for lang in (source_lang, *targets):
        if not lang.isascii() or not lang.replace("-", "").isalnum():
            raise ConfigError(f"targets: {lang!r} is not a language code")
        if languages.find(lang) is None:
            setting = "source_lang" if lang == source_lang else "targets"
            raise ConfigError(
                f"{setting}: no language {lang!r} in the language registry "
                f"(known: {', '.join(sorted(languages.LANGUAGES))}; a new one needs an entry in "
                "syndicate/languages.py and a model)"
            )

    review = _review_languages(get("review", ""), targets, source("review"))
    raw_grace = get("review_grace", "0")
    try:
        grace = float(raw_grace)
    except ValueError:
        grace = math.nan
    if not math.isfinite(grace) or grace < 0:
        raise ConfigError(
            f"{source('review_grace')}: expected hours (a number, fractions allowed, 0 = never), "
            f"got {raw_grace!r}"
        )

    source_tz = get("source_tz", "UTC") or "UTC"
    try:
        ZoneInfo(source_tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"source_tz: unknown time zone {source_tz!r} (use an IANA name)") from None

    compute_type = get("compute_type", "int8") or "int8"
    port = get_int("port", DEFAULT_PORT)
    base_url = ascii_url((get_optional("base_url") or f"http://127.0.0.1:{port}").rstrip("/"))

    return Settings(
        data_dir=data_dir,
        redis_url=redis_url,
        database_url=get_optional("database_url") or f"sqlite:///{data_dir / 'syndicate.db'}",
        base_url=base_url,
        targets=targets,
        source_lang=source_lang,
        source_tz=source_tz,
        max_input_bytes=get_int("max_input_bytes", 2_000_000),
        beam_size=get_int("beam_size", 4),
        compute_type=compute_type,
        worker_concurrency=get_int("worker_concurrency", 1),
        feed_size=get_int("feed_size", 50),
        port=port,
        publisher=get("publisher", "syndicate") or "syndicate",
        batch_articles=get_int("batch_articles", 8),
        inter_threads=get_int("inter_threads", 0, minimum=0),
        max_batch_size=get_int("max_batch_size", 16),
        glossary_path=Path(get_optional("glossary") or data_dir / "glossary.toml"),
        websub_hub=get_optional("websub_hub"),
        lead_policy=_choice("lead_policy", get("lead_policy", "trim"), ("trim", "keep", "reject")),
        min_body_words=get_int("min_body_words", 25, minimum=0),
        embedded_redis=embedded,
        task_time_limit=get_int("task_time_limit", 300),
        visibility_timeout=get_int("visibility_timeout", 0, minimum=0),
        database_busy_timeout=get_int("database_busy_timeout", 30, minimum=0),
        log_format=_choice("log_format", get("log_format", "text"), ("text", "json")),
        review=review,
        review_grace_hours=grace,
    )


def _review_languages(raw: str, targets: tuple[str, ...], setting: str) -> tuple[str, ...]:
    """The comma-separated language codes of ``review`` (case and spaces ignored, repeats kept
    once), each a target. Raises ConfigError, naming ``setting``, for a code not in the language
    registry or not among the targets (its translations would never exist to review)."""
    codes = tuple(dict.fromkeys(c.strip().lower() for c in raw.split(",") if c.strip()))
    for lang in codes:
        if languages.find(lang) is None:
            raise ConfigError(
                f"{setting}: no language {lang!r} in the language registry "
                f"(known: {', '.join(sorted(languages.LANGUAGES))})"
            )
        if lang not in targets:
            raise ConfigError(f"{setting}: {lang} is not among the targets ({', '.join(targets)})")
    return codes


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``; else ConfigError naming the setting."""
    if value not in allowed:
        raise ConfigError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return value


def ascii_url(url: str) -> str:
    """An absolute http(s) URL in ASCII, as feeds need: IDNA host, percent-encoded path.

    RSS 2.0 asks for URLs, and readers differ on non-ASCII links, so every link the feeds carry
    is built on this. The host goes through Python's ``idna`` codec (IDNA 2003, RFC 3490), the
    path is percent-encoded (RFC 3986), keeping escapes already there. User info, query and
    fragment are dropped; the port is kept. Raises ConfigError for a relative or non-http(s) URL
    or a host the codec cannot encode.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"base_url: must be an absolute http(s) URL, got {url!r}")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise ConfigError(f"base_url: {parts.hostname!r} is not a valid host name") from None
    netloc = host + (f":{parts.port}" if parts.port else "")
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    return urlunsplit((parts.scheme, netloc, path, "", ""))


def celery_broker_url(redis_url: str) -> str:
    """The Celery broker URL for a redis-py URL.

    kombu spells a Redis UNIX socket ``redis+socket://``; redis-py spells it ``unix://``. Other
    URLs are returned unchanged.
    """
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url[len("unix://") :]
    return redis_url
