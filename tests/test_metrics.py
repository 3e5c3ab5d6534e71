from syndicate.metrics import histogram


def test_per_bucket_counts_become_cumulative_prometheus_buckets():
    raw = {
        "translate_seconds|ru|0.5": "2",
        "translate_seconds|ru|10.0": "1",
        "translate_seconds|ru|+Inf": "1",
        "translate_seconds_sum|ru": "412.5",
        "publish_seconds|ru|0.1": "9",  # another histogram: ignored here
    }
    samples = {
        (s.name, s.labels.get("le")): s.value for s in histogram("translate_seconds", "doc", raw).samples
    }
    assert samples[("syndicate_translate_seconds_bucket", "0.25")] == 0
    assert samples[("syndicate_translate_seconds_bucket", "0.5")] == 2
    assert samples[("syndicate_translate_seconds_bucket", "5.0")] == 2
    assert samples[("syndicate_translate_seconds_bucket", "10.0")] == 3
    assert samples[("syndicate_translate_seconds_bucket", "+Inf")] == 4
    assert samples[("syndicate_translate_seconds_count", None)] == 4
    assert samples[("syndicate_translate_seconds_sum", None)] == 412.5
