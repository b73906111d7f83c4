/// Identifies the generator in result files, so a CSV can be traced to the tool that wrote it.
public enum LoadTestVersion {
    public static let name = "aifactory-loadtest"
}
