"""run_tests reads the JUnit XML that GUT and GdUnit4 write (godot/addons/godot_mcp/util/test_results.gd).
No Godot 4 runs here, so this test takes that file's regular expressions out of it (with gdtoolkit's
parser, as the tool catalog is read) and applies them the way parse_junit() does to reports of both
frameworks (tests/integration/data/junit/, where README.md says where each comes from)."""
import html
import re
import sys
from pathlib import Path

from gdtoolkit.parser import parser
from lark import Tree

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
from addon_commands import _literal  # noqa: E402

RESULTS = REPO / "godot/addons/godot_mcp/util/test_results.gd"
DATA = Path(__file__).resolve().parent / "data" / "junit"


def constants() -> dict:
    found = {}
    for statement in parser.parse(RESULTS.read_text(encoding="utf-8")).children:
        if isinstance(statement, Tree) and statement.data == "const_stmt":
            declaration = statement.children[0]
            try:
                found[str(declaration.children[0])] = _literal(declaration.children[1])
            except (ValueError, AttributeError, IndexError):
                pass
    return found


CONSTANTS = constants()


def pattern(name: str) -> re.Pattern:
    # PCRE2 (Godot's RegEx) spells a named group (?<name>...), Python (?P<name>...).
    return re.compile(CONSTANTS[name].replace("(?<", "(?P<"))


def attributes(text: str) -> dict:
    return {m.group("name"): html.unescape(m.group("value")) for m in pattern("ATTRIBUTE_PATTERN").finditer(text)}


def failure(suite: dict, case: dict, outcome: re.Match) -> dict:
    outcome_attributes = attributes(outcome.group("attributes"))
    text = outcome.group("text") or ""
    cdata = pattern("CDATA_PATTERN").search(text)
    text = cdata.group("text") if cdata else html.unescape(text)
    label = outcome_attributes.get("message", "")
    entry = {"suite": suite.get("name", ""), "test": case.get("name", ""),
             "outcome": "failed" if outcome.group("kind") == "failure" else "errored", "file": None, "line": None,
             "message": text.strip()[:CONSTANTS["MAX_MESSAGE"]] if text.strip() else label}
    located = pattern("FILE_LINE_PATTERN").search(label)
    if located:
        entry["file"], entry["line"] = located.group("file"), int(located.group("line"))
        return entry
    at_line = pattern("AT_LINE_PATTERN").search(text)
    if at_line and int(at_line.group("line")) >= 0:
        entry["line"] = int(at_line.group("line"))
    script = case.get("classname", suite.get("name", ""))
    extension_at = max(script.find(".gd"), script.find(".cs"))
    if extension_at > 0:
        script = script[:extension_at + 3]
        entry["file"] = script if script.startswith("res://") else "res://" + script
    return entry


def parse_junit(xml: str) -> dict:
    counts = {"passed": 0, "failed": 0, "errored": 0, "skipped": 0}
    failures = []
    for suite in pattern("TESTSUITE_PATTERN").finditer(xml):
        suite_attributes = attributes(suite.group("attributes"))
        for case in pattern("TESTCASE_PATTERN").finditer(suite.group("body")):
            case_attributes = attributes(case.group("attributes"))
            kinds = []
            for outcome in pattern("OUTCOME_PATTERN").finditer(case.group("body") or ""):
                kinds.append(outcome.group("kind"))
                if outcome.group("kind") != "skipped" and len(failures) < CONSTANTS["MAX_FAILURES"]:
                    failures.append(failure(suite_attributes, case_attributes, outcome))
            key = ("errored" if "error" in kinds else "failed" if "failure" in kinds
                   else "skipped" if "skipped" in kinds else "passed")
            counts[key] += 1
    counts["total"] = sum(counts.values())
    counts["failures"] = failures
    return counts


def test_the_patterns_are_read_from_the_addon():
    for name in ("TESTSUITE_PATTERN", "TESTCASE_PATTERN", "OUTCOME_PATTERN", "ATTRIBUTE_PATTERN", "CDATA_PATTERN",
                 "FILE_LINE_PATTERN", "AT_LINE_PATTERN"):
        assert isinstance(CONSTANTS.get(name), str), name
        pattern(name)


def test_gut_documentation_example():
    # GUT's own example: 17 tests in five suites (one empty): 6 pass, 6 fail, 5 pending. Its <testsuites>
    # says failures="7": GUT counts failed asserts there, and the parameterised test failed two.
    report = parse_junit((DATA / "gut_9_docs_example.xml").read_text(encoding="utf-8"))
    assert (report["passed"], report["failed"], report["errored"], report["skipped"], report["total"]) == (6, 6, 0, 5, 17)
    first = report["failures"][0]
    assert first == {"suite": "res://test/resources/exporter_test_files/test_simple_2.gd", "test": "test_fail",
                     "outcome": "failed", "file": "res://test/resources/exporter_test_files/test_simple_2.gd",
                     "line": 7, "message": 'Cannot compare Int[1] to String["two"].\n            at line 7'}
    parameterised = next(f for f in report["failures"] if f["test"] == "test_parameterized_failing")
    assert parameterised["line"] == 25 and parameterised["message"].startswith("(call #1) [1] expected to equal [2]")
    inner = [f for f in report["failures"] if ".TestClass" in f["suite"]]
    assert [(f["file"], f["line"]) for f in inner] == [
        ("res://test/resources/exporter_test_files/test_with_inner_classes.gd", 11),
        ("res://test/resources/exporter_test_files/test_with_inner_classes.gd", 26)]


def test_gut_current_writer_with_cdata_and_null():
    report = parse_junit((DATA / "gut_9_cdata.xml").read_text(encoding="utf-8"))
    assert (report["passed"], report["failed"], report["errored"], report["skipped"]) == (1, 2, 0, 1)
    assert report["failures"][0] == {
        "suite": "test/unit/test_hero.gd", "test": "test_takes_damage", "outcome": "failed",
        "file": "res://test/unit/test_hero.gd", "line": 18,
        "message": "[<null>] expected to equal [5]:  health after a hit\n      at line 18"}
    assert report["failures"][1]["line"] == 31


def test_gdunit4_report():
    report = parse_junit((DATA / "gdunit4_6.xml").read_text(encoding="utf-8"))
    assert (report["passed"], report["failed"], report["errored"], report["skipped"], report["total"]) == (2, 1, 1, 1, 5)
    assert report["failures"][0] == {
        "suite": "hero_test", "test": "test_takes_damage", "outcome": "failed", "file": "res://test/hero_test.gd",
        "line": 14, "message": "Expecting:\n 5\n but was\n 4\n\tat 'test_takes_damage' in res://test/hero_test.gd:14"}
    # The error and the failure of one test are both listed, in the order gdUnit4 wrote them.
    errored = [f for f in report["failures"] if f["test"] == "test_inventory <empty>"]
    assert [(f["outcome"], f["line"]) for f in errored] == [("errored", 22), ("failed", 20)]
    assert errored[0]["message"].startswith("Godot Runtime Error !")


def test_a_report_without_suites_counts_nothing():
    report = parse_junit('<?xml version="1.0"?>\n<testsuites name="GutTests" failures="0" tests="0">\n</testsuites>')
    assert report["total"] == 0 and report["failures"] == []
