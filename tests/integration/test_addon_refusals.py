"""What the Godot addon refuses (godot/addons/godot_mcp, SECURITY.md): read from the addon's own constants and
declarations, so a change that quietly drops a refusal fails here. No Godot 4 runs on these machines; the
behaviour behind the constants is in the addon's scripts (util/path_guard.gd, commands/project_commands.gd)."""
import sys
from pathlib import Path

from gdtoolkit.parser import parser

REPO = Path(__file__).resolve().parents[2]
ADDON = REPO / "godot" / "addons" / "godot_mcp"
sys.path.insert(0, str(REPO / "tools"))
from addon_commands import _literal, addon_commands  # noqa: E402


def constant(script: str, name: str):
    for statement in parser.parse((ADDON / script).read_text()).children:
        if getattr(statement, "data", None) == "const_stmt" and str(statement.children[0].children[0]) == name:
            return _literal(statement.children[0].children[1])
    raise KeyError(name)


def refused_setting(name: str) -> bool:
    """project_commands.gd refusal_for(), on the constant it uses."""
    key = name.strip().lower().split(".", 1)[0]
    return any(key == prefix or (prefix.endswith("/") and key.startswith(prefix))
               for prefix in constant("commands/project_commands.gd", "REFUSED_SETTINGS"))


def refused_file_name(name: str) -> bool:
    """path_guard.gd refused_name(), on the constants it uses."""
    lower = name.lower()
    extension = lower.rsplit(".", 1)[1] if "." in lower else ""
    return (name.startswith(".") or name in constant("util/path_guard.gd", "VCS_FOLDERS")
            or lower in constant("util/path_guard.gd", "CREDENTIAL_NAMES")
            or extension in constant("util/path_guard.gd", "CREDENTIAL_EXTENSIONS"))


def test_settings_that_run_code_or_change_the_addon_are_refused():
    for name in ["autoload/Cheat", "editor_plugins/enabled", "godot_mcp/project_commands_folder",
                 "application/run/disable_stdout", "application/run/main_loop_type", "editor/run/main_run_args",
                 "autoload/Cheat.debug", "application/config/project_settings_override"]:
        assert refused_setting(name), name
    project_commands_setting = constant("commands/command_registry.gd", "PROJECT_COMMANDS_SETTING")
    assert refused_setting(project_commands_setting)
    for name in ["application/config/name", "display/window/size/viewport_width", "input/jump"]:
        assert not refused_setting(name), name


def test_files_an_agent_never_sees():
    for segment in [".godot", ".git", ".env", ".env.local", ".svn", "CVS", "export_credentials.cfg", "release.keystore",
                    "server.pem", "id_rsa", "signing.p12"]:
        assert refused_file_name(segment), segment
    for segment in ["project.godot", "player.gd", "icon.svg.import", "levels", "export_presets.cfg"]:
        assert not refused_file_name(segment), segment


def test_the_hints_say_what_the_tools_are():
    commands = addon_commands()
    assert commands["set_project_setting"].get("destructive") is True
    # validate_script compiles in a child Godot process, which runs static initialisers there.
    assert commands["validate_script"]["read_only"] is False
    for name in ["read_file", "list_files", "search_files", "get_script"]:
        assert commands[name]["read_only"] is True, name
