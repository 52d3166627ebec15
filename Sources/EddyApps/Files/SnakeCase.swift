/// Column names in snake_case: `userId` → `user_id`, `HTTPStatus` → `http_status`, `First Name` →
/// `first_name`; runs of other characters become one `_`.
///
/// ```swift
/// SnakeCase.convert("createdAt")   // "created_at"
/// ```
public enum SnakeCase {
    public static func convert(_ name: String) -> String {
        let chars = Array(name)
        var out = ""
        var pendingSeparator = false
        for (i, c) in chars.enumerated() {
            guard c.isLetter || c.isNumber else {
                pendingSeparator = !out.isEmpty
                continue
            }
            if c.isUppercase, i > 0, !out.isEmpty {
                let previous = chars[i - 1]
                let next = i + 1 < chars.count ? chars[i + 1] : nil
                // A word starts at lower→Upper, or at the last capital of an acronym before a lowercase letter.
                if previous.isLowercase || previous.isNumber
                    || (previous.isUppercase && next?.isLowercase == true)
                {
                    pendingSeparator = true
                }
            }
            if pendingSeparator, !out.isEmpty, out.last != "_" { out.append("_") }
            pendingSeparator = false
            out += c.lowercased()
        }
        return out.isEmpty ? "column" : out
    }
}
