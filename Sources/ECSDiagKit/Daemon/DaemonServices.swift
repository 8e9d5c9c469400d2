import DiagnosisRules
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs `DaemonLoop` on its own thread (it blocks in poll(2) between batches) and stops it on graceful shutdown.
public struct DaemonService: Service {
    private let makeLoop: @Sendable () -> DaemonLoop
    private let control: DaemonControl

    /// Creates the service; `makeLoop` runs on the loop's thread.
    public init(control: DaemonControl, makeLoop: @escaping @Sendable () -> DaemonLoop) {
        self.control = control
        self.makeLoop = makeLoop
    }

    public func run() async throws {
        let control = self.control
        let makeLoop = self.makeLoop
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    makeLoop().run(control: control)
                    done.resume()
                }
                thread.name = "ecsdiagd-loop"
                thread.start()
            }
        } onGracefulShutdown: {
            control.requestStop()
        }
    }
}

/// Turns SIGHUP into a reload request (swift-service-lifecycle does not handle SIGHUP itself).
public struct ReloadSignalService: Service {
    private let control: DaemonControl

    /// Creates the service.
    public init(control: DaemonControl) { self.control = control }

    public func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            control.requestReload()
        }
    }
}

/// `ecsdiagd run`: the systemd service.
public enum DaemonRunner {
    /// Loads the configuration (errors name file, line and key), then runs until SIGTERM/SIGINT.
    /// - Returns: the exit status.
    public static func run(configPath given: String) async -> Int32 {
        let configPath: String
        if let resolved = realpath(given, nil) {
            configPath = String(cString: resolved)
            free(resolved)
        } else {
            configPath = given
        }
        let configuration: Configuration
        do {
            configuration = try ConfigurationLoader.load(path: configPath)
        } catch {
            FileOutput.standardError.write("ecsdiagd: \(TerminalText.sanitize(error.description))\n")
            return 2
        }
        let context = ContextDocumentReader.load(paths: configuration.contextPaths)
        for problem in context.problems {
            FileOutput.standardError.write("ecsdiagd: context \(TerminalText.sanitize(problem.path)): \(TerminalText.sanitize(problem.message))\n")
        }
        let control = DaemonControl()
        let logger = Logger(label: "ecsdiagd")
        let serviceContext = context.context
        let daemon = DaemonService(control: control) {
            DaemonLoop(
                configPath: configPath, configuration: configuration, context: serviceContext,
                dependencies: .system()
            )
        }
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: daemon),
                .init(service: ReloadSignalService(control: control), successTerminationBehavior: .ignore),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        do {
            try await group.run()
            return 0
        } catch {
            FileOutput.standardError.write("ecsdiagd: \(error)\n")
            return 1
        }
    }
}
