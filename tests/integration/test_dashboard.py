"""The dashboard, in a real headless browser (Debian's chromium driven by Playwright): without the token
only the sign-in form is served; after signing in it shows a connected editor, its numbers move after
calls, and an editor's event appears."""
import asyncio
import os
import shutil
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from fake_editor import TEST_TOKEN, FakeEditor
from gateway import mcp_gateway

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "dashboard.png"


async def test_the_dashboard_signs_in_and_shows_live_state():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed; scripts/setup.sh --tests installs it")
    async with mcp_gateway() as gateway:
        editor = await FakeEditor(gateway.port, identity={"projectName": "Space Game", "projectPath": "/work/space/"}).start()
        await editor.identified()
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                page = await browser.new_page(viewport={"width": 1100, "height": 800})
                await page.goto(f"http://127.0.0.1:{gateway.port}/")
                # Not signed in: the form, and nothing of the gateway's state.
                assert await page.locator("#token").count() == 1
                assert editor.client_id not in await page.content()
                await page.fill("#token", "not-the-token-0123456789")
                await page.click("button[type=submit]")
                await page.wait_for_selector("text=The gateway refused that token.")
                await page.fill("#token", TEST_TOKEN)
                await page.click("button[type=submit]")
                await page.wait_for_selector(f"#clients >> text={editor.client_id}", timeout=10000)
                await page.wait_for_selector("#status.ok")
                assert "Space Game" in await page.inner_text("#clients")
                before = await page.inner_text("#sent")
                for _ in range(5):
                    await gateway.call_json("get_scene_tree")
                await expect(page.locator("#sent")).not_to_have_text(before, timeout=10000)
                await editor.send({"type": "event", "event": "scene_changed", "data": {"scene": "res://space/level_1.tscn"}})
                await page.wait_for_selector("#events >> text=scene_changed", timeout=10000)
                await expect(page.locator("#sent")).to_have_text("5", timeout=10000)
                if os.environ.get("UPDATE_SCREENSHOT"):
                    await page.screenshot(path=str(SCREENSHOT), full_page=True)
                # The cookie is HttpOnly: the page's own script cannot read it.
                assert "godot_mcp_session" not in await page.evaluate("document.cookie")
            finally:
                await browser.close()
        await editor.close()
