"""The README's quick start, step by step: configure an app from the README's own command line, start
the gateway the way that app will (the entry's command and arguments, no token in the environment),
connect an editor with the token the addon reads from the gateway's token file, and ask what the README
says to ask."""
import json
import os
import re
import subprocess
from pathlib import Path

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from fake_editor import FakeEditor
from gateway import GATEWAY_BIN, free_port

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
QUICK_START = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]


def test_step_1_names_the_build_script_and_step_3_the_addon_as_godot_lists_it():
    assert "`scripts/setup.sh`" in QUICK_START and os.access(REPO / "scripts" / "setup.sh", os.X_OK)
    assert "`godot/addons/godot_mcp`" in QUICK_START and (REPO / "godot/addons/godot_mcp/plugin.cfg").exists()
    plugin_name = re.search(r'^name="([^"]+)"', (REPO / "godot/addons/godot_mcp/plugin.cfg").read_text(), re.M).group(1)
    assert f"enable **{plugin_name}**" in QUICK_START


def test_the_config_paths_table_matches_what_configure_uses(tmp_path):
    listing = subprocess.run([GATEWAY_BIN, "configure", "--list", "--json"], capture_output=True, text=True, timeout=20,
                             env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    linux = {host["id"]: host["path"].replace(str(tmp_path), "~") for host in json.loads(listing.stdout)["hosts"]}
    section = README.split("| host | Linux | macOS | Windows |", 1)[1].split("\n\n", 1)[0]
    table = dict(re.findall(r"^\| `([a-z-]+)` \| `([^`]+)` \|", section, re.M))
    assert table == linux


async def test_steps_2_and_4_configure_then_ask(tmp_path):
    (line,) = re.findall(r"^\s*(\.build/release/godot-mcp-gateway configure [a-z-]+)", QUICK_START, re.M)
    host = line.split()[-1]
    assert host == "claude-desktop"
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    configured = subprocess.run([GATEWAY_BIN, *line.split()[1:]], capture_output=True, text=True, timeout=20, env=env)
    assert configured.returncode == 0, configured.stderr
    assert "Quit Claude Desktop completely" in configured.stdout
    entry = json.loads((home / ".config/Claude/claude_desktop_config.json").read_text())["mcpServers"]["godot"]

    (tool,) = re.findall(r"it calls `(\w+)`", QUICK_START)
    port = free_port()  # the entry uses the default port; a test may not
    scene = {"name": "Main", "type": "Node2D", "children": [{"name": "Player", "type": "CharacterBody2D"}]}  # the answer
    params = StdioServerParameters(command=entry["command"], args=[*entry["args"], "--port", str(port)], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            assert tool in {item.name for item in (await session.list_tools()).tools}
            # The addon's default: the token from the gateway's own token file (settings.gd effective_token).
            token = (home / ".config" / "godot-mcp-gateway" / "token").read_text().strip()
            answer = {"success": True, "result": scene, "error": None}
            editor = await FakeEditor(port, token=token, handler=lambda command, params: answer).start()
            try:
                result = await session.call_tool(tool, {"wait_seconds": 5})
                assert not result.is_error, result.content[0].text
                assert "Player" in result.content[0].text
            finally:
                await editor.close()
