import json

from workers.sweeper import held_queues, routing_keys


def test_routing_keys_name_the_queues_whose_messages_are_held():
    held = [json.dumps([{"body": "..."}, "translate.ru", "translate.ru"]).encode()]
    held.append(json.dumps([{"body": "..."}, "publish", "publish"]).encode())
    assert routing_keys(held) == {"translate.ru", "publish"}


def test_an_unreadable_unacked_entry_marks_everything_busy():
    assert "?" in routing_keys([b"not json", json.dumps([{}, "x", "translate.ja"]).encode()])


def entry(queue: str) -> bytes:
    return json.dumps([{"body": "..."}, queue, queue]).encode()


def test_an_entry_older_than_the_visibility_timeout_does_not_make_its_queue_busy():
    unacked = {b"fresh": entry("translate.ru"), b"dead": entry("translate.ja")}
    delivered_at = {b"fresh": 1000.0, b"dead": 339.0}  # now 1000, visibility timeout 660: stale before 340
    assert held_queues(unacked, delivered_at, stale_before=340.0) == {"translate.ru"}


def test_an_entry_delivered_exactly_at_the_cutoff_still_counts_as_held():
    assert held_queues({b"t": entry("publish")}, {b"t": 340.0}, stale_before=340.0) == {"publish"}


def test_an_entry_without_a_delivery_time_counts_as_held():
    assert held_queues({b"t": entry("translate.ja")}, {}, stale_before=340.0) == {"translate.ja"}


def test_only_a_live_unreadable_entry_marks_everything_busy():
    assert "?" in held_queues({b"t": b"not json"}, {b"t": 900.0}, stale_before=340.0)
    assert held_queues({b"t": b"not json"}, {b"t": 100.0}, stale_before=340.0) == set()
