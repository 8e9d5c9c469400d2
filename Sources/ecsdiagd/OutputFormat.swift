import ArgumentParser

/// `--output text|json` of `replay` and `signals`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
