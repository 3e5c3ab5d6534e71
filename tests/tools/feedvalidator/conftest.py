"""The vendored W3C Feed Validator holds no tests of this project: pytest does not collect it
(its formatter/application_test.py would otherwise be imported as a test module)."""

collect_ignore = ["feedvalidator"]
