from __future__ import annotations

from datetime import timedelta

import pytest

from syndicate import config


def test_defaults_need_no_configuration(tmp_path):
    s = config.load({"SYNDICATE_DATA_DIR": str(tmp_path)})
    assert s.targets == ("ru", "ja")
    assert s.languages == ("en", "ru", "ja")
    assert s.database_url == f"sqlite:///{tmp_path / 'syndicate.db'}"
    assert s.redis_url == f"unix://{tmp_path / 'redis.sock'}"
    assert s.embedded_redis
    assert s.base_url == "http://127.0.0.1:8080"
    assert config.celery_broker_url(s.redis_url) == f"redis+socket://{tmp_path / 'redis.sock'}"


def test_environment_overrides_file(tmp_path):
    (tmp_path / "syndicate.toml").write_text(
        'targets = "ru"\nbase_url = "https://news.example/"\nfeed_size = 7\n'
    )
    s = config.load({"SYNDICATE_DATA_DIR": str(tmp_path), "SYNDICATE_TARGETS": "ja, ru"})
    assert s.targets == ("ja", "ru")
    assert s.base_url == "https://news.example"
    assert s.feed_size == 7


def test_external_redis_is_not_embedded(tmp_path):
    s = config.load({"SYNDICATE_DATA_DIR": str(tmp_path), "SYNDICATE_REDIS_URL": "redis://10.0.0.5:6379/0"})
    assert not s.embedded_redis
    assert config.celery_broker_url(s.redis_url) == "redis://10.0.0.5:6379/0"


def test_port_sets_default_base_url(tmp_path):
    s = config.load({"SYNDICATE_DATA_DIR": str(tmp_path), "SYNDICATE_PORT": "9001"})
    assert (s.port, s.base_url) == (9001, "http://127.0.0.1:9001")


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("SYNDICATE_TARGETS", "", "at least one"),
        ("SYNDICATE_TARGETS", "en,ru", "source language"),
        ("SYNDICATE_SOURCE_TZ", "Mars/Olympus", "time zone"),
        ("SYNDICATE_FEED_SIZE", "many", "SYNDICATE_FEED_SIZE: expected an integer"),
        ("SYNDICATE_VISIBILITY_TIMEOUT", "-5", "SYNDICATE_VISIBILITY_TIMEOUT: must be at least 0"),
        ("SYNDICATE_BASE_URL", "news.example", "absolute"),
    ],
)
def test_bad_settings_are_explained(tmp_path, key, value, message):
    env = {"SYNDICATE_DATA_DIR": str(tmp_path), key: value}
    if value == "":
        env[key] = " , "
    with pytest.raises(config.ConfigError, match=message):
        config.load(env)


def test_too_long_data_dir_for_socket_is_explained(tmp_path):
    deep = tmp_path / ("d" * 120)
    with pytest.raises(config.ConfigError, match="too long"):
        config.load({"SYNDICATE_DATA_DIR": str(deep)})


@pytest.mark.parametrize(
    "cores, concurrency, inter, expected",
    [(2, 1, "0", (2, 1)), (2, 2, "0", (1, 1)), (8, 2, "0", (4, 1)), (8, 2, "1", (1, 4)), (8, 1, "3", (3, 2))],
)
def test_model_threads_never_exceed_the_cores(tmp_path, monkeypatch, cores, concurrency, inter, expected):
    monkeypatch.setattr(config, "available_cores", lambda: cores)
    s = config.load(
        {
            "SYNDICATE_DATA_DIR": str(tmp_path),
            "SYNDICATE_WORKER_CONCURRENCY": str(concurrency),
            "SYNDICATE_INTER_THREADS": inter,
        }
    )
    replicas, threads = s.effective_inter_threads(), s.intra_threads()
    assert (replicas, threads) == expected
    assert replicas * threads * concurrency <= cores


