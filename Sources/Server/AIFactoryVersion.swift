/// The product version, reported by `/healthz` and `aifactory --version`.
public enum AIFactoryVersion {
    public static let current = "0.1.0"
}
