@tool
extends RefCounted
## Runs the project's tests in a separate, headless process of the editor's own executable, with GUT or
## GdUnit4, whichever the project has. OS.create_process does not block, so nothing waits in a thread;
## a run past its timeout is ended with OS.kill. The results come from the JUnit XML the framework
## writes (util/test_results.gd); the process's own output is not captured (create_process gives no pipe
## before Godot 4.3's execute_with_pipe).

const TestResults := preload("test_results.gd")
const GUT_RUNNER := "res://addons/gut/gut_cmdln.gd"
const GUT_CONFIG := "res://.gutconfig.json"
const GDUNIT_RUNNER := "res://addons/gdUnit4/bin/GdUnitCmdTool.gd"
const DEFAULT_TEST_FOLDER := "res://test"
const FRAMEWORKS := ["gut", "gdunit4"]


## The frameworks the project has: a subset of FRAMEWORKS.
static func installed() -> Array:
	var found: Array = []
	if FileAccess.file_exists(GUT_RUNNER):
		found.append("gut")
	if FileAccess.file_exists(GDUNIT_RUNNER):
		found.append("gdunit4")
	return found


## The command line for `framework`, writing its JUnit XML under `report_folder`, a user:// path: the
## child runs the same project, so user:// is the same folder for both, and GdUnit4 turns an absolute
## path given to -rd into a res:// one (GdUnitFileAccess.make_qualified_path).
## `tests` is a res:// folder or script, or "" for the framework's own default or configuration.
static func arguments(framework: String, tests: String, report_folder: String) -> PackedStringArray:
	var project := ProjectSettings.globalize_path("res://")
	if framework == "gut":
		var gut := PackedStringArray(["--headless", "--path", project, "-s", GUT_RUNNER, "-gexit",
			"-gjunit_xml_file=" + report_folder.path_join("results.xml")])
		if tests.ends_with(".gd"):
			gut.append("-gtest=" + tests)
		elif not tests.is_empty():
			gut.append_array(["-gdir=" + tests, "-ginclude_subdirs"])
		elif not FileAccess.file_exists(GUT_CONFIG):
			gut.append_array(["-gdir=" + DEFAULT_TEST_FOLDER, "-ginclude_subdirs"])
		return gut
	# GdUnit4 refuses to run headless unless told (input events are not delivered headless), keeps going
	# after a failure with -c, and writes <report folder>/report_<n>/results.xml
	# (addons/gdUnit4/src/core/runners/GdUnitTestCIRunner.gd, reporters/xml/JUnitXmlReportWriter.gd).
	return PackedStringArray(["--headless", "--path", project, "-s", GDUNIT_RUNNER, "--ignoreHeadlessMode", "-c",
		"-a", tests if not tests.is_empty() else DEFAULT_TEST_FOLDER, "-rd", report_folder])


## The JUnit XML a finished run left in `report_folder` ("" when there is none): GUT's results.xml, or
## GdUnit4's newest report_<n>/results.xml.
static func report_file(report_folder: String) -> String:
	if FileAccess.file_exists(report_folder.path_join("results.xml")):
		return report_folder.path_join("results.xml")
	var newest := ""
	var newest_number := -1
	for folder in DirAccess.get_directories_at(report_folder):
		var number := folder.trim_prefix("report_").to_int() if folder.begins_with("report_") else -1
		if number > newest_number and FileAccess.file_exists(report_folder.path_join(folder).path_join("results.xml")):
			newest_number = number
			newest = report_folder.path_join(folder).path_join("results.xml")
	return newest


## Runs and waits (a coroutine, one frame at a time): {"exit_code": int or null, "timed_out": bool,
## "msec": int, "report": String} or {"error": String}. `reporter` receives (done_msec, timeout_msec, text).
static func run(framework: String, tests: String, report_folder: String, timeout_msec: int,
		reporter: Callable) -> Dictionary:
	var made := DirAccess.make_dir_recursive_absolute(report_folder)
	if made != OK and made != ERR_ALREADY_EXISTS:
		return {"error": "could not create %s: %s" % [report_folder, error_string(made)]}
	var pid := OS.create_process(OS.get_executable_path(), arguments(framework, tests, report_folder))
	if pid <= 0:
		return {"error": "could not start %s" % OS.get_executable_path()}
	var started := Time.get_ticks_msec()
	var next_report := 0
	var timed_out := false
	while OS.is_process_running(pid):
		var elapsed := Time.get_ticks_msec() - started
		if elapsed > timeout_msec:
			OS.kill(pid)
			timed_out = true
			break
		if elapsed >= next_report and reporter.is_valid():
			reporter.call(elapsed, timeout_msec, "running %s tests (%d s)" % [framework, elapsed / 1000])
			next_report = elapsed + 1000
		await (Engine.get_main_loop() as SceneTree).process_frame
	# OS.get_process_exit_code exists from Godot 4.4 on; before, only the report tells.
	var exit_code: Variant = null
	if not timed_out and OS.has_method("get_process_exit_code"):
		exit_code = OS.call("get_process_exit_code", pid)
	return {"exit_code": exit_code, "timed_out": timed_out, "msec": Time.get_ticks_msec() - started,
		"report": report_file(report_folder), "pid": pid}
