/// A PromQL function: its signature as data, as in Prometheus's `functions.go`, plus the facts the
/// tenant enforcer needs.
public struct Function: Sendable, Hashable {
    public var name: String
    public var argumentTypes: [ValueType]
    /// 0: exactly `argumentTypes.count` arguments. n > 0: the last type may repeat up to n more times…
    /// precisely, between `argumentTypes.count - 1` and `argumentTypes.count - 1 + n` arguments.
    /// -1: the last type repeats without limit.
    public var variadic: Int
    public var returnType: ValueType
    /// Behind `--enable-feature=promql-experimental-functions` in Prometheus.
    public var isExperimental: Bool
    /// Reads series the query text does not name (`info()` joins in `target_info`). The enforcer cannot
    /// scope what it cannot see, so it rejects these.
    public var readsUnnamedSeries: Bool
    /// Index of a string argument naming a label the function writes on its output series
    /// (`label_replace`, `label_join`). Writing the tenant label would forge another tenant's rows.
    public var writesLabelArgument: Int?

    init(_ name: String, _ argumentTypes: [ValueType], _ returnType: ValueType, variadic: Int = 0,
         experimental: Bool = false, readsUnnamedSeries: Bool = false, writesLabelArgument: Int? = nil) {
        self.name = name
        self.argumentTypes = argumentTypes
        self.variadic = variadic
        self.returnType = returnType
        self.isExperimental = experimental
        self.readsUnnamedSeries = readsUnnamedSeries
        self.writesLabelArgument = writesLabelArgument
    }

    /// Looks a function up by its exact (case-sensitive) name.
    public static func named(_ name: String) -> Function? { table[name] }

    /// Every function of Prometheus 3.x's query language.
    public static let table: [String: Function] = {
        let s = ValueType.scalar, v = ValueType.vector, m = ValueType.matrix, str = ValueType.string
        let all: [Function] = [
            Function("abs", [v], v),
            Function("absent", [v], v),
            Function("absent_over_time", [m], v),
            Function("acos", [v], v),
            Function("acosh", [v], v),
            Function("asin", [v], v),
            Function("asinh", [v], v),
            Function("atan", [v], v),
            Function("atanh", [v], v),
            Function("avg_over_time", [m], v),
            Function("ceil", [v], v),
            Function("changes", [m], v),
            Function("clamp", [v, s, s], v),
            Function("clamp_max", [v, s], v),
            Function("clamp_min", [v, s], v),
            Function("cos", [v], v),
            Function("cosh", [v], v),
            Function("count_over_time", [m], v),
            Function("days_in_month", [v], v, variadic: 1),
            Function("day_of_month", [v], v, variadic: 1),
            Function("day_of_week", [v], v, variadic: 1),
            Function("day_of_year", [v], v, variadic: 1),
            Function("deg", [v], v),
            Function("delta", [m], v),
            Function("deriv", [m], v),
            Function("double_exponential_smoothing", [m, s, s], v, experimental: true),
            Function("exp", [v], v),
            Function("first_over_time", [m], v, experimental: true),
            Function("floor", [v], v),
            Function("histogram_avg", [v], v),
            Function("histogram_count", [v], v),
            Function("histogram_fraction", [s, s, v], v),
            Function("histogram_quantile", [s, v], v),
            Function("histogram_stddev", [v], v),
            Function("histogram_stdvar", [v], v),
            Function("histogram_sum", [v], v),
            Function("hour", [v], v, variadic: 1),
            Function("idelta", [m], v),
            Function("increase", [m], v),
            Function("info", [v, v], v, variadic: 1, experimental: true, readsUnnamedSeries: true),
            Function("irate", [m], v),
            Function("label_join", [v, str, str, str], v, variadic: -1, writesLabelArgument: 1),
            Function("label_replace", [v, str, str, str, str], v, writesLabelArgument: 1),
            Function("last_over_time", [m], v),
            Function("ln", [v], v),
            Function("log10", [v], v),
            Function("log2", [v], v),
            Function("mad_over_time", [m], v, experimental: true),
            Function("max_over_time", [m], v),
            Function("min_over_time", [m], v),
            Function("minute", [v], v, variadic: 1),
            Function("month", [v], v, variadic: 1),
            Function("pi", [], s),
            Function("predict_linear", [m, s], v),
            Function("present_over_time", [m], v),
            Function("quantile_over_time", [s, m], v),
            Function("rad", [v], v),
            Function("rate", [m], v),
            Function("resets", [m], v),
            Function("round", [v, s], v, variadic: 1),
            Function("scalar", [v], s),
            Function("sgn", [v], v),
            Function("sin", [v], v),
            Function("sinh", [v], v),
            Function("sort", [v], v),
            Function("sort_by_label", [v, str], v, variadic: -1, experimental: true),
            Function("sort_by_label_desc", [v, str], v, variadic: -1, experimental: true),
            Function("sort_desc", [v], v),
            Function("sqrt", [v], v),
            Function("stddev_over_time", [m], v),
            Function("stdvar_over_time", [m], v),
            Function("sum_over_time", [m], v),
            Function("tan", [v], v),
            Function("tanh", [v], v),
            Function("time", [], s),
            Function("timestamp", [v], v),
            Function("ts_of_first_over_time", [m], v, experimental: true),
            Function("ts_of_last_over_time", [m], v, experimental: true),
            Function("ts_of_max_over_time", [m], v, experimental: true),
            Function("ts_of_min_over_time", [m], v, experimental: true),
            Function("vector", [s], v),
            Function("year", [v], v, variadic: 1),
        ]
        var table: [String: Function] = [:]
        for function in all { table[function.name] = function }
        return table
    }()
}
