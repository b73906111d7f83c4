import ArgumentParser

@main
struct AIFactory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "aifactory", abstract: "AI Factory")
}
