import PromQL

extension ExporterFault {
    /// The node's DCGM exposition with this fault applied (`down` is the route's business: a
    /// down exporter renders nothing).
    public func applyDCGM(_ text: [UInt8]) -> [UInt8] {
        var out = ExpositionRewrite.dropping(families: Set(dropFields), from: text)
        if let forgedTenant {
            out = ExpositionRewrite.addingLabel(ScopeLabel.tenant, forgedTenant, to: out)
        }
        return out
    }

    /// The node's vLLM exposition with this fault applied.
    public func applyVLLM(_ text: [UInt8]) -> [UInt8] {
        legacyVLLMNames ? ExpositionRewrite.renaming(Self.legacyVLLMRenames, in: text) : text
    }
}
