@tool
extends "command_area.gd"
## Running the project's own tests (GUT or GdUnit4) headless, outside the editor process
## (util/test_run.gd), and reporting their results (util/test_results.gd).

const TestRun := preload("../util/test_run.gd")
const TestResults := preload("../util/test_results.gd")
## Where reports are written: the project's user:// folder, outside res://, one folder per run.
const REPORTS_FOLDER := "user://godot_mcp_tests"
## Under the gateway's own bound: it ends a command 30 command timeouts after it started however much
## progress comes (300 s with the default --command-timeout of 10 s).
const DEFAULT_TIMEOUT_SEC := 240

const COMMANDS := {
	"run_tests": {
		"description":
		"Run the project's tests headless with the editor's own executable, using GUT or GdUnit4 (whichever the "
			+ "project has; the answer says which). Bounded by a timeout (the run is killed), progress while it "
			+ "runs; results as passed/failed/errored/skipped with file, line and message of each failure, from "
			+ "the framework's JUnit XML.",
		"input_schema": {
			"type": "object",
			"properties": {
				"path": {"type": "string", "description": "A res:// test folder or test script (default: the "
					+ "framework's configuration, else res://test)"},
				"framework": {"type": "string", "enum": ["gut", "gdunit4"], "description": "Only needed when the "
					+ "project has both"},
				"timeout_seconds": {
					"type": "integer", "minimum": 5, "maximum": 3600,
					"description": "Default 240; the gateway allows a command 30 × its --command-timeout (300 s by default)",
				},
			},
			"required": [],
			"additionalProperties": false,
		},
	},
}

## Runs in progress, so two calls do not write into one report folder.
var _runs := 0


func get_commands() -> Dictionary:
	return COMMANDS


func cmd_run_tests(params: Dictionary) -> Dictionary:
	var reporter := progress
	var chosen := _framework(params.get("framework", ""))
	var tests: String = params.get("path", "")
	var problem: String = chosen.get("error", "")
	if problem.is_empty() and not tests.is_empty():
		problem = PathGuard.check(tests, PackedStringArray())
		if problem.is_empty() and not DirAccess.dir_exists_absolute(tests) and not FileAccess.file_exists(tests):
			problem = "no test folder or script at " + tests
	if not problem.is_empty():
		return fail(problem)
	var framework: String = chosen["framework"]
	_runs += 1
	var folder := REPORTS_FOLDER.path_join("run_%d_%d" % [Time.get_ticks_msec(), _runs])
	var timeout := int(params.get("timeout_seconds", DEFAULT_TIMEOUT_SEC)) * 1000
	var run: Dictionary = await TestRun.run(framework, tests, folder, timeout, reporter)
	if run.has("error"):
		return fail(run["error"])
	var answer := {"framework": framework, "exit_code": run["exit_code"], "timed_out": run["timed_out"],
		"duration_ms": run["msec"], "report": run["report"]}
	if run["timed_out"]:
		return fail("the %s run did not finish within %d s and was killed (process %d)" % [
			framework, timeout / 1000, run["pid"]])
	if str(run["report"]).is_empty():
		return fail(("the %s run ended (exit code %s) without writing a JUnit report: the tests may not have "
				+ "started (a script error, a missing --import of the project?). Run it in a terminal to see why: "
				+ "%s %s") % [framework, run["exit_code"], OS.get_executable_path(),
				" ".join(TestRun.arguments(framework, tests, folder))])
	var xml := FileAccess.get_file_as_string(run["report"])
	answer.merge(TestResults.parse_junit(xml))
	return ok(answer)


## {"framework": "gut" or "gdunit4"} — the one asked for, or the only one installed — or {"error"}.
static func _framework(asked: String) -> Dictionary:
	var frameworks := TestRun.installed()
	if frameworks.is_empty():
		return {"error": "the project has neither GUT (%s) nor GdUnit4 (%s)" % [TestRun.GUT_RUNNER, TestRun.GDUNIT_RUNNER]}
	if asked.is_empty() and frameworks.size() > 1:
		return {"error": "the project has both GUT and GdUnit4; say which with framework"}
	if not asked.is_empty() and not asked in frameworks:
		return {"error": "the project does not have %s (it has %s)" % [asked, ", ".join(PackedStringArray(frameworks))]}
	return {"framework": asked if not asked.is_empty() else str(frameworks[0])}
