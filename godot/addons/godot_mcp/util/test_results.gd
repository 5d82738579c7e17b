@tool
extends RefCounted
## Reads the JUnit XML that GUT and GdUnit4 write into passed/failed/errored/skipped counts and one
## entry per failing test with file, line and message. Regular expressions rather than XMLParser,
## because GUT writes failure texts unescaped (addons/gut/junit_xml_export.gd, _export_test_result:
## `str("<failure message=\"failed\">", test.failing[0], "</failure>")`), and a text such as
## "[<null>] expected to equal [5]" is not well-formed XML. tests/integration/test_run_tests_results.py
## applies these same patterns to sample reports of both frameworks.

const TESTSUITE_PATTERN := "(?s)<testsuite\\b(?<attributes>[^>]*)>(?<body>.*?)</testsuite>"
const TESTCASE_PATTERN := "(?s)<testcase\\b(?<attributes>[^>]*?)(?:/>|>(?<body>.*?)</testcase>)"
const OUTCOME_PATTERN := ("(?s)<(?<kind>failure|error|skipped)\\b(?<attributes>[^>]*?)"
	+ "(?:/>|>(?<text>.*?)</(?:failure|error|skipped)>)")
const ATTRIBUTE_PATTERN := "(?<name>[A-Za-z_:][\\w:.-]*)=\"(?<value>[^\"]*)\""
const CDATA_PATTERN := "(?s)<!\\[CDATA\\[(?<text>.*?)\\]\\]>"
## "res://test/player_test.gd:12" (GdUnit4's failure message attribute).
const FILE_LINE_PATTERN := "(?<file>res://[^\\s:\"]+):(?<line>\\d+)"
## "at line 12" (GUT appends it to every failure text: addons/gut/gut.gd, _fail).
const AT_LINE_PATTERN := "at line (?<line>-?\\d+)"
const MAX_FAILURES := 100
const MAX_MESSAGE := 2000


## The report in `xml` → {"passed", "failed", "errored", "skipped", "total", "failures": [{"suite", "test",
## "outcome", "file", "line", "message"}]}. A test with an error counts as errored, else one with a
## failure as failed (GdUnit4 writes every failed assertion and error of a test, in the order they
## happened: addons/gdUnit4/src/reporters/xml/JUnitXmlReportWriter.gd, build_reports); each of them is
## listed. GUT names a suite by its script's path, without "res://" in newer versions; that is put back.
static func parse_junit(xml: String) -> Dictionary:
	var counts := {"passed": 0, "failed": 0, "errored": 0, "skipped": 0}
	var failures: Array = []
	var testcase := RegEx.create_from_string(TESTCASE_PATTERN)
	var outcome_pattern := RegEx.create_from_string(OUTCOME_PATTERN)
	for suite in RegEx.create_from_string(TESTSUITE_PATTERN).search_all(xml):
		var suite_attributes := attributes(suite.get_string("attributes"))
		for case in testcase.search_all(suite.get_string("body")):
			var case_attributes := attributes(case.get_string("attributes"))
			var kinds: Array = []
			for outcome in outcome_pattern.search_all(case.get_string("body")):
				kinds.append(outcome.get_string("kind"))
				if outcome.get_string("kind") != "skipped" and failures.size() < MAX_FAILURES:
					failures.append(_failure(suite_attributes, case_attributes, outcome))
			if "error" in kinds:
				counts["errored"] += 1
			elif "failure" in kinds:
				counts["failed"] += 1
			elif "skipped" in kinds:
				counts["skipped"] += 1
			else:
				counts["passed"] += 1
	counts["total"] = counts["passed"] + counts["failed"] + counts["errored"] + counts["skipped"]
	counts["failures"] = failures
	return counts


static func _failure(suite: Dictionary, case: Dictionary, outcome: RegExMatch) -> Dictionary:
	var outcome_attributes := attributes(outcome.get_string("attributes"))
	var text := outcome.get_string("text")
	var cdata := RegEx.create_from_string(CDATA_PATTERN).search(text)
	text = cdata.get_string("text") if cdata != null else text.xml_unescape()
	var label := str(outcome_attributes.get("message", ""))
	var entry := {
		"suite": str(suite.get("name", "")), "test": str(case.get("name", "")),
		"outcome": "failed" if outcome.get_string("kind") == "failure" else "errored",
		"file": null, "line": null,
		"message": text.strip_edges().left(MAX_MESSAGE) if not text.strip_edges().is_empty() else label,
	}
	var located := RegEx.create_from_string(FILE_LINE_PATTERN).search(label)
	if located != null:
		entry["file"] = located.get_string("file")
		entry["line"] = located.get_string("line").to_int()
		return entry
	var at_line := RegEx.create_from_string(AT_LINE_PATTERN).search(text)
	if at_line != null and at_line.get_string("line").to_int() >= 0:
		entry["line"] = at_line.get_string("line").to_int()
	# GUT: the suite is the script, or "<script>.<InnerClass>" for a test class inside one.
	var script := str(case.get("classname", suite.get("name", "")))
	var extension_at := maxi(script.find(".gd"), script.find(".cs"))
	if extension_at > 0:
		script = script.left(extension_at + 3)
		entry["file"] = script if script.begins_with("res://") else "res://" + script
	return entry


## The attributes of an XML start tag's inside, their entities decoded.
static func attributes(text: String) -> Dictionary:
	var found := {}
	for pair in RegEx.create_from_string(ATTRIBUTE_PATTERN).search_all(text):
		found[pair.get_string("name")] = pair.get_string("value").xml_unescape()
	return found