def test_base_url_is_made_ascii(tmp_path):
    s = config.load(
        {"SYNDICATE_DATA_DIR": str(tmp_path), "SYNDICATE_BASE_URL": "https://новости.example/лента/"}
    )
    assert s.base_url == "https://xn--b1amnebsh.example/%D0%BB%D0%B5%D0%BD%D1%82%D0%B0"
    assert s.base_url.isascii()


def test_threads_follow_the_cores_this_process_may_use():
    import os

    from syndicate import config

    settings = config.load({"SYNDICATE_DATA_DIR": "/tmp/syn-cfg", "SYNDICATE_WORKER_CONCURRENCY": "1"})
    allowed = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(allowed)})  # pinned to one core, as a container can be
        assert config.available_cores() == 1
        assert settings.threads_per_process() == 1
    finally:
        os.sched_setaffinity(0, allowed)
    assert settings.threads_per_process() == len(allowed)


def test_a_bad_number_in_the_file_names_the_files_key(tmp_path):
    (tmp_path / "syndicate.toml").write_text('feed_size = "many"\n')
    with pytest.raises(config.ConfigError, match=r"feed_size \(config file\): expected an integer"):
        config.load({"SYNDICATE_DATA_DIR": str(tmp_path)})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", ()), ("ru", ("ru",)), (" RU , ja ", ("ru", "ja")), ("ru,ru", ("ru",)), ("ja,,", ("ja",))],
)
def test_review_languages_are_targets_read_like_the_targets(tmp_path, raw, expected):
    s = config.load({"SYNDICATE_DATA_DIR": str(tmp_path), "SYNDICATE_REVIEW": raw})
    assert s.review == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("xx", r"SYNDICATE_REVIEW: no language 'xx' in the language registry"),
        ("de", r"SYNDICATE_REVIEW: de is not among the targets \(ru, ja\)"),
        ("en", r"SYNDICATE_REVIEW: en is not among the targets"),
        ("ru;ja", r"no language 'ru;ja'"),
    ],
)
def test_review_languages_outside_the_registry_or_the_targets_are_refused(tmp_path, raw, message):
    with pytest.raises(config.ConfigError, match=message):
        config.load({"SYNDICATE_DATA_DIR": str(tmp_path), "SYNDICATE_REVIEW": raw})


@pytest.mark.parametrize(
    ("raw", "hours", "grace"),
    [
        (None, 0.0, None),
        ("0", 0.0, None),
        ("24", 24.0, timedelta(hours=24)),
        ("0.5", 0.5, timedelta(minutes=30)),
        ("0.001", 0.001, timedelta(seconds=3.6)),
        ("1e1", 10.0, timedelta(hours=10)),
    ],
)
def test_review_grace_is_hours_with_fractions_and_0_means_never(tmp_path, raw, hours, grace):
    env = {"SYNDICATE_DATA_DIR": str(tmp_path)}
    if raw is not None:
        env["SYNDICATE_REVIEW_GRACE"] = raw
    s = config.load(env)
    assert (s.review_grace_hours, s.review_grace) == (hours, grace)


@pytest.mark.parametrize("raw", ["-1", "soon", "nan", "inf", "1h"])
def test_a_review_grace_that_is_not_hours_is_refused(tmp_path, raw):
    with pytest.raises(config.ConfigError, match=r"SYNDICATE_REVIEW_GRACE: expected hours"):
        config.load({"SYNDICATE_DATA_DIR": str(tmp_path), "SYNDICATE_REVIEW_GRACE": raw})


def test_review_settings_come_from_the_config_file_too(tmp_path):
    (tmp_path / "syndicate.toml").write_text('review = "ja"\nreview_grace = 2.5\n')
    s = config.load({"SYNDICATE_DATA_DIR": str(tmp_path)})
    assert (s.review, s.review_grace) == (("ja",), timedelta(hours=2.5))
    with pytest.raises(config.ConfigError, match=r"review \(config file\): no language 'zz'"):
        (tmp_path / "syndicate.toml").write_text('review = "zz"\n')
        config.load({"SYNDICATE_DATA_DIR": str(tmp_path)})
