"""The command line: version, bad options, and what a person sees when starting it from a terminal."""
import os
import pty
import subprocess
import time

from gateway import GATEWAY_BIN, free_port


def test_version_and_help():
    version = subprocess.run([GATEWAY_BIN, "--version"], capture_output=True, text=True, timeout=10)
    assert version.returncode == 0 and version.stdout.strip().count(".") == 2
    help_text = subprocess.run([GATEWAY_BIN, "--help"], capture_output=True, text=True, timeout=10).stdout
    for flag in ("--host", "--port", "--heartbeat-interval", "--heartbeat-timeout", "--command-timeout",
                 "--max-message-size", "--log-level", "GODOT_MCP_PORT"):
        assert flag in help_text


def test_invalid_settings_are_refused_with_a_message():
    for args in (["--port", "70000"], ["--command-timeout", "-1"], ["--log-level", "loud"]):
        result = subprocess.run([GATEWAY_BIN, *args], capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL)
        assert result.returncode != 0, args
        assert result.stderr.strip(), args
        assert result.stdout == "", "stdout is reserved for MCP"


def test_environment_variables_configure_it():
    port = free_port()
    result = subprocess.run([GATEWAY_BIN], capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL,
                            env={**os.environ, "GODOT_MCP_PORT": str(port), "GODOT_MCP_LOG_LEVEL": "debug"})
    assert result.returncode == 0  # stdin at EOF at once: an orderly exit
    assert f"127.0.0.1:{port}" in result.stderr


def test_started_from_a_terminal_it_explains_itself_on_stderr():
    port = free_port()
    controller, terminal = pty.openpty()
    process = subprocess.Popen([GATEWAY_BIN, "--port", str(port)], stdin=terminal, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    os.close(terminal)
    try:
        stderr = b""
        deadline = time.monotonic() + 10
        while b"Ctrl-C" not in stderr and time.monotonic() < deadline:
            stderr += os.read(process.stderr.fileno(), 4096)
        text = stderr.decode()
        assert f"ws://127.0.0.1:{port}" in text
        assert "claude mcp add" in text and "mcpServers" in text
        os.write(controller, b"\x04")  # Ctrl-D: end of input, an orderly shutdown
        assert process.wait(timeout=5) == 0
        assert process.stdout.read() == b""
    finally:
        process.kill()
        os.close(controller)
