import Foundation

/// Checks a response against the served OpenAPI document: the path is documented (for the method), the
/// status is listed, the content type matches, and JSON bodies have every required property with the
/// documented type, recursively through arrays, objects and `$ref`s.
struct OpenAPIChecker {
    let document: [String: Any]

    init(json: Data) throws {
        guard let document = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw CheckError("the OpenAPI document is not a JSON object")
        }
        self.document = document
    }

    struct CheckError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    var paths: [String: Any] { document["paths"] as? [String: Any] ?? [:] }

    /// The documented path template matching `path`, literal segments preferred over parameters.
    func template(for path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (template: String, literals: Int)?
        for template in paths.keys {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { continue }
            var literals = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") && part.hasSuffix("}") {
                    if segment.isEmpty { matches = false }
                } else if part == segment {
                    literals += 1
                } else {
                    matches = false
                }
                if !matches { break }
            }
            if matches && literals > (best?.literals ?? -1) { best = (template, literals) }
        }
        return best?.template
    }

    /// Problems found; empty when the response conforms.
    func check(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        guard let template = template(for: path) else { return ["\(path) is not in the OpenAPI document"] }
        guard let operation = (paths[template] as? [String: Any])?[method.lowercased()] as? [String: Any]
        else {
            return ["\(method) \(template) is not in the OpenAPI document"]
        }
        guard var response = (operation["responses"] as? [String: Any])?[String(status)] as? [String: Any]
        else {
            return ["status \(status) is not listed for \(method) \(template)"]
        }
        if let ref = response["$ref"] as? String, let resolved = resolve(ref) { response = resolved }
        return checkContent(
            response, contentType: contentType, body: body, at: "\(method) \(template) \(status)")
    }

    /// For responses that have no documented path (an unknown route): the body must be the Error schema.
    func checkError(body: Data) -> [String] {
        guard let value = try? JSONSerialization.jsonObject(with: body) else {
            return ["error body is not JSON"]
        }
        return checkValue(value, schema: ["$ref": "#/components/schemas/Error"], at: "error")
    }

    func checkValue(_ value: Any, schemaNamed name: String) -> [String] {
        checkValue(value, schema: ["$ref": "#/components/schemas/\(name)"], at: name)
    }

    private func checkContent(
        _ response: [String: Any], contentType: String?, body: Data, at location: String
    ) -> [String] {
        guard let content = response["content"] as? [String: Any] else { return [] }
        let mediaType = contentType?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let mediaType, let media = content[mediaType] as? [String: Any] else {
            return [
                "\(location): content type \(contentType ?? "none") is not one of \(content.keys.sorted())"
            ]
        }
        guard mediaType == "application/json", let schema = media["schema"] as? [String: Any] else {
            return []
        }
        guard let value = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return ["\(location): body is not valid JSON"]
        }
        return checkValue(value, schema: schema, at: location)
    }

    private func resolve(_ ref: String) -> [String: Any]? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    private func checkValue(_ value: Any, schema: [String: Any], at location: String) -> [String] {
        if let ref = schema["$ref"] as? String {
            guard let resolved = resolve(ref) else { return ["\(location): unresolvable \(ref)"] }
            return checkValue(value, schema: resolved, at: location)
        }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let results = choices.map { checkValue(value, schema: $0, at: location) }
            return results.contains { $0.isEmpty }
                ? [] : ["\(location): matches none of oneOf"] + results.flatMap { $0 }
        }
        let types: [String] = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        if !types.isEmpty && !types.contains(where: { Self.value(value, hasType: $0) }) {
            return ["\(location): \(Self.describe(value)) is not \(types.joined(separator: "|"))"]
        }
        var problems: [String] = []
        if let object = value as? [String: Any] {
            for required in schema["required"] as? [String] ?? [] where object[required] == nil {
                problems.append("\(location): required property '\(required)' is missing")
            }
            for (name, propertySchema) in schema["properties"] as? [String: Any] ?? [:] {
                if let member = object[name], let propertySchema = propertySchema as? [String: Any] {
                    problems += checkValue(member, schema: propertySchema, at: "\(location).\(name)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                problems += checkValue(element, schema: items, at: "\(location)[\(index)]")
            }
        }
        if let choices = schema["enum"] as? [String], let text = value as? String, !choices.contains(text) {
            problems.append("\(location): '\(text)' is not one of \(choices)")
        }
        return problems
    }

    private static func value(_ value: Any, hasType type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return (value as? NSNumber).map(isBool) ?? false
        case "integer":
            guard let number = value as? NSNumber, !isBool(number) else { return false }
            return number.doubleValue.rounded() == number.doubleValue
        case "number":
            guard let number = value as? NSNumber else { return false }
            return !isBool(number)
        default: return true
        }
    }

    private static func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c" && "\(type(of: number))".contains("Boolean")
    }

    private static func describe(_ value: Any) -> String {
        "\(value)".prefix(60).description
    }
}
