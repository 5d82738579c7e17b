"""The Godot addon's side of the protocol, replayed exactly as godot/addons/godot_mcp speaks it
(connection/protocol.gd and connection/gateway_connection.gd): handshake -> identify with capabilities ->
heartbeat_response -> command -> response -> shutdown_ack and close 1000. A change to either side that
breaks the other fails here. The commands and schemas come from the addon's own declarations."""
import asyncio
import json
import sys
import time
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from addon_commands import addon_commands  # noqa: E402
from gateway import TEST_TOKEN, RawGateway, mcp_gateway  # noqa: E402

ADDON_VERSION = "0.1.0"
GODOT_VERSION = "4.3.stable.official"


def addon_identify() -> dict:
    """protocol.gd identify(): the fields the addon sends, capabilities built like command_registry.describe()."""
    commands = [{"name": name, "description": d["description"], "inputSchema": d["input_schema"]}
                for name, d in addon_commands().items()]
    return {"type": "identify", "clientType": "godot", "clientVersion": ADDON_VERSION, "godotVersion": GODOT_VERSION,
            "projectName": "Protocol Test", "projectPath": "/tmp/protocol-test/", "capabilities": {"commands": commands},
            "resumable": True}


def addon_response(command_id: str, outcome: dict) -> dict:
    """protocol.gd response()."""
    success = bool(outcome.get("success"))
    return {"id": command_id, "success": success, "result": outcome.get("result") if success else None,
            "error": None if success else outcome.get("error", "unspecified error"), "timestamp": time.time()}


async def test_gateway_tools_are_exactly_the_addon_commands_plus_gateway_tools():
    declared = addon_commands()
    async with mcp_gateway("--toolsets", "all") as gateway:
        tools = {tool.name: tool for tool in (await gateway.session.list_tools()).tools}
    assert set(tools) == set(declared) | {"list_clients", "get_connection_stats", "select_client", "lock_scene", "unlock_scene",
                                          "list_toolsets", "enable_toolset", "disable_toolset"}
    for name, declaration in declared.items():
        assert tools[name].description == declaration["description"], name
        # The gateway adds two arguments of its own to every editor tool: which editor runs it, and how
        # long to wait for one.
        schema = json.loads(json.dumps(tools[name].input_schema))
        assert schema["properties"].pop("client")["type"] == "string", name
        assert schema["properties"].pop("wait_seconds")["type"] == "number", name
        assert schema == declaration["input_schema"], name


async def test_the_addons_message_sequence_end_to_end():
    gateway = await RawGateway("--heartbeat-interval", "0.2").start()
    try:
        await gateway.initialize()
        user_agent = f"Godot/{GODOT_VERSION} godot-mcp/{ADDON_VERSION}"
        async with websockets.connect(f"ws://127.0.0.1:{gateway.port}", user_agent_header=user_agent,
                                      additional_headers={"Authorization": f"Bearer {TEST_TOKEN}"}) as ws:
            handshake = json.loads(await ws.recv())
            assert handshake["type"] == "handshake" and handshake["clientId"]
            assert handshake["heartbeatInterval"] == 200  # the addon derives its dead-link timer from it
            await ws.send(json.dumps(addon_identify()))

            heartbeat = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert heartbeat["type"] == "heartbeat"
            await ws.send(json.dumps({"type": "heartbeat_response", "timestamp": heartbeat["timestamp"]}))

            async def registered() -> dict:
                while True:
                    request = await gateway.request("tools/call", {"name": "list_clients", "arguments": {}})
                    clients = json.loads((await gateway.response(request))["result"]["content"][0]["text"])["clients"]
                    if clients and clients[0]["ready"]:
                        return clients[0]

            async def next_command() -> dict:
                while True:
                    message = json.loads(await ws.recv())
                    if "command" in message:
                        return message
                    if message.get("type") == "heartbeat":
                        await ws.send(json.dumps({"type": "heartbeat_response", "timestamp": message["timestamp"]}))

            record = await asyncio.wait_for(registered(), 5)
            assert record["type"] == "godot" and record["godotVersion"] == GODOT_VERSION
            assert record["identity"]["projectName"] == "Protocol Test"
            assert record["identity"]["capabilities"]["commandCount"] == len(addon_commands())

            call = await gateway.request("tools/call", {"name": "rename_node",
                                                        "arguments": {"node_path": "/root/Main/Player", "new_name": "Hero"}})
            command = await asyncio.wait_for(next_command(), 5)
            assert command["command"] == "rename_node"
            assert command["params"] == {"node_path": "/root/Main/Player", "new_name": "Hero"}
            await ws.send(json.dumps(addon_response(command["id"], {"success": True,
                                                                     "result": {"path": "/root/Main/Hero", "name": "Hero"}})))
            result = (await gateway.response(call))["result"]
            assert result["isError"] is False
            assert json.loads(result["content"][0]["text"]) == {"path": "/root/Main/Hero", "name": "Hero"}

            failing = await gateway.request("tools/call", {"name": "delete_node", "arguments": {"node_path": "/root/Main"}})
            command = await asyncio.wait_for(next_command(), 5)
            await ws.send(json.dumps(addon_response(command["id"], {
                "success": False, "error": "The scene root cannot be deleted; open or create another scene instead"})))
            result = (await gateway.response(failing))["result"]
            assert result["isError"] is True and "scene root cannot be deleted" in result["content"][0]["text"]

            gateway.close_stdin()
            shutdown = await asyncio.wait_for(next_command(), 5)
            assert shutdown["command"] == "shutdown" and shutdown["params"]["reason"] == "mcp_server_terminating"
            await ws.send(json.dumps({"command": "shutdown_ack", "timestamp": time.time(), "client_id": "godot_mcp_client"}))
            await ws.close(1000, "shutdown acknowledged")
        assert await gateway.wait_exit(3) == 0
    finally:
        await gateway.kill()


def test_the_addon_declares_in_identify_that_it_resumes():
    """The gateway keeps a dropped editor's calls waiting for a resume only when its identify says
    `"resumable": true`; the replay above sends what protocol.gd builds, so the two must agree."""
    protocol = (Path(__file__).resolve().parents[2] / "godot/addons/godot_mcp/connection/protocol.gd").read_text()
    assert '"resumable": true,' in protocol
    assert addon_identify()["resumable"] is True
