"""The addon checked against Godot 4's API (4.2.0 and 4.4-dev data, vendored as a subset): the addon has
no problem, and the checker catches every mistake planted in a fixture and nothing else."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHECKER = REPO / "tests" / "godot_api" / "check_addon.py"
FIXTURE = REPO / "tests" / "godot_api" / "fixtures" / "planted_mistakes.gd"


def run(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECKER), *map(str, files)], capture_output=True, text=True)


def test_the_addon_uses_only_godot_4_api_that_exists():
    result = run()
    assert result.returncode == 0, result.stdout
    resolved = int(result.stderr.split(" call sites")[0].rsplit(" ", 1)[1])
    assert resolved >= 800, result.stderr  # a checker that resolves nothing would pass too


def test_every_planted_mistake_is_caught_and_nothing_else():
    result = run(FIXTURE)
    assert result.returncode == 1
    reported = {int(line.split(":")[1]) for line in result.stdout.splitlines() if line.startswith("tests/")}
    planted = {number for number, line in enumerate(FIXTURE.read_text().splitlines(), start=1) if "# MISTAKE" in line}
    assert reported == planted, f"missed {sorted(planted - reported)}, false alarms {sorted(reported - planted)}\n{result.stdout}"


SAFETY = REPO / "tests" / "godot_api" / "check_safety.py"
SAFETY_FIXTURE = REPO / "tests" / "godot_api" / "fixtures" / "planted_safety_mistakes.gd"


def run_safety(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SAFETY), *map(str, files)], capture_output=True, text=True)


def test_the_addon_compiles_no_agent_input_in_the_editor_and_guards_every_file_tool():
    result = run_safety()
    assert result.returncode == 0, result.stdout
    assert "0 problems" in result.stderr


def test_every_planted_safety_mistake_is_caught_and_nothing_else():
    result = run_safety(SAFETY_FIXTURE)
    assert result.returncode == 1
    reported = {int(line.split(":")[1]) for line in result.stdout.splitlines() if line.startswith("tests/")}
    planted = {number for number, line in enumerate(SAFETY_FIXTURE.read_text().splitlines(), start=1)
               if "# MISTAKE" in line}
    assert reported == planted, f"missed {sorted(planted - reported)}, false alarms {sorted(reported - planted)}\n{result.stdout}"
