"""`godot-mcp-gateway configure`: the real binary edits each host's real configuration file under a
temporary HOME, keeping what else the file holds."""
import json
import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from gateway import GATEWAY_BIN

BINARY = os.path.realpath(GATEWAY_BIN)

# host -> (file under HOME, key of the server list, a file as a person left it)
HOSTS = {
    "claude-code": (".claude.json", "mcpServers",
                    {"numStartups": 3, "mcpServers": {"memory": {"type": "stdio", "command": "npx", "args": []}}}),
    "claude-desktop": (".config/Claude/claude_desktop_config.json", "mcpServers",
                       {"mcpServers": {"fs": {"command": "npx", "args": ["-y", "fs"]}}, "globalShortcut": ""}),
    "cursor": (".cursor/mcp.json", "mcpServers", {"mcpServers": {"fs": {"command": "npx"}}}),
    "vscode": (".config/Code/User/mcp.json", "servers", {"inputs": [], "servers": {"gh": {"type": "http", "url": "https://x"}}}),
    "windsurf": (".codeium/windsurf/mcp_config.json", "mcpServers", {"mcpServers": {"fs": {"command": "npx", "disabled": True}}}),
    "gemini": (".gemini/settings.json", "mcpServers", {"theme": "Dracula", "mcpServers": {"git": {"command": "uvx"}}}),
}
# What each host needs to see the change (Claude Desktop must be quit, not just closed).
RESTART_HINTS = {"claude-code": "new Claude Code session", "claude-desktop": "Quit Claude Desktop completely",
                 "cursor": "Restart Cursor", "vscode": "Reload Window", "windsurf": "Refresh", "gemini": "Restart Gemini CLI"}
CODEX_FILE = """# Codex settings
model = "gpt-5-codex"

[mcp_servers.context7] # docs
command = "npx"
args = ["-y", "@upstash/context7-mcp"]
"""


def configure(home, *args):
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "")}
    return subprocess.run([GATEWAY_BIN, "configure", *args], capture_output=True, text=True, timeout=20, env=env,
                          stdin=subprocess.DEVNULL)


def servers(path, key):
    return json.loads(path.read_text())[key]


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_json_hosts(tmp_path, host):
    relative, key, original = HOSTS[host]
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(original, indent=2) + "\n")

    dry = configure(tmp_path, host, "--dry-run", "--", "--port", "9100")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)[key]["godot"]["args"] == ["--port", "9100"]
    assert json.loads(path.read_text()) == original and not (path.parent / (path.name + ".bak")).exists()

    first = configure(tmp_path, host, "--", "--port", "9100")
    assert first.returncode == 0, first.stderr
    entry = servers(path, key)["godot"]
    assert entry["command"] == BINARY and entry["args"] == ["--port", "9100"]
    assert (entry.get("type") == "stdio") == (host in ("vscode", "claude-code"))
    written = json.loads(path.read_text())
    for name, value in original.items():  # other servers and unknown keys kept, in their order
        assert written[name] == value if name != key else {**value, "godot": entry} == written[name]
    assert list(written) == list(original)
    assert json.loads((path.parent / (path.name + ".bak")).read_text()) == original
    assert RESTART_HINTS[host] in first.stdout

    stamp = path.stat().st_mtime_ns
    again = configure(tmp_path, host, "--", "--port", "9100")
    assert again.returncode == 0 and "nothing written" in again.stdout
    assert path.stat().st_mtime_ns == stamp

    removed = configure(tmp_path, host, "--remove")
    assert removed.returncode == 0, removed.stderr
    assert json.loads(path.read_text()) == original


def test_codex_keeps_comments_and_other_tables(tmp_path):
    path = tmp_path / ".codex" / "config.toml"
    path.parent.mkdir()
    path.write_text(CODEX_FILE)
    result = configure(tmp_path, "codex", "--", "--log-level", "debug")
    assert result.returncode == 0, result.stderr
    text = path.read_text()
    assert text.startswith(CODEX_FILE)
    parsed = tomllib.loads(text)
    assert parsed["mcp_servers"]["godot"] == {"command": BINARY, "args": ["--log-level", "debug"]}
    assert parsed["mcp_servers"]["context7"]["command"] == "npx"
    assert configure(tmp_path, "codex", "--", "--log-level", "debug").stdout.count("nothing written") == 1
    assert configure(tmp_path, "codex", "--remove").returncode == 0
    assert path.read_text() == CODEX_FILE


