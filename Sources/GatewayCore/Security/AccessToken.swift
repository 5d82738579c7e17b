/// The shared secret clients authenticate with, as the core checks it (the token file is the server's).
package enum AccessToken {
    /// Compares in time that depends only on the lengths, never on where the first difference is.
    package static func matches(_ presented: String, _ expected: String) -> Bool {
        let left = Array(presented.utf8)
        let right = Array(expected.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0
    }
}
