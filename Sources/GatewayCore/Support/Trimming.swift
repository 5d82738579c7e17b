extension StringProtocol {
    /// The text without the leading and trailing characters `shouldTrim` picks (whitespace and line
    /// breaks by default). Foundation's `trimmingCharacters(in:)` is the only reason the gateway would
    /// link all of Foundation.
    package func trimmed(where shouldTrim: (Character) -> Bool = { $0.isWhitespace }) -> String {
        guard let start = firstIndex(where: { !shouldTrim($0) }), let end = lastIndex(where: { !shouldTrim($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
