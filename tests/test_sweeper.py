import json

from workers.sweeper import routing_keys


def test_routing_keys_name_the_queues_whose_messages_are_held():
    held = [json.dumps([{"body": "..."}, "translate.ru", "translate.ru"]).encode()]
    held.append(json.dumps([{"body": "..."}, "publish", "publish"]).encode())
    assert routing_keys(held) == {"translate.ru", "publish"}


def test_an_unreadable_unacked_entry_marks_everything_busy():
    assert "?" in routing_keys([b"not json", json.dumps([{}, "x", "translate.ja"]).encode()])
