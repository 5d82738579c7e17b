import Testing
@testable import GatewayCore
@testable import GatewayMCP

/// Flat arguments skip the parser and the full validator only when the validator would pass them: for
/// every pairing below, `certainlyFits` saying yes must mean `problem` finds nothing in the same bytes
/// parsed; and the common call must take the short way, or it saves nothing.
@Suite struct FlatArgumentsTests {
    /// Reads `arguments` as they would sit in a request line.
    private func withFlat<T>(_ arguments: String, _ body: (FlatArguments?, UnsafeRawBufferPointer) -> T) -> T {
        let line = Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":\#(arguments)}}"#.utf8)
        return line.withUnsafeBytes { bytes in
            guard let call = ScannedToolCall.scan(bytes, maximumDepth: 64), let member = call.arguments else {
                Issue.record("the line did not scan: \(arguments)")
                return body(nil, bytes)
            }
            return body(FlatArguments(bytes, member), bytes)
        }
    }

    @Test func flatObjectsAreReadAndOthersAreLeftToTheParser() {
        #expect(withFlat(#"{"node_path":"/root/Main/Player"}"#) { flat, bytes in
            flat?.members.map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0.name]), as: UTF8.self) }
        } == ["node_path"])
        #expect(withFlat(#"{}"#) { flat, _ in flat?.members.count } == 0)
        #expect(withFlat(#"{ "a" : 1 , "b":true,"c":null,"d":"x" }"#) { flat, _ in flat?.text.text } == #"{ "a" : 1 , "b":true,"c":null,"d":"x" }"#)
        for notFlat in [
            #"{"a":{"b":1}}"#, #"{"a":[1,2]}"#, #"{"a":{}}"#, #"{"a":[]}"#,  // containers
            #"{"\u0061":1}"#,  // an escaped name could spell anything
            #"{"a":1,"a":2}"#,  // a name twice: the parser decides which one counts
            #"{"é":1}"#,  // not ASCII: as a String it may equal another name (e and a combining accent)
            #"{"a":1,"client":"editor"}"#, #"{"wait_seconds":2}"#,  // the gateway's own arguments are taken out first
            #""a string""#, "[1]", "7",
        ] {
            #expect(withFlat(notFlat) { flat, _ in flat == nil }, "\(notFlat)")
        }
        let many = "{" + (0...FlatArguments.maximumMembers).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + "}"
        #expect(withFlat(many) { flat, _ in flat == nil })
    }

    @Test func theCommonCallTakesTheShortWay() {
        let schema = ArgumentSchema(["type": "object", "properties": ["node_path": ["type": "string"]], "required": ["node_path"]])
        #expect(withFlat(#"{"node_path":"/root/Main/Player"}"#) { flat, bytes in
            flat.map { ArgumentValidator.certainlyFits($0, in: bytes, schema: schema) }
        } == true)
        let pathSchema = ArgumentSchema(["type": "object", "properties": ["path": ["type": "string"], "line": ["type": "integer"]]])
        #expect(withFlat(#"{"path":"res://main.gd","line":12}"#) { flat, bytes in
            flat.map { ArgumentValidator.certainlyFits($0, in: bytes, schema: pathSchema) }
        } == true)
    }

    /// Every pairing of these arguments and schemas: where the short way says yes, the full validator
    /// must agree. Where it says no, the full way runs and gives its own answer, so no is always safe.
    @Test func yesOnTheShortWayIsAYesOfTheValidator() throws {
        let values = [#""text""#, #""res://a.tscn""#, #""res://../x""#, #""/etc/passwd""#, #""res://a\u002Fb""#, "0", "-3", "12", "1.0", "1.5",
                      "1e3", "123456789012345678901234567890", "true", "false", "null"]
        // K, the name some schemas below spell with the Kelvin sign (equal as Strings).
        let names = ["path", "x", "mode", "required_one", "K"]
        var argumentSets: [String] = ["{}"]
        for name in names {
            for value in values { argumentSets.append(#"{"\#(name)":\#(value)}"#) }
        }
        for value in values { argumentSets.append(#"{"path":\#(value),"x":\#(value)}"#) }
        let types: [JSONValue?] = [nil, "string", "number", "integer", "boolean", "null", "object", "array", "any"]
        var schemas: [JSONValue] = [[:], ["type": "array"], ["type": "object", "enum": [[:]]]]
        for type in types {
            var property: [String: JSONValue] = [:]
            if let type { property["type"] = type }
            for closed in [false, true] {
                for required in [[], ["required_one"]] as [[JSONValue]] {
                    var schema: [String: JSONValue] = [
                        "type": "object", "properties": ["path": .object(property), "x": .object(property)], "required": .array(required),
                    ]
                    if closed { schema["additionalProperties"] = false }
                    schemas.append(.object(schema))
                }
            }
            schemas.append(["type": "object", "properties": ["x": .object(property.merging(["enum": [12, "text"]]) { $1 })]])
            schemas.append(["type": "object", "properties": ["\u{212A}": .object(property)]])
            schemas.append(["type": "object", "properties": ["x": .object(property)], "required": ["\u{212A}"]])
        }
        var yes = 0
        for arguments in argumentSets {
            let value = try JSONValue.parse(Array(arguments.utf8))
            for schemaValue in schemas {
                let schema = ArgumentSchema(schemaValue)
                let fits = withFlat(arguments) { flat, bytes in flat.map { ArgumentValidator.certainlyFits($0, in: bytes, schema: schema) } }
                guard fits == true else { continue }
                yes += 1
                let problem = ArgumentValidator.problem(in: value, schema: schema)
                #expect(problem == nil, "short way said yes to \(arguments) against \(schemaValue.jsonText); validator: \(problem ?? "")")
            }
        }
        // The pairings are not all refusals: the short way is taken for many of them.
        #expect(yes > 100)
    }

    @Test func textOnlyParametersParseToWhatTheParserBuilds() throws {
        let arguments = #"{ "path" : "res://é.tscn", "n": -0, "big": 123456789012345678901234567890, "f": 1.5e2, "t": true, "z": null }"#
        let text = try #require(withFlat(arguments) { flat, _ in flat?.text })
        let parameters = CommandParameters(text: text)
        #expect(parameters.jsonValue == (try JSONValue.parse(Array(arguments.utf8))))
        #expect(parameters.jsonText == arguments)
    }
}
