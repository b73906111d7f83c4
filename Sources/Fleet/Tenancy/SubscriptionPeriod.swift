/// The accounting periods a token quota can be stated over.
///
/// `Subscription.period` stores the raw value as a string so the wire format stays plain; this enum is
/// the one place that says which strings are valid.
public enum SubscriptionPeriod: String, Sendable, Hashable, Codable, CaseIterable {
    case month, week, day
}
