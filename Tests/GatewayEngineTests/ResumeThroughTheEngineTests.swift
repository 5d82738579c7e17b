import Testing
@testable import GatewayCore
@testable import GatewayEngine

/// What waits for a dropped editor (issue 24 item 6, issue 30), through the whole engine: only an editor
/// that declared it resumes and did not close on purpose is waited for, at most the grace; a call
/// naming it by project waits like one naming its id.
@Suite struct ResumeThroughTheEngineTests {
    func driver() -> EngineDriver {
        .ready()
    }

    func call(_ driver: EngineDriver, _ arguments: JSONValue = [:]) -> Int {
        driver.hostRequest("tools/call", ["name": "get_scene_tree", "arguments": arguments])
    }

    @Test func anEditorThatNeverDeclaredItResumesEndsItsCallsAtOnce() {
        let driver = driver()
        let original = driver.connectEditor()
        let id = call(driver)
        #expect(driver.commands(to: original).count == 1)
        driver.drop(original)
        #expect(driver.toolResult(id)?.text.contains("disconnected before it answered") == true)
    }

    @Test func anEditorThatClosesOnPurposeEndsItsCallsAtOnce() {
        for code: UInt16 in [1000, 1001] {
            let driver = driver()
            let leaving = driver.connectEditor(identity: ["resumable": true])
            let id = call(driver)
            #expect(driver.commands(to: leaving).count == 1)
            driver.clientCloses(leaving, code: code)
            #expect(driver.toolResult(id)?.text.contains("disconnected before it answered") == true)
        }
    }

    @Test func aDroppedResumableEditorIsWaitedForTheGraceByIdOrProject() {
        let driver = driver()
        let editor = driver.connectEditor(identity: ["resumable": true, "projectName": "Dungeon"])
        let inFlight = call(driver)
        #expect(driver.commands(to: editor).count == 1)
        driver.drop(editor)
        let byName = call(driver, ["client": "dung"])
        driver.advance(by: 4.9)
        #expect(driver.toolResult(inFlight) == nil && driver.toolResult(byName) == nil)
        driver.advance(by: 0.2)
        #expect(driver.toolResult(inFlight)?.text.contains("disconnected before it answered") == true)
        #expect(driver.toolResult(byName)?.text.contains("did not reconnect within 5 s") == true)
    }
}
