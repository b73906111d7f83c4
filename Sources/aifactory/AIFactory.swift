import ArgumentParser
import Server

/// The `aifactory` command: each subcommand turns flags into a configuration value and calls one
/// library entry point, so behaviour lives in the libraries and is tested there.
@main
struct AIFactory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aifactory",
        abstract: "AI Factory: tenant-scoped GPU and LLM-serving observability over Prometheus.",
        version: AIFactoryVersion.current,
        subcommands: [
            DemoCommand.self,
            ServeCommand.self,
            SimulateCommand.self,
            PromQLCommand.self,
            AdminCommand.self,
            ExportCommand.self,
            LoadTestCommand.self,
            AgentCommand.self,
            ValidateCommand.self,
            GatewayCommand.self,
        ]
    )
}