def test_missing_files_are_created(tmp_path):
    for host in (*HOSTS, "codex"):
        result = configure(tmp_path, host, "--name", "godot-test")
        assert result.returncode == 0, (host, result.stderr)
    assert servers(tmp_path / ".cursor/mcp.json", "mcpServers") == {"godot-test": {"command": BINARY, "args": []}}
    assert tomllib.loads((tmp_path / ".codex/config.toml").read_text())["mcp_servers"]["godot-test"]["command"] == BINARY


def test_an_invalid_file_is_left_alone_with_a_message(tmp_path):
    path = tmp_path / ".cursor" / "mcp.json"
    path.parent.mkdir()
    path.write_text('{"mcpServers": {"fs": {"command": "npx"},}}\n')
    result = configure(tmp_path, "cursor")
    assert result.returncode != 0
    assert str(path) in result.stderr and "not valid JSON" in result.stderr and "left unchanged" in result.stderr
    assert path.read_text() == '{"mcpServers": {"fs": {"command": "npx"},}}\n'
    assert not (path.parent / "mcp.json.bak").exists()
    toml = tmp_path / ".codex" / "config.toml"
    toml.parent.mkdir()
    toml.write_text("[mcp_servers.x\n")
    result = configure(tmp_path, "codex")
    assert result.returncode != 0 and "not valid TOML" in result.stderr
    assert toml.read_text() == "[mcp_servers.x\n"


def test_list_as_json_for_the_dock(tmp_path):
    (tmp_path / ".cursor").mkdir()
    (tmp_path / ".gemini").mkdir()
    assert configure(tmp_path, "gemini").returncode == 0
    listing = configure(tmp_path, "--list", "--json")
    assert listing.returncode == 0, listing.stderr
    hosts = {entry["id"]: entry for entry in json.loads(listing.stdout)["hosts"]}
    assert set(hosts) == {*HOSTS, "codex"}
    assert hosts["cursor"]["detected"] and not hosts["cursor"]["configured"]
    assert hosts["gemini"]["configured"] and hosts["gemini"]["command"] == BINARY
    assert not hosts["vscode"]["detected"]
    assert hosts["cursor"]["path"] == str(tmp_path / ".cursor" / "mcp.json")


def test_bad_requests_are_refused(tmp_path):
    for args in (["nope"], [], ["cursor", "--name", "has space"], ["cursor", "--command", "relative/gateway"]):
        result = configure(tmp_path, *args)
        assert result.returncode != 0 and result.stderr.strip(), args
    assert not (tmp_path / ".cursor").exists()


DOCK_SECTION = Path(__file__).resolve().parents[2] / "godot/addons/godot_mcp/ui/connect_app_section.gd"


def os_execute(path, arguments, read_stderr, env):
    """What Godot's OS.execute does on Linux when it collects output (drivers/unix/os_unix.cpp,
    OS_Unix::execute): the path and every argument in double quotes, unescaped, through /bin/sh via popen,
    stderr merged or discarded; the status is WEXITSTATUS."""
    command = " ".join(f'"{part}"' for part in [path, *arguments]) + (" 2>&1" if read_stderr else " 2>/dev/null")
    result = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=20, env=env)
    return result.returncode, result.stdout


def test_the_dock_can_list_and_configure_through_os_execute(tmp_path):
    # The program in a folder with a space, as an unpacked download may be.
    folder = tmp_path / "Godot tools"
    folder.mkdir()
    (folder / "godot-mcp-gateway").symlink_to(BINARY)
    program = str(folder / "godot-mcp-gateway")
    home = tmp_path / "home"
    (home / ".gemini").mkdir(parents=True)
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    status, output = os_execute(program, ["configure", "--list", "--json"], False, env)
    assert status == 0
    hosts = json.loads(output)["hosts"]
    # Every key the dock reads from a host is in the listing.
    read = set(re.findall(r'host\.get\("([a-z_]+)"', DOCK_SECTION.read_text()))
    assert read and all(read <= set(host) for host in hosts), read
    # The dock adds --port after -- when the editor uses another port.
    status, output = os_execute(program, ["configure", "gemini", "--", "--port", "9100"], True, env)
    assert status == 0, output
    assert "Restart Gemini CLI" in output
    entry = json.loads((home / ".gemini" / "settings.json").read_text())["mcpServers"]["godot"]
    assert entry == {"command": BINARY, "args": ["--port", "9100"]}
    status, output = os_execute(str(folder / "missing"), ["configure", "--list", "--json"], False, env)
    assert status == 127 and output == ""  # what the dock shows as "did not answer"
